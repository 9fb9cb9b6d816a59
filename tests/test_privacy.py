"""A learner's data export and deletion request: what the export holds (their own record, never
another learner's), the downloads and their headers, and the password the request asks for."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp import create_app
from quizapp.core.study.cards import Phase
from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Article,
    Attempt,
    CardReview,
    CardState,
    ClassMember,
    Fact,
    Feedback,
    Quiz,
    QuizQuestion,
    Response,
    ResponseChoice,
    Role,
    SchoolClass,
    Sentence,
    User,
)
from quizapp.services import NotFound
from quizapp.services.accounts import WrongPassword
from quizapp.services.privacy import (
    ANSWERS_HEADER,
    cancel_deletion,
    holdings,
    personal_data,
    personal_data_csv,
    request_deletion,
)

from .conftest import (
    PASSWORD,
    SmallQuiz,
    add_user,
    build_small_quiz,
    database_url,
    reset_database,
)
from .test_database import statements

T0 = datetime(2026, 3, 2, 9, 0)
LENA, MAX, TESS = "lena@example.org", "max@example.org", "tess@example.org"


@dataclass
class School:
    quiz: SmallQuiz
    lena: int
    max: int
    tess: int


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Posts the sign-in name under both field names the login form has had ("email", then
    "account"), so these tests do not depend on which one it has."""
    data = {"email": email, "account": email, "password": password}
    return client.post("/auth/login", data=data)


def answered(attempt: Attempt, question_id: int, choice_ids: list[int], right: bool) -> None:
    response = Response(
        attempt=attempt,
        question_id=question_id,
        correct=right,
        marks=1.0 if right else 0.0,
        answered_at=attempt.started_at + timedelta(minutes=len(attempt.responses) + 1),
    )
    response.chosen = [ResponseChoice(choice_id=c) for c in choice_ids]


def give_attempts(quiz: SmallQuiz, learner_id: int, count: int, right: bool = True) -> None:
    """``count`` submitted attempts, each answering all three questions."""
    picks = quiz.correct if right else quiz.wrong
    for number in range(1, count + 1):
        attempt = Attempt(
            quiz_id=quiz.quiz_id,
            learner_id=learner_id,
            number=number,
            started_at=T0 + timedelta(days=number),
            submitted_at=T0 + timedelta(days=number, minutes=10),
            score=3.0 if right else 0.0,
            max_score=3.0,
        )
        for question_id in quiz.question_ids:
            answered(attempt, question_id, picks[question_id], right)
        db.session.add(attempt)
    db.session.commit()


@pytest.fixture
def school(app: Flask) -> School:
    """Lena (a learner in Tess's class, with an attempt, flashcards and a practice quiz), Max
    (another learner, with answers and cards of his own) and Tess (a teacher)."""
    with app.app_context():
        quiz = build_small_quiz()
        lena = add_user(LENA, name="Lena Learner").id
        max_id = add_user(MAX, name="Max Other").id
        tess = add_user(TESS, Role.TEACHER, name="Tess Teacher").id
        give_attempts(quiz, lena, 1)
        give_attempts(quiz, max_id, 1, right=False)
        klass = SchoolClass(name="7B", teacher_id=tess, join_code="ABC123")
        db.session.add(klass)
        db.session.flush()
        db.session.add(ClassMember(class_id=klass.id, learner_id=lena, joined_at=T0))
        article = db.session.get(
            Article, db.session.get(Quiz, quiz.quiz_id).items[0].question.article_id
        )  # type: ignore[union-attr]
        sentence: Sentence = article.sentences[0]  # type: ignore[union-attr]
        fact = Fact(
            article_id=sentence.article_id,
            sentence_id=sentence.id,
            kind="definition",
            subject="end-to-end encryption",
            object="only the two ends can read a message",
        )
        db.session.add(fact)
        db.session.flush()
        first, second = quiz.question_ids[:2]
        for learner_id, question_id, rating in ((lena, first, 3), (max_id, second, 1)):
            db.session.add(
                CardState(
                    learner_id=learner_id,
                    question_id=question_id,
                    phase=int(Phase.REVIEW),
                    due=T0 + timedelta(days=3),
                    last_review=T0,
                    reviews=1,
                )
            )
            db.session.add(
                CardReview(
                    learner_id=learner_id,
                    question_id=question_id,
                    rating=rating,
                    reviewed_at=T0,
                    due_after=T0 + timedelta(days=3),
                )
            )
        db.session.add(
            CardReview(learner_id=lena, fact_id=fact.id, rating=4, reviewed_at=T0, due_after=T0)
        )
        practice = Quiz(title="Practice #1", practice_for_id=lena)
        practice.items = [QuizQuestion(question_id=quiz.question_ids[0], position=1)]
        db.session.add(practice)
        db.session.commit()
        return School(quiz, lena, max_id, tess)


