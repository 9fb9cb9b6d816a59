"""Studying flashcards: one card at a time, its answer, a rating; and the learner's progress.

Everything works without JavaScript: "Show answer" is a link and each rating is a button of
one POST form. ``static/cards.js`` only adds keyboard shortcuts that click them.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..core.study.cards import RATINGS, CardKey, interval_label, schedule
from ..core.study.progress import score_chart
from ..database import utcnow, write_transaction
from ..services.cards import due_count, next_card, rate_card, shown_card
from ..services.progress import learners_topic_progress, score_history
from . import bp
from .forms import RatingForm


@bp.get("/cards")
@login_required
def cards() -> ResponseReturnValue:
    """The front of the next card due, or word that today's cards are done."""
    now, per_day = utcnow(), current_app.config["NEW_CARDS_PER_DAY"]
    return render_template(
        "study/card.html",
        shown=next_card(current_user.id, now, per_day),
        remaining=due_count(current_user.id, now, per_day),
        form=None,
    )


@bp.get("/cards/answer")
@login_required
def card_answer() -> ResponseReturnValue:
    """Both faces of one card, and the four rating buttons with when each brings it back."""
    key = CardKey.parse(request.args.get("card"))
    if key is None:
        abort(404, "That card does not exist or is not open for study.")
    now, per_day = utcnow(), current_app.config["NEW_CARDS_PER_DAY"]
    shown = shown_card(current_user.id, key, now)
    intervals = {
        rating: interval_label(schedule(shown.memory, rating, now).due - now) for rating in RATINGS
    }
    return render_template(
        "study/card.html",
        shown=shown,
        remaining=due_count(current_user.id, now, per_day),
        form=RatingForm(card=str(key), version=shown.version),
        ratings=RATINGS,
        intervals=intervals,
    )


@bp.post("/cards/rate")
@login_required
def rate() -> ResponseReturnValue:
    """Reschedule the card by its rating (once, however often the form is sent), then go on."""
    form = RatingForm()
    key = CardKey.parse(form.card.data)
    if not form.validate_on_submit() or key is None:
        abort(400, "That rating could not be read. Go back to the card and choose a button.")
    with write_transaction():
        applied = rate_card(
            current_user.id,
            key,
            form.rating.data,
            form.version.data,
            utcnow(),
            fuzz=current_app.config["CARD_FUZZING"],
        )
    if not applied:
        flash("That card had already been rated, so this rating was not counted again.", "info")
    return redirect(url_for("study.cards"))


@bp.get("/progress")
@login_required
def progress() -> ResponseReturnValue:
    """The learner's mastery per topic, score over time (chart and table) and cards due."""
    now = utcnow()
    history = score_history(current_user.id)
    return render_template(
        "study/progress.html",
        topics=learners_topic_progress(
            [current_user.id], now, current_app.config["RECENT_ANSWERS"]
        ),
        recent=current_app.config["RECENT_ANSWERS"],
        history=history,
        chart=score_chart(history),
        due=due_count(current_user.id, now, current_app.config["NEW_CARDS_PER_DAY"]),
    )
