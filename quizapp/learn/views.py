from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..database import parse_id, utcnow, write_transaction
from ..models import Attempt
from ..services import ServiceError
from ..services.attempts import (
    AttemptSubmitted,
    TimeUp,
    answered_families,
    as_seen,
    attempt_item,
    attempt_items,
    attempts_used,
    available_quizzes,
    choices_as_shown,
    close_overdue,
    ensure_still_open,
    finish_attempt,
    get_attempt,
    is_overdue,
    learner_attempts,
    next_unanswered,
    open_attempts,
    question_counts,
    record_answer,
    response_to,
    responses_by_family,
    slot_families,
    start_attempt,
)
from ..services.cards import due_count
from ..services.classes import join_class, learner_classes
from ..services.debate import quiz_articles
from ..services.practice import NoMistakes, attempt_mistakes, latest_mistakes, start_practice
from . import bp
from .forms import ActionForm, AnswerForm, JoinClassForm


@bp.get("/")
def home() -> ResponseReturnValue:
    """List the quizzes open to the learner, offering to resume any left unfinished."""
    learner_id = current_user.id if current_user.is_authenticated else None
    quizzes = available_quizzes(learner_id)
    ids = [q.id for q in quizzes]
    per_day = current_app.config["NEW_CARDS_PER_DAY"]
    return render_template(
        "learn/home.html",
        quizzes=quizzes,
        counts=question_counts(ids),
        resumable=open_attempts(learner_id) if learner_id else {},
        used=attempts_used(learner_id, ids) if learner_id else {},
        classes=learner_classes(learner_id) if learner_id else [],
        cards_due=due_count(learner_id, utcnow(), per_day) if learner_id else 0,
        articles=quiz_articles(ids),
        now=utcnow(),
        form=ActionForm(),
        join_form=JoinClassForm(),
    )


@bp.post("/classes/join")
@login_required
def join() -> ResponseReturnValue:
    """Join a class with the code the teacher gave out."""
    form = JoinClassForm()
    if not form.validate_on_submit():
        flash(" ".join(form.code.errors) or "Type the class code your teacher gave you.", "error")
        return redirect(url_for("learn.home"))
    try:
        with write_transaction():
            school_class, joined = join_class(current_user.id, form.code.data)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learn.home"))
    flash(
        f"You joined {school_class.name}."
        if joined
        else f"You are already in {school_class.name}.",
        "success",
    )
    return redirect(url_for("learn.home"))


@bp.post("/quizzes/<int:quiz_id>/start")
@login_required
def start(quiz_id: int) -> ResponseReturnValue:
    """Start the quiz, or resume the learner's unfinished attempt at it."""
    try:
        with write_transaction():
            attempt = start_attempt(current_user.id, quiz_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(str(exc), "error")
        return redirect(url_for("learn.home"))
    return redirect(url_for("learn.resume", attempt_id=attempt.id))


def _closed_for_time(attempt: Attempt) -> ResponseReturnValue | None:
    """If the attempt's time ran out, close it and send the learner to the result."""
    if not is_overdue(attempt):
        return None
    with write_transaction():
        close_overdue(attempt.id, current_user.id)
    flash("Time is up: the attempt was submitted with the answers given in time.", "info")
    return redirect(url_for("learn.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def resume(attempt_id: int) -> ResponseReturnValue:
    """Go to where the attempt stopped: the first unanswered question, or the result."""
    attempt = get_attempt(attempt_id, current_user.id)
    if attempt.is_submitted:
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    ensure_still_open(attempt)  # unpublished, or left the class: a 403 saying so
    if (closed := _closed_for_time(attempt)) is not None:
        return closed
    families = slot_families(attempt)
    position = next_unanswered(families, answered_families(attempt.id)) or len(families)
    return redirect(url_for("learn.question", attempt_id=attempt.id, position=position))


@bp.route("/attempts/<int:attempt_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, position: int) -> ResponseReturnValue:
    """Show one question; on answering, show whether it was right and where the article says so
    (or, when the quiz keeps feedback until the end, just that the answer is saved)."""
    form = AnswerForm()
    status = 200
    if form.is_submitted():
        # Straight to the one write transaction: it checks the attempt, the position and the
        # choices under the lock, so the answer path holds SQLite's write lock only briefly.
        status = 422
        if form.validate():
            try:
                with write_transaction():
                    record_answer(
                        attempt_id,
                        current_user.id,
                        parse_id(form.question_id.data) or 0,
                        form.answer.data or [],
                        position=position,
                    )
            except TimeUp as exc:
                with write_transaction():
                    close_overdue(attempt_id, current_user.id)
                flash(str(exc), "error")
                return redirect(url_for("learn.result", attempt_id=attempt_id))
            except ServiceError as exc:
                if exc.status != 400:
                    raise
                form.answer.errors = [str(exc)]
            else:
                return redirect(
                    url_for(
                        "learn.question",
                        attempt_id=attempt_id,
                        position=position,
                        _anchor="feedback-title",
                    )
                )
    attempt = get_attempt(attempt_id, current_user.id)
    if attempt.is_submitted:
        if request.method == "POST":
            raise AttemptSubmitted()
        flash("This attempt is finished; here is its review.", "info")
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    ensure_still_open(attempt)  # unpublished, or left the class: a 403 saying so
    if (closed := _closed_for_time(attempt)) is not None:
        return closed
    item = attempt_item(attempt, position)
    families = slot_families(attempt)
    answered = answered_families(attempt.id)
    family = item.question.family
    response = response_to(attempt.id, family) if family in answered else None
    shown = as_seen(item, response)
    return render_template(
        "learn/question.html",
        attempt=attempt,
        item=item,
        question=shown,
        choices=choices_as_shown(attempt, shown),
        position=position,
        total=len(families),
        answered=len(answered),
        response=response,
        next_position=next_unanswered(families, answered),
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
        ensure_still_open(attempt)  # unpublished, or left the class: a 403 saying so
        if (closed := _closed_for_time(attempt)) is not None:
            return closed
        families = slot_families(attempt)
        answered = answered_families(attempt.id)
        return render_template(
            "learn/finish.html",
            attempt=attempt,
            unanswered=[p for p, f in enumerate(families, 1) if f not in answered],
            form=ActionForm(),
        )
    with write_transaction():
        finish_attempt(attempt_id, current_user.id)
    return redirect(url_for("learn.result", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    """Show the score and a review of every question, as the learner saw it, with evidence."""
    attempt = get_attempt(attempt_id, current_user.id)
    if not attempt.is_submitted:
        return redirect(url_for("learn.resume", attempt_id=attempt.id))
    responses = responses_by_family(attempt.id)
    review = []
    for item in attempt_items(attempt):
        response = responses.get(item.question.family)
        shown = as_seen(item, response)
        review.append((item, shown, choices_as_shown(attempt, shown), response))
    return render_template(
        "learn/result.html",
        attempt=attempt,
        review=review,
        articles=quiz_articles([attempt.quiz_id]).get(attempt.quiz_id, []),
        form=ActionForm(),
    )


@bp.post("/practice")
@login_required
def practise_mistakes() -> ResponseReturnValue:
    """One click: a practice quiz of every question the learner's latest answer got wrong."""
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
