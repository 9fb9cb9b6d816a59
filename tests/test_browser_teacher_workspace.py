"""In a real browser: a teacher builds a quiz from the bank and assigns it to a class, a
learner joins the class and takes it, and the teacher downloads the scores as CSV.
axe-core checks each teacher page on the way."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from quizapp.models import Role

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import SEEDS, add_user, database_url
from .test_accessibility import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), seeds=SEEDS) as app:
        with app.app_context():
            add_user("lena@example.org", name="Lena Learner")
            add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
        yield app


def log_out(page: object) -> None:
    page.get_by_role("button", name=re.compile("^Log out")).click()  # type: ignore[attr-defined]


def test_build_assign_take_and_download(seeded_app: Flask) -> None:
    with live_server(seeded_app) as base, chromium_page() as page:
        log_in(page, base, "tess@example.org")
        page.goto(base + "/teach/classes")
        assert_accessible(page)
        page.get_by_label("Class name").fill("Year 10 Citizenship")
        page.get_by_role("button", name="Create class").click()
        code = page.locator("#join-code").inner_text()
        assert_accessible(page)

        page.goto(base + "/teach/questions")
        assert_accessible(page)
        page.get_by_role("link", name="Write a question").click()
        assert_accessible(page)
        page.goto(base + "/teach/questions/import")
        assert_accessible(page)

        page.goto(base + "/teach/quizzes")
        page.get_by_role("link", name="New quiz").click()
        assert_accessible(page)
        page.get_by_label("Title").fill("Encryption check")
        page.get_by_label("Year 10 Citizenship").check()
        page.get_by_label("Show right and wrong").select_option("after_submit")
        page.get_by_role("button", name="Save quiz").click()
        page.get_by_text("Saved “Encryption check”.").wait_for()
        assert_accessible(page)  # the builder
        boxes = (
            page.locator("fieldset")
            .filter(has_text="Tick the questions")
            .locator("input[type=checkbox]")
        )
        for n in range(3):
            boxes.nth(n).check()
        page.get_by_role("button", name="Add to quiz").click()
        page.get_by_text("Added 3 questions.").wait_for()
        page.get_by_label("Points for question 1").fill("2")
        page.get_by_role("button", name="Save order and points").click()
        page.get_by_text("Saved the order and points.").wait_for()
        page.get_by_role("button", name="Publish").click()
        page.get_by_text("Published.").wait_for()
        log_out(page)

        log_in(page, base, "lena@example.org")
        assert "Encryption check" not in page.content()  # not in the class yet
        page.get_by_label("Class code").fill(code.lower())
        page.get_by_role("button", name="Join class").click()
        page.get_by_text("You joined Year 10 Citizenship.").wait_for()
        page.get_by_role("button", name=re.compile(r"^Start quiz\W+Encryption check")).click()
        for number in range(1, 4):
            page.locator("label.choice").first.click()
            page.get_by_role("button", name="Check answer").click()
            page.get_by_role("heading", name="Answer saved.").wait_for()
            if number < 3:
                page.get_by_role("link", name="Next question").click()
        page.get_by_role("button", name="Finish and see my score").click()
        score = page.locator("#score").inner_text()
        assert "out of 4" in score
        log_out(page)

        log_in(page, base, "tess@example.org")
        page.goto(base + "/teach/quizzes")
        page.get_by_role("link", name=re.compile(r"^Report\W+Encryption check")).click()
        page.locator("#attempts-table").get_by_text("Lena Learner").wait_for()
        assert_accessible(page)
        page.set_viewport_size({"width": 375, "height": 740})  # a phone: nothing runs off
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.set_viewport_size({"width": 1280, "height": 800})
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Summary: one row per attempt").click()
        download = download_info.value
        assert re.fullmatch(
            r"encryption-check-summary-\d{4}-\d\d-\d\d\.csv", download.suggested_filename
        )
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
        assert len(rows) == 1
        assert rows[0]["learner"] == "Lena Learner" and rows[0]["class"] == "Year 10 Citizenship"
        assert rows[0]["max_score"] == "4.0"
        assert score.startswith(f"You scored {float(rows[0]['score']):g} out of 4")
