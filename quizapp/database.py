"""How quizapp talks to SQLite safely when several requests write at once.

SQLite allows one writer. A transaction that starts with a plain ``BEGIN``, reads, and then
writes must upgrade its lock mid-way; under contention SQLite answers "database is locked" at
once instead of waiting. Transactions that write therefore run inside ``write_transaction()``,
which starts them with ``BEGIN IMMEDIATE``: the write lock first, waiting up to the busy
timeout. Everything else, including the reads a POST makes before it writes (loading the user,
checking a password), runs in a plain ``BEGIN`` and never holds the lock, so a login's slow
password hash or a page render never makes the other workers' writes wait.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from .extensions import db

# The largest id a 64-bit integer column (SQLite INTEGER, PostgreSQL BIGINT) can hold.
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """An id from a form field or the query string, or None: only plain digits within MAX_ID,
    so a malformed value never reaches the database as a query or a crash."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def insert_once(table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that stores nothing where a unique key already holds the row, instead of
    failing: ``ON CONFLICT DO NOTHING``, in whichever dialect the session speaks."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


def utcnow() -> datetime:
    """Naive UTC: what both SQLite and PostgreSQL columns store here, so comparisons agree."""
    return datetime.now(UTC).replace(tzinfo=None)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn on WAL, a busy timeout, foreign keys and explicit BEGINs for a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


_depth: ContextVar[int] = ContextVar("write_depth", default=0)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block as one transaction that holds the write lock from its first statement.

    Commits when the outermost block ends and rolls back on error, so a failed import or seed
    stores nothing. Services never commit; views and CLI commands wrap the service call in
    this block.
    """
    if _depth.get():
        yield
        return
    if not write_intent.get() and db.session().in_transaction():
        db.session.commit()  # end a read-only transaction so the next BEGIN is IMMEDIATE
    intent, depth = write_intent.set(True), _depth.set(1)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _depth.reset(depth)
        write_intent.reset(intent)
