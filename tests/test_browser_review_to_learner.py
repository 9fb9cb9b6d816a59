"""The review desk end to end, in Chromium: a teacher imports an article by pasting it, fixes
a quote's speaker, approves ten drafts and rejects two in one submit each, builds a quiz,
previews it as a learner, publishes it; a learner takes it, and their flashcards then hold
only what the teacher approved or confirmed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.models import Attempt, Fact, FactStatus, Question, Role, Status, User
from quizapp.services.cards import visible_facts, visible_questions

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import SEED_ARTICLE, add_user, database_url
from .test_accessibility import log_in
from .test_browser_teacher_workspace import log_out

pytestmark = pytest.mark.browser

WORDS = "a mass surveillance apparatus"


@pytest.fixture
def desk_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
            add_user("lena@example.org", name="Lena Learner")
        yield app


def test_import_review_preview_publish_and_the_learner_sees_only_reviewed_material(
    desk_app: Flask,
) -> None:
    app = desk_app
    with live_server(app) as base, chromium_page() as page:
        log_in(page, base, "tess@example.org")
        page.wait_for_url(re.compile(r"/teach/$"))
        page.get_by_role("link", name="Import an article").click()
        page.get_by_label("Title").fill("Encryption row")
        page.get_by_label("Paste the article's text").fill(SEED_ARTICLE.read_text("utf-8"))
        page.get_by_role("button", name="Import article").click()
        page.wait_for_url(re.compile(r"/teach/articles/\d+"))
        article_id = int(re.search(r"/teach/articles/(\d+)", page.url)[1])  # type: ignore[index]

        # Fix a quote's speaker: the fact form, then the fact is confirmed under its new name.
        row = page.locator("tr.fact", has_text=WORDS).first
        row.get_by_role("link", name=re.compile("^Edit")).click()
        page.get_by_label("Speaker").fill("Signal's president")
        page.get_by_role("button", name="Save fact").click()
        page.get_by_text(re.compile(r"Saved the fact; it is confirmed\.")).wait_for()
        fixed = page.locator("tr.fact", has_text=WORDS).first
        assert "Signal's president" in fixed.inner_text()

        # Ten approved in one submit, two rejected in another (confirmed in the dialog).
        with app.app_context():
            drafts = sorted(
                db.session.scalars(
                    select(Question.id).where(
                        Question.article_id == article_id, Question.status == Status.DRAFT
                    )
                )
            )
        assert len(drafts) >= 12
        for question_id in drafts[:10]:
            page.locator(f"#pick-{question_id}").check()
        page.get_by_role("button", name="Approve selected").click()
        page.locator("#review-status").get_by_text("Approved 10 questions").wait_for()
        page.on("dialog", lambda dialog: dialog.accept())
        for question_id in drafts[10:12]:
            page.locator(f"#pick-{question_id}").check()
        page.get_by_role("button", name="Reject selected").click()
        page.locator("#review-status").get_by_text("Rejected and deleted 2 drafts.").wait_for()

        # A public quiz of three approved questions, previewed, then published.
        page.goto(base + "/teach/quizzes/new")
        page.get_by_label("Title").fill("Review desk quiz")
        page.get_by_label(re.compile("Public: every learner")).check()
        page.get_by_role("button", name="Save quiz").click()
        page.get_by_text("Saved “Review desk quiz”.").wait_for()
        boxes = (
            page.locator("fieldset")
            .filter(has_text="Tick the questions")
            .locator("input[type=checkbox]")
        )
        assert boxes.count() == 10  # only the approved drafts are in the bank
        for n in range(3):
            boxes.nth(n).check()
        page.get_by_role("button", name="Add to quiz").click()
        page.get_by_text("Added 3 questions.").wait_for()
        page.get_by_role("link", name="Preview as a learner").click()
        page.get_by_role("button", name="Start the preview").click()
        page.locator("input[name=answer]").first.check()
        page.get_by_role("button", name="Check answer").click()
        assert_accessible(page)
        page.get_by_role("link", name="Back to the quiz builder").first.click()
        page.get_by_role("button", name="Publish").click()
        page.get_by_text("Published.").wait_for()
        with app.app_context():
            assert db.session.scalar(select(db.func.count()).select_from(Attempt)) == 0
        log_out(page)

        log_in(page, base, "lena@example.org")
        page.get_by_role("button", name=re.compile(r"^Start quiz\W+Review desk quiz")).click()
        for number in range(1, 4):
            page.locator("label.choice").first.click()
            page.get_by_role("button", name="Check answer").click()
            if number < 3:
                page.get_by_role("link", name="Next question").click()
        page.get_by_role("button", name="Finish and see my score").click()
        page.locator("#score").wait_for()
        page.goto(base + "/study/cards")
        assert_accessible(page)

    with app.app_context():
        learner = db.session.scalar(select(User.id).where(User.email == "lena@example.org"))
        now = utcnow()
        card_questions = set(db.session.scalars(visible_questions(learner, now)))
        card_facts = set(db.session.scalars(visible_facts(learner, now)))
        assert card_questions, "the quiz's approved questions are cards"
        statuses = {
            q.status
            for q in db.session.scalars(select(Question).where(Question.id.in_(card_questions)))
        }
        assert statuses == {Status.APPROVED}
        assert not card_questions & set(drafts[10:])  # nothing rejected or unreviewed
        fact_statuses = {
            f.status for f in db.session.scalars(select(Fact).where(Fact.id.in_(card_facts)))
        }
        assert fact_statuses <= {FactStatus.CONFIRMED}
