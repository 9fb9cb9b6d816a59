"""Which articles a user may study, and their debate maps."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from ..core.debate import DebateMap, MapFact, build_debate_map
from ..extensions import db
from ..models import Article, Question, Quiz, QuizQuestion, User
from . import NotFound


def visible_article(article_id: int, user: User | None) -> Article:
    """The article, if the user may read it: else NotFound, so its existence does not leak.

    Everyone may read seeded articles (no owner) and those a published quiz uses; a teacher
    also reads their own imports, but never another teacher's unpublished one.
    """
    article = db.session.scalar(
        select(Article)
        .where(Article.id == article_id)
        .options(selectinload(Article.sentences), selectinload(Article.facts))
    )
    if article is None:
        raise NotFound("No such article.")
    if article.created_by_id is None:
        return article
    if user is not None and user.is_teacher and article.created_by_id == user.id:
        return article
    published_use = select(
        exists()
        .where(Question.article_id == article.id)
        .where(QuizQuestion.question_id == Question.id)
        .where(Quiz.id == QuizQuestion.quiz_id)
        .where(Quiz.published.is_(True))
    )
    if db.session.scalar(published_use):
        return article
    raise NotFound("No such article.")


def article_debate_map(article: Article) -> DebateMap:
    """Build the map from the article's loaded facts (see `visible_article`)."""
    positions = {s.id: s.position for s in article.sentences}
    facts = [
        MapFact(f.kind, f.subject, f.object, positions.get(f.sentence_id, 0), f.relation)
        for f in article.facts
    ]
    sides = [(s["key"], s["label"]) for s in article.sides]
    return build_debate_map(article.debate, sides, facts)


def quiz_articles(quiz_ids: list[int]) -> dict[int, list[int]]:
    """The article ids each quiz's questions come from, in one query, to link their maps."""
    if not quiz_ids:
        return {}
    rows = db.session.execute(
        select(QuizQuestion.quiz_id, Question.article_id)
        .join(Question, Question.id == QuizQuestion.question_id)
        .where(QuizQuestion.quiz_id.in_(quiz_ids), Question.article_id.is_not(None))
        .distinct()
        .order_by(QuizQuestion.quiz_id, Question.article_id)
    )
    found: dict[int, list[int]] = {}
    for quiz_id, article_id in rows:
        found.setdefault(quiz_id, []).append(article_id)
    return found
