from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Role, User

from .conftest import PASSWORD, Auth, add_user, database_url, reset_database


def register(client: FlaskClient, **overrides: str) -> TestResponse:
    data = {"name": "Ada", "email": "ada@example.org", "password": PASSWORD, "confirm": PASSWORD}
    data.update(overrides)
    return client.post("/auth/register", data=data)


def test_register_then_log_in_and_the_password_is_hashed(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    response = register(client)
    assert response.status_code == 302 and response.location == "/auth/login"
    assert "its account is ready" in client.get("/auth/login").get_data(as_text=True)
    auth.login("ada@example.org")
    assert "Log out Ada" in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user is not None and user.role == Role.LEARNER
        assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)


def test_a_taken_email_gets_the_answer_a_new_one_gets_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    """Registration must not tell anyone which addresses have accounts."""
    first = register(client)
    first_page = client.get(first.location).get_data(as_text=True)
    again = register(client, email="ADA@example.org ", name="Imposter")
    assert (
        (again.status_code, again.location)
        == (first.status_code, first.location)
        == (
            302,
            "/auth/login",
        )
    )
    again_page = client.get(again.location).get_data(as_text=True)
    assert "already exists" not in again_page
    assert again_page == first_page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.scalar(select(User.name)) == "Ada"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("email", "not-an-email", "Invalid email address."),
        ("password", "short", "Use at least 10 characters."),
        ("password", "x" * 201, "Use at most 200 characters."),
        ("confirm", "something else", "The passwords do not match."),
    ],
)
def test_register_validates_each_field(
    client: FlaskClient, field: str, value: str, message: str
) -> None:
    response = register(client, **{field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_login_and_logout(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        add_user("bo@example.org", name="Bo")
    response = auth.login("bo@example.org")
    assert response.status_code == 302
    assert "Log out Bo" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_wrong_password_says_so_without_saying_which_part(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_user("bo@example.org")
    for email, password in [("bo@example.org", "wrong password"), ("nobody@example.org", PASSWORD)]:
        response = auth.login(email, password)
        assert response.status_code == 422
        assert "do not match an account" in response.get_data(as_text=True)


def test_login_follows_next_only_within_the_site(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        add_user("bo@example.org")
    data = {"account": "bo@example.org", "password": PASSWORD}
    assert client.post("/auth/login?next=/scores", data=data).location == "/scores"
    client.post("/auth/logout")
    assert client.post("/auth/login?next=//evil.example/", data=data).location == "/"


def test_pages_that_need_login_redirect_to_it(client: FlaskClient) -> None:
    response = client.get("/scores")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


def test_missing_csrf_token_is_refused_and_nothing_saved(tmp_path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(tmp_path), "SECRET_KEY": "test"})
    with app.app_context():
        reset_database()
        db.create_all()
    client = app.test_client()
    response = register(client)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        db.session.remove()
        reset_database()
        db.engine.dispose()


def test_users_create_command(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "T@School.org",
            "--name",
            "Ms T",
            "--role",
            "teacher",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created teacher t@school.org" in result.output
    again = runner.invoke(
        args=["users", "create", "--email", "t@school.org", "--name", "X", "--password", PASSWORD]
    )
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(
        args=["users", "create", "--email", "u@school.org", "--name", "U", "--password", "short"]
    )
    assert short.exit_code == 1 and "at least 10" in short.output
    for email, name, message in [
        ("not-an-email", "N", "not a valid email address"),
        ("n@school.org", "   ", "A name is required"),
    ]:
        bad = runner.invoke(
            args=["users", "create", "--email", email, "--name", name, "--password", PASSWORD]
        )
        assert bad.exit_code == 1 and message in bad.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        teacher = db.session.scalar(select(User).where(User.email == "t@school.org"))
        assert teacher is not None and teacher.is_teacher
