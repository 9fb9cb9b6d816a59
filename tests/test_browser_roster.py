"""In Chromium: a teacher imports a class list of five, prints the sign-in sheet, and a pupil
signs in with the username and one-time password from it and must choose their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import ClassMember, Role
from quizapp.services.classes import create_class

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import PASSWORD, add_user, database_url

pytestmark = pytest.mark.browser
CLASS_LIST = (
    "Name;Email;Username\n"
    "Ann Lee;;\n"
    "Bo Karlsson;bo@school.org;\n"
    "Cy Do;;cyd\n"
    "Dee Existing;dee@example.org;\n"
    "Zoë Ångström;;\n"
)
PUPILS_OWN = "violet tramline seventeen"


@pytest.fixture
def teacher_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            tess = add_user("tess@example.org", Role.TEACHER, name="Tess Teacher")
            dee = add_user("dee@example.org", name="Dee Existing")
            with write_transaction():
                create_class(tess.id, "Year 7 Citizenship")
                # Dee is already Tess's pupil (last year's class), so the list brings her in.
                last_year = create_class(tess.id, "Year 6")
                db.session.add(ClassMember(class_id=last_year.id, learner_id=dee.id))
        yield app


def test_import_a_class_list_print_the_sheet_and_a_pupil_signs_in(
    teacher_app: Flask, tmp_path: Path
) -> None:
    class_list = tmp_path / "year7.csv"
    class_list.write_text(CLASS_LIST, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    with live_server(teacher_app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")  # type: ignore[attr-defined]
        page.get_by_label("Email or username").fill("tess@example.org")  # type: ignore[attr-defined]
        page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
        page.get_by_role("link", name="Teach").click()  # type: ignore[attr-defined]
        page.goto(base + "/teach/classes")  # type: ignore[attr-defined]
        page.get_by_role("link", name="Year 7 Citizenship").click()  # type: ignore[attr-defined]
        page.get_by_label("Upload a class list").set_input_files(class_list)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Import the class list").click()  # type: ignore[attr-defined]

        page.get_by_role("heading", name="Sign-in sheet: Year 7 Citizenship").wait_for()  # type: ignore[attr-defined]
        slips = page.locator(".slip")  # type: ignore[attr-defined]
        assert slips.count() == 4
        assert page.get_by_text("signs in as before").count() == 1  # type: ignore[attr-defined]
        assert_accessible(page)
        page.emulate_media(media="print")  # type: ignore[attr-defined]
        assert page.locator(".site-header").is_hidden()  # type: ignore[attr-defined]
        assert page.get_by_role("button", name="Print the sheet").is_hidden()  # type: ignore[attr-defined]
        assert all(slips.nth(n).is_visible() for n in range(4))
        assert slips.first.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
        page.emulate_media(media="screen")  # type: ignore[attr-defined]

        ann = slips.filter(has_text="Ann Lee")
        username = ann.locator(".slip-username").inner_text()
        one_time = ann.locator(".slip-password").inner_text()
        assert username == "ann.lee"
        page.get_by_role("button", name="Log out Tess Teacher").click()  # type: ignore[attr-defined]
        page.get_by_text("You have logged out.").wait_for()  # type: ignore[attr-defined]

        pupil = page.context.browser.new_context().new_page()  # type: ignore[attr-defined]
        pupil.goto(base + "/auth/login")
        pupil.get_by_label("Email or username").fill(username)
        pupil.get_by_label("Password").fill(one_time)
        pupil.get_by_role("button", name="Log in").click()
        pupil.get_by_text("choose your own password to go on").wait_for()
        assert pupil.url == base + "/auth/password"
        assert_accessible(pupil)
        pupil.get_by_label("One-time password").fill(one_time)
        pupil.get_by_label("New password", exact=True).fill(PUPILS_OWN)
        pupil.get_by_label("Repeat new password").fill(PUPILS_OWN)
        pupil.get_by_role("button", name="Change password").click()
        pupil.get_by_text("Your password is changed").wait_for()
        assert pupil.url == base + "/"
        assert pupil.get_by_text("Year 7 Citizenship").count() >= 1
        pupil.goto(base + "/scores")
        assert pupil.url == base + "/scores"  # no longer sent to the password form
