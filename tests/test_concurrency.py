"""Two tabs, a double click, a class pressing Start together: requests that race through the
real app and database at the same moment still count once."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Response, ResponseChoice

from .conftest import PASSWORD, SmallQuiz, add_user

TABS = 8


def tabs(app: Flask, email: str) -> list[FlaskClient]:
    """Several logged-in clients of one learner, as separate browser tabs or windows."""
    clients = [app.test_client() for _ in range(TABS)]
    for client in clients:
        response = client.post("/auth/login", data={"account": email, "password": PASSWORD})
        assert response.status_code == 302
    return clients


def all_at_once(clients: list[FlaskClient], request: Callable[[FlaskClient], int]) -> list[int]:
    """Run the request from every client at the same instant; their status codes."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(client: FlaskClient) -> None:
        try:
            barrier.wait()
            statuses.append(request(client))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


def count(app: Flask, what: object) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(what))  # type: ignore[arg-type]


def test_starting_in_many_tabs_at_once_opens_one_attempt(app: Flask, small_quiz: SmallQuiz) -> None:
    with app.app_context():
        add_user("racer@example.org")
    statuses = all_at_once(
        tabs(app, "racer@example.org"),
        lambda c: c.post(f"/quizzes/{small_quiz.quiz_id}/start").status_code,
    )
    assert statuses == [302] * TABS
    assert count(app, Attempt) == 1


def test_answering_in_many_tabs_at_once_counts_the_slot_once(
    app: Flask, small_quiz: SmallQuiz
) -> None:
    with app.app_context():
        add_user("racer@example.org")
    clients = tabs(app, "racer@example.org")
    start = clients[0].post(f"/quizzes/{small_quiz.quiz_id}/start")
    attempt_id = int(start.location.split("/")[2])
    single = small_quiz.question_ids[0]
    right, wrong = small_quiz.correct[single], small_quiz.wrong[single]

    def answer(client: FlaskClient) -> int:
        # Half the tabs answer right, half wrong: whichever lands first is the answer.
        choice = right if clients.index(client) % 2 else wrong
        return client.post(
            f"/attempts/{attempt_id}/questions/1",
            data={"question_id": single, "answer": choice},
        ).status_code

    assert all_at_once(clients, answer) == [302] * TABS
    assert count(app, Response) == 1 and count(app, ResponseChoice) == 1
    finished = clients[0].post(f"/attempts/{attempt_id}/finish")
    assert finished.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        stored = db.session.scalar(select(Response.marks))
        assert attempt is not None and attempt.score == stored
