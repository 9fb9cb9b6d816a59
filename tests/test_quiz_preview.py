"""Previewing a quiz as a learner: the learner's pages and rules, and not one row stored."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.core.assessment.ordering import shuffled
from quizapp.core.assessment.preview import PreviewState, choice_order_seed, order_seed
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.models import Choice, Question, Quiz, QuizQuestion, Role, Status
from quizapp.teach.quizzes import PREVIEW_KEY

from .conftest import Auth, SmallQuiz, add_user, build_small_quiz

TEACHER = "teacher@example.org"


@pytest.fixture
def quiz(app: Flask, auth: Auth) -> SmallQuiz:
    """The small quiz, the teacher's own and unpublished, with a time limit."""
    with app.app_context():
        teacher = add_user(TEACHER, Role.TEACHER)
        small = build_small_quiz(published=False, time_limit_minutes=30)
        stored = db.session.get(Quiz, small.quiz_id)
        assert stored is not None
        stored.created_by_id = teacher.id
        db.session.commit()
    auth.login(TEACHER)
    return small


def set_quiz(app: Flask, quiz_id: int, **settings: object) -> None:
    with app.app_context():
        stored = db.session.get(Quiz, quiz_id)
        for name, value in settings.items():
            setattr(stored, name, value)
        db.session.commit()


def row_counts(app: Flask) -> dict[str, int]:
    """Every table's row count: a preview must leave each one as it was."""
    with app.app_context():
        return {
            name: db.session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in db.metadata.tables.items()
        }


def page(client: FlaskClient, url: str = "", **kwargs: object) -> str:
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def stem_on(html: str) -> str:
    found = re.search(r'<legend class="stem">(.*?)</legend>', html)
    assert found, html
    return found.group(1)


def session_state(client: FlaskClient) -> PreviewState:
    with client.session_transaction() as session:
        state = PreviewState.from_session(session.get(PREVIEW_KEY))
    assert state is not None
    return state


