"""Quiz settings as learners meet them: time limits held by the server, attempts allowed,
open and close dates, shuffling, when feedback shows, and scoring modes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.models import Attempt, Feedback, Question, Quiz, Response, Role
from quizapp.services import Conflict
from quizapp.services.attempts import (
    StaleAnswer,
    TimeUp,
    attempt_item,
    attempt_items,
    finish_attempt,
    record_answer,
    slot_families,
    start_attempt,
)
from quizapp.services.bank import data_of, revise_question
from quizapp.services.quizzes import QuizSettings, save_quiz

from .conftest import Auth, SmallQuiz, add_user, build_small_quiz


def learner_id(email: str = "l@example.org") -> int:
    return add_user(email).id


def test_an_answer_after_the_time_limit_is_refused_and_closes_the_attempt(app: Flask) -> None:
    with app.app_context():
        quiz = build_small_quiz(time_limit_minutes=10)
        learner = learner_id()
        start = utcnow()
        with write_transaction():
            attempt = start_attempt(learner, quiz.quiz_id, now=start)
        assert attempt.deadline_at == start + timedelta(minutes=10)
        single, multi, _tf = quiz.question_ids
        with write_transaction():
            record_answer(
                attempt.id, learner, single, quiz.correct[single], now=start + timedelta(minutes=9)
            )
        with pytest.raises(TimeUp), write_transaction():
            record_answer(
                attempt.id, learner, multi, quiz.correct[multi], now=start + timedelta(minutes=11)
            )
        with write_transaction():
            finished = finish_attempt(attempt.id, learner, now=start + timedelta(minutes=11))
        assert finished.submitted_at == attempt.deadline_at  # counted as of the deadline
        assert finished.score == 1.0
        assert db.session.scalar(select(Response.id).where(Response.question_id == multi)) is None


def test_the_deadline_is_enforced_over_http_and_the_learner_lands_on_the_result(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        quiz = build_small_quiz(time_limit_minutes=5)
        add_user("l@example.org")
    auth.login("l@example.org")
    client.post(f"/quizzes/{quiz.quiz_id}/start")
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt is not None
        attempt_id = attempt.id
        page = client.get(f"/attempts/{attempt_id}/questions/1").get_data(as_text=True)
        assert "Time limit: answers count until" in page
        attempt.deadline_at = utcnow() - timedelta(seconds=1)  # the clock runs out
        db.session.commit()
    single = quiz.question_ids[0]
    response = client.post(
        f"/attempts/{attempt_id}/questions/1",
        data={"question_id": single, "answer": quiz.correct[single]},
    )
    assert response.status_code == 302 and response.location.endswith("/result")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.submitted_at == attempt.deadline_at
        assert attempt.score == 0.0
    again = client.get(f"/attempts/{attempt_id}/questions/1")
    assert again.status_code == 302 and again.location.endswith("/result")


def test_a_quiz_closing_sooner_than_the_limit_sets_the_deadline(app: Flask) -> None:
    with app.app_context():
        now = utcnow()
        quiz = build_small_quiz(time_limit_minutes=60, closes_at=now + timedelta(minutes=20))
        with write_transaction():
            attempt = start_attempt(learner_id(), quiz.quiz_id, now=now)
        assert attempt.deadline_at == now + timedelta(minutes=20)


def test_attempts_allowed_and_open_and_close_dates(app: Flask) -> None:
    with app.app_context():
        now = utcnow()
        learner = learner_id()
        quiz = build_small_quiz(max_attempts=1)
        with write_transaction():
            first = start_attempt(learner, quiz.quiz_id, now=now)
            assert start_attempt(learner, quiz.quiz_id, now=now).id == first.id  # resumes
            finish_attempt(first.id, learner, now=now)
        with pytest.raises(Conflict, match="used the one attempt"), write_transaction():
            start_attempt(learner, quiz.quiz_id, now=now)
        later = build_small_quiz("Later", opens_at=now + timedelta(days=1))
        with pytest.raises(Conflict, match="opens on"), write_transaction():
            start_attempt(learner, later.quiz_id, now=now)
        closed = build_small_quiz("Closed", closes_at=now - timedelta(minutes=1))
        with pytest.raises(Conflict, match="closed"), write_transaction():
            start_attempt(learner, closed.quiz_id, now=now)


def test_a_refused_start_is_a_message_on_the_home_page(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        quiz = build_small_quiz(opens_at=utcnow() + timedelta(days=2))
        add_user("l@example.org")
    auth.login("l@example.org")
    home = client.get("/").get_data(as_text=True)
    assert "Not open yet" in home and f"/quizzes/{quiz.quiz_id}/start" not in home
    page = client.post(f"/quizzes/{quiz.quiz_id}/start", follow_redirects=True)
    assert "This quiz opens on" in page.get_data(as_text=True)  # a crafted or stale start


def test_the_home_page_offers_no_start_once_the_attempts_are_used(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Including when the teacher lowers the attempts allowed below what was used: the card
    said "2 of 1 attempt used" and still offered Start."""
    with app.app_context():
        quiz = build_small_quiz(max_attempts=2)
        learner = add_user("l@example.org").id
        for _ in range(2):
            with write_transaction():
                finish_attempt(start_attempt(learner, quiz.quiz_id).id, learner)
        db.session.get(Quiz, quiz.quiz_id).max_attempts = 1
        db.session.commit()
    auth.login("l@example.org")
    page = client.get("/").get_data(as_text=True)
    assert "all 1 attempt used" in page and "No attempts left" in page
    assert f"/quizzes/{quiz.quiz_id}/start" not in page
    with app.app_context():
        db.session.get(Quiz, quiz.quiz_id).max_attempts = 3
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "2 of 3 attempts used" in page and f"/quizzes/{quiz.quiz_id}/start" in page


