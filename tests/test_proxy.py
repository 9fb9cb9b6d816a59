"""Behind a proxy: the real client address reaches rate limits and the request log, and
sign-in limits count per account as well as per address, so one pupil's wrong passwords do not
lock out the rest of a school that shares the proxy's address."""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import create_app
from quizapp.config import ConfigError, from_environment
from quizapp.extensions import db

from .conftest import PASSWORD, add_user, database_url, reset_database

PROXY = "10.0.0.1"  # what every request behind the proxy connects from
REDIS_URI = "redis://127.0.0.1:6379/15"


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["memory://", REDIS_URI], ids=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> str:
    """Each limit test runs on process memory and on a real Redis, as production counts there;
    Redis is required in CI and skipped on a laptop without one."""
    uri: str = request.param
    if uri == REDIS_URI and not _redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis at 127.0.0.1:6379 for the rate-limit tests")
        pytest.skip("no Redis at 127.0.0.1:6379")
    return uri


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Apps with their own settings on the test database, emptied and closed afterwards."""
    apps: list[Flask] = []

    def make(**settings: object) -> Flask:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                "WTF_CSRF_ENABLED": False,
                # Counted apart from every other test and run sharing the Redis.
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


def post_login(client: FlaskClient, client_address: str, email: str, password: str) -> int:
    """A login POST from ``client_address``, arriving through the proxy."""
    response = client.post(
        "/auth/login",
        data={"account": email, "password": password},
        headers={"X-Forwarded-For": client_address},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return response.status_code


def logged_address(client: FlaskClient, caplog: pytest.LogCaptureFixture, **kwargs: object) -> str:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="quizapp.requests"):
        client.get("/auth/login", **kwargs)  # type: ignore[arg-type]
    (line,) = [r.getMessage() for r in caplog.records if r.name == "quizapp.requests"]
    address: str = json.loads(line)["ip"]
    return address


def test_the_log_records_the_client_behind_the_configured_proxies(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    through_one = {"environ_base": {"REMOTE_ADDR": PROXY}}
    # No proxy configured: the header is anyone's to forge, so it is ignored.
    plain = make_app().test_client()
    headers = {"X-Forwarded-For": "203.0.113.5"}
    assert logged_address(plain, caplog, headers=headers, **through_one) == PROXY
    one = make_app(PROXY_HOPS=1).test_client()
    assert logged_address(one, caplog, headers=headers, **through_one) == "203.0.113.5"
    # Two proxies: the address the outer one saw; what the client wrote in front is ignored.
    two = make_app(PROXY_HOPS=2).test_client()
    forged = {"X-Forwarded-For": "6.6.6.6, 203.0.113.5, 10.0.0.2"}
    assert logged_address(two, caplog, headers=forged, **through_one) == "203.0.113.5"


def test_ten_failed_logins_on_one_account_do_not_block_another_behind_the_proxy(
    make_app: Callable[..., Flask], storage: str
) -> None:
    app = make_app(PROXY_HOPS=1, RATELIMIT_STORAGE_URI=storage)
    with app.app_context():
        add_user("mallory@school.org")
        add_user("pupil@school.org")
    guesser = app.test_client()
    statuses = [
        post_login(guesser, "192.168.1.20", "mallory@school.org", "wrong guess") for _ in range(10)
    ]
    assert statuses == [422] * 10
    # The eleventh guess at that account is refused, whoever sends it and however the email
    # is written: the count is per account, not per address.
    assert post_login(guesser, "192.168.1.20", "mallory@school.org", PASSWORD) == 429
    refused = guesser.post(
        "/auth/login",
        data={"account": "mallory@school.org", "password": PASSWORD},
        headers={"X-Forwarded-For": "192.168.1.20"},
        environ_base={"REMOTE_ADDR": PROXY},
    ).get_data(as_text=True)
    assert "Too many attempts for this account or from your network" in refused
    other_pc = app.test_client()
    assert post_login(other_pc, "192.168.1.21", " Mallory@School.org", PASSWORD) == 429
    # Another pupil behind the same proxy, even at the same address, signs in.
    assert post_login(app.test_client(), "192.168.1.20", "pupil@school.org", PASSWORD) == 302
    assert post_login(other_pc, "192.168.1.21", "pupil@school.org", PASSWORD) == 302


def test_the_per_address_limit_counts_each_client_behind_the_proxy(
    make_app: Callable[..., Flask], storage: str
) -> None:
    """One client spraying guesses over many accounts is stopped by the per-address limit,
    and only that client: the others behind the proxy have their own counts."""
    app = make_app(PROXY_HOPS=1, RATELIMIT_STORAGE_URI=storage, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    sprayed = [post_login(client, "192.168.1.20", f"n{i}@school.org", "x") for i in range(4)]
    assert sprayed == [422, 422, 422, 429]
    assert post_login(client, "192.168.1.21", "n9@school.org", "x") == 422


def test_registration_is_limited_per_account_too(
    make_app: Callable[..., Flask], storage: str
) -> None:
    app = make_app(
        PROXY_HOPS=1, RATELIMIT_STORAGE_URI=storage, REGISTER_ACCOUNT_RATE_LIMIT="2 per minute"
    )
    client = app.test_client()

    def register(address: str, email: str) -> int:
        response = client.post(
            "/auth/register",
            data={"email": email, "name": "", "password": ""},  # invalid: nothing is made
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": PROXY},
        )
        return response.status_code

    assert [register("192.168.1.20", "kim@school.org") for _ in range(2)] == [422, 422]
    assert register("192.168.1.22", "KIM@school.org") == 429
    assert register("192.168.1.22", "lee@school.org") == 422


def test_the_default_limits_fit_a_school_behind_one_proxy(make_app: Callable[..., Flask]) -> None:
    """Thirty pupils, each with a typo first, signing in through one proxy address (no hops
    configured, as an unconfigured deployment sees it) are not refused."""
    app = make_app()
    with app.app_context():
        for i in range(30):
            add_user(f"p{i}@school.org")
    client = app.test_client()
    statuses = []
    for i in range(30):
        for password in ("typo", PASSWORD):
            response = client.post(
                "/auth/login",
                data={"account": f"p{i}@school.org", "password": password},
                environ_base={"REMOTE_ADDR": PROXY},
            )
            statuses.append(response.status_code)
            client.post("/auth/logout")
    assert 429 not in statuses


def test_proxy_hops_comes_from_the_environment_and_must_be_sensible(tmp_path: Path) -> None:
    assert from_environment({"PROXY_HOPS": "1"}) == {"PROXY_HOPS": 1}
    for bad in (-1, "1"):
        with pytest.raises(ConfigError, match="PROXY_HOPS"):
            create_app({"SQLALCHEMY_DATABASE_URI": database_url(tmp_path), "PROXY_HOPS": bad})
