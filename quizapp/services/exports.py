"""Score exports: the rows of a quiz's or a class's attempts, streamed from the database.

Rows come from one ordered query read in batches (``yield_per``) and are grouped in one pass,
so memory does not grow with the number of attempts or responses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import groupby

from sqlalchemy import ColumnElement, Select, and_, or_, select

from ..core.formats.spreadsheet import Cell, duration_seconds
from ..extensions import db
from ..models import (
    Attempt,
    Choice,
    ClassMember,
    Question,
    Quiz,
    QuizClass,
    QuizQuestion,
    Response,
    ResponseChoice,
    SchoolClass,
    User,
)
from .classes import class_for_teacher
from .quizzes import quiz_for_teacher

BATCH = 2000


class ExportFormat(StrEnum):
    SUMMARY = "summary"
    DETAILED = "detailed"


@dataclass(frozen=True)
class ExportScope:
    """Which attempts: of these quizzes, by learners of this class (None: everyone's)."""

    name: str
    teacher_id: int
    quiz_ids: tuple[int, ...]
    class_id: int | None = None


def quiz_scope(quiz_id: int, teacher_id: int, class_id: int | None = None) -> ExportScope:
    quiz = quiz_for_teacher(quiz_id, teacher_id)
    if class_id is not None:
        class_for_teacher(class_id, teacher_id)
    return ExportScope(quiz.title, teacher_id, (quiz.id,), class_id)


def class_scope(class_id: int, teacher_id: int) -> ExportScope:
    """Every quiz assigned to the class, for the class's learners."""
    school_class = class_for_teacher(class_id, teacher_id)
    quiz_ids = tuple(
        db.session.scalars(
            select(QuizClass.quiz_id)
            .where(QuizClass.class_id == class_id)
            .order_by(QuizClass.quiz_id)
        )
    )
    return ExportScope(school_class.name, teacher_id, quiz_ids, class_id)


def filename(scope: ExportScope, fmt: ExportFormat, today: date) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", scope.name.lower()).strip("-")[:60] or "quiz"
    return f"{slug}-{fmt}-{today.isoformat()}.csv"


def _member_when_started() -> ColumnElement[bool]:
    """This ``ClassMember`` row covers the ``Attempt``: the learner had joined the class when
    the attempt started and had not been removed. A class's scores are what was done in it:
    joining later does not bring older attempts, leaving does not take them away."""
    return and_(
        ClassMember.learner_id == Attempt.learner_id,
        ClassMember.joined_at <= Attempt.started_at,
        or_(ClassMember.current(), Attempt.started_at < ClassMember.left_at),
    )


def attempts_in(scope: ExportScope) -> Select[tuple[Attempt]]:
    """The scope's attempts; for a class, those its learners made as its members."""
    query = select(Attempt).where(Attempt.quiz_id.in_(scope.quiz_ids))
    if scope.class_id is not None:
        query = query.where(
            select(ClassMember.learner_id)
            .where(ClassMember.class_id == scope.class_id, _member_when_started())
            .exists()
        )
    return query


def class_names(scope: ExportScope) -> dict[int, str]:
    """Attempt → the teacher's classes, assigned its quiz, the learner was in when it started."""
    attempts = attempts_in(scope).subquery()
    query = (
        select(Attempt.id, SchoolClass.name)
        .join(attempts, attempts.c.id == Attempt.id)
        .join(QuizClass, QuizClass.quiz_id == Attempt.quiz_id)
        .join(SchoolClass, SchoolClass.id == QuizClass.class_id)
        .join(ClassMember, ClassMember.class_id == QuizClass.class_id)
        .where(SchoolClass.teacher_id == scope.teacher_id, _member_when_started())
        .order_by(SchoolClass.name)
    )
    if scope.class_id is not None:
        query = query.where(QuizClass.class_id == scope.class_id)
    names: dict[int, list[str]] = {}
    for attempt_id, name in db.session.execute(query):
        names.setdefault(attempt_id, []).append(name)
    return {key: "; ".join(value) for key, value in names.items()}


# question family → (1-based slot, points): one quiz's slots
FamilySlots = dict[int, tuple[int, float]]
# quiz id → its FamilySlots
Slots = dict[int, FamilySlots]


def slots_of(quiz_ids: Sequence[int]) -> Slots:
    """quiz → question family → (1-based slot, points), so answers to older versions of a
    question find their column."""
    rows = db.session.execute(
        select(
            QuizQuestion.quiz_id,
            Question.family,
            QuizQuestion.points,
        )
        .join(Question, Question.id == QuizQuestion.question_id)
        .where(QuizQuestion.quiz_id.in_(quiz_ids))
        .order_by(QuizQuestion.quiz_id, QuizQuestion.position)
    )
    slots: Slots = {}
    for quiz_id, family, points in rows:
        by_family = slots.setdefault(quiz_id, {})
        by_family[family] = (len(by_family) + 1, points)
    return slots


def slot_questions(quiz_id: int) -> list[tuple[int, str]]:
    """The (id, stem) of the question now in each slot of the quiz, in slot order."""
    return [
        (question_id, stem)
        for question_id, stem in db.session.execute(
            select(Question.id, Question.stem)
            .join(QuizQuestion, QuizQuestion.question_id == Question.id)
            .where(QuizQuestion.quiz_id == quiz_id)
            .order_by(QuizQuestion.position)
        )
    ]


def _width(slots: Slots) -> int:
    """Question columns a summary needs: the longest quiz's."""
    return max((len(s) for s in slots.values()), default=0)


def summary_header(scope: ExportScope, slots: Slots) -> list[str]:
    width = _width(slots)
    stems: list[str] = []
    if len(scope.quiz_ids) == 1:
        stems = [stem for _id, stem in slot_questions(scope.quiz_ids[0])]
    question_columns = [
        f"Q{n}: {stems[n - 1][:60]}" if stems else f"Q{n}" for n in range(1, width + 1)
    ]
    return [
        "learner",
        "email",
        "username",
        "class",
        "quiz",
        "attempt",
        "started",
        "submitted",
        "duration_seconds",
        "score",
        "max_score",
        "percent",
        *question_columns,
    ]


def summary_rows(scope: ExportScope, slots: Slots) -> Iterator[list[Cell]]:
    """One row per attempt, its marks per question, from one query grouped in one pass."""
    width = _width(slots)
    classes = class_names(scope)
    attempts = attempts_in(scope).subquery()
    query = (
        select(
            attempts.c.id,
            attempts.c.quiz_id,
            attempts.c.learner_id,
            attempts.c.number,
            attempts.c.started_at,
            attempts.c.submitted_at,
            attempts.c.score,
            attempts.c.max_score,
            User.name,
            User.email,
            User.username,
            Quiz.title,
            Question.family.label("family"),
            Response.marks,
        )
        .join(User, User.id == attempts.c.learner_id)
        .join(Quiz, Quiz.id == attempts.c.quiz_id)
        .outerjoin(Response, Response.attempt_id == attempts.c.id)
        .outerjoin(Question, Question.id == Response.question_id)
        .order_by(attempts.c.id)
        .execution_options(yield_per=BATCH)
    )
    for _attempt_id, group in groupby(db.session.execute(query), key=lambda row: row[0]):
        rows = list(group)
        first = rows[0]
        marks: list[Cell] = [None] * width
        quiz_slots = slots.get(first.quiz_id, {})
        for row in rows:
            slot = quiz_slots.get(row.family)
            if slot is not None and row.marks is not None:
                marks[slot[0] - 1] = row.marks
        submitted = first.submitted_at
        yield [
            first.name,
            first.email,
            first.username,
            classes.get(first.id, ""),
            first.title,
            first.number,
            first.started_at,
            submitted,
            duration_seconds(first.started_at, submitted),
            first.score if submitted else None,
            first.max_score,
            round(100 * first.score / first.max_score, 2)
            if submitted and first.score is not None and first.max_score
            else None,
            *marks,
        ]


DETAILED_HEADER = [
    "learner",
    "email",
    "username",
    "class",
    "quiz",
    "attempt",
    "question_number",
    "question_id",
    "question_version",
    "question",
    "chosen",
    "correct",
    "marks",
    "max_marks",
    "answered_at",
]


def detailed_rows(scope: ExportScope, slots: Slots) -> Iterator[list[Cell]]:
    """One row per response, with the texts of the choices the learner picked."""
    classes = class_names(scope)
    attempts = attempts_in(scope).subquery()
    query = (
        select(
            Response.id,
            attempts.c.id.label("attempt_id"),
            attempts.c.quiz_id,
            attempts.c.learner_id,
            attempts.c.number,
            User.name,
            User.email,
            User.username,
            Quiz.title,
            Question.id.label("question_id"),
            Question.family.label("family"),
            Question.version,
            Question.stem,
            Response.correct,
            Response.marks,
            Response.answered_at,
            Choice.text.label("choice"),
        )
        .select_from(attempts)
        .join(Response, Response.attempt_id == attempts.c.id)
        .join(Question, Question.id == Response.question_id)
        .join(User, User.id == attempts.c.learner_id)
        .join(Quiz, Quiz.id == attempts.c.quiz_id)
        .outerjoin(ResponseChoice, ResponseChoice.response_id == Response.id)
        .outerjoin(Choice, Choice.id == ResponseChoice.choice_id)
        .order_by(attempts.c.id, Response.id, Choice.position)
        .execution_options(yield_per=BATCH)
    )
    for _response_id, group in groupby(db.session.execute(query), key=lambda row: row[0]):
        rows = list(group)
        first = rows[0]
        slot, points = slots.get(first.quiz_id, {}).get(first.family, (None, None))
        yield [
            first.name,
            first.email,
            first.username,
            classes.get(first.attempt_id, ""),
            first.title,
            first.number,
            slot,
            first.question_id,
            first.version,
            first.stem,
            "; ".join(row.choice for row in rows if row.choice is not None),
            first.correct,
            first.marks,
            points,
            first.answered_at,
        ]


def export(scope: ExportScope, fmt: ExportFormat) -> tuple[list[str], Iterator[list[Cell]]]:
    slots = slots_of(scope.quiz_ids)
    if fmt == ExportFormat.SUMMARY:
        return summary_header(scope, slots), summary_rows(scope, slots)
    return DETAILED_HEADER, detailed_rows(scope, slots)
