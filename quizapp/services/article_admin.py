"""An article's lifecycle, for its owner: rename it, correct its debate question and sides'
labels, delete it.

Deleting never loses what a learner answered. Drafts and questions nothing refers to are
deleted; a question a quiz asks, a learner answered or another version points to is retired
(``review.withdraw``, as rejecting does), so scores, reports and exports keep it. If any such
question remains, or a learner's flashcard history refers to one of the article's facts, the
article itself stays as their evidence (its sentences are what feedback quotes), marked
deleted and gone from the teacher's lists; otherwise it is removed outright. The seeded
shared articles belong to every teacher's quizzes, so nobody may change or delete them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, exists, or_, select

from ..database import utcnow
from ..extensions import db
from ..models import (
    Article,
    CardReview,
    CardState,
    DroppedDraft,
    Fact,
    FactStatus,
    Question,
    Status,
)
from . import Conflict, Forbidden, NotFound, ServiceError
from .imports import MAX_TITLE_CHARS
from .review import Rejection, deleted_message, withdraw

MAX_SOURCE_CHARS = 300
MAX_DEBATE_CHARS = 500
MAX_SIDE_LABEL_CHARS = 120

SHARED_READ_ONLY = (
    "This is a seeded article shared by every teacher, so it cannot be renamed, edited or "
    "deleted. Import your own copy to change it."
)


def owned_article(article_id: int, teacher_id: int) -> Article:
    """The teacher's own live article: another teacher's is not found, a shared one refused."""
    article = db.session.get(Article, article_id)
    if article is None or article.created_by_id not in (None, teacher_id):
        raise NotFound("There is no such article.")
    if article.created_by_id is None:
        raise Forbidden(SHARED_READ_ONLY)
    if article.deleted_at is not None:
        raise Conflict(deleted_message(article.deleted_at) + " Nothing more was changed.")
    return article


def rename_article(article_id: int, teacher_id: int, title: str, source: str) -> Article:
    """Change the title and source the teacher knows the article by (lists, bank filter)."""
    article = owned_article(article_id, teacher_id)
    title, source = title.strip(), source.strip()
    if not title:
        raise ServiceError("Give the article a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise ServiceError(f"The title is longer than {MAX_TITLE_CHARS} characters.")
    if len(source) > MAX_SOURCE_CHARS:
        raise ServiceError(f"The source is longer than {MAX_SOURCE_CHARS} characters.")
    article.title, article.source = title, source
    db.session.flush()
    return article


def edit_debate(
    article_id: int, teacher_id: int, debate: str, labels: Mapping[str, str]
) -> Article:
    """Reword the question the article argues about and the labels of its sides.

    Sides keep their keys, which the stance facts name, so nobody changes side by a relabel;
    a label left empty keeps the old one rather than leaving a column without a name.
    """
    article = owned_article(article_id, teacher_id)
    debate = debate.strip()
    if len(debate) > MAX_DEBATE_CHARS:
        raise ServiceError(f"The debate question is longer than {MAX_DEBATE_CHARS} characters.")
    if not debate and article.sides:
        raise ServiceError("An article with sides needs its debate question.")
    sides = []
    for side in article.sides:
        label = (labels.get(side["key"]) or "").strip() or side["label"]
        if len(label) > MAX_SIDE_LABEL_CHARS:
            raise ServiceError(f"A side's label is longer than {MAX_SIDE_LABEL_CHARS} characters.")
        sides.append({**side, "label": label})
    taken = [s["label"].casefold() for s in sides]
    if len(set(taken)) != len(taken):
        raise ServiceError("Two sides cannot have the same label.")
    article.debate = debate
    article.sides = sides  # a new list: SQLAlchemy does not see changes inside a JSON value
    db.session.flush()
    return article


@dataclass(frozen=True)
class DeleteOutcome:
    title: str
    deleted_questions: int  # drafts and unused questions, gone
    retired_questions: int  # kept for the quizzes and answers that use them
    kept: bool  # True: the article stays (marked deleted) as those questions' evidence

    def message(self) -> str:
        if not self.kept:
            return (
                f"Deleted “{self.title}” with its {self.deleted_questions} draft or unused "
                "questions; nothing a learner answered used it."
            )
        return (
            f"Deleted “{self.title}”: {self.deleted_questions} draft or unused questions "
            f"removed; {self.retired_questions} questions that quizzes or learners' answers "
            "use are retired and stay in those quizzes and reports, with the sentences they "
            "cite."
        )


def delete_article(article_id: int, teacher_id: int) -> DeleteOutcome:
    """Delete the teacher's article, keeping whatever learners' work refers to (see above)."""
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound("There is no such article: it was deleted already, or never existed.")
    article = owned_article(article_id, teacher_id)
    questions = list(
        db.session.scalars(
            select(Question).where(Question.article_id == article.id).order_by(Question.id.desc())
        )
    )
    deleted = retired = 0
    for question in questions:
        if question.status == Status.RETIRED:
            retired += 1  # retired before: already kept only for what uses it
        elif withdraw(question) is Rejection.DELETED:
            deleted += 1
        else:
            retired += 1
    db.session.execute(delete(DroppedDraft).where(DroppedDraft.article_id == article.id))
    title = article.title
    if retired or _facts_studied(article.id):
        article.deleted_at = utcnow()
        for fact in article.facts:
            fact.status = FactStatus.REJECTED  # out of cards and the map; history kept
        db.session.flush()
        return DeleteOutcome(title, deleted, retired, kept=True)
    db.session.delete(article)  # sentences and facts go with it
    db.session.flush()
    return DeleteOutcome(title, deleted, 0, kept=False)


def _facts_studied(article_id: int) -> bool:
    """Whether a learner has a flashcard of one of the article's facts: deleting the fact
    would delete their review history with it."""
    of_article = select(Fact.id).where(Fact.article_id == article_id)
    return bool(
        db.session.scalar(
            select(
                or_(
                    exists().where(CardState.fact_id.in_(of_article)),
                    exists().where(CardReview.fact_id.in_(of_article)),
                )
            )
        )
    )
