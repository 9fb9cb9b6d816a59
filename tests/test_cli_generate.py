"""``flask --app quizapp generate`` prints questions in the JSON shape DESIGN.md promises."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from flask import Flask

from quizapp import cli
from quizapp.core.facts import ArticleFacts
from quizapp.core.gates import Dropped, GateReport
from quizapp.core.text import split_sentences

from .conftest import SEED_ARTICLE

FACTS_FILE = SEED_ARTICLE.with_name("meta_e2ee_article.facts.json")


def test_generate_json_for_the_seed_article(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["generate", str(SEED_ARTICLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    questions = json.loads(result.output)
    sentences = set(split_sentences(SEED_ARTICLE.read_text(encoding="utf-8")))
    assert questions
    for question in questions:
        assert set(question) == {
            "kind",
            "topic",
            "stem",
            "choices",
            "answers",
            "explanation",
            "evidence",
        }
        assert question["kind"] in {"single", "multi", "true_false"}
        assert question["evidence"] in sentences
        assert question["answers"] and all(
            0 <= i < len(question["choices"]) for i in question["answers"]
        )
    again = app.test_cli_runner().invoke(args=["generate", str(SEED_ARTICLE), "--format", "json"])
    assert again.output == result.output  # repeatable with the same seed


def assert_cited_questions(output: str, article_text: str) -> list[dict[str, object]]:
    questions = json.loads(output)
    sentences = set(split_sentences(article_text))
    assert questions and all(q["evidence"] in sentences for q in questions)
    return questions


def test_generate_extracts_facts_when_there_is_no_facts_file(app: Flask, tmp_path: Path) -> None:
    article = tmp_path / "lonely.txt"
    shutil.copy(SEED_ARTICLE, article)
    result = app.test_cli_runner().invoke(args=["generate", str(article), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert_cited_questions(result.stdout, article.read_text(encoding="utf-8"))


def test_generate_uses_the_facts_file_given_or_beside_the_article(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_extraction(*args: object, **kwargs: object) -> ArticleFacts:
        raise AssertionError("extraction ran although a facts file was there")

    monkeypatch.setattr(cli, "extract_facts", no_extraction)
    runner = app.test_cli_runner()
    beside = runner.invoke(args=["generate", str(SEED_ARTICLE), "--format", "json"])
    assert beside.exit_code == 0, beside.output
    article = tmp_path / "copy.txt"
    shutil.copy(SEED_ARTICLE, article)
    given = runner.invoke(
        args=["generate", str(article), "--format", "json", "--facts", str(FACTS_FILE)]
    )
    assert given.exit_code == 0 and given.stdout == beside.stdout
    alone = runner.invoke(args=["generate", str(article), "--format", "json"])
    assert isinstance(alone.exception, AssertionError)  # no facts file: it extracts


def test_generate_reads_stdin(app: Flask) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    runner = app.test_cli_runner()
    from_stdin = runner.invoke(
        args=["generate", "-", "--format", "json", "--facts", str(FACTS_FILE)], input=text
    )
    assert from_stdin.exit_code == 0, from_stdin.output
    from_file = runner.invoke(args=["generate", str(SEED_ARTICLE), "--format", "json"])
    assert from_stdin.stdout == from_file.stdout
    extracted = runner.invoke(args=["generate", "-", "--format", "json"], input=text)
    assert extracted.exit_code == 0, extracted.output
    assert_cited_questions(extracted.stdout, text)


def test_generate_lists_dropped_drafts_and_reasons_on_stderr(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cli.gated_questions

    def one_dropped(facts: ArticleFacts, sentences: Sequence[str], seed: int = 0) -> GateReport:
        report = real(facts, sentences, seed)
        drop = Dropped(report.kept[0], ("stem too long", "answer not in the evidence"))
        return GateReport(kept=report.kept[1:], dropped=(*report.dropped, drop))

    monkeypatch.setattr(cli, "gated_questions", one_dropped)
    result = app.test_cli_runner().invoke(args=["generate", str(SEED_ARTICLE)])
    assert result.exit_code == 0
    assert "because: answer not in the evidence" in result.stderr
    assert "because:" not in result.stdout and "Evidence:" in result.stdout
    as_json = app.test_cli_runner().invoke(args=["generate", str(SEED_ARTICLE), "--format", "json"])
    assert json.loads(as_json.stdout) and "because: stem too long" in as_json.stderr


def test_generate_refuses_binary_and_non_utf8_input(app: Flask, tmp_path: Path) -> None:
    binary = tmp_path / "a.txt"
    binary.write_bytes(b"\x00\x01\x02")
    latin = tmp_path / "b.txt"
    latin.write_bytes("Café".encode("latin-1"))
    runner = app.test_cli_runner()
    assert "binary data" in runner.invoke(args=["generate", str(binary)]).output
    assert "not UTF-8" in runner.invoke(args=["generate", str(latin)]).output


def test_generate_refuses_a_facts_file_whose_evidence_is_not_in_the_article(
    app: Flask, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Ofcom is a regulator.\n", encoding="utf-8")
    facts = tmp_path / "a.facts.json"
    facts.write_text(
        json.dumps(
            {
                "facts": [
                    {
                        "kind": "role",
                        "subject": "Ofcom",
                        "object": "regulator",
                        "evidence": "Ofcom is not in this text.",
                    }
                ]
            }
        )
    )
    result = app.test_cli_runner().invoke(args=["generate", str(article)])
    assert result.exit_code == 1 and "evidence is not a sentence of the article" in result.output
