"""Imports as background jobs: queued, run (Huey's immediate mode, and a real worker thread),
their progress, who may see them, and what a failure, a crash or a stopped worker leaves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from huey import RedisHuey, SqliteHuey
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.jobs import make_huey, queue, recover, start_consumer, start_in_process, stop_consumer
from quizapp.models import Article, DroppedDraft, Fact, Job, Question, Role, Sentence
from quizapp.services import jobs as job_service
from quizapp.services.generation import MAKING_QUESTIONS
from quizapp.services.jobs import STALE_AFTER, JobProgress, percent_done, run_import

from .conftest import SEED_ARTICLE, Auth, add_user

TEACHER, OTHER = "teacher@example.org", "other@example.org"
STORED = (Article, Sentence, Fact, Question, DroppedDraft)
State = Job.State


@pytest.fixture
def teacher(app: Flask, auth: Auth) -> Iterator[int]:
    with app.app_context():
        teacher_id = add_user(TEACHER, Role.TEACHER).id
        add_user(OTHER, Role.TEACHER)
    auth.login(TEACHER)
    yield teacher_id


def submit(client: FlaskClient, text: str, title: str = "The story") -> int:
    """Post the import form; the job's id from the redirect to its page."""
    response = client.post(
        "/teach/articles/new",
        data={"title": title, "source": "BBC", "text": text},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "/teach/jobs/" in response.location, response.location
    return int(response.location.rsplit("/", 1)[1])


def stored_counts() -> dict[str, int]:
    return {t.__tablename__: db.session.scalar(select(func.count()).select_from(t)) for t in STORED}


def job_row(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def test_an_import_runs_as_a_job_reports_each_step_and_lands_on_the_drafts(
    app: Flask, client: FlaskClient, teacher: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int, int]] = []
    write = JobProgress.write

    def recorded(self: JobProgress, step: str, done: int, total: int) -> None:
        write(self, step, done, total)
        row = db.session.execute(select(Job.step, Job.done, Job.total)).one()
        seen.append(tuple(row))  # type: ignore[arg-type]

    monkeypatch.setattr(JobProgress, "write", recorded)
    monkeypatch.setattr(job_service, "PROGRESS_EVERY_SECONDS", 0.0)  # every report is written
    job_id = submit(client, SEED_ARTICLE.read_text(encoding="utf-8"))
    steps = list(dict.fromkeys(step for step, _, _ in seen))
    assert steps == ["reading", "parsing", "finding facts", "making questions", "storing"]
    parsed = [done for step, done, _ in seen if step == "parsing"]
    assert parsed == sorted(parsed) and parsed[-1] == next(t for s, _, t in seen if s == "parsing")
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.owner_id) == (State.DONE, 1, teacher)
    assert job.started_at and job.finished_at
    assert job.payload == {"title": "The story", "source": "BBC"}  # the article has the text
    page = client.get(f"/teach/jobs/{job_id}")
    assert page.status_code == 302 and page.location == f"/teach/articles/{job.result_article_id}"
    assert "Imported “The story”" in client.get(page.location).get_data(as_text=True)
    with app.app_context():
        assert stored_counts()["articles"] == 1
    listing = client.get("/teach/jobs").get_data(as_text=True)
    assert f'href="/teach/jobs/{job_id}"' in listing and "Done: drafts to review" in listing


