"""SQLite is set up for several writers: WAL, a busy timeout, and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from quizapp.database import parse_id, write_transaction
from quizapp.extensions import db
from quizapp.models import User

from .conftest import PASSWORD_HASH


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
