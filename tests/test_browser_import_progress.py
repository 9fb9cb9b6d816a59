"""A teacher pastes a long article in Chromium, watches the import's progress, and lands on
the drafts to review: the development server's own worker thread runs the job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from quizapp.jobs import queue, stop_consumer
from quizapp.models import Role

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import PASSWORD, SEED_ARTICLE, add_user, database_url

pytestmark = pytest.mark.browser


@pytest.fixture
def teacher_app(tmp_path: Path) -> Iterator[Flask]:
    settings = {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}"}
    with served_app(database_url(tmp_path), settings=settings) as app:
        with app.app_context():
            add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
        try:
            yield app
        finally:
            stop_consumer(app)


def shifted(text: str, by: int) -> str:
    return re.sub(r"\d+", lambda number: str(int(number[0]) + by), text)


def long_article() -> str:
    """The seed article six times over, each copy's numbers changed so it is new text."""
    text = SEED_ARTICLE.read_text("utf-8")
    return "\n\n".join(shifted(text, by) for by in range(6))


def test_a_long_import_shows_its_progress_then_its_drafts(teacher_app: Flask) -> None:
    with live_server(teacher_app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill("tess@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(base + "/teach/articles/new")
        page.get_by_label("Title").fill("A long read")
        page.get_by_label("Paste the article's text").fill(long_article())
        page.get_by_role("button", name="Import article").click()

        page.wait_for_url(re.compile(r"/teach/jobs/\d+$"))
        assert page.get_by_role("heading", name="Importing “A long read”").is_visible()
        bar = page.locator("progress#job-progress")
        assert bar.is_visible() and bar.get_attribute("max") == "100"
        page.get_by_role("status").filter(has_text=re.compile(r"Step \d of 5: ")).wait_for()
        assert_accessible(page)
        assert queue(teacher_app).consumer is not None  # the server's own worker thread

        page.wait_for_url(re.compile(r"/teach/articles/\d+"), timeout=90_000)
        page.get_by_text(re.compile(r"Imported “A long read”: \d+ draft questions")).wait_for()
        assert page.locator("li.draft").count() > 0
