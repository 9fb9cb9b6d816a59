"""A teacher uploads a PDF, a Word file, a saved web page, Markdown or text: each becomes an
article whose sentences keep the document's paragraphs; a file that cannot be read gets a 422
saying why, and nothing is stored. The command line reads the same formats."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Article, Choice, DroppedDraft, Fact, Job, Question, Role, Sentence

from .conftest import Auth, add_user
from .documents.builders import (
    HEADLINE,
    NEWS_PAGE,
    PARAGRAPHS,
    article_docx,
    article_pdf,
    encrypted_pdf,
    scanned_pdf,
    zip_bomb_docx,
    zip_of,
)

TABLES = (Article, Sentence, Fact, Question, Choice, DroppedDraft, Job)
MARKDOWN = f"# {HEADLINE}\n\n" + "\n\n".join(f"**{p[:3]}**{p[3:]}" for p in PARAGRAPHS)


def row_counts() -> dict[str, int]:
    return {t.__tablename__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture
def teacher(app: Flask, auth: Auth) -> Iterator[int]:
    with app.app_context():
        teacher_id = add_user("teacher@example.org", Role.TEACHER).id
    auth.login("teacher@example.org")
    yield teacher_id


def upload(client: FlaskClient, name: str, data: bytes, **fields: str) -> TestResponse:
    """Post the import form with a file and follow the queued import (run at once in tests)
    to its job page, which redirects to the article once it is done."""
    form = {"title": "", "source": "", "text": "", **fields, "document": (io.BytesIO(data), name)}
    response = client.post("/teach/articles/new", data=form, content_type="multipart/form-data")
    if response.status_code == 302 and "/teach/jobs/" in response.location:
        return client.get(response.location)
    return response


def only_article() -> Article:
    return db.session.scalars(select(Article)).one()


def test_the_form_accepts_every_readable_type(client: FlaskClient, teacher: int) -> None:
    page = client.get("/teach/articles/new").get_data(as_text=True)
    assert 'accept=".txt,.md,.html,.htm,.pdf,.docx"' in page
    assert "A PDF with a text layer, a Word document (.docx)" in page


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("story.pdf", article_pdf(repeats=3)),
        ("story.docx", article_docx()),
        ("story.md", MARKDOWN.encode()),
    ],
    ids=["pdf", "docx", "markdown"],
)
def test_an_uploaded_document_becomes_an_article_of_its_paragraphs(
    app: Flask, client: FlaskClient, teacher: int, name: str, data: bytes
) -> None:
    response = upload(client, name, data, source="Weekly Ledger")
    assert response.status_code == 302 and "/teach/articles/" in response.location
    with app.app_context():
        article = only_article()
        # The headline line is the headline, apart from the sentences; the title is the
        # document's own (PDF and Word properties), or its headline (Markdown).
        assert article.headline == HEADLINE
        assert article.title == HEADLINE
        assert article.source == "Weekly Ledger"
        texts = [s.text for s in article.sentences]
        assert texts[0].startswith("The town's new library opened on Saturday")
        assert not any("Ledger" in text or "Page 1" in text for text in texts)
        by_paragraph: dict[int, list[str]] = {}
        for sentence in article.sentences:
            by_paragraph.setdefault(sentence.paragraph, []).append(sentence.text)
        assert len(by_paragraph) >= len(PARAGRAPHS)
        assert any("Ana Lindqvist" in " ".join(p) for p in by_paragraph.values())
        assert article.facts


def test_a_saved_news_page_becomes_its_article_with_title_and_source(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    response = upload(client, "ferry.html", NEWS_PAGE.read_bytes())
    assert response.status_code == 302
    with app.app_context():
        article = only_article()
        assert article.title == "Harbour town votes to keep its ferry"
        assert article.source == "The Northfield Gazette, Priya Marsh, 2026-03-14"
        assert article.headline == "Harbour town votes to keep its ferry"
        texts = " ".join(s.text for s in article.sentences)
        assert "Tomas Reyes" in texts and "Helen Okafor" in texts
        for chrome in ("cookies", "Related stories", "Privacy notice", "Sign up", "Subscribe"):
            assert chrome not in texts
        assert len({s.paragraph for s in article.sentences}) >= 6


def test_a_title_the_teacher_typed_is_kept(app: Flask, client: FlaskClient, teacher: int) -> None:
    assert upload(client, "a.docx", article_docx(), title="My title").status_code == 302
    with app.app_context():
        assert only_article().title == "My title"


def test_a_file_without_a_title_or_headline_is_titled_by_its_name(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    text = "Ofcom is the regulator. It said so on Monday.\nSignal uses encryption.\n"
    assert upload(client, "ofcom_statement.txt", text.encode()).status_code == 302
    with app.app_context():
        assert only_article().title == "Ofcom statement"


def test_a_pasted_article_still_needs_a_title(client: FlaskClient, teacher: int) -> None:
    response = client.post(
        "/teach/articles/new",
        data={"title": " ", "text": "Ofcom is the regulator."},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Give the article a title." in response.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", scanned_pdf(), "has no text to read; it looks scanned"),
        ("locked.pdf", encrypted_pdf(), "protected by a password"),
        ("cut.pdf", article_pdf(1)[:-400], "cut short"),
        ("story.docx", article_pdf(1), "named as a Word file but it is a PDF"),
        ("story.pdf", article_docx(), "named as a PDF file but it is a Word document"),
        ("notes.docx", zip_of({"notes.txt": b"hello"}), "but it is a ZIP archive"),
        ("bomb.docx", zip_bomb_docx(), "unpacks to 4,097 MB"),
        ("story.txt", article_pdf(1), "is binary data"),
        ("menu.html", b"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>", "No article"),
    ],
    ids=[
        "scanned",
        "encrypted",
        "truncated",
        "pdf-as-docx",
        "docx-as-pdf",
        "other-zip",
        "zip-bomb",
        "binary-as-txt",
        "no-article",
    ],
)
def test_a_document_that_cannot_be_read_is_refused_and_nothing_is_stored(
    app: Flask, client: FlaskClient, teacher: int, name: str, data: bytes, message: str
) -> None:
    with app.app_context():
        before = row_counts()
    response = upload(client, name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#34;", '"')
    with app.app_context():
        assert row_counts() == before


def test_the_command_line_imports_a_pdf_and_refuses_a_scan(app: Flask, tmp_path: Path) -> None:
    pdf = tmp_path / "library.pdf"
    pdf.write_bytes(article_pdf(repeats=3))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(pdf), "--title", "Library", "--source", "Ledger"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        article = only_article()
        assert article.title == "Library" and article.headline == HEADLINE
        assert article.sentences[0].text.startswith("The town's new library opened")
        assert len({s.paragraph for s in article.sentences}) >= 3 * len(PARAGRAPHS)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf())
    refused = runner.invoke(args=["import", str(scan), "--title", "Scan"])
    assert refused.exit_code == 1 and "it looks scanned" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 1