def test_the_export_holds_the_learners_own_record_and_nobody_elses(
    app: Flask, school: School
) -> None:
    with app.app_context():
        data = personal_data(school.lena)
    assert data["profile"] == {
        "name": "Lena Learner",
        "email": LENA,
        "username": None,
        "role": "learner",
        "created_at": data["profile"]["created_at"],
        "deletion_requested_at": None,
    }
    assert data["classes"] == [
        {
            "class": "7B",
            "teacher": "Tess Teacher",
            "joined_at": "2026-03-02T09:00:00Z",
            "left_at": None,
        }
    ]
    (attempt,) = data["attempts"]
    assert (attempt["quiz"], attempt["number"], attempt["practice"]) == (
        "Encryption basics",
        1,
        False,
    )
    assert (attempt["score"], attempt["max_score"]) == (3.0, 3.0)
    assert attempt["submitted_at"] == "2026-03-03T09:10:00Z"
    single = attempt["answers"][0]
    assert single["question"] == "Which body is the communication regulator?"
    assert single["choices"][:2] == [
        {"text": "Ofcom", "chosen": True, "correct": True},
        {"text": "Ofwat", "chosen": False, "correct": False},
    ]
    assert (single["correct"], single["marks"], single["answered_at"]) == (
        True,
        1.0,
        "2026-03-03T09:01:00Z",
    )
    assert [a["correct"] for a in attempt["answers"]] == [True, True, True]
    assert data["flashcards"] == [
        {
            "card": "Which body is the communication regulator?",
            "phase": "review",
            "reviews": 1,
            "last_review": "2026-03-02T09:00:00Z",
            "due": "2026-03-05T09:00:00Z",
        }
    ]
    assert [(r["card"], r["rating"]) for r in data["card_reviews"]] == [
        ("Which body is the communication regulator?", "Good"),
        ("end-to-end encryption: only the two ends can read a message", "Easy"),
    ]
    assert data["practice_quizzes"] == [
        {
            "title": "Practice #1",
            "created_at": data["practice_quizzes"][0]["created_at"],
            "questions": 1,
        }
    ]
    assert "content_owned" not in data
    # Max's wrong answers and his card are nowhere in Lena's file.
    text = json.dumps(data)
    assert "Max" not in text and "Again" not in text
    assert "Which apps use end-to-end encryption?" not in json.dumps(data["flashcards"])


def test_a_teachers_export_counts_the_content_they_own(app: Flask, school: School) -> None:
    with app.app_context():
        with write_transaction():
            for title in ("Week 1", "Week 2"):
                db.session.add(Quiz(title=title, created_by_id=school.tess))
        data = personal_data(school.tess)
    assert data["content_owned"] == {"articles": 0, "questions": 0, "quizzes": 2, "classes": 1}
    assert data["profile"]["role"] == "teacher"
    assert data["attempts"] == [] and data["classes"] == []


