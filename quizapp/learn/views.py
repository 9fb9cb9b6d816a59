from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..database import MAX_ID, write_transaction
from ..services import ServiceError
from ..services.attempts import (
    AttemptSubmitted,
    finish_attempt,
    get_attempt,
    learner_attempts,
    next_unanswered,
    open_attempts,
    published_quizzes,
    question_counts,
    quiz_item,
    quiz_items,
    record_answer,
    responses_by_question,
    start_attempt,
)
from ..services.debate import quiz_articles
from ..services.practice import NoMistakes, attempt_mistakes, latest_mistakes, start_practice
from . import bp
from .forms import ActionForm, AnswerForm


@bp.get("/")
def home() -> ResponseReturnValue:
    """List the published quizzes, offering to resume any the learner left unfinished."""
    quizzes = published_quizzes()
    counts = question_counts([q.id for q in quizzes])
    resumable = open_attempts(current_user.id) if current_user.is_authenticated else {}
    return render_template(
        "learn/home.html",
        quizzes=quizzes,
        counts=counts,
        resumable=resumable,
        articles=quiz_articles([q.id for q in quizzes]),
        form=ActionForm(),
    )


@bp.post("/quizzes/<int:quiz_id>/start")
@login_required
def start(quiz_id: int) -> ResponseReturnValue:
    """Start the quiz, or resume the learner's unfinished attempt at it."""
    if not ActionForm().validate_on_submit():
        abort(400)
    with write_transaction():
        attempt = start_attempt(current_user.id, quiz_id)
    return redirect(url_for("learn.resume", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def resume(attempt_id: int) -> ResponseReturnValue:
    """Go to where the attempt stopped: the first unanswered question, or the result."""
    attempt = get_attempt(attempt_id, current_user.id)
    if attempt.is_submitted:
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    items = quiz_items(attempt.quiz_id)
    position = next_unanswered(items, responses_by_question(attempt).keys()) or len(items)
    return redirect(url_for("learn.question", attempt_id=attempt.id, position=position))


@bp.route("/attempts/<int:attempt_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, position: int) -> ResponseReturnValue:
    """Show one question; on answering, show whether it was right and where the article says so."""
    attempt = get_attempt(attempt_id, current_user.id)
    if attempt.is_submitted:
        if request.method == "POST":
            raise AttemptSubmitted()
        flash("This attempt is finished; here is its review.", "info")
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    item = quiz_item(attempt.quiz_id, position)
    form = AnswerForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            if _int_or_none(form.question_id.data) != item.question_id:
                abort(
                    409,
                    "This page shows a different question from the one your answer was for "
                    "(perhaps an old tab). Reload the page and answer again.",
                )
            try:
                with write_transaction():
                    record_answer(
                        attempt.id, current_user.id, item.question_id, form.answer.data or []
                    )
            except ServiceError as exc:
                if exc.status != 400:
                    raise
                form.answer.errors = [str(exc)]
                status = 422
            else:
                return redirect(
                    url_for(
                        "learn.question",
                        attempt_id=attempt_id,  # not attempt.id: expired by the commit
                        position=position,
                        _anchor="feedback-title",
                    )
                )
        else:
            status = 422
    items = quiz_items(attempt.quiz_id)
    responses = responses_by_question(attempt)
    return render_template(
        "learn/question.html",
        attempt=attempt,
        item=item,
        position=position,
        total=len(items),
        answered=len(responses),
        response=responses.get(item.question_id),
        next_position=next_unanswered(items, responses.keys()),
        form=form,
        finish_form=ActionForm(),
    ), status


@bp.route("/attempts/<int:attempt_id>/finish", methods=["GET", "POST"])
@login_required
def finish(attempt_id: int) -> ResponseReturnValue:
    """Submit the attempt for scoring, after a confirmation while questions are unanswered."""
    if request.method == "GET":
        attempt = get_attempt(attempt_id, current_user.id)
        if attempt.is_submitted:
            return redirect(url_for("learn.result", attempt_id=attempt.id))
        items = quiz_items(attempt.quiz_id)
        answered = responses_by_question(attempt).keys()
        return render_template(
            "learn/finish.html",
            attempt=attempt,
            unanswered=[p for p, i in enumerate(items, 1) if i.question_id not in answered],
            form=ActionForm(),
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    with write_transaction():
        finish_attempt(attempt_id, current_user.id)
    return redirect(url_for("learn.result", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    """Show the score and a review of every question with its evidence."""
    attempt = get_attempt(attempt_id, current_user.id)
    if not attempt.is_submitted:
        return redirect(url_for("learn.resume", attempt_id=attempt.id))
    return render_template(
        "learn/result.html",
        attempt=attempt,
        items=quiz_items(attempt.quiz_id),
        responses=responses_by_question(attempt),
        articles=quiz_articles([attempt.quiz_id]).get(attempt.quiz_id, []),
        form=ActionForm(),
    )


@bp.post("/practice")
@login_required
def practise_mistakes() -> ResponseReturnValue:
    """One click: a practice quiz of every question the learner's latest answer got wrong."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with write_transaction():
            ids = latest_mistakes(current_user.id)
            attempt = start_practice(current_user.id, ids, "Practice: my mistakes")
    except NoMistakes as exc:
        flash(str(exc))
        return redirect(request.referrer or url_for("learn.home"))
    return redirect(url_for("learn.resume", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/retry")
@login_required
def retry_mistakes(attempt_id: int) -> ResponseReturnValue:
    """Practise just the questions this attempt got wrong."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with write_transaction():
            ids = attempt_mistakes(attempt_id, current_user.id)
            attempt = start_practice(current_user.id, ids, "Practice: retry")
    except NoMistakes as exc:
        flash(str(exc))
        return redirect(url_for("learn.result", attempt_id=attempt_id))
    return redirect(url_for("learn.resume", attempt_id=attempt.id))


@bp.get("/scores")
@login_required
def scores() -> ResponseReturnValue:
    """List every attempt of the learner's, newest first."""
    return render_template(
        "learn/scores.html", attempts=learner_attempts(current_user.id), form=ActionForm()
    )


def _int_or_none(value: object) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None
