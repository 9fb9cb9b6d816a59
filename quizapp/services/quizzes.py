"""Building quizzes from questions in the bank: settings, questions and points, classes.

A teacher reaches only their own quizzes; the shared seed quizzes (no owner) are public to
every learner and read-only. Once a learner has attempted a quiz its questions and points are
fixed, as in Moodle: scores already given must keep meaning the same thing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.assessment.deadlines import attempt_deadline
from ..extensions import db
from ..models import Attempt, Feedback, Question, Quiz, QuizQuestion, SchoolClass, Status
from . import Conflict, NotFound, ServiceError
from .bank import visible_questions

MAX_TITLE = 200
MAX_POINTS = 1000.0
MAX_TIME_LIMIT_MINUTES = 24 * 60
MAX_ATTEMPTS = 100


@dataclass(frozen=True)
class QuizSettings:
    """Everything about a quiz except its questions, as the builder form gives it."""

    title: str
    description: str = ""
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    feedback: str = Feedback.AFTER_EACH
    partial_credit: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    is_public: bool = False
    class_ids: Collection[int] = field(default_factory=tuple)


def find_quiz_by_title(title: str, created_by_id: int | None = None) -> Quiz | None:
    owner = (
        Quiz.created_by_id.is_(None)
        if created_by_id is None
        else Quiz.created_by_id == created_by_id
    )
    return db.session.scalar(
        select(Quiz).where(Quiz.title == title.strip(), owner, Quiz.practice_for_id.is_(None))
    )


def create_quiz(
    title: str,
    question_ids: Sequence[int],
    *,
    description: str = "",
    published: bool = False,
    is_public: bool = False,
    created_by_id: int | None = None,
) -> Quiz:
    """A quiz with these questions in order, one point each (the seed and the CLI use this)."""
    if find_quiz_by_title(title, created_by_id) is not None:
        raise Conflict(f"A quiz called {title!r} already exists.")
    quiz = Quiz(
        title=title.strip(),
        description=description.strip(),
        published=published,
        is_public=is_public,
        created_by_id=created_by_id,
        items=[
            QuizQuestion(question_id=question_id, position=position)
            for position, question_id in enumerate(question_ids, start=1)
        ],
    )
    db.session.add(quiz)
    db.session.flush()
    return quiz


def teacher_quizzes(teacher_id: int) -> list[tuple[Quiz, int]]:
    """The teacher's own quizzes and the shared seed quizzes (no owner), with question counts."""
    rows = db.session.execute(
        select(Quiz, func.count(QuizQuestion.id))
        .outerjoin(QuizQuestion, QuizQuestion.quiz_id == Quiz.id)
        .where(
            or_(Quiz.created_by_id == teacher_id, Quiz.created_by_id.is_(None)),
            Quiz.practice_for_id.is_(None),
        )
        .group_by(Quiz.id)
        .order_by(Quiz.title)
        .options(selectinload(Quiz.classes))
    )
    return [(quiz, count) for quiz, count in rows]


def quiz_for_teacher(quiz_id: int, teacher_id: int) -> Quiz:
    """The teacher's own quiz; anyone else's (and the seed quizzes) is not found."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.created_by_id != teacher_id:
        raise NotFound("There is no such quiz.")
    return quiz


def has_attempts(quiz_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Attempt.quiz_id == quiz_id))))


def _checked(settings: QuizSettings, teacher_id: int) -> tuple[str, list[SchoolClass]]:
    title = " ".join(settings.title.split())
    if not title:
        raise ServiceError("Give the quiz a title.")
    if len(title) > MAX_TITLE:
        raise ServiceError(f"A quiz title has at most {MAX_TITLE} characters.")
    if settings.time_limit_minutes is not None and not (
        1 <= settings.time_limit_minutes <= MAX_TIME_LIMIT_MINUTES
    ):
        raise ServiceError(f"A time limit is between 1 and {MAX_TIME_LIMIT_MINUTES} minutes.")
    if settings.max_attempts is not None and not 1 <= settings.max_attempts <= MAX_ATTEMPTS:
        raise ServiceError(f"Attempts allowed is between 1 and {MAX_ATTEMPTS}, or unlimited.")
    if settings.feedback not in set(Feedback):
        raise ServiceError("Choose when feedback is shown.")
    if settings.opens_at and settings.closes_at and settings.opens_at >= settings.closes_at:
        raise ServiceError("The quiz must open before it closes.")
    wanted = set(settings.class_ids)
    classes = list(
        db.session.scalars(
            select(SchoolClass).where(
                SchoolClass.id.in_(wanted), SchoolClass.teacher_id == teacher_id
            )
        )
    )
    if len(classes) != len(wanted):
        raise NotFound("There is no such class.")
    return title, classes


def save_quiz(teacher_id: int, settings: QuizSettings, quiz_id: int | None = None) -> Quiz:
    """Create a quiz, or change an existing one's settings and classes."""
    title, classes = _checked(settings, teacher_id)
    quiz = (
        Quiz(created_by_id=teacher_id) if quiz_id is None else quiz_for_teacher(quiz_id, teacher_id)
    )
    clash = find_quiz_by_title(title, teacher_id)
    if clash is not None and clash is not quiz:
        raise Conflict(f"You already have a quiz called “{title}”.")
    quiz.title = title
    quiz.description = settings.description.strip()
    quiz.shuffle_questions = settings.shuffle_questions
    quiz.shuffle_choices = settings.shuffle_choices
    quiz.time_limit_minutes = settings.time_limit_minutes
    quiz.max_attempts = settings.max_attempts
    quiz.feedback = settings.feedback
    quiz.partial_credit = settings.partial_credit
    quiz.opens_at = settings.opens_at
    quiz.closes_at = settings.closes_at
    quiz.is_public = settings.is_public
    quiz.classes = classes
    if quiz_id is None:
        db.session.add(quiz)
    else:
        _move_open_deadlines(quiz)
    db.session.flush()
    return quiz


