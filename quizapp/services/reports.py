"""A quiz's report for its teacher: every attempt, and Moodle's quiz statistics.

Statistics use submitted first attempts by default (as Moodle does: later attempts are
practice of the same questions). Everything is read with a handful of aggregate or ordered
queries and one pass over the response rows, never a query per learner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import select

from ..core.item_stats import ChoiceInfo, QuizStatistics, QuizStatisticsBuilder, SlotInfo
from ..core.spreadsheet import duration_seconds
from ..extensions import db
from ..models import (
    Choice,
    Question,
    Quiz,
    Response,
    ResponseChoice,
    SchoolClass,
    User,
)
from .exports import ExportScope, attempts_in, class_names, quiz_scope, slot_questions, slots_of


@dataclass(frozen=True)
class AttemptRow:
    attempt_id: int
    learner: str
    email: str
    classes: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    duration: int | None
    score: float | None
    max_score: float

    @property
    def percent(self) -> float | None:
        if self.submitted_at is None or self.score is None or not self.max_score:
            return None
        return 100 * self.score / self.max_score


@dataclass(frozen=True)
class SlotLabel:
    slot: int
    question_id: int
    stem: str


@dataclass(frozen=True)
class QuizReport:
    quiz: Quiz
    scope: ExportScope
    rows: list[AttemptRow]
    statistics: QuizStatistics
    labels: dict[int, SlotLabel]
    first_only: bool
    classes: list[SchoolClass]


def quiz_report(
    quiz_id: int, teacher_id: int, class_id: int | None = None, first_only: bool = True
) -> QuizReport:
    scope = quiz_scope(quiz_id, teacher_id, class_id)
    quiz = db.session.get(Quiz, quiz_id)
    assert quiz is not None  # quiz_scope checked it
    names = class_names(scope)
    attempts = attempts_in(scope).subquery()
    rows = [
        AttemptRow(
            attempt_id=a.id,
            learner=a.name,
            email=a.email,
            classes=names.get((quiz_id, a.learner_id), ""),
            number=a.number,
            started_at=a.started_at,
            submitted_at=a.submitted_at,
            duration=duration_seconds(a.started_at, a.submitted_at),
            score=a.score,
            max_score=a.max_score,
        )
        for a in db.session.execute(
            select(attempts, User.name, User.email)
            .join(User, User.id == attempts.c.learner_id)
            .order_by(User.name, User.email, attempts.c.number)
        )
    ]
    counted = {
        r.attempt_id
        for r in rows
        if r.submitted_at is not None and (r.number == 1 or not first_only)
    }
    return QuizReport(
        quiz=quiz,
        scope=scope,
        rows=rows,
        statistics=_statistics(scope, counted),
        labels=_labels(quiz_id),
        first_only=first_only,
        classes=list(quiz.classes),
    )


def _labels(quiz_id: int) -> dict[int, SlotLabel]:
    return {
        slot: SlotLabel(slot, question_id, stem)
        for slot, (question_id, stem) in enumerate(slot_questions(quiz_id), start=1)
    }


def _statistics(scope: ExportScope, counted: set[int]) -> QuizStatistics:
    quiz_id = scope.quiz_ids[0]
    slots = slots_of([quiz_id]).get(quiz_id, {})
    family = Question.family
    choices: dict[int, list[ChoiceInfo]] = {}
    for choice, fam in db.session.execute(
        select(Choice, family)
        .join(Question, Question.id == Choice.question_id)
        .where(family.in_(list(slots)))
        .order_by(family, Question.version, Choice.position)
    ):
        choices.setdefault(fam, []).append(ChoiceInfo(choice.id, choice.text, choice.is_correct))
    builder = QuizStatisticsBuilder(
        SlotInfo(slot, points, tuple(choices.get(fam, ()))) for fam, (slot, points) in slots.items()
    )
    for attempt_id in sorted(counted):
        builder.add_attempt(attempt_id)
    if counted:
        attempts = attempts_in(scope).subquery()
        rows = db.session.execute(
            select(
                Response.id, Response.attempt_id, family, Response.marks, ResponseChoice.choice_id
            )
            .join(attempts, attempts.c.id == Response.attempt_id)
            .join(Question, Question.id == Response.question_id)
            .outerjoin(ResponseChoice, ResponseChoice.response_id == Response.id)
            .where(attempts.c.submitted_at.is_not(None))
            .order_by(Response.id)
        )
        for _response_id, group in groupby(rows, key=lambda row: row[0]):
            picked = list(group)
            first = picked[0]
            slot = slots.get(first[2])
            if first.attempt_id not in counted or slot is None:
                continue
            builder.add_response(
                first.attempt_id,
                slot[0],
                first.marks,
                [row.choice_id for row in picked if row.choice_id is not None],
            )
    return builder.finish()
