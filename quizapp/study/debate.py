"""Reading an article and its debate map."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..database import write_transaction
from ..models import User
from ..services.articles import paragraphs
from ..services.debate import (
    article_debate_map,
    can_correct_sides,
    set_actor_side,
    visible_article,
)
from . import bp
from .forms import SideCorrectionForm


def _viewer() -> User | None:
    """Anonymous visitors may read public articles, so the viewer is optional."""
    if not current_user.is_authenticated:
        return None
    user: User = current_user._get_current_object()
    return user


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> ResponseReturnValue:
    """The article's headline, then its paragraphs of sentences, each sentence anchored
    `#s<position>` so map quotes can link to them."""
    found = visible_article(article_id, _viewer())
    return render_template(
        "study/article_view.html", article=found, paragraphs=paragraphs(found.sentences)
    )


@bp.get("/articles/<int:article_id>/map")
def debate_map(article_id: int) -> ResponseReturnValue:
    """Who argues what in the article, a column per side."""
    found = visible_article(article_id, _viewer())
    form = None
    if can_correct_sides(found, _viewer()):
        form = SideCorrectionForm()
        form.set_sides([(s["key"], s["label"]) for s in found.sides])
    return render_template(
        "study/debate_map.html", article=found, debate=article_debate_map(found), form=form
    )


@bp.post("/articles/<int:article_id>/map/side")
@login_required
def correct_side(article_id: int) -> ResponseReturnValue:
    """Save a teacher's correction of one actor's side, then show the map again."""
    if not current_user.is_teacher:
        abort(403)
    form = SideCorrectionForm()
    article = visible_article(article_id, _viewer())
    form.set_sides([(s["key"], s["label"]) for s in article.sides])
    if not form.validate_on_submit():
        abort(400)
    with write_transaction():
        withdrawn = set_actor_side(article_id, current_user, form.actor.data, form.side.data)
    flash(f"Side saved for {form.actor.data}.")
    if withdrawn:
        which = "1 question" if withdrawn == 1 else f"{withdrawn} questions"
        flash(
            f"{which} about their side taught the old side and left the bank (retired or deleted)."
        )
    return redirect(url_for("study.debate_map", article_id=article_id))