def test_a_preview_is_the_learners_quiz_and_stores_nothing(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    before = row_counts(app)
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    start = page(client, base)
    assert "<strong>Preview</strong>" in start and "3 questions · time limit 30 min" in start
    assert "Not published" in start
    assert client.post(base + "/start").status_code == 302
    first = page(client, base)
    assert "<strong>Preview</strong>" in first and "Question 1 of 3" in first
    assert 'id="deadline"' in first and "Time limit: answers count until" in first
    single, multi, true_false = quiz.question_ids

    wrong = client.post(
        base + "/answer?position=1",
        data={"question_id": single, "answer": quiz.wrong[single]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Not quite." in wrong and "(correct answer)" in wrong and "(your answer)" in wrong
    assert quiz.evidence[single] in wrong  # the evidence, as after a learner's answer
    # the first answer stands, as in an attempt
    client.post(
        base + "/answer?position=1", data={"question_id": single, "answer": quiz.correct[single]}
    )
    assert "Not quite." in page(client, base + "?position=1")
    for position, question_id in ((2, multi), (3, true_false)):
        right = client.post(
            base + f"/answer?position={position}",
            data={"question_id": question_id, "answer": quiz.correct[question_id]},
            follow_redirects=True,
        ).get_data(as_text=True)
        assert "Right!" in right
    assert "Finish and see my score" in right
    result = client.post(base + "/finish", follow_redirects=True).get_data(as_text=True)
    assert (
        "<strong>Preview</strong>" in result and "You scored <strong>2 out of 3</strong>" in result
    )
    # finished: answers can no longer change, and the GET shows the result again
    client.post(
        base + "/answer?position=1", data={"question_id": single, "answer": quiz.correct[single]}
    )
    assert "2 out of 3" in page(client, base)

    assert row_counts(app) == before  # no attempt, response or anything else was written


def test_shuffles_follow_the_attempts_rules_with_the_previews_own_seed(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    set_quiz(app, quiz.quiz_id, shuffle_questions=True, shuffle_choices=True)
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    client.post(base + "/start")
    seed = session_state(client).seed
    with app.app_context():
        questions = {q.id: q for q in db.session.scalars(select(Question))}
        expected = shuffled(quiz.question_ids, order_seed(seed))
        for position, question_id in enumerate(expected, start=1):
            html = page(client, base + f"?position={position}")
            question = questions[question_id]
            assert stem_on(html) == question.stem
            shown = re.findall(r'name="answer"\s+value="(\d+)"', html)
            order = shuffled([c.id for c in question.choices], choice_order_seed(seed, question.id))
            assert [int(i) for i in shown] == order


def test_feedback_after_submitting_shows_nothing_until_the_end(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    set_quiz(app, quiz.quiz_id, feedback="after_submit")
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    client.post(base + "/start")
    single = quiz.question_ids[0]
    saved = client.post(
        base + "/answer?position=1",
        data={"question_id": single, "answer": quiz.wrong[single]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert (
        "Answer saved." in saved and "Not quite." not in saved and "(correct answer)" not in saved
    )
    finish = page(client, base + "?finish=1")
    assert "You have not answered 2 questions yet." in finish
    result = client.post(base + "/finish", follow_redirects=True).get_data(as_text=True)
    assert "0 out of 3" in result and "Not answered (0 marks)." in result


def test_answers_are_checked_as_a_learners_are(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    client.post(base + "/start")
    single, multi, _tf = quiz.question_ids
    foreign = client.post(
        base + "/answer?position=1", data={"question_id": single, "answer": quiz.correct[multi]}
    )
    assert foreign.status_code == 422
    assert "not one of this question" in foreign.get_data(as_text=True)
    stale = client.post(
        base + "/answer?position=1", data={"question_id": multi, "answer": quiz.correct[multi]}
    )
    assert stale.status_code == 422 and "Reload the page" in stale.get_data(as_text=True)
    empty = client.post(base + "/answer?position=1", data={"question_id": single})
    assert empty.status_code == 422 and "Choose an answer" in empty.get_data(as_text=True)
    assert client.get(base + "?position=4").status_code == 404
    assert session_state(client).answers == {}


def test_time_up_finishes_the_preview_as_of_its_deadline(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    client.post(base + "/start")
    state = session_state(client)
    with client.session_transaction() as session:
        late = PreviewState(state.quiz_id, state.seed, utcnow() - timedelta(minutes=31))
        session[PREVIEW_KEY] = late.to_session()
    single = quiz.question_ids[0]
    refused = client.post(
        base + "/answer?position=1",
        data={"question_id": single, "answer": quiz.correct[single]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Time is up" in refused and "0 out of 3" in refused
    finished = session_state(client)
    assert finished.answers == {} and finished.finished_at == late.started_at + timedelta(
        minutes=30
    )


def test_preview_again_draws_a_new_run(app: Flask, client: FlaskClient, quiz: SmallQuiz) -> None:
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    client.post(base + "/start")
    single = quiz.question_ids[0]
    client.post(
        base + "/answer?position=1", data={"question_id": single, "answer": quiz.wrong[single]}
    )
    first = session_state(client)
    client.post(base + "/start")
    again = session_state(client)
    assert again.answers == {} and again.seed != first.seed
    assert "Question 1 of 3" in page(client, base)


def test_only_the_quizs_teacher_may_preview_it(
    app: Flask, client: FlaskClient, auth: Auth, quiz: SmallQuiz
) -> None:
    base = f"/teach/quizzes/{quiz.quiz_id}/preview"
    with app.app_context():
        add_user("rival@example.org", Role.TEACHER)
        add_user("learner@example.org")
    before = row_counts(app)
    urls = [("GET", base), ("POST", base + "/start"), ("POST", base + "/answer?position=1")]
    urls.append(("POST", base + "/finish"))
    for email, status in (("rival@example.org", 404), ("learner@example.org", 403)):
        auth.logout()
        auth.login(email)
        for method, url in urls:
            assert client.open(url, method=method).status_code == status, (email, method, url)
        with client.session_transaction() as session:
            assert PREVIEW_KEY not in session
    assert client.get("/teach/quizzes/999/preview").status_code == 403
    assert row_counts(app) == before


def test_a_quiz_without_questions_says_so(app: Flask, client: FlaskClient, quiz: SmallQuiz) -> None:
    with app.app_context():
        empty = Quiz(title="Empty", created_by_id=db.session.scalar(select(Quiz.created_by_id)))
        db.session.add(empty)
        db.session.commit()
        empty_id = empty.id
    base = f"/teach/quizzes/{empty_id}/preview"
    assert "no questions yet" in page(client, base)
    started = client.post(base + "/start", follow_redirects=True).get_data(as_text=True)
    assert "That quiz has no questions yet." in started


def test_a_forged_form_naming_another_teachers_quiz_or_question_changes_nothing(
    app: Flask, client: FlaskClient, auth: Auth, quiz: SmallQuiz
) -> None:
    with app.app_context():
        rival = add_user("rival@example.org", Role.TEACHER)
        theirs = Question(
            kind="single",
            stem="Whose question?",
            status=Status.APPROVED,
            created_by_id=rival.id,
            choices=[
                Choice(position=0, text="Theirs", is_correct=True),
                Choice(position=1, text="Mine"),
            ],
        )
        their_quiz = Quiz(title="Rival's", created_by_id=rival.id)
        db.session.add_all([theirs, their_quiz])
        db.session.commit()
        theirs_id, their_quiz_id = theirs.id, their_quiz.id
    before = row_counts(app)
    # my quiz, their question: not found, and my quiz is unchanged
    assert (
        client.post(
            f"/teach/quizzes/{quiz.quiz_id}/add", data={"question_ids": theirs_id}
        ).status_code
        == 404
    )
    # their quiz, my question: not found
    assert (
        client.post(
            f"/teach/quizzes/{their_quiz_id}/add", data={"question_ids": quiz.question_ids[0]}
        ).status_code
        == 404
    )
    assert client.post(f"/teach/questions/{theirs_id}/retire").status_code == 404
    assert (
        client.post(f"/teach/quizzes/{their_quiz_id}/publish", data={"publish": "1"}).status_code
        == 404
    )
    assert row_counts(app) == before
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(QuizQuestion)
                .where(QuizQuestion.question_id == theirs_id)
            )
            == 0
        )
        assert db.session.get(Question, theirs_id).status == Status.APPROVED  # type: ignore[union-attr]
        assert db.session.get(Quiz, their_quiz_id).published is False  # type: ignore[union-attr]


def test_a_damaged_session_value_is_no_preview() -> None:
    assert PreviewState.from_session(None) is None
    assert PreviewState.from_session({"quiz": "x"}) is None
    assert (
        PreviewState.from_session(
            {"quiz": 1, "seed": "a", "started": "nope", "answers": {}, "finished": None}
        )
        is None
    )
    state = PreviewState(3, "abc", datetime(2026, 1, 1, 9, 0), {5: (7, 8)})
    assert PreviewState.from_session(state.to_session()) == state
    assert state.answered(5, (9,)) is state  # the first answer stands
    assert state.answered(6, (2, 1)).answers[6] == (1, 2)
