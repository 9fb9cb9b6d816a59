"""Signing in with a username, the per-account limit counted per username, and disabled
accounts refused at the door and in every cookie."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import create_app
from quizapp.auth.views import load_user
from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import ServiceError
from quizapp.services.accounts import UsernameTaken, authenticate, create_user

from .conftest import PASSWORD, PASSWORD_HASH, Auth, database_url, reset_database

WRONG = "not the password at all"


def add_pupil(username: str = "cy.do", name: str = "Cy Do") -> int:
    user = User(username=username, name=name, password_hash=PASSWORD_HASH)
    db.session.add(user)
    db.session.commit()
    return user.id


def test_a_pupil_signs_in_with_their_username_in_any_case(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_pupil()
    assert 'autocomplete="username"' in client.get("/auth/login").get_data(as_text=True)
    assert "Email or username" in client.get("/auth/login").get_data(as_text=True)
    response = auth.login(" Cy.Do ")
    assert response.status_code == 302 and response.location == "/"
    assert "Log out Cy Do" in client.get("/").get_data(as_text=True)
    auth.logout()
    wrong = auth.login("cy.do", WRONG)
    assert wrong.status_code == 422
    assert "email or username and password do not match" in wrong.get_data(as_text=True)


def test_create_user_makes_username_accounts_and_checks_them(app: Flask) -> None:
    with app.app_context(), write_transaction():
        user = create_user(None, "Ann Lee", PASSWORD, username="Ann.Lee")
        assert (user.email, user.username) == (None, "ann.lee")
        with pytest.raises(UsernameTaken):
            create_user(None, "Ann Other", PASSWORD, username="ann.lee")
        for bad in ("a@b", "ab", "has space"):
            with pytest.raises(ServiceError):
                create_user(None, "X Y", PASSWORD, username=bad)
        with pytest.raises(ServiceError, match="email address or a username"):
            create_user(None, "No One", PASSWORD)
        with pytest.raises(ServiceError, match="must not contain"):
            create_user(None, "Bo", "annleeisgreat99", username="annlee")
    with app.app_context():
        assert authenticate("ANN.LEE", PASSWORD) is not None
        assert authenticate("ann.lee@", PASSWORD) is None  # with an @ it is an email


@pytest.fixture
def limited_app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4()}",
            "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        reset_database()
        db.create_all()
        add_pupil()
        add_pupil("di.em", "Di Em")
    yield app
    with app.app_context():
        reset_database()
        db.engine.dispose()


def test_the_per_account_limit_counts_per_username(limited_app: Flask) -> None:
    client = limited_app.test_client()
    statuses = [
        Auth(client).login(name, WRONG).status_code for name in ("cy.do", "CY.DO ", "Cy.Do")
    ]
    assert statuses == [422, 422, 422]
    assert Auth(client).login("cy.do").status_code == 429  # even with the right password
    assert Auth(client).login("di.em").status_code == 302  # another pupil is not blocked


def test_a_disabled_account_cannot_sign_in_and_its_cookies_name_no_one(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        pupil_id = add_pupil()
    assert auth.login("cy.do").status_code == 302
    with app.test_request_context():
        pupil = db.session.get(User, pupil_id)
        pupil.signed_in_at = int(time.time())
        cookie = pupil.get_id()
        assert load_user(cookie) is not None
        pupil = db.session.get(User, pupil_id)
        pupil.disabled_at = utcnow()
        db.session.commit()
        assert load_user(cookie) is None
    assert "Log out Cy Do" not in client.get("/").get_data(as_text=True)
    right = auth.login("cy.do")
    assert right.status_code == 422
    assert "This account is turned off; ask your school&#39;s admin." in right.get_data(
        as_text=True
    )
    wrong = auth.login("cy.do", WRONG).get_data(as_text=True)
    assert "turned off" not in wrong and "do not match" in wrong
