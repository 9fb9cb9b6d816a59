"""Background jobs, as the teacher and the worker see them: submit an import, run it, say how
far it has got, and recover the jobs a stopped worker left behind.

A job's row is written in short transactions of its own (started, progress, failed) and never
while the work's result is being stored; the result and ``state = done`` are committed
together, so a job is either done with everything stored or not done with nothing stored, and
running it again (a retry, a duplicate message) stores nothing twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from ..core.reading.pipeline import FINDING_FACTS, PARSING
from ..database import utcnow, write_transaction
from ..extensions import db
from ..models import Article, Job
from . import NotFound, ServiceError
from .articles import find_article_by_text
from .generation import MAKING_QUESTIONS
from .imports import (
    READING,
    STORING,
    ImportFields,
    ImportResult,
    checked_fields,
    prepare_import,
    store_import,
)

# The steps in order, with the share of an import's time each takes (parsing dominates):
# what the percentage is made of.
STEPS: dict[str, int] = {READING: 2, PARSING: 63, FINDING_FACTS: 15, MAKING_QUESTIONS: 15}
STEPS[STORING] = 100 - sum(STEPS.values())
# Progress is written at most this often (a step's first report is always written).
PROGRESS_EVERY_SECONDS = 0.5
# A running job whose heartbeat is older than this has lost its worker: every step reports
# far more often than this, even on a 200,000-character article.
STALE_AFTER = timedelta(seconds=120)
RECENT_JOBS = 20
State = Job.State


def submit_import(
    owner_id: int, title: str, source: str, text: str, max_chars: int
) -> Job | Article:
    """A queued import job, or the article the teacher already has with this text. Runs in
    the caller's ``write_transaction()``, after the checks that need no reading, so the form
    refuses a missing title at once. Enqueue ``job.id`` once committed: a worker must not look
    for the row before it exists."""
    fields = checked_fields(title, source, text, max_chars)
    existing = find_article_by_text(fields.text, owner_id)
    if existing is not None:
        return existing
    job = Job(
        owner_id=owner_id,
        kind="import",
        state=State.QUEUED,
        step=READING,
        payload={"title": fields.title, "source": fields.source, "text": fields.text},
    )
    db.session.add(job)
    db.session.flush()
    return job


class JobProgress:
    """The ``progress`` callback of a running job: writes step and counts to its row in a
    short transaction of its own, at most every ``PROGRESS_EVERY_SECONDS`` within a step, so a
    50,000-word import's thousands of paragraphs cost a few dozen writes. Each write moves the
    heartbeat on."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.step = ""
        self._written_at = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if step == self.step and now - self._written_at < PROGRESS_EVERY_SECONDS:
            return
        self.step, self._written_at = step, now
        self.write(step, done, total)

    def write(self, step: str, done: int, total: int) -> None:
        with write_transaction():
            db.session.execute(
                update(Job)
                .where(Job.id == self.job_id, Job.state == State.RUNNING)
                .values(step=step, done=done, total=total, heartbeat_at=utcnow())
            )


def run_import(job_id: int, *, retries_left: int) -> None:
    """The worker's half of an import: read (no lock held), then store it all and mark the job
    done in one transaction. A refusal (no sentences) fails the job with the reason; any other
    error fails it too once ``retries_left`` is 0, and is raised so the queue retries."""
    started = _start(job_id)
    if started is None:
        return
    fields, owner_id = started
    progress = JobProgress(job_id)
    try:
        prepared = prepare_import(
            fields, owner_id, seed=current_app.config["GENERATION_SEED"], progress=progress
        )
        progress(STORING, 0, 1)
        with write_transaction():
            result = store_import(prepared)
            _finish(job_id, fields, result.article.id, _summary(result))
    except ServiceError as exc:
        _end(job_id, State.FAILED, f"{exc} Nothing was stored.")
    except Exception:
        db.session.rollback()
        if retries_left:
            _end(job_id, State.QUEUED, "Something went wrong; trying again.")
        else:
            _end(job_id, State.FAILED, _stopped_message(progress.step))
        raise


def _summary(result: ImportResult) -> str:
    title = result.article.title
    if not result.created:
        return f"This text was already imported as “{title}”; nothing new was added."
    return (
        f"Imported “{title}”: {result.kept} draft questions to review, "
        f"{len(result.dropped)} dropped by the quality checks."
    )


def _stopped_message(step: str) -> str:
    return (
        f"The import stopped while {step or READING}, and nothing was stored. Try again; if it "
        "stops again, the text may be too unusual to read, so tell your administrator."
    )


