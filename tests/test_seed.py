"""The seed command loads the curated article once, however often it runs."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Article, Choice, Fact, Question, Quiz, QuizQuestion, Sentence, Status
from quizapp.services.reading import parse

from .conftest import SEED_ARTICLE
from .test_cli_generate import write_unsupported

TABLES = (Article, Sentence, Fact, Question, Choice, Quiz, QuizQuestion)


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in TABLES
    }


def test_seed_twice_stores_everything_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "article added" in first.output and "quiz created" in first.output
    with app.app_context():
        after_first = counts()
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert "already there, 0 questions added, quiz already there" in second.output
    with app.app_context():
        assert counts() == after_first
        assert after_first["Question"] >= 10 and after_first["Fact"] >= 30


def test_seed_builds_an_approved_bank_and_one_published_quiz(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["seed"])
    curated = json.loads(SEED_ARTICLE.with_name("meta_e2ee_article.facts.json").read_text())
    with app.app_context():
        parsed = parse(SEED_ARTICLE.read_text(encoding="utf-8"))
        sentences = parsed.sentence_texts()
        article = db.session.scalar(select(Article))
        assert article is not None
        assert [s.text for s in article.sentences] == sentences
        assert [(s.position, s.paragraph) for s in article.sentences] == [
            (s.index, s.paragraph) for s in parsed.sentences
        ]
        assert article.headline == parsed.headline
        assert len(article.facts) == len(curated["facts"])
        assert all(
            f.sentence.text == raw["evidence"]
            for f, raw in zip(article.facts, curated["facts"], strict=True)
        )
        questions = db.session.scalars(select(Question)).all()
        assert {q.status for q in questions} == {Status.APPROVED}
        assert all(q.evidence is not None and q.evidence.text in sentences for q in questions)
        quiz = db.session.scalar(select(Quiz))
        assert quiz is not None and quiz.published
        assert 5 <= len(quiz.items) <= 12
        assert len({item.question.topic for item in quiz.items}) >= 5  # covers the topics


def test_seed_stores_only_drafts_that_pass_the_gates(app: Flask, tmp_path: Path) -> None:
    write_unsupported(tmp_path)
    result = app.test_cli_runner().invoke(args=["seed", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        evidence = db.session.scalars(select(Sentence.text).join(Question.evidence)).all()
    assert evidence and "report said" not in " ".join(evidence)
