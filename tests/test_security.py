"""Headers, cookies, sessions, rate limits and error pages that protect every user."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.extensions import db
from quizapp.models import Role, SchoolClass, User

from .conftest import PASSWORD, Auth, add_user, database_url, reset_database


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Apps with their own settings on the test database, emptied and closed afterwards."""
    apps: list[Flask] = []

    def make(**settings: object) -> Flask:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                # Counted apart from other runs sharing a Redis (CI runs the suite twice).
                "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4()}",
                **settings,
            }
        )
        with app.app_context():
            reset_database()
            db.create_all()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            reset_database()
            db.engine.dispose()


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    for url in ("/", "/auth/login", "/static/style.css", "/no-such-page"):
        with client.get(url) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style() -> None:
    templates = Path(__file__).resolve().parent.parent / "quizapp" / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and "style=" not in text, template


def test_healthz_reports_the_database(client: FlaskClient, tmp_path: Path) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}
    broken = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "error"


@pytest.mark.parametrize("key", ["dev-only-not-secret", "short", ""])
def test_production_refuses_a_guessable_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="needs a real SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})


def test_production_with_a_real_key_sends_cookies_over_https_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_logging_in_starts_a_fresh_session(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        add_user("bo@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("bo@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_login_attempts_are_rate_limited(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    data = {"account": "nobody@example.org", "password": PASSWORD}
    statuses = [client.post("/auth/login", data=data).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    page = client.post("/auth/login", data=data).get_data(as_text=True)
    assert "Too many attempts" in page and "Wait a minute" in page
    assert client.get("/auth/login").status_code == 200  # reading the form is not limited


def test_registration_is_rate_limited(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, REGISTER_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [client.post("/auth/register", data={}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_an_unexpected_error_shows_a_plain_page_not_a_traceback(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def explode() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/explode", view_func=explode)
    response = app.test_client().get("/explode")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body and "secret internals" not in body


def test_each_request_is_logged_as_one_json_line(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="quizapp.requests"):
        client.get("/auth/login")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "quizapp.requests"]
    entry = json.loads(line)
    assert entry["method"] == "GET" and entry["path"] == "/auth/login"
    assert entry["status"] == 200 and entry["ms"] >= 0 and entry["user"] is None


def test_a_nul_character_anywhere_is_refused_and_nothing_is_saved(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """PostgreSQL cannot store NUL in text: on it this was a 500 from every form, registration
    included; on SQLite the NUL was saved and broke the GIFT export."""
    registration = {"email": "nul@example.org", "name": "Nul\x00Name", "password": PASSWORD}
    response = client.post("/auth/register", data={**registration, "confirm": PASSWORD})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    with app.app_context():
        add_user("teacher@example.org", Role.TEACHER)
        assert db.session.scalar(select(User).where(User.email == "nul@example.org")) is None
    auth.login("teacher@example.org")
    assert client.get("/teach/questions", query_string={"q": "a\x00b"}).status_code == 400
    # the second value of a repeated field counts too
    response = client.post("/teach/classes", data=MultiDict([("name", "9"), ("name", "9\x00")]))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SchoolClass)) == 0
