"""Load quizapp under gunicorn with N simulated learners, optionally killing a worker mid-run.

    .venv/bin/python bench/load.py [--learners 100] [--workers N] [--threads N]
                                   [--fault] [--think LOW:HIGH] [--strict]

Every learner first logs in (all at once: password hashing is deliberately slow, so the login
storm is reported on its own). Then the quiz path, in one of two paces:

- saturated (default): each learner opens the home page, starts the seeded quiz and reads every
  question page; then, all together after a barrier, submits every answer with no pause,
  finishes and reads the result. This is the worst case: 100 requests always in flight. Two
  constant endpoints served by the same gunicorn are then loaded the same way (same number of
  requests, same concurrency): a Flask route on the app, the framework's ceiling and the
  target's baseline, and a plain WSGI function, gunicorn's own (bench/bench_wsgi.py). Answer
  submission's throughput beside each is the share of that ceiling the answer path keeps.
- paced (``--think 1:3``): each learner works like a browser: a pause drawn between LOW and
  HIGH seconds before pressing Start (so a class starts within those seconds, not in one
  instant), then question page, pause, answer, feedback page (the redirect), next question,
  then finishes and reads the result. This is a class answering fast, not a stress test.

With ``--fault`` one gunicorn worker is killed with SIGKILL once a quarter of the answers are
acknowledged; gunicorn must start a replacement. Clients retry a request whose connection
died, as browsers do (safe: answers are idempotent). An acknowledged answer is one that got a
2xx/3xx reply; afterwards every acknowledged answer must be stored exactly once and SQLite's
integrity check must pass.

Prints requests/s, p50/p95/p99 latency per step (a retried request counts from its first try),
errors, CPU time per request on each side, and the targets met or missed. Exits non-zero on any
server error, lost or duplicated answer, failed integrity check or missing worker restart;
with ``--strict`` also when a performance target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
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

from quizapp import gunicorn_conf  # noqa: E402  (its defaults, read from this environment)

PASSWORD = "load test password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START = re.compile(r'action="/quizzes/(\d+)/start"')
QUESTION_ID = re.compile(r'name="question_id"[^>]*value="(\d+)"')
CHOICE = re.compile(r'name="answer"\s+value="(\d+)"')
ATTEMPT = re.compile(r"/attempts/(\d+)")
TOTAL = re.compile(r"Question \d+ of (\d+)")

LOGIN_STEPS = ("login page", "log in")
# Constant endpoints served beside the app (bench/bench_wsgi.py). The Flask route is the
# framework's ceiling, the target's baseline: Flask and the app's own per-request hooks
# (security headers, request log), no work. The plain WSGI function is gunicorn's ceiling.
BARE = {"bare Flask route": "/bench/flask-ping", "bare WSGI function": "/bench/wsgi-ping"}
FRAMEWORK = "bare Flask route"
TARGET_P99_MS = 250.0
TARGET_RATIO = 0.40
# A connection that died mid-request (a killed worker) is retried, as a browser would.
RETRIED = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
TRIES = 5


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

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Learner:
    def __init__(self, base: str, number: int, stats: Stats) -> None:
        self.base, self.email, self.stats = base, f"l{number}@example.org", stats
        self.random = random.Random(number)
        self.http = requests.Session()
        self.token = ""
        self.attempt = 0
        self.total = 0
        self.answers: list[tuple[int, int, int]] = []  # position, question id, choice id

    def call(self, step: str, method: str, path: str, expect: int, **kw: object) -> str | None:
        """One request; None unless it got the expected status (anything else is an error)."""
        started = time.perf_counter()
        for attempt in range(TRIES):
            try:
                response = self.http.request(
                    method, self.base + path, allow_redirects=False, timeout=60, **kw
                )
            except RETRIED:
                with self.stats.lock:
                    self.stats.retries += 1
                time.sleep(0.1 * (attempt + 1))
                continue
            self.stats.record(step, time.perf_counter() - started)
            if response.status_code != expect:
                self.stats.error(f"{step} {path}: {response.status_code}")
                return None
            return response.headers.get("Location", "") if expect == 302 else response.text
        self.stats.error(f"{step} {path}: connection failed {TRIES} times")
        return None

    def log_in(self) -> None:
        page = self.call("login page", "GET", "/auth/login", 200)
        if page is None:
            return
        self.token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        data = {"csrf_token": self.token, "email": self.email, "password": PASSWORD}
        self.call("log in", "POST", "/auth/login", 302, data=data)

    def start(self) -> bool:
        home = self.call("home", "GET", "/", 200)
        if home is None or (match := START.search(home)) is None:
            self.stats.error(f"{self.email}: no quiz to start on the home page")
            return False
        self.token = CSRF.search(home).group(1)  # type: ignore[union-attr]
        path = f"/quizzes/{match.group(1)}/start"
        location = self.call("start", "POST", path, 302, data={"csrf_token": self.token})
        if not location:
            return False
        self.attempt = int(ATTEMPT.search(location).group(1))  # type: ignore[union-attr]
        return True

    def read_question(self, position: int) -> tuple[int, int] | None:
        path = f"/attempts/{self.attempt}/questions/{position}"
        page = self.call("question page", "GET", path, 200)
        if page is None:
            return None
        question, choice, of = QUESTION_ID.search(page), CHOICE.search(page), TOTAL.search(page)
        if question is None or choice is None or of is None:
            self.stats.error(f"question page {position}: no question form")
            return None
        self.total = int(of.group(1))
        return int(question.group(1)), int(choice.group(1))

    def submit(self, position: int, question_id: int, choice_id: int) -> str | None:
        data = {"csrf_token": self.token, "question_id": question_id, "answer": choice_id}
        path = f"/attempts/{self.attempt}/questions/{position}"
        location = self.call("submit answer", "POST", path, 302, data=data)
        if location:
            with self.stats.lock:
                self.stats.acknowledged.add((self.attempt, question_id))
        return location

    def finish(self) -> None:
        path = f"/attempts/{self.attempt}/finish"
        if self.call("finish", "POST", path, 302, data={"csrf_token": self.token}):
            self.call("result", "GET", f"/attempts/{self.attempt}/result", 200)

    # Saturated pace: read everything, then (after the barrier) answer with no pause.
    def prepare(self) -> None:
        if not self.start():
            return
        position, self.total = 1, 1
        while position <= self.total:
            read = self.read_question(position)
            if read is None:
                return
            self.answers.append((position, *read))
            position += 1

    def answer_all(self) -> None:
        for answer in self.answers:
            self.submit(*answer)

    # Paced: like a person in a browser.
    def take_quiz(self, think: tuple[float, float]) -> None:
        time.sleep(self.random.uniform(*think))  # reading the home page before pressing Start
        if not self.start():
            return
        position, self.total = 1, 1
        while position <= self.total:
            read = self.read_question(position)
            if read is None:
                return
            time.sleep(self.random.uniform(*think))
            location = self.submit(position, *read)
            if not location:
                return
            self.call("feedback page", "GET", location.split("#")[0], 200)
            position += 1
        self.finish()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(path: Path, learners: int) -> None:
    """Migrate, seed, and add the learners; all share one hash made the production way."""
    from flask_migrate import upgrade

    from quizapp import create_app
    from quizapp.database import write_transaction
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.seeding import seed_directory

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        hashed = User(email="x", name="x")
        hashed.set_password(PASSWORD)  # werkzeug's default method, as registration uses
        with write_transaction():
            seed_directory(ROOT / "seeds")
            for n in range(learners):
                db.session.add(
                    User(
                        email=f"l{n}@example.org", name=f"L{n}", password_hash=hashed.password_hash
                    )
                )
        db.engine.dispose()


def run_threads(target: object, items: list[object], *args: object) -> float:
    threads = [threading.Thread(target=target, args=(item, *args)) for item in items]  # type: ignore[arg-type]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    p50, p95, p99 = (percentile(values, q) for q in (0.50, 0.95, 0.99))
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms"


def workers_of(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU time the server (master and workers) and this client spend during one phase."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.server = self.client = 0.0

    def __enter__(self) -> CpuMeter:
        self.server = -cpu_seconds([self.master, *workers_of(self.master)])
        self.client = -time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server += cpu_seconds([self.master, *workers_of(self.master)])
        self.client += time.process_time()

    def per_request(self, requests: int) -> str:
        return (
            f"{self.server / requests * 1000:.2f} ms server"
            f" + {self.client / requests * 1000:.2f} ms client"
        )


def busy_workers(workers: list[int], port: int) -> list[int]:
    """Workers holding an open client connection on the port: those mid-request (Linux /proc)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                established.add(fields[9])  # the socket's inode
    busy = []
    for pid in workers:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        if any(link[len("socket:[") : -1] in established for link in links):
            busy.append(pid)
    return busy


