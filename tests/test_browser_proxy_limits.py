"""In Chromium, behind one proxy: ten wrong passwords for one account get that account's next
try refused, while another pupil at the same school address signs in at once."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .browser import CHROMIUM, CHROMIUM_ARGS, live_server, served_app
from .conftest import PASSWORD, add_user, database_url
from .test_browser_password_reset import fill_sign_in_name

pytestmark = pytest.mark.browser
SCHOOL_ADDRESS = "203.0.113.7"  # every pupil's requests reach the proxy from the school's NAT
LENA, MAX = "lena@example.org", "max@example.org"


class Addresses(logging.Handler):
    """The client address the request log gives each request."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


@pytest.fixture
def app_behind_proxy(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), settings={"PROXY_HOPS": 1}) as app:
        with app.app_context():
            add_user(LENA, name="Lena Learner")
            add_user(MAX, name="Max Pupil")
        yield app


@pytest.fixture
def request_log() -> Iterator[Addresses]:
    handler = Addresses()
    logger = logging.getLogger("quizapp.requests")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def pupils() -> Iterator[tuple[object, object]]:
    """Two browsers whose requests the proxy forwards from the same school address."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(2):
                context = browser.new_context(
                    extra_http_headers={"X-Forwarded-For": SCHOOL_ADDRESS}
                )
                page = context.new_page()
                page.set_default_timeout(15_000)
                pages.append(page)
            yield pages[0], pages[1]
        finally:
            browser.close()


def submit_login(page: object, base: str, name: str, password: str) -> int:
    """The status the login form's POST got."""
    page.goto(base + "/auth/login")  # type: ignore[attr-defined]
    fill_sign_in_name(page, name)
    page.get_by_label("Password", exact=True).fill(password)  # type: ignore[attr-defined]
    with page.expect_response(lambda r: r.request.method == "POST") as posted:  # type: ignore[attr-defined]
        page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    return int(posted.value.status)


def test_ten_wrong_passwords_block_that_account_and_nobody_else(
    app_behind_proxy: Flask, request_log: Addresses, pupils: tuple[object, object]
) -> None:
    guesser, other = pupils
    with live_server(app_behind_proxy) as base:
        for guess in range(10):
            assert submit_login(guesser, base, LENA, f"wrong guess {guess}") == 422
            guesser.locator(".field.has-error").first.wait_for()  # type: ignore[attr-defined]

        assert submit_login(guesser, base, LENA, "wrong guess 10") == 429
        guesser.get_by_role("heading", name="Too many attempts").wait_for()  # type: ignore[attr-defined]
        guesser.get_by_text("Too many attempts for this account or from your network").wait_for()  # type: ignore[attr-defined]

        assert submit_login(other, base, MAX, PASSWORD) == 302
        other.get_by_text("Logged in as Max Pupil.").wait_for()  # type: ignore[attr-defined]

    # Both browsers were one client to the app: the forwarded address, not the proxy's.
    posts = [line for line in request_log.seen if '"POST"' in line]
    assert len(posts) == 12
    assert all(f'"ip": "{SCHOOL_ADDRESS}"' in line for line in posts), posts
