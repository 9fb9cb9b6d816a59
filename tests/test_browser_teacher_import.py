"""A teacher pastes an article in Chromium, reviews its facts and drafts, approves one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from quizapp.models import Role

from .browser import chromium_page, live_server, served_app
from .conftest import PASSWORD, SEED_ARTICLE, add_user, database_url

pytestmark = pytest.mark.browser

HIGHLIGHT = "rgb(255, 243, 191)"  # .sentences li:target in style.css


@pytest.fixture
def teacher_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
        yield app


def test_paste_an_article_review_facts_approve_a_draft(teacher_app: Flask) -> None:
    with live_server(teacher_app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill("tess@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("link", name="Teach").click()
        page.get_by_role("link", name="Import an article").click()

        page.get_by_label("Title").fill("Meta and encryption")
        page.get_by_label("Source").fill("BBC News")
        page.get_by_label("Paste the article's text").fill(SEED_ARTICLE.read_text("utf-8"))
        page.get_by_role("button", name="Import article").click()
        page.get_by_text(re.compile(r"Imported “Meta and encryption”: \d+ draft")).wait_for()

        assert page.locator("#facts ~ .table-wrap tbody tr").count() > 0
        drafts = page.locator("li.draft")
        assert drafts.count() > 0
        first = drafts.first
        first_id = first.get_attribute("id")
        first.get_by_role("button", name="Approve").click()
        page.get_by_text("now in the question bank").wait_for()
        assert page.locator(f"#{first_id} .status").inner_text() == "approved"
        assert page.locator(f"#{first_id}").get_by_role("button", name="Approve").count() == 0

        link = page.locator("a.fact-link").first
        anchor = link.get_attribute("href")
        link.click()
        page.wait_for_url(re.compile(re.escape(anchor) + "$"))
        sentence = page.locator(anchor)
        assert sentence.evaluate("el => getComputedStyle(el).backgroundColor") == HIGHLIGHT
        assert sentence.inner_text().strip()
