"""Findings of the probe of a running app: a ?next= with a carriage return, account emails
told apart by the login's timing, and stale pooled connections after a database restart."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from quizapp.extensions import db

from .conftest import PASSWORD, add_user


@pytest.mark.parametrize(
    "target", ["/scores\r\nSet-Cookie: x=1", "/\rfoo", "/\\evil.example/", "/a\x7f"]
)
def test_a_next_with_control_characters_or_backslashes_goes_home_not_to_a_500(
    app: Flask, client: FlaskClient, target: str
) -> None:
    with app.app_context():
        add_user("bo@example.org")
    data = {"account": "bo@example.org", "password": PASSWORD}
    response = client.post("/auth/login", query_string={"next": target}, data=data)
    assert response.status_code == 302 and response.location == "/"


def _median_login_seconds(client: FlaskClient, email: str, password: str) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.post("/auth/login", data={"account": email, "password": password})
        times.append(time.perf_counter() - started)
        assert response.status_code == 422
    return sorted(times)[len(times) // 2]


def test_an_unknown_email_takes_as_long_as_a_known_one_with_a_wrong_password(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        add_user("bo@example.org")
    _median_login_seconds(client, "warm@example.org", "warm up")  # the dummy hash, once
    known = _median_login_seconds(client, "bo@example.org", "not the password")
    unknown = _median_login_seconds(client, "nobody@example.org", "not the password")
    # Both hash a password (tens of milliseconds); without the dummy hash an unknown email
    # answered about ten times faster.
    assert unknown > 0.6 * known, (known, unknown)


def test_pooled_connections_are_pinged_before_use(app: Flask) -> None:
    with app.app_context():
        assert db.engine.pool._pre_ping is True


def test_a_request_after_the_database_dropped_its_connections_still_succeeds(
    app: Flask, client: FlaskClient
) -> None:
    """What a PostgreSQL restart does to a worker's pool: every pooled connection is dead."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
        add_user("bo@example.org")
        url = db.engine.url
    assert client.get("/healthz").status_code == 200  # the pool now holds a connection
    killer = create_engine(url)
    with killer.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    killer.dispose()
    data = {"account": "bo@example.org", "password": PASSWORD}
    assert client.post("/auth/login", data=data).status_code == 302
    assert client.get("/healthz").status_code == 200
