"""A learner registers, takes the seeded quiz to the end in Chromium, and sees the score."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .browser import chromium_page, live_server, served_app
from .conftest import SEEDS, database_url

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), seeds=SEEDS) as app:
        yield app


def test_register_take_the_seeded_quiz_and_see_the_score(seeded_app: Flask) -> None:
    with live_server(seeded_app) as base, chromium_page() as page:
        page.goto(base + "/")
        page.get_by_role("link", name="Register").click()
        page.get_by_label("Your name").fill("Lena Learner")
        page.get_by_label("Email").fill("lena@example.org")
        page.get_by_label("Password", exact=True).fill("a long passphrase")
        page.get_by_label("Repeat password").fill("a long passphrase")
        page.get_by_role("button", name="Create account").click()
        # The same answer whether the address was new or taken; then the learner logs in.
        page.get_by_text("its account is ready").wait_for()
        page.get_by_label("Email").fill("lena@example.org")
        page.get_by_label("Password").fill("a long passphrase")
        page.get_by_role("button", name="Log in").click()
        page.get_by_text("Logged in as Lena Learner.").wait_for()

        page.get_by_role("button", name=re.compile("^Start quiz")).first.click()
        total = int(re.search(r"of (\d+)", page.locator("h1").inner_text()).group(1))
        assert total >= 5
        for number in range(1, total + 1):
            assert page.locator("h1").inner_text() == f"Question {number} of {total}"
            page.locator("label.choice").first.click()
            page.get_by_role("button", name="Check answer").click()
            page.locator("#feedback-title").wait_for()
            assert page.locator(".evidence blockquote").inner_text().strip()
            if number < total:
                page.get_by_role("link", name="Next question").click()
        page.get_by_role("button", name="Finish and see my score").click()
        score = page.locator("#score").inner_text()
        assert re.search(rf"You scored \d+ out of {total}", score), score
        page.get_by_role("link", name="All my scores").click()
        assert page.locator("table tbody tr").count() == 1
