"""A quiz's report for its teacher: every attempt, and Moodle's quiz statistics.

Statistics use submitted first attempts by default (as Moodle does: later attempts are
practice of the same questions). Everything is read with a handful of aggregate or ordered
queries and one pass over the response rows, never a query per learner.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import select

from ..core.assessment.item_stats import (
    ChoiceInfo,
    QuizStatistics,
    QuizStatisticsBuilder,
    SlotInfo,
    VersionInfo,
)
from ..core.formats.spreadsheet import duration_seconds
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
from .exports import (
    ExportScope,
    FamilySlots,
    attempts_in,
    class_names,
    quiz_scope,
    slots_of,
)


@dataclass(frozen=True)
class AttemptRow:
    attempt_id: int
    learner: str
    # What the learner signs in with: the email, or the username of a pupil without one.
    sign_in_name: str
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
    """What the question table calls one of its rows. ``version`` is set only when the slot's
    question has been re-versioned, since only then does the slot have rows for versions."""

    slot: int
    question_id: int
    stem: str
    version: int | None = None

    @property
    def number(self) -> str:
        return f"{self.slot} (version {self.version})" if self.version else str(self.slot)


@dataclass(frozen=True)
class QuizReport:
    quiz: Quiz
    scope: ExportScope
    rows: list[AttemptRow]
    statistics: QuizStatistics
    labels: dict[tuple[int, int], SlotLabel]  # (slot, version) → label of that row
    first_only: bool
    classes: list[SchoolClass]


@dataclass(frozen=True)
class _Version:
    """A version of a slot's question: the statistics count against ``info``; the label
    and the attribution of unanswered slots need the rest."""

    question_id: int
    stem: str
    created_at: datetime
    info: VersionInfo


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
            sign_in_name=a.email or a.username or "",
            classes=names.get(a.id, ""),
            number=a.number,
            started_at=a.started_at,
            submitted_at=a.submitted_at,
            duration=duration_seconds(a.started_at, a.submitted_at),
            score=a.score,
            max_score=a.max_score,
        )
        for a in db.session.execute(
            select(attempts, User.name, User.email, User.username)
            .join(User, User.id == attempts.c.learner_id)
            .order_by(User.name, User.email, User.username, attempts.c.number)
        )
    ]
    counted = {
        r.attempt_id: r.submitted_at
        for r in rows
        if r.submitted_at is not None and (r.number == 1 or not first_only)
    }
    slots = slots_of([quiz_id]).get(quiz_id, {})
    versions = _versions(slots)
    return QuizReport(
        quiz=quiz,
        scope=scope,
        rows=rows,
        statistics=_statistics(scope, slots, versions, counted),
        labels=_labels(slots, versions),
        first_only=first_only,
        classes=list(quiz.classes),
    )


def _versions(slots: FamilySlots) -> dict[int, list[_Version]]:
    """Question family → every version of it, oldest first, with its choices: one query."""
    family = Question.family
    rows = db.session.execute(
        select(
            Question.id,
            family.label("family"),
            Question.version,
            Question.stem,
            Question.created_at,
            Choice.id.label("choice_id"),
            Choice.text,
            Choice.is_correct,
        )
        .outerjoin(Choice, Choice.question_id == Question.id)
        .where(family.in_(list(slots)))
        .order_by(family, Question.version, Choice.position)
    )
    versions: dict[int, list[_Version]] = {}
    for _question_id, group in groupby(rows, key=lambda row: row[0]):
        picked = list(group)
        first = picked[0]
        choices = tuple(
            ChoiceInfo(row.choice_id, row.text, row.is_correct)
            for row in picked
            if row.choice_id is not None
        )
        versions.setdefault(first.family, []).append(
            _Version(first.id, first.stem, first.created_at, VersionInfo(first.version, choices))
        )
    return versions


def _labels(
    slots: FamilySlots, versions: dict[int, list[_Version]]
) -> dict[tuple[int, int], SlotLabel]:
    labels: dict[tuple[int, int], SlotLabel] = {}
    for family, (slot, _points) in slots.items():
        several = len(versions[family]) > 1
        for version in versions[family]:
            number = version.info.version
            labels[slot, number] = SlotLabel(
                slot, version.question_id, version.stem, number if several else None
            )
    return labels


def _version_at(versions: list[_Version], when: datetime) -> int:
    """The version a slot held at ``when``. Attempts record no version for a slot they left
    unanswered; an edit moves every slot to its new version as it is made, so the version
    made last before the attempt was submitted is the one the slot showed until the end."""
    made = bisect_right(versions, when, key=lambda version: version.created_at)
    return versions[max(made - 1, 0)].info.version


def _statistics(
    scope: ExportScope,
    slots: FamilySlots,
    versions: dict[int, list[_Version]],
    counted: dict[int, datetime],
) -> QuizStatistics:
    """Moodle's statistics over the counted attempts (id → when submitted)."""
    family = Question.family
    builder = QuizStatisticsBuilder(
        SlotInfo(slot, points, tuple(version.info for version in versions[fam]))
        for fam, (slot, points) in slots.items()
    )
    for attempt_id in sorted(counted):
        builder.add_attempt(attempt_id)
    if not counted:
        return builder.finish()
    attempts = attempts_in(scope).subquery()
    rows = db.session.execute(
        select(
            Response.id,
            Response.attempt_id,
            family,
            Question.version,
            Response.marks,
            ResponseChoice.choice_id,
        )
        .join(attempts, attempts.c.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .outerjoin(ResponseChoice, ResponseChoice.response_id == Response.id)
        .where(attempts.c.submitted_at.is_not(None))
        .order_by(Response.id)
    )
    answered: set[tuple[int, int]] = set()
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
            first.version,
        )
        answered.add((first.attempt_id, slot[0]))
    for fam, (slot, _points) in slots.items():
        if len(versions[fam]) > 1:
            for attempt_id, submitted_at in counted.items():
                if (attempt_id, slot) not in answered:
                    version = _version_at(versions[fam], submitted_at)
                    builder.add_response(attempt_id, slot, 0.0, (), version)
    return builder.finish()
