"""In Chromium: an admin invites a teacher from the users page; the teacher follows the link
in the email the app really sent (to an SMTP server in the test process), signs up and lands
in the teacher's workspace; the same link is refused afterwards. axe-core checks the users
page and the invitation page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from quizapp.database import write_transaction
from quizapp.models import Role
from quizapp.services.accounts import create_user

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import PASSWORD, database_url
from .mail import Inbox, link_in, smtp_server

pytestmark = pytest.mark.browser
NEW_PASSWORD = "violet tramline seventeen"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_server() as handler:
        yield handler


@pytest.fixture
def app_with_admin(tmp_path: Path, inbox: Inbox) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), settings=inbox.settings()) as app:
        with app.app_context(), write_transaction():
            create_user("head@school.example", "Ms Head", PASSWORD, Role.ADMIN)
        yield app


def received(inbox: Inbox) -> EmailMessage:
    """The first message, once it has arrived."""
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) == 1, inbox.messages
    return inbox.messages[0]


def test_an_admin_invites_a_teacher_who_signs_up_from_the_email(
    app_with_admin: Flask, inbox: Inbox
) -> None:
    with live_server(app_with_admin) as base, chromium_page() as page:
        page.goto(base + "/auth/login")  # type: ignore[attr-defined]
        page.get_by_label("Email or username").fill("head@school.example")  # type: ignore[attr-defined]
        page.get_by_label("Password", exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
        page.get_by_text("Logged in as Ms Head.").wait_for()  # type: ignore[attr-defined]

        page.goto(base + "/admin/users")  # type: ignore[attr-defined]
        page.get_by_role("heading", name="Users", exact=True).wait_for()  # type: ignore[attr-defined]
        assert_accessible(page)
        page.get_by_label("Email", exact=True).fill("Tom.Teacher@school.example")  # type: ignore[attr-defined]
        page.get_by_label("Invite as").select_option("teacher")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Invite").click()  # type: ignore[attr-defined]
        page.get_by_text("The invitation was emailed to tom.teacher@school.example.").wait_for()  # type: ignore[attr-defined]
        shown = page.locator("#invite-link").inner_text()  # type: ignore[attr-defined]

        message = received(inbox)
        assert message["To"] == "tom.teacher@school.example"
        link = link_in(message, "/auth/invite/")
        assert link == shown and link.startswith(base + "/auth/invite/")

        teacher = page.context.browser.new_context().new_page()  # type: ignore[attr-defined]
        teacher.goto(link)
        teacher.get_by_role("heading", name="Accept your invitation").wait_for()
        assert teacher.get_by_text("tom.teacher@school.example").count() == 1
        assert_accessible(teacher)
        teacher.get_by_label("Your name").fill("Tom Teacher")
        teacher.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
        teacher.get_by_label("Repeat password").fill(NEW_PASSWORD)
        teacher.get_by_role("button", name="Create my account").click()
        teacher.get_by_role("heading", name="Teacher's workspace").wait_for()
        assert teacher.url == base + "/teach/"
        assert teacher.get_by_role("button", name="Log out Tom Teacher").count() == 1

        # The admin sees the new teacher, and no open invitation any more.
        page.goto(base + "/admin/users")  # type: ignore[attr-defined]
        assert page.get_by_role("rowheader", name="Tom Teacher").count() == 1  # type: ignore[attr-defined]
        assert page.get_by_text("No invitation is waiting to be accepted.").count() == 1  # type: ignore[attr-defined]

        stranger = page.context.browser.new_context().new_page()  # type: ignore[attr-defined]
        stranger.goto(link)
        stranger.get_by_text("That invitation link has expired, was already used").wait_for()
        assert stranger.get_by_label("Your name").count() == 0
