"""The teacher's classes: create them, hand out join codes, see who joined."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.formats.roster import RosterProblem
from ..core.study.progress import RECENT_ANSWERS
from ..database import utcnow, write_transaction
from ..services import ServiceError
from ..services.classes import (
    class_for_teacher,
    class_members,
    create_class,
    new_code,
    remove_member,
    teacher_classes,
)
from ..services.progress import learners_topic_progress
from . import bp
from .actions import attempt
from .forms import ActionForm, ClassForm
from .roster_forms import RenewSheetForm, RosterForm


@bp.route("/classes", methods=["GET", "POST"])
def classes() -> ResponseReturnValue:
    """List the teacher's classes and create new ones."""
    form = ClassForm()
    status = 200
    if form.validate_on_submit():
        try:
            with write_transaction():
                school_class = create_class(current_user.id, form.name.data)
        except ServiceError as exc:
            form.name.errors.append(str(exc))
            status = exc.status
        else:
            flash(
                f"Created {school_class.name}. Learners join with the code "
                f"{school_class.join_code}.",
                "success",
            )
            return redirect(url_for("teach.class_detail", class_id=school_class.id))
    elif form.errors:
        status = 422
    return render_template(
        "teach/classes.html", form=form, summaries=teacher_classes(current_user.id)
    ), status


@bp.get("/classes/<int:class_id>")
def class_detail(class_id: int) -> ResponseReturnValue:
    """Show a class: its join code, its learners and the quizzes assigned to it."""
    return class_page(class_id)


def class_page(
    class_id: int,
    roster_form: RosterForm | None = None,
    problems: Sequence[RosterProblem] = (),
    status: int = 200,
) -> ResponseReturnValue:
    """The class page, also as the answer to a class list that could not be imported: its
    form as the teacher filled it in, and the problems by line."""
    school_class = class_for_teacher(class_id, current_user.id)
    members = class_members(class_id, current_user.id)
    return render_template(
        "teach/class.html",
        school_class=school_class,
        members=members,
        topics=learners_topic_progress(
            [m.id for m in members], utcnow(), quiz_ids=[q.id for q in school_class.quizzes]
        ),
        recent=RECENT_ANSWERS,
        form=ActionForm(),
        roster_form=roster_form or RosterForm(formdata=None),
        problems=problems,
        renew_form=RenewSheetForm(formdata=None),
        on_one_time=sum(m.must_change_password for m in members),
    ), status


@bp.post("/classes/<int:class_id>/code")
def class_new_code(class_id: int) -> ResponseReturnValue:
    """Draw a new join code, e.g. after the old one was shared too widely."""
    attempt(
        lambda: new_code(class_id, current_user.id),
        lambda school_class: f"The new join code is {school_class.join_code}.",
    )
    return redirect(url_for("teach.class_detail", class_id=class_id))


@bp.post("/classes/<int:class_id>/members/<int:learner_id>/remove")
def class_remove_member(class_id: int, learner_id: int) -> ResponseReturnValue:
    """Take a learner out of the class (their scores stay)."""
    attempt(
        lambda: remove_member(class_id, current_user.id, learner_id),
        lambda _none: "The learner was removed from the class.",
    )
    return redirect(url_for("teach.class_detail", class_id=class_id))