def _move_open_deadlines(quiz: Quiz) -> None:
    """Attempts in progress follow a changed time limit or close: closing the quiz early must
    stop answers being counted, not only stop new attempts."""
    for attempt in db.session.scalars(
        select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.submitted_at.is_(None))
    ):
        attempt.deadline_at = attempt_deadline(
            attempt.started_at, quiz.time_limit_minutes, quiz.closes_at
        )


def set_published(quiz_id: int, teacher_id: int, published: bool) -> Quiz:
    quiz = quiz_for_teacher(quiz_id, teacher_id)
    if published and not quiz.items:
        raise ServiceError("Add at least one question before publishing the quiz.")
    quiz.published = published
    db.session.flush()
    return quiz


def _structure_fixed(quiz: Quiz) -> None:
    if has_attempts(quiz.id):
        raise Conflict(
            "Learners have attempted this quiz, so its questions and points are fixed. "
            "Make a copy of the quiz to change them."
        )


def bank_questions_usable(teacher_id: int, question_ids: Collection[int]) -> list[Question]:
    """Approved, current questions the teacher may put in a quiz: theirs or the shared ones."""
    return list(
        db.session.scalars(
            visible_questions(teacher_id).where(
                Question.id.in_(set(question_ids)),
                Question.status == Status.APPROVED,
                Question.superseded_by_id.is_(None),
            )
        )
    )


def add_questions(quiz_id: int, teacher_id: int, question_ids: Sequence[int]) -> int:
    """Append questions from the bank, one point each; ones already in the quiz are skipped."""
    quiz = quiz_for_teacher(quiz_id, teacher_id)
    _structure_fixed(quiz)
    wanted = set(question_ids)
    visible = set(db.session.scalars(visible_questions(teacher_id).where(Question.id.in_(wanted))))
    if len(visible) != len(wanted):
        # Another teacher's question (or none at all): a forged form learns nothing of it.
        raise NotFound("There is no such question.")
    usable = {q.id for q in bank_questions_usable(teacher_id, question_ids)}
    if usable != wanted:
        raise ServiceError("Only approved questions from your bank can go into a quiz.")
    present = {item.question_id for item in quiz.items}
    position = max((item.position for item in quiz.items), default=0)
    added = 0
    for question_id in dict.fromkeys(question_ids):
        if question_id in present:
            continue
        position += 1
        quiz.items.append(QuizQuestion(question_id=question_id, position=position))
        added += 1
    db.session.flush()
    return added


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    position: float  # the teacher's number; ties keep the current order
    points: float
    remove: bool = False


def rearrange(quiz_id: int, teacher_id: int, changes: Sequence[ItemChange]) -> Quiz:
    """Reorder, re-weight and remove questions in one go, as the builder's table submits them."""
    quiz = quiz_for_teacher(quiz_id, teacher_id)
    _structure_fixed(quiz)
    by_id = {item.id: item for item in quiz.items}
    if {c.item_id for c in changes} != set(by_id):
        raise Conflict("The quiz changed since this page was loaded; reload it and try again.")
    for change in changes:
        if not 0 <= change.points <= MAX_POINTS:
            raise ServiceError(f"Points are between 0 and {MAX_POINTS:g}.")
    kept = sorted(
        (c for c in changes if not c.remove),
        key=lambda c: (c.position, by_id[c.item_id].position),
    )
    for change in changes:
        if change.remove:
            quiz.items.remove(by_id[change.item_id])
    db.session.flush()
    # Two passes keep (quiz, position) unique at every statement: first out of the way.
    for offset, change in enumerate(kept, start=1):
        by_id[change.item_id].position = -offset
    db.session.flush()
    for offset, change in enumerate(kept, start=1):
        item = by_id[change.item_id]
        item.position = offset
        item.points = change.points
    db.session.flush()
    return quiz


def copy_quiz(quiz_id: int, teacher_id: int) -> Quiz:
    """A new unpublished quiz with the same settings and questions, free to change."""
    quiz = quiz_for_teacher(quiz_id, teacher_id)
    title = f"{quiz.title} (copy)"
    number = 2
    while find_quiz_by_title(title, teacher_id) is not None:
        title = f"{quiz.title} (copy {number})"
        number += 1
    copy = Quiz(
        title=title[:MAX_TITLE],
        description=quiz.description,
        shuffle_questions=quiz.shuffle_questions,
        shuffle_choices=quiz.shuffle_choices,
        time_limit_minutes=quiz.time_limit_minutes,
        max_attempts=quiz.max_attempts,
        feedback=quiz.feedback,
        partial_credit=quiz.partial_credit,
        opens_at=quiz.opens_at,
        closes_at=quiz.closes_at,
        is_public=quiz.is_public,
        created_by_id=teacher_id,
        classes=list(quiz.classes),
        items=[
            QuizQuestion(question_id=i.question_id, position=i.position, points=i.points)
            for i in quiz.items
        ],
    )
    db.session.add(copy)
    db.session.flush()
    return copy