def _start(job_id: int) -> tuple[ImportFields, int] | None:
    """Mark the job running and return what it works on and for whom; None if it is done,
    failed or gone (a duplicate or late message), so nothing runs twice."""
    with write_transaction():
        job = db.session.get(Job, job_id)
        if job is None or job.state in (State.DONE, State.FAILED):
            return None
        now = utcnow()
        job.state, job.step, job.done, job.total = State.RUNNING, READING, 0, 0
        job.started_at, job.heartbeat_at, job.message = now, now, ""
        job.attempts += 1
        payload, owner_id = job.payload, job.owner_id
    return ImportFields(payload["title"], payload["source"], payload["text"]), owner_id


def _finish(job_id: int, fields: ImportFields, article_id: int, message: str) -> None:
    """Inside the final store's transaction: the job is done exactly when its result is. The
    text is dropped from the job (the article holds it now), so it is not kept twice."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            payload={"title": fields.title, "source": fields.source},
            state=State.DONE,
            step=STORING,
            done=1,
            total=1,
            message=message,
            result_article_id=article_id,
            finished_at=utcnow(),
        )
    )


def _end(job_id: int, state: State, message: str) -> None:
    with write_transaction():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state != State.DONE)
            .values(
                state=state,
                message=message,
                finished_at=utcnow() if state == State.FAILED else None,
            )
        )


def recover_stale(now: datetime | None = None, job_id: int | None = None) -> int:
    """Fail the running jobs whose worker stopped (a restart, a killed process): they stored
    nothing, and the teacher is told to try again rather than left watching a frozen bar.
    Failing rather than re-queueing: a text that kills its worker must not kill the next one.
    Runs in the caller's ``write_transaction()``; returns how many were failed."""
    before = (now or utcnow()) - STALE_AFTER
    stale = select(Job).where(Job.state == State.RUNNING, Job.heartbeat_at < before)
    if job_id is not None:
        stale = stale.where(Job.id == job_id)
    jobs = list(db.session.scalars(stale))
    for job in jobs:
        job.state, job.finished_at = State.FAILED, now or utcnow()
        job.message = (
            f"The worker stopped while {job.step or READING}, and nothing was stored; try again."
        )
    db.session.flush()
    return len(jobs)


def job_for_owner(job_id: int, owner_id: int) -> Job:
    """The owner's job, a stale one failed first; anyone else's is not found (404), so job ids
    say nothing about other teachers' work."""
    job = db.session.get(Job, job_id)
    if job is None or job.owner_id != owner_id:
        raise NotFound("There is no such job.")
    if (
        job.state == State.RUNNING
        and job.heartbeat_at
        and job.heartbeat_at < utcnow() - STALE_AFTER
    ):
        with write_transaction():
            recover_stale(job_id=job_id)
        db.session.refresh(job)
    return job


def owner_jobs(owner_id: int) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.owner_id == owner_id)
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(RECENT_JOBS)
        )
    )


@dataclass(frozen=True)
class Progress:
    """A job's progress as its page and the script show it."""

    state: str
    step: str
    step_number: int  # 1-based position of the step among STEPS
    steps: int
    percent: int
    done: int
    total: int
    message: str
    finished: bool

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "label": self.label}

    @property
    def label(self) -> str:
        if self.state == State.QUEUED:
            return "Waiting for the worker to start…"
        if self.state == State.DONE:
            return "Done."
        if self.state == State.FAILED:
            return "Stopped."
        counted = f" ({self.done:,} of {self.total:,})" if self.total > 1 else ""
        return f"Step {self.step_number} of {self.steps}: {self.step}{counted}, {self.percent}%"


def percent_done(step: str, done: int, total: int) -> int:
    """How much of an import is done, by the steps' shares of its time; 99 at most, since
    only the finished job is whole."""
    names = list(STEPS)
    index = names.index(step) if step in names else 0
    before = sum(STEPS[name] for name in names[:index])
    share = min(done / total, 1.0) if total > 0 else 0.0
    return min(99, int(before + STEPS[names[index]] * share))


def progress_of(job: Job) -> Progress:
    names = list(STEPS)
    index = names.index(job.step) if job.step in names else 0
    percent = 100 if job.state == State.DONE else percent_done(job.step, job.done, job.total)
    return Progress(
        state=job.state,
        step=names[index],
        step_number=index + 1,
        steps=len(names),
        percent=percent,
        done=job.done,
        total=job.total,
        message=job.message,
        finished=job.state in (State.DONE, State.FAILED),
    )
