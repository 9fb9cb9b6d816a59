"""Only teachers reach the teacher's workspace."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from quizapp.models import Role

from .conftest import Auth, SmallQuiz, add_user


def test_anonymous_users_are_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get("/teach/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_learners_are_refused(client: FlaskClient, learner: str) -> None:
    response = client.get("/teach/")
    assert response.status_code == 403
    assert "Only teachers" in response.get_data(as_text=True)


def test_teachers_see_their_workspace(
    app: Flask, client: FlaskClient, auth: Auth, small_quiz: SmallQuiz
) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
    auth.login("t@example.org")
    assert ">Teach</a>" in client.get("/").get_data(as_text=True)
    page = client.get("/teach/").get_data(as_text=True)
    assert "Encryption basics" in page and "Published" in page
