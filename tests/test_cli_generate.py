"""``flask --app quizapp generate`` prints questions in the JSON shape DESIGN.md promises."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from flask import Flask

from quizapp import cli
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.pipeline import ReadArticle
from quizapp.core.reading.structure import parse_article

from .conftest import SEED_ARTICLE

FACTS_FILE = SEED_ARTICLE.with_name("meta_e2ee_article.facts.json")


def split_sentences(text: str) -> list[str]:
    return parse_article(text, load_nlp()).sentence_texts()


def only_near_duplicates_dropped(stderr: str) -> bool:
    """The gates' report on stderr: each "Dropped" line is followed by its reasons."""
    reasons = [line.strip() for line in stderr.splitlines() if line.startswith("   - ")]
    dropped = [line for line in stderr.splitlines() if line.startswith("Dropped [")]
    return len(reasons) == len(dropped) and all(r.startswith("- near-duplicate:") for r in reasons)


def test_generate_json_for_the_seed_article(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["generate", str(SEED_ARTICLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    # Every seed draft passes the gates, but for near-duplicates of a kept question.
    assert only_near_duplicates_dropped(result.stderr)
    questions = json.loads(result.stdout)
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
    kinds = {q["kind"] for q in questions}
    assert kinds == {"single", "multi", "true_false"}
    gaps = [q for q in questions if q["stem"].startswith("Which fills the gap")]
    assert gaps and all("_____" in q["stem"] for q in gaps)


# Ann Lee's quote is in a sentence that neither names her nor points back to her, so the
# question "who said this?" has no support in the evidence and the gates must drop it.
UNSUPPORTED_ARTICLE = (
    "Ann Lee leads the Data Office. Bob Ray runs the Signal Foundation.\n"
    "Cy Dent and Di Fox met on Monday.\n"
    "The plan to scan every private message was reckless, the report said.\n"
)
UNSUPPORTED_FACTS = {
    "entities": [
        {"name": n, "type": "person"} for n in ("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox")
    ],
    "facts": [
        {
            "kind": "quote",
            "subject": "Ann Lee",
            "object": "The plan to scan every private message was reckless",
            "evidence": "The plan to scan every private message was reckless, the report said.",
        },
        {
            "kind": "role",
            "subject": "Ann Lee",
            "object": "head of the Data Office",
            "evidence": "Ann Lee leads the Data Office.",
        },
    ],
}


def write_unsupported(directory: Path) -> Path:
    article = directory / "unsupported.txt"
    article.write_text(UNSUPPORTED_ARTICLE, encoding="utf-8")
    (directory / "unsupported.facts.json").write_text(json.dumps(UNSUPPORTED_FACTS))
    return article


def test_generate_reports_dropped_drafts_on_stderr_and_keeps_json_clean(
    app: Flask, tmp_path: Path
) -> None:
    article = write_unsupported(tmp_path)
    result = app.test_cli_runner().invoke(args=["generate", str(article), "--format", "json"])
    assert result.exit_code == 0, result.output
    questions = json.loads(result.stdout)
    assert questions and not any("report said" in q["evidence"] for q in questions)
    assert "Dropped [quote_speaker] According to the article, who said this?" in result.stderr
    assert "the answer 'Ann Lee' is not supported by the evidence sentence" in result.stderr
    text = app.test_cli_runner().invoke(args=["generate", str(article)])
    assert "Dropped [quote_speaker]" in text.stderr
    assert "Dropped" not in text.stdout


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
    def no_extraction(*args: object, **kwargs: object) -> ReadArticle:
        raise AssertionError("extraction ran although a facts file was there")

    monkeypatch.setattr(cli, "read", no_extraction)
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
