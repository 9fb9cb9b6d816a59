"""The quiz builder: settings and classes, questions from the bank in order with points."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from ..core.assessment.preview import PreviewState
from ..database import parse_id, utcnow, write_transaction
from ..learn.forms import AnswerForm
from ..models import Quiz, QuizQuestion, Status
from ..services import ServiceError
from ..services.attempts import TimeUp
from ..services.bank import search_bank
from ..services.classes import teacher_classes
from ..services.preview import (
    answer_preview,
    finish_preview,
    is_time_up,
    item_at,
    next_unanswered_position,
    preview_answer,
    preview_choices,
    preview_deadline,
    preview_items,
    preview_quiz,
    preview_score,
    start_preview,
)
from ..services.quizzes import (
    ItemChange,
    QuizSettings,
    add_questions,
    copy_quiz,
    has_attempts,
    quiz_for_teacher,
    rearrange,
    save_quiz,
    set_published,
    teacher_quizzes,
)
from . import bp
from .actions import attempt
from .bank import bank_filter_form, filter_from
from .forms import ActionForm, AddQuestionsForm, ItemsForm, QuizSettingsForm


@bp.get("/quizzes")
def quizzes() -> ResponseReturnValue:
    """List the teacher's quizzes (and the shared seed quizzes)."""
    return render_template("teach/quizzes.html", quizzes=teacher_quizzes(current_user.id))


def _settings_form(quiz: Quiz | None = None) -> QuizSettingsForm:
    form = QuizSettingsForm(obj=quiz) if quiz is not None else QuizSettingsForm()
    form.classes.choices = [
        SelectChoice(s.school_class.id, s.school_class.name)
        for s in teacher_classes(current_user.id)
    ]
    if quiz is not None and not form.is_submitted():
        form.classes.data = [c.id for c in quiz.classes]
    return form


def _settings(form: QuizSettingsForm) -> QuizSettings:
    return QuizSettings(
        title=form.title.data or "",
        description=form.description.data or "",
        shuffle_questions=form.shuffle_questions.data,
        shuffle_choices=form.shuffle_choices.data,
        time_limit_minutes=form.time_limit_minutes.data,
        max_attempts=form.max_attempts.data,
        feedback=form.feedback.data,
        partial_credit=form.partial_credit.data,
        opens_at=form.opens_at.data,
        closes_at=form.closes_at.data,
        is_public=form.is_public.data,
        class_ids=form.classes.data or [],
    )


def _save_settings(form: QuizSettingsForm, quiz_id: int | None) -> ResponseReturnValue:
    status = 422 if form.errors else 200
    if form.validate_on_submit():
        try:
            with write_transaction():
                quiz = save_quiz(current_user.id, _settings(form), quiz_id)
        except ServiceError as exc:
            form.title.errors.append(str(exc))
            status = exc.status
        else:
            flash(f"Saved “{quiz.title}”.", "success")
            return redirect(url_for("teach.quiz", quiz_id=quiz.id))
    elif form.is_submitted():
        status = 422
    return render_template("teach/quiz_settings.html", form=form, quiz_id=quiz_id), status


@bp.route("/quizzes/new", methods=["GET", "POST"])
def quiz_new() -> ResponseReturnValue:
    """Start a quiz: its settings first, then questions from the bank."""
    return _save_settings(_settings_form(), None)


@bp.route("/quizzes/<int:quiz_id>/settings", methods=["GET", "POST"])
def quiz_settings(quiz_id: int) -> ResponseReturnValue:
    """Change a quiz's settings and the classes it is assigned to."""
    return _save_settings(_settings_form(quiz_for_teacher(quiz_id, current_user.id)), quiz_id)


@bp.get("/quizzes/<int:quiz_id>")
def quiz(quiz_id: int) -> ResponseReturnValue:
    """The builder: the quiz's questions in order, and the bank to add more from."""
    quiz = quiz_for_teacher(quiz_id, current_user.id)
    items_form = ItemsForm(
        data={
            "items": [
                {"item_id": i.id, "position": i.position, "points": i.points} for i in quiz.items
            ]
        }
    )
    filter_form = bank_filter_form(current_user.id)
    wanted = filter_from(filter_form)
    page = search_bank(
        current_user.id,
        replace(wanted, status=Status.APPROVED),
        request.args.get("page", 1, type=int) or 1,
    )
    return render_template(
        "teach/quiz.html",
        quiz=quiz,
        locked=has_attempts(quiz.id),
        items_form=items_form,
        add_form=AddQuestionsForm(),
        filter_form=filter_form,
        page=page,
        in_quiz={i.question_id for i in quiz.items},
        form=ActionForm(),
    )


