"""``flask --app quizapp import`` stores an article with its facts and drafts, once."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Article, DroppedDraft, Fact, Question, Role, Status

from .conftest import SEED_ARTICLE, add_user


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_stores_the_article_with_facts_and_drafts_then_says_already_imported(
    app: Flask,
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(SEED_ARTICLE), "--title", "Meta", "--source", "BBC"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported article 1 “Meta”:")  # the progress is on stderr
    assert "Importing: making questions" in result.stderr
    with app.app_context():
        article = db.session.get(Article, 1)
        assert article.source == "BBC" and article.created_by_id is None
        drafts = count(Question)
        assert count(Fact) and drafts
        assert f"{drafts} draft questions" in result.output
        assert f"{count(DroppedDraft)} dropped by the gates" in result.output
        assert {q.status for q in db.session.scalars(select(Question))} == {Status.DRAFT}
    again = runner.invoke(args=["import", str(SEED_ARTICLE), "--title", "Other title"])
    assert again.exit_code == 0 and "Already imported as article 1 “Meta”" in again.output
    with app.app_context():
        assert count(Article) == 1 and count(Question) == drafts


def test_import_extracts_facts_from_markdown_and_html(app: Flask, tmp_path: Path) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    markdown = tmp_path / "article.md"
    # One paragraph per line, as Markdown writes paragraphs: blank lines between them.
    markdown.write_text("# The story\n\n" + text.replace("\n", "\n\n"), encoding="utf-8")
    html = tmp_path / "article.html"
    # Escaped, as a saved page holds text: the seed's image-credit line has a raw "<a href=".
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines()[:12] if line)
    html.write_text(f"<script>alert(1)</script><h1>Other story</h1>{paragraphs}", encoding="utf-8")
    runner = app.test_cli_runner()
    for path in (markdown, html):
        result = runner.invoke(args=["import", str(path), "--title", path.name])
        assert result.exit_code == 0, result.output
    with app.app_context():
        articles = db.session.scalars(select(Article).order_by(Article.id)).all()
        # The heading is each article's headline, apart from its sentences.
        assert [a.headline for a in articles] == ["The story", "Other story"]
        first = text.splitlines()[0]
        assert [a.sentences[0].text for a in articles] == [first, first]
        assert not any(s.text.endswith("story") for a in articles for s in a.sentences)
        assert all(len({s.paragraph for s in a.sentences}) > 5 for a in articles)
        assert not any("alert" in s.text for a in articles for s in a.sentences)
        assert all(a.facts for a in articles)


def test_import_for_a_teacher_and_from_stdin(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        teacher_id = add_user("t@example.org", Role.TEACHER).id
        add_user("l@example.org")
    runner = app.test_cli_runner()
    article = tmp_path / "copy.txt"
    shutil.copy(SEED_ARTICLE, article)
    refused = runner.invoke(
        args=["import", str(article), "--title", "X", "--teacher", "l@example.org"]
    )
    assert refused.exit_code == 1 and "There is no teacher with the email" in refused.output
    result = runner.invoke(
        args=["import", "-", "--title", "Piped", "--teacher", "T@example.org"],
        input=SEED_ARTICLE.read_text(encoding="utf-8"),
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(Article.created_by_id)) == teacher_id


def test_import_refuses_bad_input_and_stores_nothing(app: Flask, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    runner = app.test_cli_runner()
    app.config["MAX_ARTICLE_CHARS"] = 100
    for path, message in [
        (empty, "The article is empty"),
        (binary, "binary data"),
        (SEED_ARTICLE, "the limit is 100"),
    ]:
        result = runner.invoke(args=["import", str(path), "--title", "Bad"])
        assert result.exit_code == 1 and message in result.output
    app.config["MAX_ARTICLE_CHARS"] = 200_000
    for option, message in [
        (["--title", " "], "Give the article a title."),
        (["--title", "T" * 201], "The title is longer than 200 characters."),
        (["--title", "T", "--source", "S" * 301], "The source is longer than 300 characters."),
    ]:
        result = runner.invoke(args=["import", str(SEED_ARTICLE), *option])
        assert result.exit_code == 1 and message in result.output
    with app.app_context():
        assert count(Article) == 0


def test_a_command_on_an_unmigrated_database_says_what_to_do(tmp_path: Path) -> None:
    """It printed SQLAlchemy's traceback, whose parameters held the new user's password hash."""
    from quizapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}"})
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.org",
            "--name",
            "A",
            "--password",
            "quiet orbit lantern",
        ]
    )
    assert result.exit_code == 1 and "db upgrade" in result.output
    assert "scrypt" not in result.output and "Traceback" not in result.output


def test_seed_names_the_file_it_cannot_read_and_stores_nothing(app: Flask, tmp_path: Path) -> None:
    shutil.copy(SEED_ARTICLE, tmp_path / "a_good.txt")
    shutil.copy(SEED_ARTICLE.with_suffix(".facts.json"), tmp_path / "a_good.facts.json")
    (tmp_path / "b_bad.txt").write_text("Ofcom regulates.", encoding="utf-8")
    (tmp_path / "b_bad.facts.json").write_text("{not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["seed", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "b_bad.facts.json" in result.output
    assert "Nothing was stored" in result.output and "Traceback" not in result.output
    with app.app_context():
        assert count(Article) == 0
