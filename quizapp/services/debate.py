"""Which articles a user may study, and their debate maps."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from ..core.facts import fact_key
from ..core.study.debate_map import DebateMap, MapFact, actor_key, alias_of, build_debate_map
from ..extensions import db
from ..models import Article, Fact, FactStatus, Question, Quiz, QuizQuestion, Status, User
from . import Forbidden, NotFound, ServiceError
from .articles import fact_key_of
from .review import withdraw


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
    """Build the map from the article's loaded facts (see `visible_article`): the confirmed
    ones only, as learners read it, so a wrong attribution the teacher has not checked (or
    has deleted) never puts words in someone's mouth."""
    sentences = {s.id: s for s in article.sentences}
    facts = [
        MapFact(
            f.kind,
            f.subject,
            f.object,
            sentences[f.sentence_id].position if f.sentence_id in sentences else 0,
            f.relation,
            sentences[f.sentence_id].text if f.sentence_id in sentences else "",
        )
        for f in article.facts
        if f.status == FactStatus.CONFIRMED
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


def can_correct_sides(article: Article, user: User | None) -> bool:
    """Teachers correct their own imports; shared seeded articles belong to every teacher."""
    if user is None or not user.is_teacher:
        return False
    return article.created_by_id is None or article.created_by_id == user.id


def set_actor_side(article_id: int, user: User, actor: str, side: str) -> int:
    """Replace the actor's stance facts (under any alias) by one for `side`; "" removes them.

    The new stance cites the sentence of the actor's first fact, so the evidence link still
    points at where the article introduces them. Questions made from the replaced stances
    would now teach the side the teacher corrected, so they are withdrawn (retired where a
    quiz or an answer refers to them); returns how many.
    """
    article = visible_article(article_id, user)
    if not can_correct_sides(article, user):
        raise Forbidden("Only the article's teacher can correct its sides.")
    if side and side not in {s["key"] for s in article.sides}:
        raise ServiceError("That side is not one of the article's sides.")
    kinds = {"stance", "quote", "role"}
    alias = alias_of(actor_key(f.subject) for f in article.facts if f.kind in kinds)
    target = alias.get(actor_key(actor), actor_key(actor))
    mine = [
        f
        for f in sorted(article.facts, key=lambda f: f.sentence.position)
        if f.kind in kinds and alias.get(actor_key(f.subject), actor_key(f.subject)) == target
    ]
    if not mine:
        raise NotFound("No one of that name is in the article.")
    stances = [f for f in mine if f.kind == "stance"]
    # Saving the side the facts already give changes no question.
    unchanged = {f.object for f in stances} == ({side} if side else set())
    replaced = (
        set() if unchanged else {fact_key(f.kind, f.subject, f.relation, f.object) for f in stances}
    )
    for fact in mine:
        if fact.kind == "stance":
            db.session.delete(fact)
    if side:
        db.session.add(
            Fact(
                article_id=article.id,
                sentence_id=mine[0].sentence_id,
                kind="stance",
                subject=actor,
                object=side,
                status=FactStatus.CONFIRMED,  # the teacher's own word: it is on the map
            )
        )
    return _withdraw_questions_of(article, replaced)


def _withdraw_questions_of(article: Article, fact_keys: set[str]) -> int:
    """Withdraw the current versions of the article's questions generated from these facts."""
    generated = db.session.execute(
        select(Question.family, Question.source_key).where(
            Question.article_id == article.id, Question.source_key.is_not(None)
        )
    )
    families = {family for family, key in generated if fact_key_of(key) in fact_keys}
    stale = db.session.scalars(
        select(Question).where(
            Question.family.in_(families),
            Question.superseded_by_id.is_(None),
            Question.status != Status.RETIRED,
        )
    ).all()
    for question in stale:
        withdraw(question)
    return len(stale)
