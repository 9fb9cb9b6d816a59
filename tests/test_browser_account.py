"""In Chromium: a learner's account page passes axe, downloads a JSON file holding their
attempt, and takes a deletion request (with the password) that can be cancelled."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import PASSWORD, add_user, build_small_quiz, database_url
from .test_browser_password_reset import log_in
from .test_privacy import give_attempts

pytestmark = pytest.mark.browser
LENA = "lena@example.org"


@pytest.fixture
def app_with_an_attempt(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            give_attempts(build_small_quiz(), add_user(LENA, name="Lena Learner").id, 1)
        yield app


def test_the_account_page_downloads_the_learners_data_and_takes_a_deletion_request(
    app_with_an_attempt: Flask, tmp_path: Path
) -> None:
    with live_server(app_with_an_attempt) as base, chromium_page() as page:
        log_in(page, base, LENA, PASSWORD)
        page.get_by_text("Logged in as Lena Learner.").wait_for()  # type: ignore[attr-defined]
        page.goto(base + "/auth/account")  # type: ignore[attr-defined]
        page.get_by_text("1 quiz attempt, with 3 answers").wait_for()  # type: ignore[attr-defined]
        assert_accessible(page)

        with page.expect_download() as started:  # type: ignore[attr-defined]
            page.get_by_role("link", name="Download everything (JSON)").click()  # type: ignore[attr-defined]
        download = started.value
        assert download.suggested_filename.startswith("quizapp-data-")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        data = json.loads(saved.read_text(encoding="utf-8"))
        assert data["profile"]["email"] == LENA
        (attempt,) = data["attempts"]
        assert attempt["quiz"] == "Encryption basics"
        assert [answer["correct"] for answer in attempt["answers"]] == [True, True, True]

        page.get_by_label("Your password").fill("not my password")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Ask for my account to be deleted").click()  # type: ignore[attr-defined]
        page.get_by_text("That is not your password; nothing was asked.").wait_for()  # type: ignore[attr-defined]
        assert_accessible(page)
        page.get_by_label("Your password").fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Ask for my account to be deleted").click()  # type: ignore[attr-defined]
        page.get_by_text("You asked for your account to be deleted on").wait_for()  # type: ignore[attr-defined]
        assert_accessible(page)
        page.get_by_role("button", name="Cancel the deletion request").click()  # type: ignore[attr-defined]
        page.get_by_text("Your deletion request is cancelled").wait_for()  # type: ignore[attr-defined]
        assert page.get_by_label("Your password").count() == 1  # type: ignore[attr-defined]