def test_a_real_worker_thread_runs_the_job_and_the_progress_moves(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    jobs = queue(app)
    jobs.huey.immediate = False  # the SQLite queue in tmp_path, as `flask run` uses it
    assert isinstance(jobs.huey, SqliteHuey)
    start_consumer(app)
    try:
        text = "\n\n".join([SEED_ARTICLE.read_text(encoding="utf-8")] * 3)
        job_id = submit(client, text)
        percents, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            state = client.get(f"/teach/jobs/{job_id}.json").get_json()
            percents.append(state["percent"])
            if state["finished"]:
                break
            time.sleep(0.05)
        assert state["state"] == "done", state
        assert state["url"] == f"/teach/jobs/{job_id}"
        assert percents == sorted(percents) and percents[-1] == 100
        assert len(set(percents)) > 2  # seen part-way, not only queued and done
    finally:
        stop_consumer(app)
    with app.app_context():
        assert stored_counts()["articles"] == 1
    page = client.get(f"/teach/jobs/{job_id}", follow_redirects=True).get_data(as_text=True)
    assert "draft questions to review" in page


def test_the_progress_page_shows_the_bar_and_refreshes_without_script(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    with app.app_context(), write_transaction():
        job = Job(owner_id=teacher, state=State.RUNNING, step="parsing", done=30, total=60)
        job.payload, job.heartbeat_at = {"title": "Long read", "source": "", "text": "x"}, utcnow()
        db.session.add(job)
        db.session.flush()
        job_id = job.id
    page = client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)
    percent = percent_done("parsing", 30, 60)
    assert f'<progress id="job-progress" max="100" value="{percent}"' in page
    assert f"Step 2 of 5: parsing (30 of 60), {percent}%" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'src="/static/jobs.js"' in page and "<script>" not in page and "style=" not in page
    state = client.get(f"/teach/jobs/{job_id}.json").get_json()
    assert (state["step"], state["step_number"], state["percent"]) == ("parsing", 2, percent)
    assert not state["finished"]


def test_only_the_owner_sees_a_job(
    app: Flask, client: FlaskClient, auth: Auth, teacher: int
) -> None:
    job_id = submit(client, SEED_ARTICLE.read_text(encoding="utf-8"))
    auth.logout()
    auth.login(OTHER)
    for path in ("", ".json", "/again"):
        assert client.get(f"/teach/jobs/{job_id}{path}").status_code == 404
    assert f"/teach/jobs/{job_id}" not in client.get("/teach/jobs").get_data(as_text=True)


def test_a_text_reading_refuses_fails_the_job_in_words_and_stores_nothing(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    job_id = submit(client, "12 34\n---\n56\n", title="Numbers")
    job = job_row(app, job_id)
    assert job.state == State.FAILED and job.attempts == 1  # a refusal is not retried
    assert job.message == "The article has no sentences to read. Nothing was stored."
    page = client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)
    assert job.message in page and f'href="/teach/jobs/{job_id}/again"' in page
    again = client.get(f"/teach/jobs/{job_id}/again").get_data(as_text=True)
    assert 'value="Numbers"' in again and "12 34\n---\n56" in again and 'value="BBC"' in again
    with app.app_context():
        assert set(stored_counts().values()) == {0}


def crash_at(step: str, times: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the job's progress callback raise when it reaches ``step``, ``times`` times."""
    crashes: list[int] = []
    write = JobProgress.write

    def crashing(self: JobProgress, name: str, done: int, total: int) -> None:
        if name == step and len(crashes) < times:
            crashes.append(done)
            raise RuntimeError("worker crashed")
        write(self, name, done, total)

    monkeypatch.setattr(JobProgress, "write", crashing)
    return crashes


def test_a_crash_while_making_questions_is_retried_then_fails_leaving_nothing(
    app: Flask, client: FlaskClient, teacher: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashes = crash_at(MAKING_QUESTIONS, 2, monkeypatch)
    job_id = submit(client, SEED_ARTICLE.read_text(encoding="utf-8"))
    assert len(crashes) == 2  # the first run and Huey's one retry
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.result_article_id) == (State.FAILED, 2, None)
    assert job.message.startswith("The import stopped while making questions, and nothing was")
    with app.app_context():
        assert set(stored_counts().values()) == {0}


def test_a_crash_once_is_retried_and_the_article_is_stored_once(
    app: Flask, client: FlaskClient, teacher: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash_at(MAKING_QUESTIONS, 1, monkeypatch)
    job_id = submit(client, SEED_ARTICLE.read_text(encoding="utf-8"))
    job = job_row(app, job_id)
    assert (job.state, job.attempts) == (State.DONE, 2)
    with app.app_context():
        assert stored_counts()["articles"] == 1


def test_running_a_job_again_stores_nothing_twice(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    job_id = submit(client, text)
    with app.app_context():
        before = stored_counts()
        run_import(job_id, retries_left=0)  # a duplicate message: the job is done already
        assert stored_counts() == before
        # A second job for the same text (a double submit racing the first) finds the article.
        with write_transaction():
            twin = Job(owner_id=teacher, payload={"title": "Twin", "source": "", "text": text})
            db.session.add(twin)
        run_import(twin.id, retries_left=0)
        assert stored_counts() == before
        twin = db.session.get(Job, twin.id)
        assert twin.state == State.DONE and "already imported" in twin.message
        assert twin.result_article_id == db.session.get(Job, job_id).result_article_id


def test_submitting_a_text_already_imported_goes_straight_to_the_article(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    article_id = job_row(app, submit(client, text)).result_article_id
    again = client.post("/teach/articles/new", data={"title": "Again", "text": text})
    assert again.location == f"/teach/articles/{article_id}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_a_job_whose_worker_stopped_is_failed_at_worker_start_and_when_viewed(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    old = utcnow() - STALE_AFTER - timedelta(seconds=1)
    with app.app_context(), write_transaction():
        jobs = [
            Job(owner_id=teacher, state=State.RUNNING, step="parsing", heartbeat_at=beat)
            for beat in (old, old, utcnow())
        ]
        for job in jobs:
            job.payload = {"title": "Stopped", "source": "", "text": "x"}
        db.session.add_all(jobs)
        db.session.flush()
        at_start, when_viewed, alive = (job.id for job in jobs)
    with app.app_context(), write_transaction():
        db.session.get(Job, when_viewed).heartbeat_at = utcnow()  # still alive at start
    assert recover(app) == 1
    assert job_row(app, at_start).state == State.FAILED
    assert job_row(app, at_start).message == (
        "The worker stopped while parsing, and nothing was stored; try again."
    )
    with app.app_context(), write_transaction():
        db.session.get(Job, when_viewed).heartbeat_at = old  # then its worker stopped too
    page = client.get(f"/teach/jobs/{when_viewed}").get_data(as_text=True)
    assert "The worker stopped while parsing" in page and "Try again" in page
    assert job_row(app, alive).state == State.RUNNING
    assert client.get(f"/teach/jobs/{alive}.json").get_json()["state"] == "running"


def test_the_queue_is_chosen_by_jobs_url(app: Flask, tmp_path: object) -> None:
    assert isinstance(make_huey("", app), SqliteHuey)
    assert isinstance(make_huey("redis://127.0.0.1:6379/0", app), RedisHuey)
    with pytest.raises(ConfigError, match="JOBS_URL"):
        make_huey("amqp://broker", app)
    # One queue per database, so a worker never runs another database's jobs.
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///other.sqlite"})
    assert queue(other).huey.name != queue(app).huey.name


@pytest.mark.parametrize(
    ("settings", "in_process"),
    [
        ({}, True),
        ({"JOBS_IN_PROCESS": False}, False),
        ({"TESTING": True}, False),
        ({"QUIZAPP_ENV": "production", "SECRET_KEY": "s" * 40}, False),
    ],
)
def test_only_the_development_server_runs_its_own_worker_thread(
    tmp_path: object, settings: dict[str, object], in_process: bool
) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    assert start_in_process(app) is in_process


@contextmanager
def worker_process(app: Flask) -> Iterator[subprocess.Popen[bytes]]:
    """`flask --app quizapp jobs worker` on the test's database and queue, as production runs it."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_URL": app.config["JOBS_URL"],
    }
    flask = str(Path(sys.executable).parent / "flask")
    process = subprocess.Popen([flask, "--app", "quizapp", "jobs", "worker"], env=env)
    try:
        yield process
    finally:
        process.kill()
        process.wait(30)


def wait_for(app: Flask, job_id: int, done: Callable[[Job], bool], timeout: float = 90) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = job_row(app, job_id)
        if done(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} is still {job.state} at {job.step}")


def test_a_worker_killed_mid_job_leaves_nothing_and_the_next_worker_fails_it(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    queue(app).huey.immediate = False
    # Paragraphs as an article has them: spaCy hands them back 32 at a time.
    text = "\n\n".join(SEED_ARTICLE.read_text(encoding="utf-8").splitlines() * 10)
    with worker_process(app) as worker:
        job_id = submit(client, text)
        wait_for(app, job_id, lambda job: job.step == "parsing" and job.done > 0)
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    job = job_row(app, job_id)
    assert job.state == State.RUNNING  # nobody is left to say otherwise
    with app.app_context():
        assert set(stored_counts().values()) == {0}
        with write_transaction():  # time passes: the heartbeat goes stale
            db.session.get(Job, job_id).heartbeat_at = utcnow() - STALE_AFTER * 2
    with worker_process(app):
        job = wait_for(app, job_id, lambda job: job.state != State.RUNNING)
        assert job.state == State.FAILED
        assert job.message.startswith("The worker stopped while parsing")
        second = submit(client, SEED_ARTICLE.read_text(encoding="utf-8"), title="After")
        assert wait_for(app, second, lambda job: job.state == State.DONE).result_article_id
    with app.app_context():
        assert stored_counts()["articles"] == 1
