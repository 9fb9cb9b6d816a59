"""Deleting old attempts: the cutoff's edges, abandoned attempts, everything else left alone,
and the ``prune-attempts`` command with its dry run and its 0 and negative days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    CardReview,
    Choice,
    Question,
    Quiz,
    Response,
    ResponseChoice,
    User,
)
from quizapp.services import ServiceError
from quizapp.services.retention import Pruned, prunable, prune_attempts

from .conftest import SmallQuiz, add_user, build_small_quiz

NOW = datetime(2026, 6, 1, 12, 0)
CUTOFF = NOW - timedelta(days=30)
SECOND = timedelta(seconds=1)


@dataclass
class Data:
    quiz: SmallQuiz
    lena: int
    max: int


@pytest.fixture
def data(app: Flask) -> Data:
    with app.app_context():
        return Data(build_small_quiz(), add_user("lena@example.org").id, add_user("max@x.org").id)


def attempt(data: Data, started: datetime, submitted: datetime | None, learner_id: int = 0) -> int:
    """An attempt answering the first two questions (the second with two choices picked)."""
    learner = learner_id or data.lena
    number = (
        db.session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.learner_id == learner)
        )
        or 0
    ) + 1
    row = Attempt(
        quiz_id=data.quiz.quiz_id,
        learner_id=learner,
        number=number,
        started_at=started,
        submitted_at=submitted,
        max_score=3.0,
    )
    for question_id in data.quiz.question_ids[:2]:
        response = Response(question_id=question_id, correct=True, marks=1.0, answered_at=started)
        response.chosen = [ResponseChoice(choice_id=c) for c in data.quiz.correct[question_id]]
        row.responses.append(response)
    db.session.add(row)
    db.session.commit()
    return row.id


def remaining() -> set[int]:
    return set(db.session.scalars(select(Attempt.id)))


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def prune(days: int = 30, now: datetime = NOW, **options: int) -> Pruned:
    with write_transaction():
        return prune_attempts(days, now, **options)


def test_the_cutoff_keeps_an_attempt_submitted_exactly_then(app: Flask, data: Data) -> None:
    long_ago = CUTOFF - timedelta(days=5)
    with app.app_context():
        before = attempt(data, long_ago, CUTOFF - SECOND)
        at = attempt(data, long_ago, CUTOFF)
        after = attempt(data, long_ago, CUTOFF + SECOND)
        assert prune() == Pruned(attempts=1, responses=2, response_choices=3)
        assert remaining() == {at, after}
        assert before not in remaining()


def test_an_unfinished_attempt_goes_by_when_it_was_started(app: Flask, data: Data) -> None:
    with app.app_context():
        abandoned = attempt(data, CUTOFF - SECOND, None)
        recent = attempt(data, CUTOFF, None)
        # Started long ago but handed in recently: the hand-in date is what counts.
        slow = attempt(data, CUTOFF - timedelta(days=90), CUTOFF + SECOND)
        assert prune().attempts == 1
        assert remaining() == {recent, slow}
        assert abandoned not in remaining()


def test_pruning_leaves_everything_else_alone(app: Flask, data: Data) -> None:
    with app.app_context():
        old = attempt(data, CUTOFF - timedelta(days=2), CUTOFF - timedelta(days=1))
        max_old = attempt(data, CUTOFF - timedelta(days=2), None, data.max)
        kept = attempt(data, NOW - timedelta(days=1), NOW)
        db.session.add(
            CardReview(
                learner_id=data.lena,
                question_id=data.quiz.question_ids[0],
                rating=3,
                reviewed_at=CUTOFF - timedelta(days=100),
                due_after=CUTOFF,
            )
        )
        db.session.commit()
        before = {m: count(m) for m in (User, Quiz, Question, Choice, CardReview)}
        assert prune() == Pruned(attempts=2, responses=4, response_choices=6)
        assert remaining() == {kept}
        assert {old, max_old}.isdisjoint(remaining())
        assert {m: count(m) for m in before} == before
        assert count(Response) == 2 and count(ResponseChoice) == 3
        assert db.session.get(Attempt, kept).responses  # type: ignore[union-attr]


def test_batches_together_delete_every_old_attempt(app: Flask, data: Data) -> None:
    with app.app_context():
        for day in range(7):
            attempt(data, CUTOFF - timedelta(days=40 + day), CUTOFF - timedelta(days=day + 1))
        kept = attempt(data, NOW, None)
        assert prunable(30, NOW) == Pruned(attempts=7, responses=14, response_choices=21)
        assert prune(batch_size=2) == Pruned(attempts=7, responses=14, response_choices=21)
        assert remaining() == {kept}
        assert prune() == Pruned()


def test_the_dry_count_deletes_nothing(app: Flask, data: Data) -> None:
    with app.app_context():
        attempt(data, CUTOFF - timedelta(days=1), None)
        assert prunable(30, NOW) == Pruned(attempts=1, responses=2, response_choices=3)
        assert count(Attempt) == 1 and count(ResponseChoice) == 3


@pytest.mark.parametrize("days", [0, -1])
def test_the_services_refuse_less_than_a_day(app: Flask, days: int) -> None:
    with app.app_context():
        for call in (lambda: prune(days), lambda: prunable(days, NOW)):
            with pytest.raises(ServiceError, match="at least 1 day"):
                call()


def _old_and_new(app: Flask, data: Data) -> tuple[int, int]:
    now = utcnow()
    with app.app_context():
        old = attempt(data, now - timedelta(days=400), now - timedelta(days=399))
        new = attempt(data, now - timedelta(days=2), now - timedelta(days=1))
    return old, new


def test_the_command_deletes_and_says_how_much(
    app: Flask, runner: FlaskCliRunner, data: Data
) -> None:
    old, new = _old_and_new(app, data)
    dry = runner.invoke(args=["prune-attempts", "--days", "365", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output == (
        "Would delete 1 attempt older than 365 days, with 2 answers (3 choices picked).\n"
    )
    with app.app_context():
        assert remaining() == {old, new}
    done = runner.invoke(args=["prune-attempts", "--days", "365"])
    assert done.exit_code == 0, done.output
    assert done.output == (
        "Deleted 1 attempt older than 365 days, with 2 answers (3 choices picked).\n"
    )
    with app.app_context():
        assert remaining() == {new}
    again = runner.invoke(args=["prune-attempts", "--days", "365"])
    assert again.output.startswith("Deleted 0 attempts older than 365 days")


def test_the_command_defaults_to_the_retention_setting(
    app: Flask, runner: FlaskCliRunner, data: Data
) -> None:
    _, new = _old_and_new(app, data)
    off = runner.invoke(args=["prune-attempts"])
    assert off.exit_code == 0
    assert off.output == (
        "Retention is off (0 days): attempts are kept for ever; nothing was deleted.\n"
    )
    assert runner.invoke(args=["prune-attempts", "--days", "0"]).output == off.output
    app.config["ATTEMPT_RETENTION_DAYS"] = 30
    done = runner.invoke(args=["prune-attempts"])
    assert done.output.startswith("Deleted 1 attempt older than 30 days"), done.output
    with app.app_context():
        assert remaining() == {new}


def test_negative_days_are_a_usage_error(app: Flask, runner: FlaskCliRunner, data: Data) -> None:
    old, new = _old_and_new(app, data)
    given = runner.invoke(args=["prune-attempts", "--days", "-5"])
    assert given.exit_code == 2
    assert "-5 is not in the range x>=0" in given.output
    app.config["ATTEMPT_RETENTION_DAYS"] = -1
    configured = runner.invoke(args=["prune-attempts"])
    assert configured.exit_code == 2
    assert "ATTEMPT_RETENTION_DAYS must be 0 or more (got -1)." in configured.output
    with app.app_context():
        assert remaining() == {old, new}


def test_a_quiz_that_limits_attempts_keeps_them_while_it_is_open(app: Flask, data: Data) -> None:
    """Its limit counts the attempts there are: pruning one would let the learner take the
    quiz again. Once the quiz has closed (or is withdrawn) they go like any other."""
    with app.app_context():
        quiz = db.session.get(Quiz, data.quiz.quiz_id)
        assert quiz is not None
        quiz.max_attempts = 1
        db.session.commit()
        old = attempt(data, CUTOFF - timedelta(days=5), CUTOFF - timedelta(days=5))
        assert prune().attempts == 0 and old in remaining()
        quiz.closes_at = NOW - SECOND
        db.session.commit()
        assert prune().attempts == 1 and old not in remaining()
