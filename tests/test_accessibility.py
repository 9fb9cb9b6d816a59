"""axe-core on every page of the app, as a learner, as a teacher and on error pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Article, Role

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import PASSWORD, SEED_ARTICLE, SEEDS, add_user, database_url

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[Flask]:
    """Migrated, seeded, CSRF on, with one learner and one teacher."""
    with served_app(database_url(tmp_path), seeds=SEEDS) as app:
        with app.app_context():
            add_user("lena@example.org", name="Lena Learner")
            add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
        yield app


def log_in(page: object, base: str, email: str) -> None:
    page.goto(base + "/auth/login")  # type: ignore[attr-defined]
    page.get_by_label("Email").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]


def test_learner_and_public_pages_are_accessible(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        article_id = db.session.scalar(select(Article.id))
    with live_server(seeded_app) as base, chromium_page() as page:
        for path in ["/", "/auth/register", "/auth/login", "/no-such-page"]:
            page.goto(base + path)
            assert_accessible(page)
        page.goto(f"{base}/study/articles/{article_id}/map")
        assert_accessible(page)
        page.goto(f"{base}/study/articles/{article_id}#s1")
        assert_accessible(page)

        log_in(page, base, "lena@example.org")
        assert_accessible(page)
        page.goto(base + "/auth/password")
        assert_accessible(page)
        page.goto(base + "/")
        page.get_by_role("button", name=re.compile("^Start quiz")).first.click()
        assert_accessible(page)  # a question
        total = int(re.search(r"of (\d+)", page.locator("h1").inner_text()).group(1))
        for number in range(1, total + 1):
            page.locator("label.choice").first.click()
            page.get_by_role("button", name="Check answer").click()
            page.locator("#feedback-title").wait_for()
            if number == 1:
                assert_accessible(page)  # its feedback
            if number < total:
                page.get_by_role("link", name="Next question").click()
        page.get_by_role("button", name="Finish and see my score").click()
        page.locator("#score").wait_for()
        assert_accessible(page)  # the result
        page.get_by_role("link", name="All my scores").click()
        assert_accessible(page)
        page.get_by_role("link", name="My progress").click()
        page.locator("svg[role=img]").wait_for()
        assert_accessible(page)  # progress: topics, score chart and its table
        page.get_by_role("link", name=re.compile("^Cards due today")).click()
        assert_accessible(page)  # a flashcard's front
        page.get_by_role("link", name="Show answer").click()
        page.locator("#answer-title").wait_for()
        assert_accessible(page)  # its answer and the rating buttons
        page.goto(base + "/teach/")
        assert_accessible(page)  # 403


def test_teacher_pages_are_accessible(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        article_id = db.session.scalar(select(Article.id))
    with live_server(seeded_app) as base, chromium_page() as page:
        log_in(page, base, "tess@example.org")
        for path in ["/teach/", "/teach/articles", "/teach/articles/new"]:
            page.goto(base + path)
            assert_accessible(page)
        page.goto(f"{base}/study/articles/{article_id}/map")
        assert page.get_by_role("button", name=re.compile("^Save side")).count() > 0
        assert_accessible(page)
        page.goto(base + "/teach/articles/new")
        page.get_by_label("Title").fill("Meta and encryption")
        page.get_by_label("Source").fill("BBC News")
        page.get_by_label("Paste the article's text").fill(
            SEED_ARTICLE.read_text("utf-8") + "\nThis copy is a teacher's own import."
        )
        page.get_by_role("button", name="Import article").click()
        page.get_by_text(re.compile(r"Imported “Meta and encryption”")).wait_for()
        assert_accessible(page)  # article review
        page.get_by_role("link", name=re.compile("^Edit question")).first.click()
        page.wait_for_url(re.compile(r"/teach/questions/\d+/edit$"))
        assert_accessible(page)  # question edit
