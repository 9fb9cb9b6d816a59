"""Passwords: the policy (length, the shipped common list, obvious patterns, each refusal with
its reason) and changing one's own on /auth/password with the current one asked."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.services.passwords import common_passwords, password_problem

from .conftest import PASSWORD, Auth, add_user


def test_the_shipped_list_holds_the_ten_thousand_most_common_passwords() -> None:
    listed = common_passwords()
    assert len(listed) >= 9_900  # 10,000 lines, a few equal once lower-cased
    assert {"password", "12345678", "qwerty", "iloveyou", "1234567890"} <= listed


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password", "at least 10 characters"),
        ("12345678", "at least 10 characters"),
        ("password123", "most common passwords"),
        ("!!Sunshine2024", "most common passwords"),
        ("1234567890", "run of keys"),
        ("qwertyuiop", "run of keys"),
        ("abcdefghijkl", "run of keys"),
        ("0987654321", "run of keys"),
        ("aaaaaaaaaaaa", "repeats one or two characters"),
        ("abababababab", "repeats one or two characters"),
        ("ada.lovelace-rules", "your email address or name"),
        ("I am Lovelace!", "your email address or name"),
        ("x" * 201, "at most 200 characters"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    problem = password_problem(password, "ada.lovelace@example.org", "Ada Lovelace")
    assert problem is not None and reason in problem


@pytest.mark.parametrize("password", [PASSWORD, "violet tramline seventeen", "Tq8#mZ2!pLw0"])
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, "ada.lovelace@example.org", "Ada Lovelace") is None


@pytest.mark.parametrize(
    ("password", "message"),
    [("password", "at least 10 characters"), ("password1234", "most common passwords")],
)
def test_registration_refuses_a_common_password_and_says_why(
    client: FlaskClient, password: str, message: str
) -> None:
    data = {"name": "Ada", "email": "ada@example.org", "password": password, "confirm": password}
    response = client.post("/auth/register", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def change(client: FlaskClient, current: str, new: str, confirm: str | None = None):
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return client.post("/auth/password", data=data)


def test_changing_a_password_needs_the_current_one_and_a_good_new_one(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_user("bo@example.org", name="Bo")
    assert client.get("/auth/password").status_code == 302  # signed out: to the login page
    auth.login("bo@example.org")
    page = client.get("/auth/password")
    assert page.status_code == 200 and "Current password" in page.get_data(as_text=True)
    wrong = change(client, "not my password", "violet tramline seventeen")
    assert wrong.status_code == 422
    assert "current password is not right" in wrong.get_data(as_text=True)
    common = change(client, PASSWORD, "iloveyou12345")
    assert common.status_code == 422 and "most common" in common.get_data(as_text=True)
    same = change(client, PASSWORD, PASSWORD)
    assert same.status_code == 422 and "your current password" in same.get_data(as_text=True)
    mismatch = change(client, PASSWORD, "violet tramline seventeen", "violet tramline")
    assert mismatch.status_code == 422 and "do not match" in mismatch.get_data(as_text=True)
    assert change(client, PASSWORD, "violet tramline seventeen").status_code == 302
    auth.logout()
    assert auth.login("bo@example.org").status_code == 422
    assert auth.login("bo@example.org", "violet tramline seventeen").status_code == 302
