"""SQLite is set up for several writers: WAL, a busy timeout, and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, text

from quizapp.database import parse_id, write_transaction
from quizapp.extensions import db
from quizapp.models import User

from .conftest import PASSWORD, PASSWORD_HASH, SmallQuiz, add_user


@pytest.fixture
def sqlite_app(app: Flask) -> Flask:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite-specific settings")
    return app


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA busy_timeout")) == 15_000
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1


def test_writers_that_read_first_never_see_database_is_locked(sqlite_app: Flask) -> None:
    """Eight threads each read, pause, then write: with a plain BEGIN this deadlocks and fails."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(number: int) -> None:
        try:
            with sqlite_app.app_context():
                barrier.wait()
                for round_ in range(5):
                    with write_transaction():
                        db.session.scalar(select(func.count()).select_from(User))
                        db.session.add(
                            User(
                                email=f"w{number}-{round_}@example.org",
                                name="W",
                                password_hash=PASSWORD_HASH,
                            )
                        )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 40


def test_a_failed_write_transaction_stores_nothing(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        with pytest.raises(RuntimeError), write_transaction():
            db.session.add(User(email="half@example.org", name="H", password_hash=PASSWORD_HASH))
            db.session.flush()
            raise RuntimeError("import failed half-way")
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), (7, 7), ("", None), (None, None), ("0", None), ("-3", None), (" 7", None),
     ("+7", None), ("²", None), ("x", None), (str(2**63), None), (str(2**63 - 1), 2**63 - 1)],
)  # fmt: skip
def test_parse_id_takes_plain_digits_within_the_column_range(
    value: object, expected: int | None
) -> None:
    assert parse_id(value) == expected


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL the app sends while the block runs, first words only."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()[:2]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_logging_in_never_takes_the_write_lock(sqlite_app: Flask, client: FlaskClient) -> None:
    """The password hash is slow on purpose; holding the write lock through it would make
    every worker's answers wait behind every login."""
    with sqlite_app.app_context():
        add_user("reader@example.org")
    with statements(sqlite_app) as seen:
        response = client.post(
            "/auth/login", data={"account": "reader@example.org", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert "BEGIN IMMEDIATE" not in seen and "BEGIN" in seen


def test_an_answer_holds_the_write_lock_only_to_check_and_store_it(
    sqlite_app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = int(client.post(f"/quizzes/{small_quiz.quiz_id}/start").location.split("/")[2])
    single = small_quiz.question_ids[0]
    with statements(sqlite_app) as seen:
        response = client.post(
            f"/attempts/{attempt_id}/questions/1",
            data={"question_id": single, "answer": small_quiz.correct[single]},
        )
    assert response.status_code == 302
    locked = seen[seen.index("BEGIN IMMEDIATE") :]
    # Before the lock: only the user. Under it: the attempt, its question, the answer.
    assert seen[: seen.index("BEGIN IMMEDIATE")] == ["BEGIN", "SELECT users.id,"]
    assert [s for s in locked if s.startswith("SELECT")] == [
        "SELECT attempts.id,",
        "SELECT anon_1.id,",
    ]
    assert [s for s in locked if s.startswith("INSERT")] == [
        "INSERT INTO",
        "INSERT INTO",
    ]