def test_the_export_costs_the_same_queries_for_one_attempt_or_many(
    app: Flask, school: School
) -> None:
    with statements(app) as few, app.app_context():
        personal_data(school.lena)
        list(personal_data_csv(school.lena)[1])
    with app.app_context():
        give_attempts(school.quiz, school.tess, 6)
    with statements(app) as many, app.app_context():
        personal_data(school.tess)
        list(personal_data_csv(school.tess)[1])
    assert len(many) == len(few) + 1, (few, many)  # the teacher's one query of content counts


def test_the_csv_has_a_row_per_answer_quoted_like_every_other_export(
    app: Flask, school: School
) -> None:
    with app.app_context():
        header, rows = personal_data_csv(school.max)
        rows = list(rows)
    assert tuple(header) == ANSWERS_HEADER
    assert len(rows) == 3
    assert rows[1][:2] == ("Encryption basics", 1)
    assert rows[1][3:] == ("Which apps use end-to-end encryption?", "Myspace", False, 0.0)


def test_the_account_page_says_what_is_held(client: FlaskClient, school: School) -> None:
    log_in(client, LENA)
    page = client.get("/auth/account")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for said in ("1 quiz attempt", "3 answers", "2 flashcard ratings", "1 class you joined"):
        assert said in html
    for link in ("/auth/account/data.json", "/auth/account/answers.csv", "/auth/password"):
        assert f'href="{link}"' in html
    assert "style=" not in html and "<script" not in html


def test_the_downloads_are_private_attachments(client: FlaskClient, school: School) -> None:
    log_in(client, LENA)
    today = utcnow().date().isoformat()
    data = client.get("/auth/account/data.json")
    assert data.status_code == 200 and data.mimetype == "application/json"
    assert data.headers["Cache-Control"] == "no-store"
    assert data.headers["Content-Disposition"] == (
        f'attachment; filename="quizapp-data-{today}.json"'
    )
    assert data.get_json()["profile"]["email"] == LENA

    answers = client.get("/auth/account/answers.csv")
    assert answers.status_code == 200 and answers.mimetype == "text/csv"
    assert answers.headers["Cache-Control"] == "no-store"
    assert answers.headers["Content-Disposition"] == (
        f'attachment; filename="quizapp-answers-{today}.csv"'
    )
    body = answers.get_data(as_text=True)
    assert body.startswith('"quiz","attempt","submitted","question","chosen","correct","marks"')
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[2] == [
        "Encryption basics",
        "1",
        "2026-03-03T09:10:00Z",
        "Which apps use end-to-end encryption?",
        "Signal; WhatsApp",
        "yes",
        "1.0",
    ]


@pytest.mark.parametrize(
    "path", ["/auth/account", "/auth/account/data.json", "/auth/account/answers.csv"]
)
def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.location


def test_asking_for_deletion_takes_the_right_password(
    app: Flask, client: FlaskClient, school: School
) -> None:
    log_in(client, LENA)
    empty = client.post("/auth/account/delete", data={"password": ""})
    assert empty.status_code == 422
    assert "Enter your password to ask for deletion." in empty.get_data(as_text=True)
    wrong = client.post("/auth/account/delete", data={"password": "not my password"})
    assert wrong.status_code == 422
    assert "That is not your password; nothing was asked." in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, school.lena).deletion_requested_at is None  # type: ignore[union-attr]

    asked = client.post("/auth/account/delete", data={"password": PASSWORD})
    assert asked.status_code == 302 and asked.location.endswith("/auth/account")
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Your deletion request is sent to an admin." in page
    assert "You asked for your account to be deleted on" in page
    assert "your answers are removed from your teachers' reports" in page
    assert "Cancel the deletion request" in page
    with app.app_context():
        requested = db.session.get(User, school.lena).deletion_requested_at  # type: ignore[union-attr]
        assert requested is not None
        assert personal_data(school.lena)["profile"]["deletion_requested_at"] is not None
        assert holdings(school.lena).deletion_requested_at == requested

    cancelled = client.post("/auth/account/delete/cancel", follow_redirects=True)
    assert "Your deletion request is cancelled" in cancelled.get_data(as_text=True)
    again = client.post("/auth/account/delete/cancel", follow_redirects=True)
    assert "There was no deletion request to cancel." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, school.lena).deletion_requested_at is None  # type: ignore[union-attr]


