"""Time and peak memory of the score export on 1,000,000 responses, beside sqlite3 -csv.

    .venv/bin/python bench/bench_export.py [--responses 1000000]

Seeds a SQLite database with one quiz of 10 questions and responses/10 learners who each
answered every question, then, each in a fresh process so peak memory is the export's own:
exports the detailed format (a row per response) and the summary format (a row per attempt)
through the app's streaming code to a file, and has the sqlite3 command-line shell write the
same detailed rows with ``-csv``. The same exports on a tenth of the data show whether memory
grows with the rows (it must not). Needs the ``sqlite3`` shell (Debian: apt-get install
sqlite3) for the baseline; without it, that line says so.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.core.formats.spreadsheet import csv_chunks  # noqa: E402
from quizapp.database import write_transaction  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Question, Role, User  # noqa: E402
from quizapp.services.exports import ExportFormat, export, quiz_scope  # noqa: E402
from quizapp.services.quizzes import create_quiz  # noqa: E402
from quizapp.services.seeding import seed_directory  # noqa: E402

QUESTIONS = 10
# The detailed export's rows as plain SQL, for the sqlite3 shell to write as CSV.
DETAILED_SQL = """
SELECT u.name, u.email, '', q.title, a.number, qq.position, r.question_id, qn.version, qn.stem,
       (SELECT group_concat(c.text, '; ') FROM response_choices rc
          JOIN choices c ON c.id = rc.choice_id WHERE rc.response_id = r.id),
       r.correct, r.marks, qq.points, r.answered_at
FROM attempts a JOIN users u ON u.id = a.learner_id JOIN quizzes q ON q.id = a.quiz_id
JOIN responses r ON r.attempt_id = a.id JOIN questions qn ON qn.id = r.question_id
JOIN quiz_questions qq ON qq.quiz_id = a.quiz_id AND qq.question_id = r.question_id
WHERE a.quiz_id = {quiz_id} ORDER BY a.id, r.id;
"""


def app_for(path: Path):  # type: ignore[no-untyped-def]
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})


def build(path: Path, responses: int) -> dict[str, int]:
    """One teacher's quiz and responses/QUESTIONS learners with a finished attempt each."""
    app = app_for(path)
    learners = responses // QUESTIONS
    with app.app_context():
        db.create_all()
        with write_transaction():
            seed_directory(ROOT / "seeds")
            teacher = User(email="t@example.org", name="Teacher", role=Role.TEACHER)
            teacher.set_password("bench password")
            db.session.add(teacher)
            db.session.flush()
            ids = list(db.session.scalars(select(Question.id).order_by(Question.id)))[:QUESTIONS]
            quiz = create_quiz("Bench quiz", ids, published=True, created_by_id=teacher.id)
            quiz_id, teacher_id, hashed = quiz.id, teacher.id, teacher.password_hash
            correct = {
                q.id: next(c.id for c in q.choices if c.is_correct)
                for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))
            }
        connection = db.engine.raw_connection()
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        first_user = 1000
        cursor.executemany(
            "INSERT INTO users (id, email, name, password_hash, role, created_at)"
            " VALUES (?, ?, ?, ?, 'learner', '2026-11-25 09:00:00')",
            (
                (first_user + n, f"l{n}@example.org", f"Learner {n}", hashed)
                for n in range(learners)
            ),
        )
        cursor.executemany(
            "INSERT INTO attempts (id, quiz_id, learner_id, number, started_at, submitted_at,"
            " score, max_score) VALUES (?, ?, ?, 1, '2026-11-25 09:00:00',"
            " '2026-11-25 09:07:30', ?, ?)",
            ((n + 1, quiz_id, first_user + n, QUESTIONS, QUESTIONS) for n in range(learners)),
        )
        cursor.executemany(
            "INSERT INTO responses (id, attempt_id, question_id, correct, marks, answered_at)"
            " VALUES (?, ?, ?, 1, 1.0, '2026-11-25 09:05:00')",
            (
                (n * QUESTIONS + i + 1, n + 1, question_id)
                for n in range(learners)
                for i, question_id in enumerate(ids)
            ),
        )
        cursor.executemany(
            "INSERT INTO response_choices (response_id, choice_id) VALUES (?, ?)",
            (
                (n * QUESTIONS + i + 1, correct[question_id])
                for n in range(learners)
                for i, question_id in enumerate(ids)
            ),
        )
        connection.commit()
        connection.close()
        db.engine.dispose()
    return {"quiz_id": quiz_id, "teacher_id": teacher_id}


def measure(path: Path, quiz_id: int, teacher_id: int, fmt: str, out: Path) -> None:
    """Run one export in this (fresh) process and print its figures as JSON."""
    app = app_for(path)
    with app.app_context():
        start = time.perf_counter()
        header, rows = export(quiz_scope(quiz_id, teacher_id), ExportFormat(fmt))
        lines = 0
        with out.open("w", encoding="utf-8", newline="") as stream:
            for chunk in csv_chunks(header, rows):
                stream.write(chunk)
                lines += chunk.count("\r\n")
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rows": lines - 1, "peak_mb": peak_mb}))


def run_measure(path: Path, ids: dict[str, int], fmt: str, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", fmt, "--db", str(path),
         "--quiz", str(ids["quiz_id"]), "--teacher", str(ids["teacher_id"]), "--out", str(out)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def sqlite_shell(path: Path, quiz_id: int, out: Path) -> float | None:
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    start = time.perf_counter()
    with out.open("w") as stream:
        subprocess.run(
            [shell, "-csv", "-header", str(path), DETAILED_SQL.format(quiz_id=quiz_id)],
            check=True, stdout=stream,
        )  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--measure", choices=[f.value for f in ExportFormat])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--quiz", type=int)
    parser.add_argument("--teacher", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.measure:
        measure(args.db, args.quiz, args.teacher, args.measure, args.out)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        figures = {}
        for label, responses in (("tenth", args.responses // 10), ("full", args.responses)):
            path = Path(tmp) / f"{label}.sqlite"
            start = time.perf_counter()
            ids = build(path, responses)
            print(f"seeded {responses:,} responses in {time.perf_counter() - start:.1f} s")
            for fmt in ("detailed", "summary"):
                figures[(label, fmt)] = run_measure(path, ids, fmt, Path(tmp) / f"{fmt}.csv")
                f = figures[(label, fmt)]
                print(
                    f"  {fmt:8} export: {f['rows']:>9,} rows in {f['seconds']:6.2f} s "
                    f"({f['rows'] / f['seconds']:,.0f} rows/s), peak memory {f['peak_mb']:.0f} MB"
                )
            shell = sqlite_shell(path, ids["quiz_id"], Path(tmp) / "shell.csv")
            if shell is None:
                print(
                    "  sqlite3 -csv: the sqlite3 shell is not installed (apt-get install sqlite3)"
                )
            else:
                ratio = figures[(label, "detailed")]["seconds"] / shell
                print(
                    f"  sqlite3 -csv, same detailed rows: {shell:6.2f} s "
                    f"(the export takes {ratio:.1f}x as long)"
                )
        growth = (
            figures[("full", "detailed")]["peak_mb"] / figures[("tenth", "detailed")]["peak_mb"]
        )
        print(f"peak memory, 10x the rows: x{growth:.2f}")
        ok = figures[("full", "detailed")]["rows"] == args.responses and growth < 1.5
        print("OK: memory flat, every row written" if ok else "FAIL: rows missing or memory grew")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
