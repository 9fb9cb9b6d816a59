"""Count the SQL queries each page runs on a small and a 100x larger data set.

    .venv/bin/python bench/query_counts.py [--scale 100]

A page whose count grows with the data runs a query per row somewhere (N+1): the script
prints every page's two counts and exits non-zero if any differ.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.core.study.cards import CardKey, CardSource  # noqa: E402
from quizapp.database import utcnow, write_transaction  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Question, Quiz, QuizQuestion, Role, User  # noqa: E402
from quizapp.services.attempts import finish_attempt, record_answer, start_attempt  # noqa: E402
from quizapp.services.cards import rate_card  # noqa: E402
from quizapp.services.imports import import_article  # noqa: E402
from quizapp.services.seeding import seed_directory  # noqa: E402

PASSWORD = "bench password"


def build(app: Flask, scale: int) -> dict[str, int]:
    """Seed the article, then ``scale`` quizzes, learners and finished attempts of each."""
    with app.app_context(), write_transaction():
        db.create_all()
        seed_directory(ROOT / "seeds")
        seeded = db.session.scalar(select(Quiz))
        assert seeded is not None
        question_ids = [item.question_id for item in seeded.items]
        hashed = User(email="x", name="x")
        hashed.set_password(PASSWORD)
        for n in range(1, scale):
            db.session.add(
                Quiz(
                    title=f"Copy {n}",
                    published=True,
                    is_public=True,
                    items=[
                        QuizQuestion(question_id=q, position=i)
                        for i, q in enumerate(question_ids, 1)
                    ],
                )
            )
        learners = []
        for n in range(scale):
            learner = User(
                email=f"learner{n}@example.org",
                name=f"Learner {n}",
                password_hash=hashed.password_hash,
            )
            db.session.add(learner)
            learners.append(learner)
        teacher = User(
            email="teacher@example.org",
            name="T",
            role=Role.TEACHER,
            password_hash=hashed.password_hash,
        )
        db.session.add(teacher)
        db.session.flush()
        imported = import_article(
            "Apple and scanning",
            "bench",
            (ROOT / "tests" / "articles" / "apple_scanning.txt").read_text(encoding="utf-8"),
            teacher.id,
            max_chars=app.config["MAX_ARTICLE_CHARS"],
        ).article
        quizzes = db.session.scalars(select(Quiz).order_by(Quiz.id)).all()
        measured = learners[0]
        # The measured learner has one finished attempt per quiz; everyone else one each.
        finished = [_finished_attempt(measured.id, quiz.id) for quiz in quizzes]
        for learner in learners[1:]:
            _finished_attempt(learner.id, seeded.id)
        # Every learner has rated the same two cards: card states grow with the learners.
        card_keys = [CardKey(CardSource.QUESTION, q) for q in question_ids[:2]]
        for learner in learners:
            for key in card_keys:
                rate_card(learner.id, key, 4, 0, utcnow(), fuzz=True)
        last = start_attempt(measured.id, seeded.id)
        first = seeded.items[0].question
        record_answer(last.id, measured.id, first.id, [first.choices[0].id])
        draft = db.session.scalar(select(Question.id).where(Question.article_id == imported.id))
        assert draft is not None
        return {
            "attempt_id": last.id,
            "finished_id": finished[0],
            "article_id": seeded.items[0].question.article_id or 0,
            "imported_id": imported.id,
            "draft_id": draft,
            "card": question_ids[0],
        }


def _finished_attempt(learner_id: int, quiz_id: int) -> int:
    attempt = start_attempt(learner_id, quiz_id)
    for item in db.session.get(Quiz, quiz_id).items:  # type: ignore[union-attr]
        choice = item.question.choices[0]
        record_answer(attempt.id, learner_id, item.question_id, [choice.id])
    finish_attempt(attempt.id, learner_id)
    return attempt.id


def pages(ids: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Page name -> (who views it, URL)."""
    return {
        "home": ("learner", "/"),
        "question (unanswered)": ("learner", f"/attempts/{ids['attempt_id']}/questions/2"),
        "question (feedback)": ("learner", f"/attempts/{ids['attempt_id']}/questions/1"),
        "finish confirmation": ("learner", f"/attempts/{ids['attempt_id']}/finish"),
        "result": ("learner", f"/attempts/{ids['finished_id']}/result"),
        "my scores": ("learner", "/scores"),
        "debate map": ("learner", f"/study/articles/{ids['article_id']}/map"),
        "article view": ("learner", f"/study/articles/{ids['article_id']}"),
        "flashcard": ("learner", "/study/cards"),
        "flashcard answer": ("learner", f"/study/cards/answer?card=q:{ids['card']}"),
        "my progress": ("learner", "/study/progress"),
        "teacher home": ("teacher", "/teach/"),
        "teacher articles": ("teacher", "/teach/articles"),
        "teacher article review": ("teacher", f"/teach/articles/{ids['imported_id']}"),
        "teacher question edit": ("teacher", f"/teach/questions/{ids['draft_id']}/edit"),
    }


@contextmanager
def counting(app: Flask) -> Iterator[Callable[[], int]]:
    count = 0

    def on_execute(*_args: object) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield lambda: count
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def measure(scale: int) -> dict[str, tuple[int, int]]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        ids = build(app, scale)
        clients: dict[str, FlaskClient] = {}
        for role, email in (
            ("learner", "learner0@example.org"),
            ("teacher", "teacher@example.org"),
        ):
            clients[role] = app.test_client()
            clients[role].post("/auth/login", data={"email": email, "password": PASSWORD})
        results = {}
        for name, (role, url) in pages(ids).items():
            with counting(app) as queries:
                response = clients[role].get(url)
            results[name] = (response.status_code, queries())
        with app.app_context():
            db.engine.dispose()
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="how much larger the big set is")
    args = parser.parse_args()
    small, large = measure(1), measure(args.scale)
    grew = []
    big = f"queries (x{args.scale})"
    print(f"{'page':<26} {'status':>6} {'queries (x1)':>13} {big:>15}")
    for name, (status, count) in small.items():
        large_status, large_count = large[name]
        flag = "" if count == large_count else "  <- grows with the data"
        shown = status if status == large_status else f"{status}/{large_status}"
        print(f"{name:<26} {shown:>6} {count:>13} {large_count:>15}{flag}")
        if count != large_count or status != 200 or large_status != 200:
            grew.append(name)
    if grew:
        print(f"FAIL: {', '.join(grew)}")
        return 1
    print("OK: no page's query count grows with the data")
    return 0


if __name__ == "__main__":
    sys.exit(main())
