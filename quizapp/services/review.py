"""A teacher's review of imported articles: which they may see, and editing, approving and
rejecting the generated drafts so the good ones join the question bank.

Teachers see their own articles and the seeded shared ones (no owner); anything else is
"not found", so another teacher's work is not even confirmed to exist. Shared articles are
read-only: their questions are in everyone's published quiz.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.questions.review import choice_problems
from ..extensions import db
from ..models import (
    Article,
    DroppedDraft,
    Fact,
    Question,
    QuizQuestion,
    Status,
)
from . import Conflict, NotFound, ServiceError
from .bank import is_answered


class Rejection(StrEnum):
    DELETED = "deleted"
    RETIRED = "retired"


@dataclass(frozen=True)
class ArticleSummary:
    article: Article
    drafts: int
    approved: int


@dataclass(frozen=True)
class ArticleReview:
    article: Article
    facts: list[Fact]
    questions: list[Question]
    dropped: list[DroppedDraft]


def _visible_to(teacher_id: int) -> ColumnElement[bool]:
    return or_(Article.created_by_id == teacher_id, Article.created_by_id.is_(None))


def can_see(article: Article, teacher_id: int) -> bool:
    return article.created_by_id in (None, teacher_id)


def teacher_articles(teacher_id: int) -> list[ArticleSummary]:
    """The teacher's articles and the shared ones, newest first, with draft/approved counts."""
    drafts = func.count(Question.id).filter(Question.status == Status.DRAFT)
    approved = func.count(Question.id).filter(Question.status == Status.APPROVED)
    rows = db.session.execute(
        select(Article, drafts, approved)
        .outerjoin(Question, Question.article_id == Article.id)
        .where(_visible_to(teacher_id))
        .group_by(Article.id)
        .order_by(Article.created_at.desc(), Article.id.desc())
    )
    return [ArticleSummary(article, d, a) for article, d, a in rows]


def article_for_teacher(article_id: int, teacher_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None or not can_see(article, teacher_id):
        raise NotFound("There is no such article.")
    return article


def review_article(article_id: int, teacher_id: int) -> ArticleReview:
    """Everything the review page shows, loaded in a fixed number of queries."""
    article = db.session.scalar(
        select(Article)
        .where(Article.id == article_id, _visible_to(teacher_id))
        .options(selectinload(Article.sentences))
    )
    if article is None:
        raise NotFound("There is no such article.")
    facts = list(
        db.session.scalars(
            select(Fact)
            .where(Fact.article_id == article.id)
            .options(selectinload(Fact.sentence))
            .order_by(Fact.id)
        )
    )
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.article_id == article.id, Question.status != Status.RETIRED)
            .options(selectinload(Question.choices), selectinload(Question.evidence))
            .order_by(Question.id)
        )
    )
    dropped = list(
        db.session.scalars(
            select(DroppedDraft)
            .where(DroppedDraft.article_id == article.id)
            .order_by(DroppedDraft.id)
        )
    )
    return ArticleReview(article, facts, questions, dropped)


def question_for_teacher(question_id: int, teacher_id: int) -> Question:
    """A generated question the teacher may change: it belongs to one of their own articles."""
    question = db.session.get(Question, question_id)
    if question is None or question.article is None or not can_see(question.article, teacher_id):
        raise NotFound("There is no such question.")
    if question.article.created_by_id is None:
        raise ServiceError(
            "Questions of the shared seed articles are read-only; import your own copy to edit."
        )
    return question


def _in_a_quiz(question_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(QuizQuestion.question_id == question_id))))


def approve_question(question_id: int, teacher_id: int) -> Question:
    """Put a draft into the question bank."""
    question = question_for_teacher(question_id, teacher_id)
    if question.status == Status.RETIRED:
        raise Conflict(
            "This question is retired (rejected or taken out of use), so it cannot be approved; "
            "it stays only in the quizzes and answers that already use it."
        )
    problems = choice_problems(question.kind, [(c.text, c.is_correct) for c in question.choices])
    if problems:
        raise ServiceError("Fix the question before approving it: " + " ".join(problems))
    question.status = Status.APPROVED
    db.session.flush()
    return question


@dataclass(frozen=True)
class RejectOutcome:
    rejection: Rejection
    article_id: int | None


def reject_question(question_id: int, teacher_id: int) -> RejectOutcome:
    """Remove a question from review: deleted if nothing refers to it, otherwise retired.

    A question in a quiz or with learners' answers must stay for their scores and history, so
    it is retired (hidden from the bank and review); any other question is simply deleted.
    """
    question = question_for_teacher(question_id, teacher_id)
    article_id = question.article_id
    return RejectOutcome(withdraw(question), article_id)


def withdraw(question: Question) -> Rejection:
    """Take a question out of use: retired if a quiz or an answer refers to it, else deleted."""
    if _in_a_quiz(question.id) or is_answered(question.id):
        question.status = Status.RETIRED
        db.session.flush()
        return Rejection.RETIRED
    db.session.delete(question)
    db.session.flush()
    return Rejection.DELETED
