"""Load quizapp under gunicorn with N simulated learners, optionally killing a worker mid-run.

    .venv/bin/python bench/load.py [--learners 100] [--workers N] [--fault]

Each learner logs in, starts the seeded quiz, reads every question page, then (all together,
after a barrier) submits every answer, finishes and reads the result. The script prints
requests/s and p50/p95/p99 latency per step, errors, the answer-submission throughput beside
a constant endpoint's throughput on the same server (the framework's ceiling), and then checks
in the database that every acknowledged answer is stored exactly once.

With ``--fault`` one gunicorn worker is killed with SIGKILL while answers are being submitted;
clients retry a request whose connection broke (safe: answers are idempotent). Afterwards no
acknowledged answer may be missing and SQLite's integrity check must pass.

Exits non-zero on any server error, lost answer or failed check.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load test password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START = re.compile(r'action="/quizzes/(\d+)/start"')
QUESTION_ID = re.compile(r'name="question_id"[^>]*value="(\d+)"')
CHOICE = re.compile(r'name="answer"\s+value="(\d+)"')
ATTEMPT = re.compile(r"/attempts/(\d+)")
TOTAL = re.compile(r"Question \d+ of (\d+)")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acknowledged: set[tuple[int, int]] = field(default_factory=set)
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step: str, seconds: float) -> None:
        with self.lock:
            self.latencies[step].append(seconds)


class Learner:
    def __init__(self, base: str, email: str, stats: Stats) -> None:
        self.base, self.email, self.stats = base, email, stats
        self.http = requests.Session()
        self.token = ""
        self.attempt = 0
        self.answers: list[tuple[int, int, int]] = []  # position, question id, choice id

    def call(self, step: str, method: str, path: str, expect: int, **kw: object) -> str:
        """One request; a broken connection (a killed worker) is retried, a 5xx is an error."""
        for attempt in range(5):
            started = time.perf_counter()
            try:
                response = self.http.request(
                    method, self.base + path, allow_redirects=False, timeout=30, **kw
                )
            except requests.ConnectionError:
                with self.stats.lock:
                    self.stats.retries += 1
                time.sleep(0.2 * (attempt + 1))
                continue
            self.stats.record(step, time.perf_counter() - started)
            if response.status_code != expect:
                with self.stats.lock:
                    self.stats.errors.append(f"{step} {path}: {response.status_code}")
                return ""
            return response.headers.get("Location", "") if expect == 302 else response.text
        with self.stats.lock:
            self.stats.errors.append(f"{step} {path}: connection failed 5 times")
        return ""

    def prepare(self) -> None:
        self.token = CSRF.search(self.call("login page", "GET", "/auth/login", 200)).group(1)
        data = {"csrf_token": self.token, "email": self.email, "password": PASSWORD}
        self.call("log in", "POST", "/auth/login", 302, data=data)
        home = self.call("home", "GET", "/", 200)
        quiz_id = START.search(home).group(1)
        self.token = CSRF.search(home).group(1)
        location = self.call(
            "start", "POST", f"/quizzes/{quiz_id}/start", 302, data={"csrf_token": self.token}
        )
        self.attempt = int(ATTEMPT.search(location).group(1))
        position, total = 1, 1
        while position <= total:
            page = self.call(
                "question page", "GET", f"/attempts/{self.attempt}/questions/{position}", 200
            )
            question, choice, of = QUESTION_ID.search(page), CHOICE.search(page), TOTAL.search(page)
            if question is None or choice is None or of is None:
                self.stats.errors.append(f"question page {position}: no question form")
                return
            total = int(of.group(1))
            self.answers.append((position, int(question.group(1)), int(choice.group(1))))
            position += 1

    def answer_all(self) -> None:
        for position, question_id, choice_id in self.answers:
            data = {"csrf_token": self.token, "question_id": question_id, "answer": choice_id}
            path = f"/attempts/{self.attempt}/questions/{position}"
            if self.call("submit answer", "POST", path, 302, data=data):
                with self.stats.lock:
                    self.stats.acknowledged.add((self.attempt, question_id))

    def finish(self) -> None:
        path = f"/attempts/{self.attempt}/finish"
        self.call("finish", "POST", path, 302, data={"csrf_token": self.token})
        self.call("result", "GET", f"/attempts/{self.attempt}/result", 200)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(path: Path, learners: int) -> None:
    from quizapp import create_app
    from quizapp.database import write_transaction
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.seeding import seed_directory

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        hashed = User(email="x", name="x")
        hashed.set_password(PASSWORD)
        with write_transaction():
            seed_directory(ROOT / "seeds")
            for n in range(learners):
                db.session.add(
                    User(
                        email=f"l{n}@example.org", name=f"L{n}", password_hash=hashed.password_hash
                    )
                )
        db.engine.dispose()


def run_threads(target: object, items: list[object]) -> float:
    threads = [threading.Thread(target=target, args=(item,)) for item in items]  # type: ignore[arg-type]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.50):6.1f} ms  p95 {pick(0.95):6.1f} ms  p99 {pick(0.99):6.1f} ms"


def kill_one_worker(master: subprocess.Popen[bytes], delay: float, log: list[str]) -> None:
    time.sleep(delay)
    children = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    if children:
        os.kill(int(children[0]), signal.SIGKILL)
        log.append(f"killed worker {children[0]} with SIGKILL after {delay:.2f} s of answering")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--fault", action="store_true", help="SIGKILL a worker mid-run")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="quizapp-load-"))
    database = folder / "load.sqlite"
    prepare_database(database, args.learners)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": os.urandom(32).hex(),
        # Not QUIZAPP_ENV=production: its HTTPS-only cookies would not come back over http.
        "QUIZAPP_BIND": f"127.0.0.1:{port}",
        "QUIZAPP_WORKERS": str(args.workers),
        "QUIZAPP_LOG_LEVEL": "warning",
        # Every simulated learner logs in from 127.0.0.1: the per-address limit would stop them.
        "LOGIN_RATE_LIMIT": "100000 per minute",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:quizapp.gunicorn_conf",
         "--pythonpath", str(ROOT / "bench"), "bench_wsgi:application"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        stats = Stats()
        learners = [Learner(base, f"l{n}@example.org", stats) for n in range(args.learners)]
        prepare_seconds = run_threads(Learner.prepare, learners)
        fault_log: list[str] = []
        if args.fault:
            threading.Thread(target=kill_one_worker, args=(server, 0.3, fault_log)).start()
        answer_seconds = run_threads(Learner.answer_all, learners)
        finish_seconds = run_threads(Learner.finish, learners)
        answers = len(stats.latencies["submit answer"])
        per_thread = max(1, answers // args.learners)

        def ping(_: object) -> None:
            session = requests.Session()
            for _ in range(per_thread):
                started = time.perf_counter()
                response = session.get(base + "/bench/ping", timeout=30)
                stats.record("bare endpoint", time.perf_counter() - started)
                if response.status_code != 200:
                    stats.errors.append(f"bare endpoint: {response.status_code}")

        bare_seconds = run_threads(ping, list(range(args.learners)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    all_requests = [s for step, v in stats.latencies.items() if step != "bare endpoint" for s in v]
    total_seconds = prepare_seconds + answer_seconds + finish_seconds
    print(
        f"{args.learners} learners, {args.workers} gunicorn workers, SQLite, {os.cpu_count()} CPUs"
        + (", one worker killed mid-run" if args.fault else "")
    )
    print(
        f"app requests: {len(all_requests)} in {total_seconds:.2f} s"
        f" = {len(all_requests) / total_seconds:.0f} req/s; {percentiles(all_requests)}"
    )
    for step, values in stats.latencies.items():
        print(f"  {step:<15} {len(values):>6}  {percentiles(values)}")
    answer_rate = answers / answer_seconds
    bare = len(stats.latencies["bare endpoint"]) / bare_seconds
    print(
        f"answer submission: {answer_rate:.0f}/s; bare endpoint: {bare:.0f}/s;"
        f" ratio {answer_rate / bare:.0%} (target >= 40%)"
    )
    for line in fault_log:
        print(line)
    print(f"connection retries: {stats.retries}; errors: {len(stats.errors)}")
    for error in stats.errors[:10]:
        print(f"  {error}")

    with sqlite3.connect(database) as connection:
        stored = set(connection.execute("SELECT attempt_id, question_id FROM responses"))
        duplicates = connection.execute(
            "SELECT count(*) FROM (SELECT 1 FROM responses"
            " GROUP BY attempt_id, question_id HAVING count(*) > 1)"
        ).fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    lost = stats.acknowledged - stored
    print(
        f"acknowledged answers: {len(stats.acknowledged)}; stored: {len(stored)};"
        f" lost: {len(lost)}; duplicated: {duplicates}; integrity_check: {integrity}"
    )
    failed = bool(stats.errors or lost or duplicates or integrity != "ok")
    p99 = sorted(all_requests)[int(0.99 * (len(all_requests) - 1))] * 1000 if all_requests else 0
    print(f"p99 {p99:.0f} ms (target < 250 ms)")
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
