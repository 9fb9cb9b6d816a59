"""The task queue (Huey) that runs teachers' long work outside web requests.

Each app builds its Huey from ``JOBS_URL`` (a SQLite file in the instance folder by default,
Redis when scaled), so the web app that enqueues and the worker that runs tasks, each built by
``create_app()`` from the same settings, share one queue. The queue is named after the
database, so a worker never takes a task meant for another database (a test, a benchmark).
A task pushes an app context of the app that built its queue: the worker process builds that
app once, and each task gets a fresh context and database session.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field

from flask import Flask, current_app
from huey import Huey, SqliteHuey
from huey.api import Task, TaskWrapper
from huey.consumer import Consumer
from sqlalchemy.exc import SQLAlchemyError

from ..config import ConfigError, normalise_database_url
from ..extensions import db

EXTENSION = "quizapp.jobs"
# A task that raised (not a teacher's mistake, which fails the job at once) runs once more.
RETRIES = 1
# The longest an idle worker waits between looks at the queue (Huey's default is 10 s, which
# a teacher watching "Waiting for the worker" would notice).
POLL_SECONDS = 1.0


@dataclass
class JobQueue:
    huey: Huey
    run_import: TaskWrapper
    consumer: Consumer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    huey = make_huey(app.config.get("JOBS_URL") or "", app)
    app.extensions[EXTENSION] = JobQueue(huey, register_tasks(huey, app))
    if start_in_process(app):

        @app.before_request
        def _worker_thread() -> None:
            if queue(app).consumer is None:
                try:
                    start_consumer(app)
                except SQLAlchemyError as exc:  # the page (or /healthz) reports the database
                    app.logger.warning("The job worker thread did not start: %s", exc)


def queue(app: Flask | None = None) -> JobQueue:
    queue: JobQueue = (app or current_app).extensions[EXTENSION]
    return queue


def enqueue_import(job_id: int) -> None:
    """Hand a committed job to the worker (or, in immediate mode, run it now)."""
    queue().run_import(job_id)


def make_huey(url: str, app: Flask) -> Huey:
    database = normalise_database_url(str(app.config["SQLALCHEMY_DATABASE_URI"]))
    name = "quizapp-" + hashlib.sha256(database.encode()).hexdigest()[:12]
    if not url or url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///") or os.path.join(app.instance_path, "jobs.sqlite")
        return SqliteHuey(name, filename=path, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from huey import RedisHuey

        return RedisHuey(name, url=url, results=False)
    raise ConfigError(f"JOBS_URL must be empty, sqlite:///PATH or redis://HOST (got {url!r}).")


def register_tasks(huey: Huey, app: Flask) -> TaskWrapper:
    """The tasks, run in an app context of ``app``: they call services, never views."""
    from ..services.jobs import run_import

    parent = os.getpid()

    @huey.on_startup()
    def fresh_connections() -> None:
        # A forked worker process must not share its parent's database connections.
        if os.getpid() != parent:
            with app.app_context():
                db.engine.dispose(close=False)

    @huey.task(retries=RETRIES, context=True, name="import_article")
    def import_article(job_id: int, task: Task) -> None:
        with app.app_context():
            run_import(job_id, retries_left=task.retries)

    return import_article


def start_in_process(app: Flask) -> bool:
    """Whether this app runs its own worker thread: only the development server's, so that
    `flask run` alone brings everything up (production runs `flask jobs worker`)."""
    return (
        app.config.get("QUIZAPP_ENV") == "development"
        and not app.testing
        and bool(app.config.get("JOBS_IN_PROCESS", True))
    )


class ThreadConsumer(Consumer):
    """Huey's consumer started from any thread: signals belong to the server's main thread."""

    def _set_signal_handlers(self) -> None:
        return None


def start_consumer(app: Flask, workers: int = 1) -> Consumer:
    """Start (once) a worker thread in this process, after failing the jobs a stopped worker
    left running. Called on the first request, so it runs only in a process that serves: under
    the reloader that is the child (WERKZEUG_RUN_MAIN=true), never the parent watching files,
    and a restart on a code change is a new child that recovers what the old one left."""
    jobs = queue(app)
    with jobs.lock:
        if jobs.consumer is None:
            recover(app)
            jobs.consumer = ThreadConsumer(
                jobs.huey, workers=workers, periodic=False, max_delay=POLL_SECONDS
            )
            jobs.consumer.start()
        return jobs.consumer


def stop_consumer(app: Flask) -> None:
    jobs = queue(app)
    with jobs.lock:
        if jobs.consumer is not None:
            jobs.consumer.stop(graceful=True)
            jobs.consumer = None


def recover(app: Flask) -> int:
    from ..database import write_transaction
    from ..services.jobs import recover_stale

    with app.app_context(), write_transaction():
        return recover_stale()
