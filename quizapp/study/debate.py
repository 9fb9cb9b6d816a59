"""Reading an article and its debate map."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..models import User
from ..services.debate import article_debate_map, visible_article
from . import bp


def _viewer() -> User | None:
    """Anonymous visitors may read public articles, so the viewer is optional."""
    return current_user._get_current_object() if current_user.is_authenticated else None  # type: ignore[no-any-return]


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> ResponseReturnValue:
    """The article's sentences, each anchored `#s<position>` so map quotes can link to them."""
    found = visible_article(article_id, _viewer())
    return render_template("study/article_view.html", article=found)


@bp.get("/articles/<int:article_id>/map")
def debate_map(article_id: int) -> ResponseReturnValue:
    """Who argues what in the article, a column per side."""
    found = visible_article(article_id, _viewer())
    return render_template("study/debate_map.html", article=found, debate=article_debate_map(found))