@bp.post("/quizzes/<int:quiz_id>/items")
def quiz_items_save(quiz_id: int) -> ResponseReturnValue:
    """Save the builder table: positions, points and removals in one go."""
    quiz_for_teacher(quiz_id, current_user.id)  # 404 before the form's own errors
    form = ItemsForm()
    if not form.validate_on_submit():
        for row in form.items:
            for errors in row.form.errors.values():
                flash(" ".join(errors), "error")
        return redirect(url_for("teach.quiz", quiz_id=quiz_id))
    changes = []
    for row in form.items:
        item_id = parse_id(row.form.item_id.data)
        if item_id is None:
            flash("The form was damaged; reload the page.", "error")
            return redirect(url_for("teach.quiz", quiz_id=quiz_id))
        changes.append(
            ItemChange(
                item_id,
                row.form.position.data,
                float(row.form.points.data),
                bool(row.form.remove.data),
            )
        )
    attempt(
        lambda: rearrange(quiz_id, current_user.id, changes),
        lambda _quiz: "Saved the order and points.",
    )
    return redirect(url_for("teach.quiz", quiz_id=quiz_id))


@bp.post("/quizzes/<int:quiz_id>/add")
def quiz_add(quiz_id: int) -> ResponseReturnValue:
    """Append the ticked bank questions to the quiz."""
    quiz_for_teacher(quiz_id, current_user.id)  # 404 before the form's own errors
    form = AddQuestionsForm()
    if not form.validate_on_submit():
        flash(" ".join(form.question_ids.errors) or "The form expired; try again.", "error")
        return redirect(url_for("teach.quiz", quiz_id=quiz_id))
    attempt(
        lambda: add_questions(quiz_id, current_user.id, form.question_ids.data),
        lambda added: f"Added {added} question{'s' if added != 1 else ''}.",
    )
    return redirect(url_for("teach.quiz", quiz_id=quiz_id, _anchor="items"))


@bp.post("/quizzes/<int:quiz_id>/publish")
def quiz_publish(quiz_id: int) -> ResponseReturnValue:
    """Publish or unpublish the quiz (the button says which)."""
    publish = request.form.get("publish") == "1"
    attempt(
        lambda: set_published(quiz_id, current_user.id, publish),
        lambda _quiz: "Published." if publish else "Unpublished: learners no longer see it.",
    )
    return redirect(url_for("teach.quiz", quiz_id=quiz_id))


@bp.post("/quizzes/<int:quiz_id>/copy")
def quiz_copy(quiz_id: int) -> ResponseReturnValue:
    """Copy the quiz, e.g. to change the questions of one learners have already taken."""
    copy = attempt(
        lambda: copy_quiz(quiz_id, current_user.id),
        lambda copy: f"Made “{copy.title}”, unpublished.",
    )
    return redirect(url_for("teach.quiz", quiz_id=copy.id if copy else quiz_id))


# --- Preview as a learner ----------------------------------------------------------------------
# The run lives in the session (see services/preview.py): these views read it, hand it to the
# service and put back what the service returns. No route here opens a write transaction.

PREVIEW_KEY = "quiz_preview"


def _preview_state(quiz: Quiz) -> PreviewState | None:
    state = PreviewState.from_session(session.get(PREVIEW_KEY))
    return state if state is not None and state.quiz_id == quiz.id else None


def _keep(state: PreviewState) -> None:
    session[PREVIEW_KEY] = state.to_session()


