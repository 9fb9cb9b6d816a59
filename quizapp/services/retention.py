"""Deleting old attempts, with their answers, once ATTEMPT_RETENTION_DAYS have passed.

A school keeps pupils' answers only as long as it needs them. An attempt is old when it was
submitted before the cutoff, or, never submitted, was started before it (abandoned). An
attempt on a quiz that limits attempts and still takes them is kept until the quiz closes or is
withdrawn: the limit counts the attempts there are, so deleting one would give it back. Work goes
in batches of ids taken in id order after the last batch, so each query is short, memory holds
one batch of ids, and the whole run is linear in the number of attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from ..extensions import db
from ..models import Attempt, Quiz, Response, ResponseChoice
from . import ServiceError

BATCH_SIZE = 500


@dataclass(frozen=True)
class Pruned:
    """What a run deleted (or, dry, would delete)."""

    attempts: int = 0
    responses: int = 0
    response_choices: int = 0

    def __add__(self, other: Pruned) -> Pruned:
        return Pruned(
            self.attempts + other.attempts,
            self.responses + other.responses,
            self.response_choices + other.response_choices,
        )


def _old(older_than_days: int, now: datetime) -> ColumnElement[bool]:
    if older_than_days < 1:
        raise ServiceError(f"Attempts are kept at least 1 day (got {older_than_days}).")
    cutoff = now - timedelta(days=older_than_days)
    still_limited = select(Quiz.id).where(
        Quiz.max_attempts.is_not(None),
        Quiz.published.is_(True),
        or_(Quiz.closes_at.is_(None), Quiz.closes_at > now),
    )
    return and_(
        or_(
            Attempt.submitted_at < cutoff,
            and_(Attempt.submitted_at.is_(None), Attempt.started_at < cutoff),
        ),
        Attempt.quiz_id.not_in(still_limited),
    )


def prunable(older_than_days: int, now: datetime) -> Pruned:
    """What ``prune_attempts`` would delete, counted without deleting: the dry run."""
    old = select(Attempt.id).where(_old(older_than_days, now))
    responses = select(Response.id).where(Response.attempt_id.in_(old))
    row = db.session.execute(
        select(
            select(func.count()).select_from(old.subquery()).scalar_subquery(),
            select(func.count()).select_from(responses.subquery()).scalar_subquery(),
            select(func.count())
            .select_from(ResponseChoice)
            .where(ResponseChoice.response_id.in_(responses))
            .scalar_subquery(),
        )
    ).one()
    return Pruned(*(int(value or 0) for value in row))


def prune_attempts(older_than_days: int, now: datetime, *, batch_size: int = BATCH_SIZE) -> Pruned:
    """Delete the old attempts, their responses and the choices those picked, in the caller's
    transaction. The children are deleted explicitly rather than left to the ON DELETE
    CASCADE, so the counts are exact and nothing depends on SQLite's foreign_keys pragma."""
    old = _old(older_than_days, now)
    total, last_id = Pruned(), 0
    while True:
        ids = db.session.scalars(
            select(Attempt.id)
            .where(old, Attempt.id > last_id)
            .order_by(Attempt.id)
            .limit(batch_size)
        ).all()
        if not ids:
            return total
        total += _delete(list(ids))
        last_id = ids[-1]


def _delete(attempt_ids: list[int]) -> Pruned:
    responses = select(Response.id).where(Response.attempt_id.in_(attempt_ids))
    unsynchronised = {"synchronize_session": False}
    choices = db.session.execute(
        delete(ResponseChoice).where(ResponseChoice.response_id.in_(responses)),
        execution_options=unsynchronised,
    )
    answers = db.session.execute(
        delete(Response).where(Response.attempt_id.in_(attempt_ids)),
        execution_options=unsynchronised,
    )
    attempts = db.session.execute(
        delete(Attempt).where(Attempt.id.in_(attempt_ids)), execution_options=unsynchronised
    )
    return Pruned(attempts.rowcount, answers.rowcount, choices.rowcount)  # type: ignore[attr-defined]
