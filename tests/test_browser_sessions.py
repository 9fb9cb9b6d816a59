"""In Chromium: a copied cookie stops working after logout and after a password change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .browser import chromium_page, live_server, served_app
from .conftest import PASSWORD, add_user, database_url

pytestmark = pytest.mark.browser
NEW_PASSWORD = "violet tramline seventeen"


@pytest.fixture
def app_with_lena(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            add_user("lena@example.org", name="Lena Learner")
        yield app


def log_in(page: object, base: str, password: str = PASSWORD) -> None:
    page.goto(base + "/auth/login")  # type: ignore[attr-defined]
    page.get_by_label("Email").fill("lena@example.org")  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_label("Keep me logged in").check()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.get_by_text("Logged in as Lena Learner.").wait_for()  # type: ignore[attr-defined]


def signed_in(page: object, base: str) -> bool:
    page.goto(base + "/")  # type: ignore[attr-defined]
    return page.get_by_role("button", name="Log out Lena Learner").count() == 1  # type: ignore[attr-defined]


def test_a_copied_cookie_stops_working_after_logout_and_after_a_password_change(
    app_with_lena: Flask,
) -> None:
    with live_server(app_with_lena) as base, chromium_page() as page:
        log_in(page, base)
        thief = page.context.browser.new_context()  # type: ignore[attr-defined]
        thief.add_cookies(page.context.cookies())  # type: ignore[attr-defined]
        stolen = thief.new_page()
        assert signed_in(stolen, base)
        page.get_by_role("button", name="Log out Lena Learner").click()  # type: ignore[attr-defined]
        page.get_by_text("You have logged out.").wait_for()  # type: ignore[attr-defined]
        assert not signed_in(stolen, base)

        log_in(page, base)
        thief.clear_cookies()
        thief.add_cookies(page.context.cookies())  # type: ignore[attr-defined]
        assert signed_in(stolen, base)
        page.get_by_role("link", name="Account").click()  # type: ignore[attr-defined]
        page.get_by_role("link", name="Change your password").click()  # type: ignore[attr-defined]
        page.get_by_label("Current password").fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)  # type: ignore[attr-defined]
        page.get_by_label("Repeat new password").fill(NEW_PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Change password").click()  # type: ignore[attr-defined]
        page.get_by_text("signed out everywhere else").wait_for()  # type: ignore[attr-defined]
        assert signed_in(page, base)
        assert not signed_in(stolen, base)
        thief.close()
