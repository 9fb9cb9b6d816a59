"""In a real browser: a teacher previews a quiz as a learner (and nothing is stored), and
exports the bank as GIFT then imports the same file (and nothing is added). axe-core checks
the preview pages and the import page on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Question, Response, Role, Status

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import SEEDS, add_user, database_url
from .test_accessibility import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), seeds=SEEDS) as app:
        with app.app_context():
            add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
        yield app


def counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Attempt.id))) or 0,
            db.session.scalar(select(func.count(Response.id))) or 0,
            db.session.scalar(select(func.count(Question.id))) or 0,
        )


def test_preview_a_quiz_as_a_learner(seeded_app: Flask) -> None:
    before = counts(seeded_app)
    with live_server(seeded_app) as base, chromium_page() as page:
        log_in(page, base, "tess@example.org")
        page.goto(base + "/teach/quizzes/new")
        page.get_by_label("Title").fill("Preview me")
        page.get_by_label("Time limit").fill("20")
        page.get_by_role("button", name="Save quiz").click()
        page.get_by_text("Saved “Preview me”.").wait_for()
        boxes = (
            page.locator("fieldset")
            .filter(has_text="Tick the questions")
            .locator("input[type=checkbox]")
        )
        for n in range(2):
            boxes.nth(n).check()
        page.get_by_role("button", name="Add to quiz").click()
        page.get_by_text("Added 2 questions.").wait_for()

        page.get_by_role("link", name="Preview as a learner").click()  # unpublished
        page.get_by_role("complementary", name="Preview").wait_for()
        assert "Not published" in page.content()
        assert_accessible(page)
        page.get_by_role("button", name="Start the preview").click()
        page.get_by_role("heading", name="Question 1 of 2").wait_for()
        assert page.locator("#preview-banner").is_visible()
        assert "Time limit: answers count until" in page.locator("#deadline").inner_text()
        assert_accessible(page)
        for position in (1, 2):
            page.locator("input[name=answer]").first.check()
            page.get_by_role("button", name="Check answer").click()
            verdict = page.locator("#feedback-title")
            verdict.wait_for()
            assert verdict.inner_text() in ("Right!", "Not quite.")
            assert "(correct answer)" in page.content()
            if position == 1:
                assert_accessible(page)  # the feedback
                page.get_by_role("link", name="Next question").click()
                page.get_by_role("heading", name="Question 2 of 2").wait_for()
        page.get_by_role("button", name="Finish and see my score").click()
        page.get_by_role("heading", name="Your result: Preview me").wait_for()
        assert re.search(r"You scored \d out of 2", page.locator("#score").inner_text())
        assert page.locator("#preview-banner").is_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Back to the quiz builder").first.click()
        page.get_by_role("heading", name="Preview me").wait_for()
    assert counts(seeded_app) == before  # no attempt, no response


def test_export_the_bank_as_gift_then_import_the_same_file_adds_nothing(
    seeded_app: Flask, tmp_path: Path
) -> None:
    with seeded_app.app_context():
        approved = db.session.scalar(
            select(func.count(Question.id)).where(
                Question.status == Status.APPROVED, Question.superseded_by_id.is_(None)
            )
        )
    assert approved
    before = counts(seeded_app)
    with live_server(seeded_app) as base, chromium_page() as page:
        log_in(page, base, "tess@example.org")
        page.goto(base + "/teach/questions")
        assert "holds the approved questions" in page.locator("#export-status").inner_text()
        with page.expect_download() as download:
            page.get_by_role("link", name="Export the approved questions as GIFT").click()
        saved = tmp_path / "bank.gift.txt"
        download.value.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        assert text.startswith("// Exported from quizapp on ")
        assert f"{approved} approved questions" in text.splitlines()[0]

        page.get_by_role("link", name="Import GIFT or Aiken").click()
        assert_accessible(page)
        page.get_by_label("GIFT or Aiken file").set_input_files(str(saved))
        page.get_by_role("button", name="Import questions").click()
        outcome = page.locator("#import-outcome")
        outcome.wait_for()
        assert "Nothing new to import" in outcome.inner_text()
        assert f"{approved} already in your bank" in page.locator("#import-skipped").inner_text()
        assert "no place for" not in outcome.inner_text()  # our own file: no warnings
        assert_accessible(page)  # with the outcome shown
    assert counts(seeded_app) == before
