"""An attempt in progress stops when its quiz stops being open to the learner: a teacher
unpublishes it, or removes the learner from the class it is set for. Its answers are refused
with a message saying why, it cannot be finished, and what was answered before is kept."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.models import Attempt, ClassMember, Response, Role, SchoolClass
from quizapp.services.attempts import close_overdue
from quizapp.services.classes import remove_member
from quizapp.services.quizzes import set_published

from .conftest import PASSWORD, SmallQuiz, add_user, build_small_quiz
from .test_learn import answer, start

WITHDRAWN = "This quiz is no longer open to you"


def logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/auth/login", data={"account": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def answers_stored(app: Flask, attempt_id: int) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count()).select_from(Response).where(Response.attempt_id == attempt_id)
            )
            or 0
        )


def assert_frozen(app: Flask, client: FlaskClient, attempt_id: int, quiz: SmallQuiz) -> None:
    """Answers refused, no finish, every page of the attempt says why; the first answer kept."""
    second = quiz.question_ids[1]
    refused = answer(client, attempt_id, 2, second, quiz.correct[second])
    assert refused.status_code == 403 and WITHDRAWN in refused.get_data(as_text=True)
    finished = client.post(f"/attempts/{attempt_id}/finish")
    assert finished.status_code == 403 and WITHDRAWN in finished.get_data(as_text=True)
    for page in ("", "/questions/1", "/finish", "/result"):
        shown = client.get(f"/attempts/{attempt_id}{page}", follow_redirects=True)
        assert shown.status_code == 403 and WITHDRAWN in shown.get_data(as_text=True), page
    assert answers_stored(app, attempt_id) == 1
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.submitted_at is None and attempt.score is None


def test_unpublishing_stops_an_attempt_in_progress(app: Flask) -> None:
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        add_user("l@example.org")
        quiz = build_small_quiz(created_by_id=teacher.id)
        teacher_id = teacher.id
    learner = logged_in(app, "l@example.org")
    attempt_id = start(learner, quiz.quiz_id)
    first = quiz.question_ids[0]
    assert answer(learner, attempt_id, 1, first, quiz.correct[first]).status_code == 302
    with app.app_context(), write_transaction():
        set_published(quiz.quiz_id, teacher_id, False)
    assert_frozen(app, learner, attempt_id, quiz)
    # Published again, the same attempt goes on where it stopped.
    with app.app_context(), write_transaction():
        set_published(quiz.quiz_id, teacher_id, True)
    second = quiz.question_ids[1]
    assert answer(learner, attempt_id, 2, second, quiz.correct[second]).status_code == 302
    assert learner.post(f"/attempts/{attempt_id}/finish").status_code == 302
    assert answers_stored(app, attempt_id) == 2


def test_removing_a_learner_from_the_class_stops_their_attempt_only(app: Flask) -> None:
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        removed, stays = add_user("gone@example.org"), add_user("stays@example.org")
        school_class = SchoolClass(name="Year 10", teacher_id=teacher.id, join_code="ABCD2345")
        db.session.add(school_class)
        db.session.flush()
        for learner in (removed, stays):
            db.session.add(ClassMember(class_id=school_class.id, learner_id=learner.id))
        quiz = build_small_quiz(is_public=False, classes=[school_class], created_by_id=teacher.id)
        ids = (teacher.id, school_class.id, removed.id)
    clients = {email: logged_in(app, email) for email in ("gone@example.org", "stays@example.org")}
    attempts = {email: start(client, quiz.quiz_id) for email, client in clients.items()}
    first = quiz.question_ids[0]
    for email, client in clients.items():
        assert answer(client, attempts[email], 1, first, quiz.wrong[first]).status_code == 302
    teacher_id, class_id, removed_id = ids
    with app.app_context(), write_transaction():
        remove_member(class_id, teacher_id, removed_id)
    assert_frozen(app, clients["gone@example.org"], attempts["gone@example.org"], quiz)
    stays = clients["stays@example.org"]
    second = quiz.question_ids[1]
    assert (
        answer(stays, attempts["stays@example.org"], 2, second, quiz.wrong[second]).status_code
        == 302
    )
    assert stays.post(f"/attempts/{attempts['stays@example.org']}/finish").status_code == 302


def test_a_withdrawn_attempt_past_its_deadline_is_not_closed_either(app: Flask) -> None:
    """Closing at the deadline would finish it: the attempt stays as it was instead."""
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        add_user("l@example.org")
        quiz = build_small_quiz(created_by_id=teacher.id, time_limit_minutes=5)
        teacher_id = teacher.id
    learner = logged_in(app, "l@example.org")
    attempt_id = start(learner, quiz.quiz_id)
    with app.app_context(), write_transaction():
        set_published(quiz.quiz_id, teacher_id, False)
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        later = utcnow() + timedelta(minutes=10)
        assert close_overdue(attempt_id, attempt.learner_id, later) is False
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.submitted_at is None
