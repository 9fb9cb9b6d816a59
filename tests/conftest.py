"""Fixtures that make each test a short story: an app on a fresh database, a client, a user."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from werkzeug.test import TestResponse

from quizapp import create_app
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.models import (
    Article,
    Attempt,
    Choice,
    Question,
    Quiz,
    QuizQuestion,
    Role,
    Sentence,
    Status,
    User,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "meta_e2ee_article.txt"
PASSWORD = "correct horse battery"
# Hashing is deliberately slow; tests share one pre-computed hash.
_HASH = User(email="x", name="x")
_HASH.set_password(PASSWORD)
PASSWORD_HASH = _HASH.password_hash


def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test, or the PostgreSQL database TEST_DATABASE_URL names."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"


def reset_database() -> None:
    """Empty the database, migration history included, so PostgreSQL runs start clean too."""
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}",
        }
    )
    # Jobs run as they are enqueued, in the request that submits them (Huey's testing mode,
    # which still runs the real task code): the job page then finds them finished.
    queue(app).huey.immediate = True
    with app.app_context():
        reset_database()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        reset_database()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def add_user(email: str, role: Role = Role.LEARNER, name: str | None = None) -> User:
    user = User(
        email=email,
        name=name or email.split("@")[0].title(),
        role=role,
        password_hash=PASSWORD_HASH,
    )
    db.session.add(user)
    db.session.commit()
    return user


def hand_in(quiz_id: int, *learner_ids: int) -> None:
    """A submitted (empty) attempt of the quiz for each learner: what opens its flashcards."""
    for learner_id in learner_ids:
        db.session.add(
            Attempt(quiz_id=quiz_id, learner_id=learner_id, submitted_at=datetime(2026, 1, 1))
        )
    db.session.commit()


@dataclass
class Auth:
    client: FlaskClient

    def login(self, email: str, password: str = PASSWORD) -> TestResponse:
        return self.client.post("/auth/login", data={"account": email, "password": password})

    def logout(self) -> TestResponse:
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@dataclass
class SmallQuiz:
    quiz_id: int
    question_ids: list[int]  # single, multi, true/false, in quiz order
    correct: dict[int, list[int]]  # question id -> correct choice ids
    wrong: dict[int, list[int]]  # question id -> one wrong answer
    evidence: dict[int, str]


def build_small_quiz(
    title: str = "Encryption basics", published: bool = True, **settings: Any
) -> SmallQuiz:
    """Three questions, one of each kind, each citing a sentence of a two-sentence article.

    ``settings`` are Quiz columns (time limit, classes, ...); a published quiz is public unless
    they say otherwise.
    """
    article = Article(title="Tiny article", source="test", text="x", text_hash=title)
    article.sentences = [
        Sentence(position=0, text="Signal and WhatsApp use end-to-end encryption."),
        Sentence(position=1, text="Ofcom is the communication regulator."),
    ]
    db.session.add(article)
    db.session.flush()
    s0, s1 = article.sentences
    specs = [
        (
            "single",
            "Which body is the communication regulator?",
            s1,
            [("Ofcom", True), ("Ofwat", False), ("Ofgem", False), ("The BBC", False)],
        ),
        (
            "multi",
            "Which apps use end-to-end encryption?",
            s0,
            [("Signal", True), ("WhatsApp", True), ("Myspace", False), ("Friendster", False)],
        ),
        (
            "true_false",
            "True or false: Ofcom is the communication regulator.",
            s1,
            [("True", True), ("False", False)],
        ),
    ]
    questions = []
    for kind, stem, sentence, choices in specs:
        question = Question(
            article_id=article.id,
            evidence=sentence,
            kind=kind,
            stem=stem,
            explanation=f"The article says so: {sentence.text}",
            topic="Test",
            status=Status.APPROVED,
            choices=[Choice(position=i, text=t, is_correct=c) for i, (t, c) in enumerate(choices)],
        )
        db.session.add(question)
        questions.append(question)
    settings.setdefault("is_public", published)
    quiz = Quiz(title=title, published=published, **settings)
    quiz.items = [QuizQuestion(question=q, position=i) for i, q in enumerate(questions, start=1)]
    db.session.add(quiz)
    db.session.commit()
    return SmallQuiz(
        quiz_id=quiz.id,
        question_ids=[q.id for q in questions],
        correct={q.id: [c.id for c in q.choices if c.is_correct] for q in questions},
        wrong={q.id: [next(c.id for c in q.choices if not c.is_correct)] for q in questions},
        evidence={q.id: q.evidence.text for q in questions if q.evidence},
    )


@pytest.fixture
def small_quiz(app: Flask) -> SmallQuiz:
    with app.app_context():
        return build_small_quiz()


@pytest.fixture
def learner(app: Flask, auth: Auth) -> str:
    with app.app_context():
        add_user("learner@example.org")
    auth.login("learner@example.org")
    return "learner@example.org"
