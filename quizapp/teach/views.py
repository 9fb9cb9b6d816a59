from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..services.quizzes import teacher_quizzes
from . import bp


@bp.get("/")
def index() -> ResponseReturnValue:
    """The teacher's start page: their quizzes and the seeded ones everyone shares."""
    return render_template("teach/index.html", quizzes=teacher_quizzes(current_user.id))
