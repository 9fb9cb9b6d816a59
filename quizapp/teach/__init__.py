"""The teacher's workspace. Every route here is for teachers only (checked once, below)."""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("teach", __name__, url_prefix="/teach")


@bp.before_request
def _teachers_only() -> None:
    if not current_user.is_authenticated:
        from ..extensions import login_manager

        return login_manager.unauthorized()
    if not current_user.is_teacher:
        abort(403, "Only teachers can open the teacher's workspace.")
    return None


from . import articles, bank, classes, facts, jobs, quizzes, reports, rosters, views  # noqa: E402,F401  (modules register routes on bp)
