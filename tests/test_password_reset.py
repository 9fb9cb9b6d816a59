"""Password reset by an emailed, single-use, expiring link, sent to a real SMTP server run in
the test process (aiosmtpd)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services.resets import SALT

from .conftest import PASSWORD, add_user
from .mail import Inbox, smtp_server
from .mail import link_in as sent_link

NEW_PASSWORD = "violet tramline seventeen"
SENT = "If an account uses that address, a link is on its way."


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    with smtp_server() as handler:
        app.config.update(handler.settings())
        yield handler


@pytest.fixture
def bo(app: Flask) -> int:
    """Bo's user id."""
    with app.app_context():
        return add_user("bo@example.org").id


def request_reset(client: FlaskClient, email: str) -> str:
    response = client.post("/auth/reset", data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def link_in(message: EmailMessage) -> str:
    """The reset link's path, on the test client's host."""
    return sent_link(message, "/auth/reset/").removeprefix("http://localhost")


def login(client: FlaskClient, password: str) -> int:
    data = {"account": "bo@example.org", "password": password}
    return client.post("/auth/login", data=data).status_code


def test_reset_by_emailed_link_works_once(app: Flask, inbox: Inbox, bo: int) -> None:
    old_session = app.test_client()
    assert login(old_session, PASSWORD) == 302
    client = app.test_client()
    assert SENT in request_reset(client, "Bo@Example.org ")
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "bo@example.org"
    assert message["From"] == "quiz@school.example"
    path = link_in(message)

    page = client.get(path)
    assert page.status_code == 200
    assert "Set a new password" in page.get_data(as_text=True)
    weak = client.post(path, data={"password": "password", "confirm": "password"})
    assert weak.status_code == 422
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/auth/login")

    assert login(app.test_client(), NEW_PASSWORD) == 302
    assert login(app.test_client(), PASSWORD) == 422
    # Every old sign-in ended with the reset.
    assert old_session.get("/auth/password").status_code == 302

    again = client.get(path)
    assert again.status_code == 404
    assert "expired or was already used" in again.get_data(as_text=True)
    other = "another good passphrase"
    second = client.post(path, data={"password": other, "confirm": other})
    assert second.status_code == 404
    assert login(app.test_client(), other) == 422


def test_a_reset_password_is_the_users_own_not_a_one_time_one(
    app: Flask, inbox: Inbox, bo: int
) -> None:
    """A pupil on a one-time password who resets by email is not asked to change it again."""
    with app.app_context():
        db.session.get(User, bo).must_change_password = True  # type: ignore[union-attr]
        db.session.commit()
    client = app.test_client()
    request_reset(client, "bo@example.org")
    path = link_in(inbox.messages[0])
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert login(client, NEW_PASSWORD) == 302
    assert client.get("/").status_code == 200


def signed_at(app: Flask, user: User, seconds_ago: int) -> str:
    """A reset token as the app makes it, but signed ``seconds_ago`` seconds in the past."""

    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds_ago

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT, signer=Backdated)
    return serializer.dumps([user.id, user.session_token])


def test_link_expires(app: Flask, inbox: Inbox, bo: int) -> None:
    lifetime = app.config["RESET_TOKEN_MINUTES"] * 60
    with app.app_context():
        user = db.session.get(User, bo)
        assert user is not None
        stale = signed_at(app, user, lifetime + 5)
        fresh = signed_at(app, user, lifetime - 60)
    client = app.test_client()
    assert client.get(f"/auth/reset/{stale}").status_code == 404
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(f"/auth/reset/{stale}", data=data).status_code == 404
    assert login(app.test_client(), NEW_PASSWORD) == 422
    assert client.get(f"/auth/reset/{fresh}").status_code == 200


def test_forged_link_is_refused(app: Flask, bo: int) -> None:
    with app.app_context():
        user = db.session.get(User, bo)
        assert user is not None
        forged = URLSafeTimedSerializer("not the key", salt=SALT).dumps(
            [user.id, user.session_token]
        )
        other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"]).dumps(
            [user.id, user.session_token]
        )
    client = app.test_client()
    for token in (forged, other_salt, "garbage"):
        assert client.get(f"/auth/reset/{token}").status_code == 404


def test_unknown_email_gets_the_same_page_and_no_mail(app: Flask, inbox: Inbox, bo: int) -> None:
    unknown = request_reset(app.test_client(), "nobody@example.org")
    assert SENT in unknown
    assert inbox.messages == []
    known = request_reset(app.test_client(), "bo@example.org")
    assert len(inbox.messages) == 1

    def without_tokens(html: str) -> str:
        return re.sub(r'name="csrf_token"[^>]*>', "", html)

    assert without_tokens(unknown) == without_tokens(known)


def test_without_mail_server_the_message_goes_to_the_log(
    app: Flask, bo: int, caplog: pytest.LogCaptureFixture
) -> None:
    assert app.config["MAIL_SERVER"] == ""
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        assert SENT in request_reset(app.test_client(), "bo@example.org")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "To: bo@example.org" in logged
    assert re.search(r"http://localhost/auth/reset/\S+", logged)


def test_login_page_links_to_reset(client: FlaskClient) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Forgot your password?" in page
    assert 'href="/auth/reset"' in page


def test_mail_settings_come_from_the_environment() -> None:
    from quizapp.config import from_environment

    settings = from_environment(
        {
            "MAIL_SERVER": "smtp.school.example",
            "MAIL_PORT": "587",
            "MAIL_FROM": "quiz@school.example",
            "RESET_TOKEN_MINUTES": "30",
        }
    )
    assert settings == {
        "MAIL_SERVER": "smtp.school.example",
        "MAIL_PORT": 587,
        "MAIL_FROM": "quiz@school.example",
        "RESET_TOKEN_MINUTES": 30,
    }


def test_the_link_is_built_on_public_url_not_on_a_forged_host(
    app: Flask, inbox: Inbox, bo: int
) -> None:
    app.config["PUBLIC_URL"] = "https://quiz.school.example/"
    client = app.test_client()
    response = client.post(
        "/auth/reset", data={"email": "bo@example.org"}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 302
    body = inbox.messages[0].get_content()
    assert "https://quiz.school.example/auth/reset/" in body
    assert "evil.example" not in body
