"""Sign-ins that end: logout and a password change end every session and remember-me cookie
of the user, a sign-in lasts REMEMBER_COOKIE_DURATION at most, and ids are never reused."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie
from flask_migrate import upgrade
from sqlalchemy import text

from quizapp import create_app
from quizapp.config import ConfigError, sign_in_lifetime
from quizapp.extensions import db
from quizapp.models import User

from .conftest import PASSWORD, add_user, database_url, reset_database

NEW_PASSWORD = "violet tramline seventeen"


def signed_in(app: Flask, email: str = "bo@example.org", remember: bool = False) -> FlaskClient:
    client = app.test_client()
    data = {"account": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def copy_of(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """Another browser holding the same cookies, as a stolen or copied cookie would be."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def is_signed_in(client: FlaskClient) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


@pytest.fixture
def bo(app: Flask) -> None:
    with app.app_context():
        add_user("bo@example.org", name="Bo")


@pytest.mark.usefixtures("bo")
def test_a_copied_session_cookie_stops_working_after_logout(app: Flask) -> None:
    client = signed_in(app)
    thief = copy_of(app, client, "session")
    assert is_signed_in(thief)
    client.post("/auth/logout")
    assert not is_signed_in(client)
    assert not is_signed_in(thief)


@pytest.mark.usefixtures("bo")
def test_logout_on_one_device_ends_the_remember_me_cookie_of_another(app: Flask) -> None:
    laptop = signed_in(app, remember=True)
    tablet_cookie = laptop.get_cookie("remember_token")
    assert tablet_cookie is not None
    tablet = app.test_client()
    tablet.set_cookie("remember_token", tablet_cookie.value)  # a remembered sign-in, no session
    assert is_signed_in(tablet)
    phone = signed_in(app)
    phone.post("/auth/logout")
    laptop_again = app.test_client()
    laptop_again.set_cookie("remember_token", tablet_cookie.value)
    assert not is_signed_in(laptop_again)
    assert not is_signed_in(laptop)


@pytest.mark.usefixtures("bo")
def test_a_password_change_ends_every_other_sign_in_and_keeps_this_one(app: Flask) -> None:
    client = signed_in(app, remember=True)
    other = signed_in(app)
    copied = copy_of(app, client, "session", "remember_token")
    response = client.post(
        "/auth/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "signed out everywhere else" in client.get("/").get_data(as_text=True)
    assert is_signed_in(client)
    assert not is_signed_in(other) and not is_signed_in(copied)
    fresh = app.test_client()
    data = {"account": "bo@example.org", "password": PASSWORD}
    assert fresh.post("/auth/login", data=data).status_code == 422
    assert fresh.post("/auth/login", data={**data, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.usefixtures("bo")
def test_a_remember_me_cookie_older_than_the_setting_is_refused_by_the_server(
    app: Flask,
) -> None:
    with app.app_context():
        token = db.session.scalar(text("SELECT session_token FROM users"))
        days = app.config["REMEMBER_COOKIE_DURATION"].days
        assert days == 14
        now = int(time.time())
        recent = encode_cookie(f"{token}.{now - (days - 1) * 86400}")
        too_old = encode_cookie(f"{token}.{now - (days + 1) * 86400}")
    for value, expected in [(recent, True), (too_old, False)]:
        browser = app.test_client()
        browser.set_cookie("remember_token", value)
        assert is_signed_in(browser) is expected


def test_remember_cookie_duration_counts_days() -> None:
    assert sign_in_lifetime({"REMEMBER_COOKIE_DURATION": 30}) == timedelta(days=30)
    assert sign_in_lifetime({}) == timedelta(days=14)
    with pytest.raises(ConfigError):
        sign_in_lifetime({"REMEMBER_COOKIE_DURATION": 0})


@pytest.mark.usefixtures("bo")
def test_a_cookie_naming_a_bare_user_id_signs_nobody_in(app: Flask) -> None:
    """What remember-me cookies held before session tokens: ``<id>|<hmac>``, valid for ever."""
    with app.app_context():
        user_id = db.session.scalar(text("SELECT id FROM users"))
        old_style = encode_cookie(str(user_id))
    browser = app.test_client()
    browser.set_cookie("remember_token", old_style)
    assert not is_signed_in(browser)


def test_a_deleted_users_id_is_never_given_to_the_next_account(app: Flask) -> None:
    with app.app_context():
        add_user("a@example.org")
        deleted = add_user("b@example.org")
        deleted_id = deleted.id
        db.session.delete(deleted)
        db.session.commit()
        assert add_user("c@example.org").id > deleted_id


def test_the_migrated_users_table_never_reuses_ids_on_sqlite(tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(tmp_path)})
    with app.app_context():
        reset_database()
        upgrade()
        try:
            if db.engine.dialect.name == "sqlite":
                schema = db.session.scalar(
                    text("SELECT sql FROM sqlite_master WHERE name = 'users'")
                )
                assert "AUTOINCREMENT" in schema
            db.session.execute(
                text(
                    "INSERT INTO users (email, name, password_hash, role, created_at, "
                    "session_token) VALUES ('a@x.org', 'A', 'x', 'learner', "
                    "'2026-01-01', 't1'), ('b@x.org', 'B', 'x', 'learner', '2026-01-01', 't2')"
                )
            )
            last = db.session.scalar(text("SELECT max(id) FROM users"))
            db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": last})
            db.session.add(User(email="c@x.org", name="C", password_hash="x"))
            db.session.commit()
            assert db.session.scalar(text("SELECT max(id) FROM users")) > last
        finally:
            db.session.rollback()
            reset_database()
            db.engine.dispose()
