"""A teacher's review of imported articles: which they may see, and editing, approving and
rejecting the generated drafts so the good ones join the question bank.

Teachers see their own articles and the seeded shared ones (no owner); anything else is
"not found", so another teacher's work is not even confirmed to exist. Shared articles are
read-only: their questions are in everyone's published quiz.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
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


class Gone(ServiceError):
    """The article was deleted; what quizzes and answers used of it is kept, retired."""

    status = 410


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
    """The teacher's own live articles and the shared ones: a deleted article is kept only
    as evidence for the quizzes and answers that still use it, and no longer listed."""
    return or_(Article.created_by_id == teacher_id, Article.created_by_id.is_(None)) & (
        Article.deleted_at.is_(None)
    )


def can_see(article: Article, teacher_id: int) -> bool:
    return article.created_by_id in (None, teacher_id) and article.deleted_at is None


def deleted_message(deleted_at: datetime) -> str:
    return (
        f"This article was deleted on {deleted_at:%d %B %Y at %H:%M} UTC. Its drafts went; the "
        "questions quizzes or learners' answers used are kept, retired, in those quizzes and "
        "their reports."
    )


def _refuse_if_deleted(article_id: int, teacher_id: int) -> None:
    """The owner asking for an article they deleted is told so, not given a bare 404."""
    article = db.session.get(Article, article_id)
    if article is not None and article.created_by_id == teacher_id and article.deleted_at:
        raise Gone(deleted_message(article.deleted_at))


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
        _refuse_if_deleted(article_id, teacher_id)
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
        _refuse_if_deleted(article_id, teacher_id)
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


def _in_a_version_chain(question: Question) -> bool:
    """A later version, or one a later version points back to: deleting it would break the
    chain the question page and reports follow."""
    if question.family_id is not None or question.superseded_by_id is not None:
        return True
    return bool(db.session.scalar(select(exists().where(Question.family_id == question.id))))


def withdraw(question: Question) -> Rejection:
    """Take a question out of use: retired if a quiz, an answer or another version of it
    refers to it, else deleted."""
    if _in_a_quiz(question.id) or is_answered(question.id) or _in_a_version_chain(question):
        question.status = Status.RETIRED
        db.session.flush()
        return Rejection.RETIRED
    db.session.delete(question)
    db.session.flush()
    return Rejection.DELETED


# --- Bulk review ------------------------------------------------------------------------------


class BulkAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class BulkOutcome:
    """What one bulk submit did to each id it named, and where review goes on from."""

    action: BulkAction
    approved: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    unchanged: dict[int, str] = field(default_factory=dict)  # id -> why nothing was done
    not_found: list[int] = field(default_factory=list)  # not a question of this article
    drafts_left: int = 0
    next_draft_id: int | None = None

    @property
    def changed(self) -> list[int]:
        return [*self.approved, *self.deleted, *self.retired]


def editable_article(article_id: int, teacher_id: int) -> Article:
    """An article whose drafts the teacher may review: their own (shared ones are read-only)."""
    article = article_for_teacher(article_id, teacher_id)
    if article.created_by_id is None:
        raise ServiceError(
            "Questions of the shared seed articles are read-only; import your own copy to edit."
        )
    return article


def selected_questions(
    article_id: int, teacher_id: int, question_ids: Iterable[int]
) -> tuple[list[Question], list[int]]:
    """The named questions of the teacher's article still under review, in page order, and
    the ids that are not (another article's, another teacher's, retired or unknown): a forged
    or stale form can only ever touch the article it was posted to."""
    article = editable_article(article_id, teacher_id)
    wanted = list(dict.fromkeys(question_ids))
    found = list(
        db.session.scalars(
            select(Question)
            .where(
                Question.id.in_(wanted),
                Question.article_id == article.id,
                Question.status != Status.RETIRED,
            )
            .options(selectinload(Question.choices))
            .order_by(Question.id)
        )
    )
    have = {q.id for q in found}
    return found, [i for i in wanted if i not in have]


def review_drafts(
    article_id: int, teacher_id: int, question_ids: Iterable[int], action: BulkAction
) -> BulkOutcome:
    """Approve or reject many drafts of one article in one transaction.

    Each question is judged on its own: one that fails the approval checks stays a draft and
    says why, without holding back the others. Ids that are not this teacher's article's
    questions change nothing and are reported, never a hint of whose they are.
    """
    questions, not_found = selected_questions(article_id, teacher_id, question_ids)
    outcome = BulkOutcome(action, not_found=not_found)
    for question in questions:
        if action is BulkAction.APPROVE:
            if question.status == Status.APPROVED:
                outcome.unchanged[question.id] = "already approved"
                continue
            problems = choice_problems(
                question.kind, [(c.text, c.is_correct) for c in question.choices]
            )
            if problems:
                outcome.unchanged[question.id] = "fix it first: " + " ".join(problems)
                continue
            question.status = Status.APPROVED
            outcome.approved.append(question.id)
        elif withdraw(question) is Rejection.DELETED:
            outcome.deleted.append(question.id)
        else:
            outcome.retired.append(question.id)
    db.session.flush()
    last = max(outcome.changed or outcome.unchanged or [0])
    left, after = drafts_after(article_id, last)
    return replace(outcome, drafts_left=left, next_draft_id=after)


def drafts_after(article_id: int, question_id: int) -> tuple[int, int | None]:
    """How many drafts the article has left, and the one to review next: the first after
    ``question_id`` in page order, else the last before it."""
    ids = list(
        db.session.scalars(
            select(Question.id)
            .where(Question.article_id == article_id, Question.status == Status.DRAFT)
            .order_by(Question.id)
        )
    )
    later = [i for i in ids if i > question_id]
    return len(ids), (later[0] if later else (ids[-1] if ids else None))


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def bulk_message(outcome: BulkOutcome) -> str:
    """One sentence per kind of result, so a teacher sees at once what the submit did."""
    parts = []
    if outcome.approved:
        parts.append(f"Approved {_plural(len(outcome.approved), 'question')}: in the bank now.")
    if outcome.deleted:
        parts.append(f"Rejected and deleted {_plural(len(outcome.deleted), 'draft')}.")
    if outcome.retired:
        parts.append(
            f"Rejected and retired {_plural(len(outcome.retired), 'question')}: kept because "
            "a quiz or a learner's answer still refers to them."
        )
    if outcome.unchanged:
        parts.append(
            f"{_plural(len(outcome.unchanged), 'question')} unchanged ("
            + "; ".join(f"#{i}: {why}" for i, why in outcome.unchanged.items())
            + ")."
        )
    if outcome.not_found:
        parts.append(
            f"{_plural(len(outcome.not_found), 'selected id')} "
            f"({', '.join(map(str, outcome.not_found))}) "
            f"{'is' if len(outcome.not_found) == 1 else 'are'} not a question under review "
            "in this article; nothing was changed for them."
        )
    if not parts:
        parts.append("No question was selected; tick the drafts to approve or reject.")
    parts.append(f"{_plural(outcome.drafts_left, 'draft')} left to review.")
    return " ".join(parts)
