"""Invitations: an admin invites a teacher by email; the single-use, expiring link, received
by a real SMTP server in the test process, makes the account with the invited role."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Invite, Role, User
from quizapp.services import Conflict
from quizapp.services.invites import (
    SALT,
    InvalidInvite,
    accept_invite,
    create_invite,
    make_token,
)

from .conftest import PASSWORD, Auth, add_user
from .mail import Inbox, link_in, smtp_server

NEW_PASSWORD = "violet tramline seventeen"
DEAD = "That invitation link has expired, was already used or was withdrawn."


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    with smtp_server() as handler:
        app.config.update(handler.settings())
        yield handler


@pytest.fixture
def admin(app: Flask, auth: Auth) -> int:
    """An admin, signed in on the test client."""
    with app.app_context():
        admin_id = add_user("head@school.org", Role.ADMIN, name="Ms Head").id
    auth.login("head@school.org")
    return admin_id


def invite(client: FlaskClient, email: str, role: str = "teacher") -> tuple[int, str]:
    response = client.post("/admin/invites", data={"email": email, "role": role})
    return response.status_code, response.get_data(as_text=True)


def path_of(link: str) -> str:
    return link.removeprefix("http://localhost")


def accept(
    client: FlaskClient, path: str, name: str = "Mr Teach", password: str = NEW_PASSWORD
) -> TestResponse:
    return client.post(path, data={"name": name, "password": password, "confirm": password})


def test_an_emailed_invitation_makes_a_teachers_account_once(
    app: Flask, client: FlaskClient, inbox: Inbox, admin: int
) -> None:
    status, page = invite(client, " Teach@School.org ")
    assert status == 200, page
    assert "The invitation was emailed to teach@school.org." in page
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "teach@school.org"
    assert message["Subject"] == "You are invited to quizapp"
    assert "Ms Head invited you to quizapp as a teacher" in message.get_content()
    link = link_in(message, "/auth/invite/")
    # The link is shown once on the page too, with the note to send it privately.
    assert link in page and "send it privately" in page
    assert "teach@school.org" in client.get("/admin/users").get_data(as_text=True)

    newcomer = app.test_client()
    form = newcomer.get(path_of(link))
    assert form.status_code == 200
    assert "teach@school.org" in form.get_data(as_text=True)
    weak = accept(newcomer, path_of(link), password="password1234")
    assert weak.status_code == 422 and "most common passwords" in weak.get_data(as_text=True)
    mismatch = newcomer.post(
        path_of(link), data={"name": "Mr Teach", "password": NEW_PASSWORD, "confirm": "other"}
    )
    assert mismatch.status_code == 422
    done = accept(newcomer, path_of(link))
    assert done.status_code == 302 and done.location == "/teach/"
    # Signed in straight away, as the new teacher.
    home = newcomer.get("/teach/")
    assert home.status_code == 200 and "Log out Mr Teach" in home.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "teach@school.org"))
        assert user is not None and user.role == Role.TEACHER and user.check_password(NEW_PASSWORD)
        row = db.session.scalar(select(Invite))
        assert row is not None and row.accepted_at is not None and row.user_id == user.id
        assert row.created_by_id == admin

    again = app.test_client()
    refused = again.get(path_of(link))
    assert refused.status_code == 404 and DEAD in refused.get_data(as_text=True)
    assert accept(again, path_of(link), name="Someone else").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
    # Accepted invitations are no longer listed as open.
    assert "Revoke" not in client.get("/admin/users").get_data(as_text=True)


def test_an_admin_can_be_invited(app: Flask, client: FlaskClient, inbox: Inbox, admin: int) -> None:
    assert invite(client, "deputy@school.org", "admin")[0] == 200
    assert "as an admin" in inbox.messages[0].get_content()
    newcomer = app.test_client()
    assert accept(newcomer, path_of(link_in(inbox.messages[0], "/auth/invite/"))).status_code == 302
    assert newcomer.get("/admin/users").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "deputy@school.org"))
        assert user is not None and user.is_admin


def test_a_taken_email_or_an_open_invite_is_refused_saying_which(
    app: Flask, client: FlaskClient, inbox: Inbox, admin: int
) -> None:
    with app.app_context():
        add_user("learner@school.org")
    status, page = invite(client, "Learner@School.org")
    assert status == 409 and "learner@school.org already has an account" in page
    assert invite(client, "new@school.org")[0] == 200
    status, page = invite(client, "new@school.org")
    assert status == 409 and "already has an open invitation" in page
    assert len(inbox.messages) == 1
    status, page = invite(client, "not-an-email")
    assert status == 422
    status, page = invite(client, "x@school.org", "learner")
    assert status == 422 and "Not a valid choice" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 1
        with pytest.raises(Exception, match="for a teacher or an admin"):
            create_invite(admin, "y@school.org", "learner")


def test_an_account_made_meanwhile_keeps_the_invite_open(app: Flask, admin: int) -> None:
    with app.app_context():
        with write_transaction():
            token = make_token(create_invite(admin, "late@school.org", Role.TEACHER))
        add_user("late@school.org")
        with pytest.raises(Conflict, match="already exists"), write_transaction():
            accept_invite(token, "Late", NEW_PASSWORD)
        assert db.session.scalar(select(Invite.accepted_at)) is None


def test_a_revoked_invitation_link_is_refused(
    app: Flask, client: FlaskClient, inbox: Inbox, admin: int
) -> None:
    invite(client, "teach@school.org")
    link = path_of(link_in(inbox.messages[0], "/auth/invite/"))
    with app.app_context():
        invite_id = db.session.scalar(select(Invite.id))
    revoked = client.post(f"/admin/invites/{invite_id}/revoke", follow_redirects=True)
    assert "its link no longer works" in revoked.get_data(as_text=True)
    refused = app.test_client().get(link)
    assert refused.status_code == 404 and DEAD in refused.get_data(as_text=True)
    assert accept(app.test_client(), link).status_code == 404
    assert client.post("/admin/invites/999/revoke").status_code == 404
    # The address may be invited again once the old link is withdrawn.
    assert invite(client, "teach@school.org")[0] == 200


def backdated(app: Flask, invite_id: int, nonce: str, seconds_ago: int) -> str:
    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds_ago

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT, signer=Backdated)
    return serializer.dumps([invite_id, nonce])


def test_an_expired_or_forged_link_is_refused(app: Flask, admin: int) -> None:
    lifetime = app.config["INVITE_DAYS"] * 86400
    with app.app_context():
        with write_transaction():
            row = create_invite(admin, "teach@school.org", Role.TEACHER)
        invite_id, nonce = row.id, row.nonce
    client = app.test_client()
    stale = backdated(app, invite_id, nonce, lifetime + 5)
    fresh = backdated(app, invite_id, nonce, lifetime - 60)
    forged = URLSafeTimedSerializer("not the key", salt=SALT).dumps([invite_id, nonce])
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"]).dumps([invite_id, nonce])
    wrong_nonce = backdated(app, invite_id, "guessed", 0)
    for token in (stale, forged, other_salt, wrong_nonce, "garbage"):
        page = client.get(f"/auth/invite/{token}")
        assert page.status_code == 404 and DEAD in page.get_data(as_text=True), token
    assert accept(client, f"/auth/invite/{stale}").status_code == 404
    assert client.get(f"/auth/invite/{fresh}").status_code == 200


def test_the_row_expires_with_the_link(app: Flask, admin: int) -> None:
    """An invite older than INVITE_DAYS is dead even with a freshly signed token, and no
    longer blocks inviting the address again."""
    with app.app_context():
        with write_transaction():
            row = create_invite(admin, "teach@school.org", Role.TEACHER)
            row.created_at = row.created_at.replace(year=row.created_at.year - 1)
        token = make_token(row)
        with pytest.raises(InvalidInvite):
            accept_invite(token, "Mr Teach", NEW_PASSWORD)
        with write_transaction():
            create_invite(admin, "teach@school.org", Role.TEACHER)


def test_a_mail_failure_keeps_the_invitation_and_shows_the_link(
    app: Flask, client: FlaskClient, admin: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there

    status, page = invite(client, "teach@school.org")
    assert status == 200
    assert "could not be sent" in page and "The invitation stands" in page
    match = re.search(r"http://localhost(/auth/invite/[^<\s]+)", page)
    assert match
    assert app.test_client().get(match.group(1)).status_code == 200

    async def refuse(*_args: object) -> str:
        return "554 Transaction failed"

    monkeypatch.setattr(Inbox, "handle_DATA", refuse)
    with smtp_server() as refusing:
        app.config.update(refusing.settings())
        status, page = invite(client, "other@school.org")
    assert status == 200 and "could not be sent" in page and "/auth/invite/" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 2


def test_two_accepts_at_once_make_one_account(app: Flask, admin: int) -> None:
    with app.app_context(), write_transaction():
        token = make_token(create_invite(admin, "teach@school.org", Role.TEACHER))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def take(name: str) -> None:
        with app.app_context():
            barrier.wait()
            try:
                with write_transaction():
                    accept_invite(token, name, NEW_PASSWORD)
            except (InvalidInvite, Conflict) as exc:
                outcomes.append(type(exc).__name__)
            else:
                outcomes.append("made")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take, args=(n,)) for n in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "made" and outcomes.count("made") == 1, outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_only_admins_invite(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        add_user("teacher@school.org", Role.TEACHER)
    auth.login("teacher@school.org")
    assert invite(client, "x@school.org")[0] == 403


def test_users_create_command_makes_an_admin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "head@school.org",
            "--name",
            "Ms Head",
            "--role",
            "admin",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user is not None and user.is_admin and user.is_teacher


def test_link_tokens_stay_out_of_the_log_and_of_caches(
    app: Flask, client: FlaskClient, inbox: Inbox, admin: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Whoever reads the request log or a browser's cache must not find a working link."""
    assert invite(client, "new@school.org")[0] == 200
    link = path_of(link_in(inbox.messages[0], "/auth/invite/"))
    token = link.rsplit("/", 1)[1]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="quizapp.requests"):
        visitor = app.test_client()
        opened = visitor.get(link)
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "quizapp.requests"]
    assert [entry["path"] for entry in logged] == ["/auth/invite/<token>"]
    assert token not in caplog.text
    created = client.post("/admin/invites", data={"email": "two@school.org", "role": "teacher"})
    assert created.headers["Cache-Control"] == "no-store"
    reset = visitor.get("/auth/reset/not-a-real-token")
    assert reset.headers["Cache-Control"] == "no-store"