def test_the_deletion_forms_need_their_security_token(
    app: Flask, client: FlaskClient, school: School
) -> None:
    log_in(client, LENA)
    app.config["WTF_CSRF_ENABLED"] = True
    for path in ("/auth/account/delete", "/auth/account/delete/cancel"):
        refused = client.post(path, data={"password": PASSWORD})
        assert refused.status_code == 400
        assert "security token" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, school.lena).deletion_requested_at is None  # type: ignore[union-attr]


def test_a_nul_in_the_password_is_refused_whole(client: FlaskClient, school: School) -> None:
    log_in(client, LENA)
    refused = client.post("/auth/account/delete", data={"password": "pass\x00word"})
    assert refused.status_code == 400
    assert "NUL character" in refused.get_data(as_text=True)


def test_the_services_refuse_a_wrong_password_and_unknown_accounts(
    app: Flask, school: School
) -> None:
    with app.app_context():
        with pytest.raises(WrongPassword), write_transaction():
            request_deletion(school.lena, "wrong")
        with write_transaction():
            first = request_deletion(school.lena, PASSWORD)
        with write_transaction():
            assert request_deletion(school.lena, PASSWORD) == first  # asking twice keeps it
        for call in (
            lambda: personal_data(10**9),
            lambda: personal_data_csv(10**9),
            lambda: holdings(10**9),
            lambda: cancel_deletion(10**9),
        ):
            with pytest.raises(NotFound):
                call()


def test_password_guesses_through_the_deletion_form_are_limited_per_account(
    tmp_path: Path,
) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute",
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    )
    with app.app_context():
        reset_database()
        db.create_all()
        add_user(LENA)
        add_user(MAX)
    try:
        lena, max_client = app.test_client(), app.test_client()
        assert log_in(lena, LENA).status_code == 302
        assert log_in(max_client, MAX).status_code == 302
        guesses = [
            lena.post("/auth/account/delete", data={"password": "guess"}).status_code
            for _ in range(4)
        ]
        assert guesses == [422, 422, 422, 429]
        assert max_client.post("/auth/account/delete", data={"password": "x"}).status_code == 422
    finally:
        with app.app_context():
            db.session.remove()
            reset_database()
            db.engine.dispose()


def test_an_unfinished_attempt_whose_feedback_waits_is_no_answer_key(
    app: Flask, client: FlaskClient, school: School
) -> None:
    """Downloading one's data during an attempt that shows right and wrong only once handed
    in must not reveal them: the choices and the answers carry no correctness yet."""
    with app.app_context():
        quiz = db.session.get(Quiz, school.quiz.quiz_id)
        assert quiz is not None
        quiz.feedback = Feedback.AFTER_SUBMIT
        attempt = Attempt(quiz_id=quiz.id, learner_id=school.lena, number=2, started_at=T0)
        question_id = school.quiz.question_ids[0]
        answered(attempt, question_id, school.quiz.wrong[question_id], right=False)
        db.session.add(attempt)
        db.session.commit()
    log_in(client, LENA)
    data = client.get("/auth/account/data.json").get_json()
    unfinished = next(a for a in data["attempts"] if a["submitted_at"] is None)
    (answer,) = unfinished["answers"]
    assert "correct" not in answer and "marks" not in answer
    assert all(set(choice) == {"text", "chosen"} for choice in answer["choices"])
    finished = next(a for a in data["attempts"] if a["submitted_at"] is not None)
    assert all("correct" in choice for choice in finished["answers"][0]["choices"])
    rows = client.get("/auth/account/answers.csv").get_data(as_text=True).splitlines()
    (unfinished_row,) = [row for row in rows if row.startswith('"Encryption basics",2,')]
    assert unfinished_row.endswith(',"",""')  # neither right nor wrong, no marks
