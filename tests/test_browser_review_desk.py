"""The review desk in Chromium: on an imported article a teacher approves ten drafts in one
submit and rejects two in another, once with JavaScript (in place, no reload) and once
without it (the plain forms, a confirmation page, back at the next draft); axe on the
article page and the articles list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Question, Role, Status
from quizapp.services.imports import import_article
from quizapp.services.seeding import read_article_with_facts

from .browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, live_server, served_app
from .conftest import PASSWORD, SEED_ARTICLE, add_user, database_url

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[Flask, int]]:
    """A migrated app (CSRF on) with a teacher and their import of the seed article."""
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            teacher = add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
            with write_transaction():
                text, reading = read_article_with_facts(SEED_ARTICLE)
                article_id = import_article(
                    "Meta and encryption",
                    "BBC",
                    text,
                    teacher.id,
                    max_chars=200_000,
                    reading=reading,
                ).article.id
        yield app, article_id


@contextmanager
def browser_page(javascript: bool) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=javascript).new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def statuses(app: Flask, article_id: int) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Question.id, Question.status).where(Question.article_id == article_id)
        )
        return {question_id: status for question_id, status in rows}


def log_in_and_open(page: object, base: str, check_axe: bool) -> None:
    page.goto(base + "/auth/login")  # type: ignore[attr-defined]
    page.get_by_label("Email").fill("tess@example.org")  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/teach/$"))  # type: ignore[attr-defined]
    page.get_by_role("link", name="Articles").first.click()  # type: ignore[attr-defined]
    if check_axe:  # axe runs as a script: not in a page with JavaScript off
        assert_accessible(page)
    page.get_by_role("link", name="Meta and encryption").click()  # type: ignore[attr-defined]


def drafts_left(page: object) -> int:
    return int(page.locator("[data-drafts-left]").inner_text())  # type: ignore[attr-defined]


def tick(page: object, question_ids: list[int]) -> None:
    for question_id in question_ids:
        page.locator(f"#pick-{question_id}").check()  # type: ignore[attr-defined]


def test_with_javascript_ten_approved_and_two_rejected_in_place(
    desk: tuple[Flask, int],
) -> None:
    app, article_id = desk
    before = statuses(app, article_id)
    drafts = sorted(i for i, s in before.items() if s == Status.DRAFT)
    assert len(drafts) >= 12
    with live_server(app) as base, browser_page(javascript=True) as page:
        log_in_and_open(page, base, check_axe=True)
        assert_accessible(page)
        assert drafts_left(page) == len(drafts)
        page.evaluate("window.notReloaded = true")

        tick(page, drafts[:10])
        page.get_by_role("button", name="Approve selected").click()
        page.locator("#review-status").get_by_text("Approved 10 questions").wait_for()
        assert drafts_left(page) == len(drafts) - 10
        for question_id in drafts[:10]:
            assert page.locator(f"#q{question_id} .status").inner_text() == "approved"
            assert page.locator(f"#pick-{question_id}").count() == 0

        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        tick(page, drafts[10:12])
        page.get_by_role("button", name="Reject selected").click()
        page.locator("#review-status").get_by_text("Rejected and deleted 2 drafts.").wait_for()
        assert dialogs == ["Reject these 2 questions? Drafts nothing uses are deleted."]
        assert drafts_left(page) == len(drafts) - 12
        assert page.locator(f"#q{drafts[10]}, #q{drafts[11]}").count() == 0
        assert page.evaluate("window.notReloaded") is True  # all of it without a reload

        # Select all ticks every remaining box; unticking one clears it again.
        page.get_by_label("Select all drafts").check()
        assert page.locator("[data-pick]:checked").count() == len(drafts) - 12
        page.locator(f"#pick-{drafts[12]}").uncheck()
        assert not page.get_by_label("Select all drafts").is_checked()
        assert_accessible(page)

        # The confirmation page a browser without the script gets, checked by axe here.
        page.locator("#bulk-review").evaluate("form => form.removeAttribute('data-review-form')")
        page.get_by_role("button", name="Reject selected").click()
        page.get_by_role("heading", name=re.compile(r"^Reject \d+ questions\?$")).wait_for()
        assert_accessible(page)

    after = statuses(app, article_id)
    assert all(after[i] == Status.APPROVED for i in drafts[:10])
    assert drafts[10] not in after and drafts[11] not in after
    assert all(after[i] == Status.DRAFT for i in drafts[12:])


def test_without_javascript_the_plain_forms_do_the_same(desk: tuple[Flask, int]) -> None:
    app, article_id = desk
    drafts = sorted(i for i, s in statuses(app, article_id).items() if s == Status.DRAFT)
    with live_server(app) as base, browser_page(javascript=False) as page:
        log_in_and_open(page, base, check_axe=False)
        assert drafts_left(page) == len(drafts)

        tick(page, drafts[:10])
        page.get_by_role("button", name="Approve selected").click()
        page.wait_for_url(re.compile(rf"/teach/articles/{article_id}#q{drafts[10]}$"))
        notice = page.locator(f"#q{drafts[10]} .flash")
        assert "Approved 10 questions" in notice.inner_text()
        box = notice.bounding_box()
        viewport = page.viewport_size
        assert box is not None and viewport is not None
        assert 0 <= box["y"] < viewport["height"]  # the outcome is in view at the anchor
        assert drafts_left(page) == len(drafts) - 10

        tick(page, drafts[10:12])
        page.get_by_role("button", name="Reject selected").click()
        page.get_by_role("heading", name="Reject 2 questions?").wait_for()
        page.get_by_role("button", name="Yes, reject them").click()
        page.wait_for_url(re.compile(rf"#q{drafts[12]}$"))
        assert (
            "Rejected and deleted 2 drafts." in page.locator(f"#q{drafts[12]} .flash").inner_text()
        )
        assert drafts_left(page) == len(drafts) - 12
        assert page.locator(f"#q{drafts[10]}").count() == 0

    after = statuses(app, article_id)
    assert all(after[i] == Status.APPROVED for i in drafts[:10])
    assert drafts[10] not in after and drafts[11] not in after
    assert all(after[i] == Status.DRAFT for i in drafts[12:])