@bp.get("/quizzes/<int:quiz_id>/preview")
def quiz_preview(quiz_id: int) -> ResponseReturnValue:
    """The quiz as a learner sees it: its start, the question at ``?position=``, the finish
    confirmation (``?finish=1``) or the result, depending on how far the preview has got."""
    quiz = preview_quiz(quiz_id, current_user.id)
    state = _preview_state(quiz)
    if state is None:
        return render_template(
            "teach/quiz_preview_start.html", quiz=quiz, count=len(quiz.items), form=ActionForm()
        )
    now = utcnow()
    if is_time_up(quiz, state, now):
        state = finish_preview(quiz, state, now)
        _keep(state)
        flash("Time is up: the attempt was submitted with the answers given in time.", "info")
    items = preview_items(quiz, state)
    if state.is_finished or not items:
        return _preview_result(quiz, state, items)
    if request.args.get("finish"):
        return render_template(
            "teach/quiz_preview_finish.html",
            quiz=quiz,
            unanswered=[
                p for p, item in enumerate(items, 1) if item.question_id not in state.answers
            ],
            form=ActionForm(),
        )
    next_position = next_unanswered_position(items, state)
    position = request.args.get("position", type=int) or next_position or len(items)
    return _preview_question(quiz, state, items, position, AnswerForm(formdata=None))


def _preview_question(
    quiz: Quiz,
    state: PreviewState,
    items: list[QuizQuestion],
    position: int,
    form: AnswerForm,
    status: int = 200,
) -> ResponseReturnValue:
    item = item_at(items, position)
    return render_template(
        "teach/quiz_preview_question.html",
        quiz=quiz,
        item=item,
        question=item.question,
        choices=preview_choices(quiz, state, item.question),
        position=position,
        total=len(items),
        answered=sum(1 for i in items if i.question_id in state.answers),
        response=preview_answer(quiz, state, item),
        next_position=next_unanswered_position(items, state),
        deadline=preview_deadline(quiz, state),
        form=form,
        finish_form=ActionForm(),
    ), status


def _preview_result(
    quiz: Quiz, state: PreviewState, items: list[QuizQuestion]
) -> ResponseReturnValue:
    score, max_score = preview_score(quiz, state)
    return render_template(
        "teach/quiz_preview_result.html",
        quiz=quiz,
        score=score,
        max_score=max_score,
        review=[
            (
                item,
                item.question,
                preview_choices(quiz, state, item.question),
                preview_answer(quiz, state, item),
            )
            for item in items
        ],
        form=ActionForm(),
    )


@bp.post("/quizzes/<int:quiz_id>/preview/start")
def quiz_preview_start(quiz_id: int) -> ResponseReturnValue:
    """Start the preview afresh: a new shuffle, the clock at zero, no answers."""
    quiz = preview_quiz(quiz_id, current_user.id)
    try:
        _keep(start_preview(quiz, utcnow()))
    except ServiceError as exc:
        flash(str(exc), "error")
    return redirect(url_for("teach.quiz_preview", quiz_id=quiz.id))


@bp.post("/quizzes/<int:quiz_id>/preview/answer")
def quiz_preview_answer(quiz_id: int) -> ResponseReturnValue:
    """Check one answer of the preview, as a learner's is checked, and keep it in the session."""
    quiz = preview_quiz(quiz_id, current_user.id)
    state = _preview_state(quiz)
    if state is None:
        flash("The preview had not started (or was started in another tab); start it here.", "info")
        return redirect(url_for("teach.quiz_preview", quiz_id=quiz.id))
    position = request.args.get("position", type=int) or 1
    form = AnswerForm()
    if form.validate():
        try:
            state = answer_preview(
                quiz,
                state,
                position,
                parse_id(form.question_id.data) or 0,
                form.answer.data or [],
                utcnow(),
            )
        except TimeUp as exc:
            _keep(finish_preview(quiz, state, utcnow()))
            flash(str(exc), "error")
            return redirect(url_for("teach.quiz_preview", quiz_id=quiz.id))
        except ServiceError as exc:
            if exc.status == 404:
                raise
            form.answer.errors = [str(exc)]
        else:
            _keep(state)
            return redirect(
                url_for(
                    "teach.quiz_preview",
                    quiz_id=quiz.id,
                    position=position,
                    _anchor="feedback-title",
                )
            )
    if state.is_finished:
        return redirect(url_for("teach.quiz_preview", quiz_id=quiz.id))
    return _preview_question(quiz, state, preview_items(quiz, state), position, form, 422)


@bp.post("/quizzes/<int:quiz_id>/preview/finish")
def quiz_preview_finish(quiz_id: int) -> ResponseReturnValue:
    """Finish the preview and see the result page a learner would."""
    quiz = preview_quiz(quiz_id, current_user.id)
    state = _preview_state(quiz)
    if state is not None:
        _keep(finish_preview(quiz, state, utcnow()))
    return redirect(url_for("teach.quiz_preview", quiz_id=quiz.id))