def test_shuffled_orders_are_stable_per_attempt_and_differ_between_attempts(app: Flask) -> None:
    with app.app_context():
        quiz = build_small_quiz(shuffle_questions=True, shuffle_choices=True)
        for extra in range(5):  # more questions, so two orders almost surely differ
            more = build_small_quiz(f"More {extra}")
            q = db.session.get(Quiz, quiz.quiz_id)
            for item in db.session.get(Quiz, more.quiz_id).items:
                q.items.append(type(item)(question_id=item.question_id, position=len(q.items) + 1))
        db.session.commit()
        orders = []
        for n in range(3):
            learner = learner_id(f"l{n}@example.org")
            with write_transaction():
                attempt = start_attempt(learner, quiz.quiz_id)
            items = attempt_items(attempt)
            first = [i.question_id for i in items]
            assert first == [i.question_id for i in attempt_items(attempt)]
            # Every way of listing the slots agrees: whole items, families, one position.
            assert slot_families(attempt) == [i.question.family for i in items]
            assert [attempt_item(attempt, p).question_id for p in (1, len(items))] == [
                first[0],
                first[-1],
            ]
            orders.append(first)
        assert sorted(orders[0]) == sorted(orders[1]) and len(set(map(tuple, orders))) > 1


def test_feedback_after_submit_hides_right_and_wrong_until_the_end(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        quiz = build_small_quiz(feedback=Feedback.AFTER_SUBMIT)
        add_user("l@example.org")
    auth.login("l@example.org")
    client.post(f"/quizzes/{quiz.quiz_id}/start")
    single = quiz.question_ids[0]
    page = client.post(
        "/attempts/1/questions/1",
        data={"question_id": single, "answer": quiz.wrong[single]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Answer saved." in page
    assert "Not quite" not in page and "(correct answer)" not in page
    client.post("/attempts/1/finish")
    result = client.get("/attempts/1/result").get_data(as_text=True)
    assert "(correct answer)" in result


@pytest.mark.parametrize(
    ("partial", "pick", "marks"),
    [
        (False, ["Signal", "WhatsApp"], 2.0),
        (False, ["Signal"], 0.0),
        (True, ["Signal"], 1.0),  # one of two right: half of 2 points
        (True, ["Signal", "Myspace"], 0.0),  # half right, minus half for one of two wrong
        (True, ["Signal", "WhatsApp", "Myspace"], 1.0),  # all right, minus half
        (True, ["Myspace", "Friendster"], 0.0),  # never below zero
    ],
)
def test_multiple_answers_score_all_or_nothing_unless_partial_credit(
    app: Flask, partial: bool, pick: list[str], marks: float
) -> None:
    with app.app_context():
        quiz: SmallQuiz = build_small_quiz(partial_credit=partial)
        db.session.get(Quiz, quiz.quiz_id).items[1].points = 2.0
        db.session.commit()
        learner = learner_id()
        multi = quiz.question_ids[1]
        question = db.session.get(Quiz, quiz.quiz_id).items[1].question
        chosen = [c.id for c in question.choices if c.text in pick]
        with write_transaction():
            attempt = start_attempt(learner, quiz.quiz_id)
            outcome = record_answer(attempt.id, learner, multi, chosen)
        assert outcome.marks == pytest.approx(marks)
        assert outcome.correct == (set(pick) == {"Signal", "WhatsApp"})


def test_a_slot_answered_before_its_question_was_revised_cannot_be_answered_again(
    app: Flask,
) -> None:
    """A crafted or stale post for the slot's new version must not count the slot twice."""
    with app.app_context():
        quiz = build_small_quiz()
        learner = learner_id()
        teacher = add_user("t@example.org", role=Role.TEACHER).id
        single = quiz.question_ids[0]
        with write_transaction():
            attempt = start_attempt(learner, quiz.quiz_id)
            record_answer(attempt.id, learner, single, quiz.wrong[single], position=1)
        with write_transaction():
            first = db.session.get(Question, single)
            newer = revise_question(first, replace(data_of(first), stem="Reworded?"), teacher)
            newer_id, newer_correct = newer.id, [c.id for c in newer.choices if c.is_correct]
        with write_transaction():
            again = record_answer(attempt.id, learner, newer_id, newer_correct, position=1)
        assert (again.created, again.correct) == (False, False)
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        with write_transaction():
            finished = finish_attempt(attempt.id, learner)
        assert finished.score == 0


def test_an_edit_while_a_learner_has_the_question_open_refuses_their_old_page(
    app: Flask,
) -> None:
    """Nobody has answered it yet, but a learner is taking the quiz: changed in place, the
    answer from their page would be marked against a key they never saw."""
    with app.app_context():
        quiz = build_small_quiz()
        learner = learner_id()
        teacher = add_user("t@example.org", role=Role.TEACHER).id
        single = quiz.question_ids[0]
        with write_transaction():
            attempt = start_attempt(learner, quiz.quiz_id)
        shown_right = quiz.correct[single]
        with write_transaction():
            first = db.session.get(Question, single)
            flipped = [(text, not correct) for text, correct in data_of(first).choices[:2]]
            newer = revise_question(first, replace(data_of(first), choices=flipped), teacher)
            assert newer.id != single and newer.version == 2
        with pytest.raises(StaleAnswer), write_transaction():
            record_answer(attempt.id, learner, single, shown_right, position=1)
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        with write_transaction():
            finish_attempt(attempt.id, learner)
        # with no attempt in progress and no answer, the next edit changes the row in place
        with write_transaction():
            again = revise_question(newer, replace(data_of(newer), stem="Reworded?"), teacher)
        assert again.id == newer.id


def test_closing_a_quiz_early_closes_the_attempts_already_open(app: Flask) -> None:
    """Moving the close date earlier stopped only new attempts: answers in open ones still
    counted until the old date."""
    with app.app_context():
        now = utcnow()
        teacher = add_user("t@example.org", role=Role.TEACHER).id
        quiz = build_small_quiz(created_by_id=teacher, closes_at=now + timedelta(hours=2))
        learner = learner_id()
        single = quiz.question_ids[0]
        with write_transaction():
            attempt = start_attempt(learner, quiz.quiz_id, now=now)
        assert attempt.deadline_at == now + timedelta(hours=2)
        closed = now - timedelta(minutes=5)
        with write_transaction():
            save_quiz(
                teacher,
                QuizSettings("Encryption basics", is_public=True, time_limit_minutes=30,
                             closes_at=closed),
                quiz.quiz_id,
            )  # fmt: skip
        with pytest.raises(TimeUp), write_transaction():
            record_answer(attempt.id, learner, single, quiz.correct[single], position=1)
        with write_transaction():
            save_quiz(
                teacher,
                QuizSettings("Encryption basics", is_public=True, time_limit_minutes=30),
                quiz.quiz_id,
            )
        # reopened: the time limit, counted from the start, is the deadline again
        assert db.session.get(Attempt, attempt.id).deadline_at == now + timedelta(minutes=30)