@dataclass
class Fault:
    """Once `after` answers are acknowledged, SIGKILL a worker that is serving a request, then
    wait for gunicorn to start its replacement."""

    master: int
    port: int
    workers: int
    after: int
    log: list[str] = field(default_factory=list)
    restarted: bool = False

    def run(self, stats: Stats) -> None:
        deadline = time.monotonic() + 120
        while len(stats.acknowledged) < self.after and time.monotonic() < deadline:
            time.sleep(0.005)
        before = workers_of(self.master)
        busy: list[int] = []
        while not busy and time.monotonic() < deadline:
            busy = busy_workers(before, self.port)
        victim = busy[0] if busy else before[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        self.log.append(
            f"killed worker {victim} with SIGKILL after {len(stats.acknowledged)} acknowledged"
            f" answers, {'while' if busy else 'NOT while'} it was serving a request"
        )
        while time.monotonic() < killed_at + 60:
            current = workers_of(self.master)
            if victim not in current and len(current) == self.workers:
                new = sorted(set(current) - set(before))
                self.log.append(
                    f"gunicorn replaced it with worker {new[0] if new else '?'}"
                    f" within {time.monotonic() - killed_at:.2f} s"
                )
                self.restarted = True
                return
            time.sleep(0.01)
        self.log.append("the killed worker was NOT replaced within 60 s")


def parse_think(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    low, _, high = text.partition(":")
    return float(low), float(high or low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: its config)")
    parser.add_argument("--fault", action="store_true", help="SIGKILL a worker mid-run")
    parser.add_argument("--think", help="paced: pause LOW:HIGH seconds before each answer")
    parser.add_argument("--strict", action="store_true", help="fail on a missed target too")
    args = parser.parse_args()
    think = parse_think(args.think)

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
        "QUIZAPP_LOG_LEVEL": "info",
        # Every simulated learner logs in from 127.0.0.1: the per-address limit would stop them.
        "LOGIN_RATE_LIMIT": "100000 per minute",
    }
    if args.workers:
        env["QUIZAPP_WORKERS"] = str(args.workers)
    if args.threads:
        env["QUIZAPP_THREADS"] = str(args.threads)
    server_log = folder / "gunicorn.log"
    with server_log.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:quizapp.gunicorn_conf",
             "--pythonpath", str(ROOT / "bench"), "bench_wsgi:application"],
            cwd=ROOT, env=env, stderr=log, stdout=log,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    stats = Stats()
    workers = args.workers or gunicorn_conf.workers
    fault: Fault | None = None
    answer_cpu = CpuMeter(server.pid)
    bare: dict[str, tuple[float, CpuMeter]] = {}
    try:
        for _ in range(300):  # every worker booted and the app answering
            try:
                up = requests.get(base + "/healthz", timeout=1).status_code == 200
            except requests.RequestException:  # refused, or a worker still booting
                up = False
            if up and len(workers_of(server.pid)) == workers:
                break
            time.sleep(0.1)
        learners = [Learner(base, n, stats) for n in range(args.learners)]
        login_seconds = run_threads(Learner.log_in, learners)
        answers_expected = 0
        if think is None:
            quiz_seconds = run_threads(Learner.prepare, learners)
            answers_expected = sum(len(learner.answers) for learner in learners)
        if args.fault:
            after = max(1, (answers_expected or args.learners * 12) // 4)
            fault = Fault(server.pid, port, workers, after)
            killer = threading.Thread(target=fault.run, args=(stats,))
            killer.start()
        if think is None:
            with CpuMeter(server.pid) as answer_cpu:
                answer_seconds = run_threads(Learner.answer_all, learners)
            quiz_seconds += answer_seconds + run_threads(Learner.finish, learners)
        else:
            quiz_seconds = answer_seconds = run_threads(Learner.take_quiz, learners, think)
        if fault is not None:
            killer.join()
        # The same number of requests as answers, from the same number of clients.
        per_client = max(1, len(stats.latencies["submit answer"]) // args.learners)
        for step in BARE:
            bare[step] = load_constant(base, step, args.learners, per_client, server.pid, stats)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    failed = report(
        args, think, workers, stats, fault,
        login_seconds, quiz_seconds, answer_seconds, answer_cpu, bare,
    )  # fmt: skip
    checks_failed = check_database(database, stats)
    failed["correctness"] = failed["correctness"] or checks_failed
    if failed["correctness"]:
        print(f"server log: {server_log}")
    print("FAIL" if failed["correctness"] else "OK", "(correctness)")
    return 1 if failed["correctness"] or (args.strict and failed["targets"]) else 0


def load_constant(
    base: str, step: str, clients: int, per_client: int, master: int, stats: Stats
) -> tuple[float, CpuMeter]:
    """Load one constant endpoint: seconds taken and CPU spent on each side."""

    def ping(_: object) -> None:
        session = requests.Session()
        for _ in range(per_client):
            started = time.perf_counter()
            response = session.get(base + BARE[step], timeout=30)
            stats.record(step, time.perf_counter() - started)
            if response.status_code != 200:
                stats.error(f"{step}: {response.status_code}")

    with CpuMeter(master) as cpu:
        seconds = run_threads(ping, list(range(clients)))
    return seconds, cpu


def report(
    args: argparse.Namespace,
    think: tuple[float, float] | None,
    workers: int,
    stats: Stats,
    fault: Fault | None,
    login_seconds: float,
    quiz_seconds: float,
    answer_seconds: float,
    answer_cpu: CpuMeter,
    bare: dict[str, tuple[float, CpuMeter]],
) -> dict[str, bool]:
    pace = "saturated" if think is None else f"paced, {think[0]:g}-{think[1]:g} s per answer"
    threads_per_worker = args.threads or gunicorn_conf.threads
    threads = f" x {threads_per_worker} threads" if threads_per_worker > 1 else " (sync)"
    print(
        f"{args.learners} learners ({pace}), {workers} gunicorn workers{threads}, SQLite,"
        f" {os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.2f}"
        + (", one worker killed mid-run" if fault else "")
    )
    logins = [s for step in LOGIN_STEPS for s in stats.latencies[step]]
    not_quiz = (*LOGIN_STEPS, *BARE)
    quiz = [s for step, v in stats.latencies.items() if step not in not_quiz for s in v]
    print(f"log in (scrypt, all at once): {len(logins)} requests in {login_seconds:.2f} s;"
          f" {percentiles(logins)}")  # fmt: skip
    print(
        f"quiz path: {len(quiz)} requests in {quiz_seconds:.2f} s"
        f" = {len(quiz) / quiz_seconds:.0f} req/s; {percentiles(quiz)}"
    )
    for step, values in stats.latencies.items():
        print(f"  {step:<15} {len(values):>6}  {percentiles(values)}")
    answers = len(stats.latencies["submit answer"])
    answer_rate = answers / answer_seconds
    rates = {step: len(stats.latencies[step]) / seconds for step, (seconds, _) in bare.items()}
    ratio = answer_rate / rates[FRAMEWORK]
    if think is None:
        print(
            f"answer submission: {answer_rate:.0f}/s, "
            + ", ".join(f"{answer_rate / rate:.0%} of the {step}'s {rate:.0f}/s"
                        for step, rate in rates.items())
        )  # fmt: skip
        if fault is None and answers:
            print(f"CPU per request: answer {answer_cpu.per_request(answers)}")
            for step, (_, cpu) in bare.items():
                print(f"                 {step} {cpu.per_request(len(stats.latencies[step]))}")
    for line in fault.log if fault else []:
        print(line)
    print(f"connection retries: {stats.retries}; errors: {len(stats.errors)}")
    for error in stats.errors[:10]:
        print(f"  {error}")

    p99 = percentile(quiz, 0.99) if quiz else float("inf")
    targets = [f"quiz path p99 {p99:.0f} ms < {TARGET_P99_MS:.0f} ms: "
               + ("met" if p99 < TARGET_P99_MS else "MISSED")]  # fmt: skip
    missed = p99 >= TARGET_P99_MS
    if think is None:
        targets.append(
            f"answer submission {ratio:.0%} of the {FRAMEWORK} >= {TARGET_RATIO:.0%}: "
            + ("met" if ratio >= TARGET_RATIO else "MISSED")
        )
        missed = missed or ratio < TARGET_RATIO
    print("targets: " + "; ".join(targets))
    restart_failed = fault is not None and not fault.restarted
    return {"correctness": bool(stats.errors) or restart_failed, "targets": missed}


def check_database(database: Path, stats: Stats) -> bool:
    """Every acknowledged answer stored exactly once, and the file intact. True on failure."""
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
    return bool(lost or duplicates or integrity != "ok")


if __name__ == "__main__":
    sys.exit(main())
