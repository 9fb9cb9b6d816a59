"""``flask --app quizapp generate`` prints questions in the JSON shape DESIGN.md promises."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from flask import Flask

from quizapp.core.text import split_sentences

from .conftest import SEED_ARTICLE


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


def test_generate_explains_a_missing_facts_file(app: Flask, tmp_path: Path) -> None:
    article = tmp_path / "lonely.txt"
    shutil.copy(SEED_ARTICLE, article)
    result = app.test_cli_runner().invoke(args=["generate", str(article), "--format", "json"])
    assert result.exit_code == 2 and "No facts file beside" in result.output


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
