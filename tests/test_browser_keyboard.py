"""A learner takes the seeded quiz with the keyboard alone, seeing where the focus is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .browser import chromium_page, live_server, served_app
from .conftest import PASSWORD, SEEDS, add_user, database_url

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), seeds=SEEDS) as app:
        with app.app_context():
            add_user("kim@example.org", name="Kim Keys")
        yield app


def tab_to(page: object, name: re.Pattern[str], limit: int = 40) -> None:
    """Press Tab until the focused element's text or value matches, checking it is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        label = page.evaluate(  # type: ignore[attr-defined]
            "() => { const e = document.activeElement;"
            " return (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(); }"
        )
        if name.search(label):
            outline = page.evaluate(  # type: ignore[attr-defined]
                "() => getComputedStyle(document.activeElement).outlineStyle"
            )
            assert outline != "none", f"focus on {label!r} is not visible"
            return
    raise AssertionError(f"never reached {name.pattern!r} with Tab")


def test_take_the_quiz_with_the_keyboard_only(seeded_app: Flask) -> None:
    with live_server(seeded_app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")
        tab_to(page, re.compile("^$"))  # the email field (an empty input)
        page.keyboard.type("kim@example.org")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.get_by_text("Logged in as Kim Keys").wait_for()

        tab_to(page, re.compile("^Start quiz"))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/questions/1$"))
        total = int(re.search(r"of (\d+)", page.locator("h1").inner_text()).group(1))
        for number in range(1, total + 1):
            page.locator("h1", has_text=f"Question {number} of {total}").wait_for()
            # Tab into the choices; Space picks a radio, or ticks the first box of a
            # select-all question; Enter on a choice submits the form.
            focused_type = ""
            for _ in range(20):
                page.keyboard.press("Tab")
                focused_type = page.evaluate("() => document.activeElement.type || ''")
                if focused_type in ("radio", "checkbox"):
                    break
            assert focused_type in ("radio", "checkbox")
            page.keyboard.press("Space")
            page.keyboard.press("Enter")
            page.locator("#feedback-title").wait_for()
            if number < total:
                tab_to(page, re.compile("^Next question$"))
                page.keyboard.press("Enter")
        tab_to(page, re.compile("^Finish and see my score$"))
        page.keyboard.press("Enter")
        page.locator("#score").wait_for()
        assert re.search(rf"You scored \d+ out of {total}", page.locator("#score").inner_text())
