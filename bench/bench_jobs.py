"""Background imports: how long a teacher waits for one, and whether the site stays quick
while one runs.

    .venv/bin/python bench/bench_jobs.py [--words 50000] [--requests 200] [--quick]

On a fresh SQLite database with the app served over HTTP (Werkzeug, threaded), for each way
the worker runs: as a thread in the web process (what `flask run` does in development) and as
a process of its own (`flask --app quizapp jobs worker`, production). For each, the time from
submitting to a finished import for the seed article and for a ~50,000-word text (the seed's
paragraphs repeated with their numbers changed, so it is new text), and the p50/p99 of
``--requests`` sequential GETs of /healthz while the long import runs, beside the same GETs
with no job running. The worker holds SQLite's write lock only for the final store, so a
slow page during the import is CPU (the thread shares the web process's interpreter), not
the database.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.database import write_transaction  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.jobs import enqueue_import, start_consumer, stop_consumer  # noqa: E402
from quizapp.models import Article, Job, Role, User  # noqa: E402
from quizapp.services.jobs import submit_import  # noqa: E402

SEED = ROOT / "seeds" / "meta_e2ee_article.txt"
MAX_CHARS = 1_000_000  # a 50,000-word text is ~300,000 characters, over the default limit


def shifted(text: str, by: int) -> str:
    return re.sub(r"\d+", lambda number: str(int(number[0]) + by), text)


def long_text(words: int, salt: int) -> str:
    """The seed's paragraphs over and over, each copy's numbers moved on, to ``words``."""
    paragraphs = [p for p in SEED.read_text("utf-8").split("\n") if p.strip()]
    out, count, copy = [], 0, 0
    while count < words:
        for paragraph in paragraphs:
            out.append(shifted(paragraph, salt * 10_000 + copy))
            count += len(paragraph.split())
        copy += 1
    return "\n\n".join(out)


def build(directory: Path) -> tuple[Flask, dict[str, str]]:
    settings = {
        "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite'}",
        "JOBS_URL": f"sqlite:///{directory / 'jobs.sqlite'}",
        "MAX_ARTICLE_CHARS": str(MAX_CHARS),
        "JOBS_IN_PROCESS": "0",  # started here, explicitly
    }
    os.environ.update(settings)
    app = create_app({"SECRET_KEY": "bench"})
    logging.getLogger("quizapp.requests").setLevel(logging.WARNING)
    with app.app_context():
        db.create_all()
    return app, settings


def teacher(app: Flask, email: str) -> int:
    with app.app_context(), write_transaction():
        user = User(email=email, name="Bench", role=Role.TEACHER, password_hash="x")
        db.session.add(user)
        db.session.flush()
        return user.id


class QuietHandler(WSGIRequestHandler):
    """No access log: the figures are the output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@contextmanager
def served(app: Flask) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()


@contextmanager
def worker(app: Flask, mode: str, settings: dict[str, str]) -> Iterator[None]:
    if mode == "thread":
        start_consumer(app)
        try:
            yield
        finally:
            stop_consumer(app)
        return
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "quizapp", "jobs", "worker"],
        env={**os.environ, **settings},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the worker process imports the app (and spaCy on its first job)
        yield
    finally:
        process.terminate()
        process.wait(30)


def submit(app: Flask, owner_id: int, title: str, text: str) -> int:
    with app.app_context():
        with write_transaction():
            job = submit_import(owner_id, title, "bench", text, MAX_CHARS)
        assert isinstance(job, Job), "the text was already imported"
        enqueue_import(job.id)
        return job.id


def finished(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def wait(app: Flask, job_id: int, timeout: float = 900) -> float:
    """Seconds from the job's submission to its end, by its own row's times."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = finished(app, job_id)
        if job.state in ("done", "failed"):
            assert job.state == "done" and job.finished_at, job.message
            return (job.finished_at - job.created_at).total_seconds()
        time.sleep(0.05)
    raise TimeoutError(f"job {job_id} did not finish in {timeout} s")


def latencies(
    port: int, count: int, pause: float, app: Flask | None = None, job_id: int = 0
) -> list[float]:
    """``count`` sequential GETs of /healthz in ms; given a job, go on while it still runs."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times: list[float] = []
    while len(times) < count or (
        app is not None
        and (len(times) % 10 or finished(app, job_id).state in ("queued", "running"))
    ):
        started = time.perf_counter()
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(pause)
    connection.close()
    return times


def summary(times: list[float]) -> str:
    p99 = statistics.quantiles(times, n=100)[98]
    return f"p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, max {max(times):.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="5,000 words, to check the bench")
    args = parser.parse_args()
    words = 5_000 if args.quick else args.words
    with tempfile.TemporaryDirectory() as directory:
        app, settings = build(Path(directory))
        with served(app) as port:
            latencies(port, 20, 0)  # warm up
            idle = latencies(port, args.requests, 0.02)
            print(f"jobs: /healthz with no job running, {len(idle)} GETs: {summary(idle)}")
            for salt, mode in enumerate(("thread", "process"), start=1):
                owner = teacher(app, f"{mode}@example.org")
                with worker(app, mode, settings):
                    job_id = submit(app, owner, "Seed", SEED.read_text("utf-8"))
                    print(f"jobs ({mode}): seed article, submit to done {wait(app, job_id):.1f} s")
                    text = long_text(words, salt)
                    job_id = submit(app, owner, "Long", text)
                    during = latencies(port, args.requests, 0.02, app, job_id)
                    print(
                        f"jobs ({mode}): {len(text.split()):,}-word text, submit to done "
                        f"{wait(app, job_id):.1f} s; /healthz while it ran, {len(during)} GETs"
                        f"{' (the import ended first)' if len(during) == args.requests else ''}:"
                        f" {summary(during)}"
                    )
        with app.app_context():
            articles = db.session.query(Article).count()
        print(f"jobs: {articles} articles stored (4 expected: each import once)")
        return 0 if articles == 4 else 1


if __name__ == "__main__":
    sys.exit(main())
