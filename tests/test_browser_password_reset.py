"""In Chromium: a learner who forgot their password resets it through the link in the email the
app really sent (to an SMTP server in the test process), then signs in with the new one; the
old password and the used link stop working."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from .browser import chromium_page, live_server, served_app
from .conftest import PASSWORD, add_user, database_url
from .mail import Inbox, link_in, smtp_server

pytestmark = pytest.mark.browser
NEW_PASSWORD = "violet tramline seventeen"
LENA = "lena@example.org"


def fill_sign_in_name(page: object, value: str) -> None:
    """The login form's first field: "Email or username" since pupils may have no email,
    "Email" (id ``email``) before that."""
    field = page.get_by_label("Email or username")  # type: ignore[attr-defined]
    if not field.count():
        field = page.locator("#email")  # type: ignore[attr-defined]
    field.fill(value)


def log_in(page: object, base: str, name: str, password: str) -> None:
    """Submit the login form, leaving the page wherever the app sends it."""
    page.goto(base + "/auth/login")  # type: ignore[attr-defined]
    fill_sign_in_name(page, name)
    page.get_by_label("Password", exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def received(inbox: Inbox, count: int) -> EmailMessage:
    """The ``count``-th message, once it has arrived (SMTP is acknowledged before the page
    answers, but wait a little rather than rely on it)."""
    deadline = time.monotonic() + 10
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) == count, inbox.messages
    return inbox.messages[-1]


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_server() as handler:
        yield handler


@pytest.fixture
def app_with_lena(tmp_path: Path, inbox: Inbox) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), settings=inbox.settings()) as app:
        with app.app_context():
            add_user(LENA, name="Lena Learner")
        yield app


def test_a_forgotten_password_is_reset_through_the_received_email(
    app_with_lena: Flask, inbox: Inbox
) -> None:
    with live_server(app_with_lena) as base, chromium_page() as page:
        page.goto(base + "/auth/login")  # type: ignore[attr-defined]
        page.get_by_role("link", name="Forgot your password?").click()  # type: ignore[attr-defined]
        page.get_by_label("Email").fill("Lena@Example.org")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Send me a link").click()  # type: ignore[attr-defined]
        page.get_by_text("If an account uses that address, a link is on its way.").wait_for()  # type: ignore[attr-defined]

        message = received(inbox, 1)
        assert message["To"] == LENA
        link = link_in(message, "/auth/reset/")
        assert link.startswith(base + "/auth/reset/")
        page.goto(link)  # type: ignore[attr-defined]
        page.get_by_role("heading", name="Set a new password").wait_for()  # type: ignore[attr-defined]
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)  # type: ignore[attr-defined]
        page.get_by_label("Repeat new password").fill(NEW_PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Set password").click()  # type: ignore[attr-defined]
        page.get_by_text("Your password is set").wait_for()  # type: ignore[attr-defined]

        log_in(page, base, LENA, NEW_PASSWORD)
        page.get_by_text("Logged in as Lena Learner.").wait_for()  # type: ignore[attr-defined]
        page.get_by_role("button", name="Log out Lena Learner").click()  # type: ignore[attr-defined]
        page.get_by_text("You have logged out.").wait_for()  # type: ignore[attr-defined]

        log_in(page, base, LENA, PASSWORD)
        page.locator(".field.has-error").first.wait_for()  # type: ignore[attr-defined]
        assert page.get_by_role("heading", name="Log in").count() == 1  # type: ignore[attr-defined]
        assert page.get_by_text("Logged in as").count() == 0  # type: ignore[attr-defined]

        page.goto(link)  # type: ignore[attr-defined]
        page.get_by_text("That reset link has expired or was already used").wait_for()  # type: ignore[attr-defined]
        assert page.get_by_label("New password", exact=True).count() == 0  # type: ignore[attr-defined]
