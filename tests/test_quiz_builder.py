"""The quiz builder: settings, questions from the bank in order with points, publishing."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz, QuizQuestion, Role

from .conftest import Auth, add_user, build_small_quiz

SETTINGS = {"title": "Week 1", "feedback": "after_each"}


@pytest.fixture
def bank(app: Flask, auth: Auth) -> list[int]:
    """A teacher logged in, and the ids of three approved shared questions."""
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
        seed = build_small_quiz("Seed")
        db.session.delete(db.session.get(Quiz, seed.quiz_id))  # keep its questions only
        db.session.commit()
        question_ids = seed.question_ids
    auth.login("t@example.org")
    return question_ids


def new_quiz(client: FlaskClient, **extra: str) -> int:
    created = client.post("/teach/quizzes/new", data=SETTINGS | extra)
    assert created.status_code == 302, created.get_data(as_text=True)
    return int(created.location.rsplit("/", 1)[1])


def items(app: Flask, quiz_id: int) -> list[tuple[int, int, float]]:
    with app.app_context():
        rows = db.session.execute(
            select(QuizQuestion.position, QuizQuestion.question_id, QuizQuestion.points)
            .where(QuizQuestion.quiz_id == quiz_id)
            .order_by(QuizQuestion.position)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_quiz_is_built_from_the_bank_reordered_and_weighted(
    app: Flask, client: FlaskClient, bank: list[int]
) -> None:
    quiz = new_quiz(client, time_limit_minutes="20")
    page = client.get(f"/teach/quizzes/{quiz}").get_data(as_text=True)
    assert "Which apps use end-to-end encryption?" in page  # the bank, to pick from
    assert 'name="status"' not in page  # it lists approved questions only
    assert 'name="status"' in client.get("/teach/questions").get_data(as_text=True)
    client.post(f"/teach/quizzes/{quiz}/add", data={"question_ids": [bank[2], bank[0]]})
    client.post(f"/teach/quizzes/{quiz}/add", data={"question_ids": [bank[0], bank[1]]})
    assert items(app, quiz) == [(1, bank[2], 1.0), (2, bank[0], 1.0), (3, bank[1], 1.0)]
    with app.app_context():
        ids = [i.id for i in db.session.get(Quiz, quiz).items]  # type: ignore[union-attr]
    save = {
        "items-0-item_id": ids[0], "items-0-position": "3", "items-0-points": "2",
        "items-1-item_id": ids[1], "items-1-position": "1", "items-1-points": "1.5",
        "items-2-item_id": ids[2], "items-2-position": "2", "items-2-points": "1",
        "items-2-remove": "y",
    }  # fmt: skip
    assert client.post(f"/teach/quizzes/{quiz}/items", data=save).status_code == 302
    assert items(app, quiz) == [(1, bank[0], 1.5), (2, bank[2], 2.0)]
    bad = dict(save, **{"items-0-points": "-1"})
    assert "between 0 and 1000" in client.post(
        f"/teach/quizzes/{quiz}/items", data=bad, follow_redirects=True
    ).get_data(as_text=True)


def test_numbers_no_column_can_hold_are_refused_not_crashed_on(
    app: Flask, client: FlaskClient, bank: list[int]
) -> None:
    """A hand-edited page number, ticked id or points value was a 500 (an overflow in SQLite,
    a signalling NaN in the range check)."""
    quiz = new_quiz(client)
    client.post(f"/teach/quizzes/{quiz}/add", data={"question_ids": [bank[0]]})
    huge = "9" * 25
    for url in (f"/teach/questions?page={huge}", f"/teach/quizzes/{quiz}?page={huge}"):
        assert client.get(url).status_code == 200
    added = client.post(f"/teach/quizzes/{quiz}/add", data={"question_ids": [bank[1], huge]})
    assert added.status_code == 302
    with app.app_context():
        item_id = db.session.scalar(select(QuizQuestion.id).where(QuizQuestion.quiz_id == quiz))
    for points in ("sNaN", "NaN", "Infinity"):
        row = {"items-0-item_id": item_id, "items-0-position": "1", "items-0-points": points}
        page = client.post(f"/teach/quizzes/{quiz}/items", data=row, follow_redirects=True)
        assert page.status_code == 200 and "Not a valid decimal value" in page.get_data(True)
    assert items(app, quiz) == [(1, bank[0], 1.0)]  # nothing half-saved


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": ""}, "Give the quiz a title."),
        ({"time_limit_minutes": "0"}, "Between 1 and 1440 minutes."),
        ({"max_attempts": "101"}, "Between 1 and 100."),
        ({"feedback": "never"}, "Not a valid choice"),
        ({"opens_at": "2026-12-02T10:00", "closes_at": "2026-12-01T10:00"}, "close after it opens"),
        ({"opens_at": "tomorrow"}, "Not a valid datetime value"),
        ({"classes": "999"}, "Not a valid choice"),
    ],
)
def test_settings_are_validated(
    app: Flask, client: FlaskClient, bank: list[int], extra: dict[str, str], message: str
) -> None:
    response = client.post("/teach/quizzes/new", data=SETTINGS | extra)
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(Quiz.id).where(Quiz.title == "Week 1")) is None


def test_titles_are_unique_per_teacher(app: Flask, client: FlaskClient, bank: list[int]) -> None:
    client.post("/teach/quizzes/new", data=SETTINGS)
    again = client.post("/teach/quizzes/new", data=SETTINGS)
    assert again.status_code == 409 and "already have a quiz called" in again.get_data(as_text=True)


def test_publishing_needs_questions_and_assigned_classes_see_it(
    app: Flask, client: FlaskClient, auth: Auth, bank: list[int]
) -> None:
    client.post("/teach/classes", data={"name": "Set 2"})
    quiz_id = new_quiz(client, classes="1")
    empty = client.post(
        f"/teach/quizzes/{quiz_id}/publish", data={"publish": "1"}, follow_redirects=True
    )
    assert "Add at least one question before publishing" in empty.get_data(as_text=True)
    client.post(f"/teach/quizzes/{quiz_id}/add", data={"question_ids": bank[0]})
    client.post(f"/teach/quizzes/{quiz_id}/publish", data={"publish": "1"})
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        assert quiz is not None and quiz.published and [c.name for c in quiz.classes] == ["Set 2"]


def test_questions_and_points_are_fixed_once_attempted_and_a_copy_frees_them(
    app: Flask, client: FlaskClient, auth: Auth, bank: list[int]
) -> None:
    quiz = new_quiz(client, is_public="y")
    client.post(f"/teach/quizzes/{quiz}/add", data={"question_ids": bank[:2]})
    client.post(f"/teach/quizzes/{quiz}/publish", data={"publish": "1"})
    with app.app_context():
        add_user("l@example.org")
    auth.logout()
    auth.login("l@example.org")
    client.post(f"/quizzes/{quiz}/start")
    auth.logout()
    auth.login("t@example.org")
    page = client.get(f"/teach/quizzes/{quiz}").get_data(as_text=True)
    assert "its questions and points are fixed" in page
    refused = client.post(
        f"/teach/quizzes/{quiz}/add", data={"question_ids": bank[2]}, follow_redirects=True
    )
    assert "Make a copy of the quiz" in refused.get_data(as_text=True)
    assert len(items(app, quiz)) == 2
    copied = client.post(f"/teach/quizzes/{quiz}/copy")
    copy_id = int(copied.location.rsplit("/", 1)[1])
    assert copy_id != quiz
    client.post(f"/teach/quizzes/{copy_id}/add", data={"question_ids": bank[2]})
    assert len(items(app, copy_id)) == 3
    with app.app_context():
        copy = db.session.get(Quiz, copy_id)
        assert copy is not None and copy.title == "Week 1 (copy)" and not copy.published
