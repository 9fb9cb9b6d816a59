"""The learner's path through the Flask test client: start, answer, feedback, finish, review."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Attempt, Response, ResponseChoice
from quizapp.services import NotFound
from quizapp.services.attempts import record_answer

from .conftest import Auth, SmallQuiz, add_user, build_small_quiz


def start(client: FlaskClient, quiz_id: int) -> int:
    response = client.post(f"/quizzes/{quiz_id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.split("/")[2])


def answer(
    client: FlaskClient, attempt_id: int, position: int, question_id: int, choices: list[int]
) -> TestResponse:
    return client.post(
        f"/attempts/{attempt_id}/questions/{position}",
        data={"question_id": question_id, "answer": choices},
    )


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_home_lists_published_quizzes_only(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        build_small_quiz("Published one")
        build_small_quiz("Hidden draft", published=False)
    page = client.get("/").get_data(as_text=True)
    assert "Published one" in page and "3 questions" in page
    assert "Hidden draft" not in page


def test_starting_needs_login(client: FlaskClient, small_quiz: SmallQuiz) -> None:
    response = client.post(f"/quizzes/{small_quiz.quiz_id}/start")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_whole_attempt(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    first = client.get(f"/attempts/{attempt_id}/questions/1").get_data(as_text=True)
    assert "Question 1 of 3" in first and "Which body is the communication regulator?" in first

    single, multi, true_false = small_quiz.question_ids
    response = answer(client, attempt_id, 1, single, small_quiz.correct[single])
    assert response.status_code == 302
    feedback = client.get(response.location).get_data(as_text=True)
    assert "Right!" in feedback
    assert small_quiz.evidence[single] in feedback  # the article sentence it comes from
    assert "The article says so" in feedback  # the explanation

    feedback = client.get(
        answer(client, attempt_id, 2, multi, small_quiz.wrong[multi]).location
    ).get_data(as_text=True)
    assert "Not quite." in feedback and "(correct answer)" in feedback

    answer(client, attempt_id, 3, true_false, small_quiz.correct[true_false])
    finish = client.post(f"/attempts/{attempt_id}/finish")
    assert finish.location == f"/attempts/{attempt_id}/result"
    result = client.get(finish.location).get_data(as_text=True)
    assert "You scored <strong>2 out of 3</strong> (67%)" in result
    assert result.count("(your answer)") == 3

    scores = client.get("/scores").get_data(as_text=True)
    assert "Encryption basics" in scores and "2 / 3 (67%)" in scores


def test_multi_answer_needs_exactly_the_right_set(
    client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    multi = small_quiz.question_ids[1]
    partly = small_quiz.correct[multi][:1]
    page = client.get(answer(client, attempt_id, 2, multi, partly).location)
    assert "Not quite." in page.get_data(as_text=True)


def test_an_unfinished_attempt_resumes_where_it_stopped(
    client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single = small_quiz.question_ids[0]
    answer(client, attempt_id, 1, single, small_quiz.correct[single])
    assert "Resume quiz" in client.get("/").get_data(as_text=True)
    assert start(client, small_quiz.quiz_id) == attempt_id  # starting again resumes
    assert client.get(f"/attempts/{attempt_id}").location == f"/attempts/{attempt_id}/questions/2"


def test_an_empty_choice_is_refused_with_a_message(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    response = answer(client, attempt_id, 1, small_quiz.question_ids[0], [])
    assert response.status_code == 422
    assert "Choose an answer before submitting." in response.get_data(as_text=True)
    assert count(app, Response) == 0


def test_a_choice_from_another_question_is_refused(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single, multi, _ = small_quiz.question_ids
    response = answer(client, attempt_id, 1, single, small_quiz.correct[multi][:1])
    assert response.status_code == 422
    assert "not one of this question" in response.get_data(as_text=True)
    assert count(app, Response) == 0


def test_two_answers_to_a_single_answer_question_are_refused(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single = small_quiz.question_ids[0]
    both = small_quiz.correct[single] + small_quiz.wrong[single]
    response = answer(client, attempt_id, 1, single, both)
    assert response.status_code == 422 and "exactly one" in response.get_data(as_text=True)


def test_a_replayed_answer_counts_once_and_changes_nothing(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single = small_quiz.question_ids[0]
    answer(client, attempt_id, 1, single, small_quiz.correct[single])
    answer(client, attempt_id, 1, single, small_quiz.correct[single])  # double click
    answer(client, attempt_id, 1, single, small_quiz.wrong[single])  # change of mind
    assert count(app, Response) == 1 and count(app, ResponseChoice) == 1
    with app.app_context():
        assert db.session.scalar(select(Response.correct)) is True


def test_a_question_not_in_the_attempt_is_refused(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    with app.app_context():
        other = build_small_quiz("Another quiz")
    attempt_id = start(client, small_quiz.quiz_id)
    foreign = other.question_ids[0]
    response = answer(client, attempt_id, 1, foreign, other.correct[foreign])
    assert response.status_code == 409
    assert "different question" in response.get_data(as_text=True)
    assert client.get(f"/attempts/{attempt_id}/questions/9").status_code == 404
    assert count(app, Response) == 0
    with app.app_context(), pytest.raises(NotFound, match="not part of this quiz"):
        record_answer(attempt_id, 1, foreign, other.correct[foreign])


def test_an_answer_from_an_old_tab_for_another_position_is_refused(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    multi = small_quiz.question_ids[1]
    response = answer(client, attempt_id, 1, multi, small_quiz.correct[multi])
    assert response.status_code == 409
    assert count(app, Response) == 0


@pytest.mark.parametrize(
    "url",
    ["/attempts/99999999999999999999", "/attempts/abc", "/attempts/0/result", "/attempts/-1"],
)
def test_impossible_attempt_ids_are_not_found(client: FlaskClient, learner: str, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_huge_question_id_in_the_form_is_refused(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    response = client.post(
        f"/attempts/{attempt_id}/questions/1",
        data={"question_id": "99999999999999999999", "answer": ["99999999999999999999"]},
    )
    assert response.status_code == 409
    assert count(app, Response) == 0


def test_finishing_early_asks_first_and_names_the_unanswered(
    client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single = small_quiz.question_ids[0]
    page = client.get(answer(client, attempt_id, 1, single, small_quiz.correct[single]).location)
    assert f'href="/attempts/{attempt_id}/finish"' in page.get_data(as_text=True)
    confirm = client.get(f"/attempts/{attempt_id}/finish").get_data(as_text=True)
    assert "You have not answered 2 questions yet" in confirm
    assert "Answer question 2" in confirm and "Answer question 3" in confirm
    assert client.get(f"/attempts/{attempt_id}/result").status_code == 302  # not finished yet


def test_answering_after_submitting_is_refused(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single, multi, _ = small_quiz.question_ids
    answer(client, attempt_id, 1, single, small_quiz.correct[single])
    client.post(f"/attempts/{attempt_id}/finish")
    response = answer(client, attempt_id, 2, multi, small_quiz.correct[multi])
    assert response.status_code == 409
    assert "can no longer change" in response.get_data(as_text=True)
    client.post(f"/attempts/{attempt_id}/finish")  # finishing twice keeps the first result
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.score == 1.0
    assert count(app, Response) == 1


def test_another_learners_attempt_is_never_shown(
    app: Flask, client: FlaskClient, auth: Auth, small_quiz: SmallQuiz, learner: str
) -> None:
    attempt_id = start(client, small_quiz.quiz_id)
    single = small_quiz.question_ids[0]
    answer(client, attempt_id, 1, single, small_quiz.correct[single])
    client.post(f"/attempts/{attempt_id}/finish")
    auth.logout()
    with app.app_context():
        add_user("eve@example.org")
    auth.login("eve@example.org")
    for url in (
        f"/attempts/{attempt_id}",
        f"/attempts/{attempt_id}/questions/1",
        f"/attempts/{attempt_id}/result",
    ):
        assert client.get(url).status_code == 404
    assert answer(client, attempt_id, 2, small_quiz.question_ids[1], [1]).status_code == 404
    assert client.post(f"/attempts/{attempt_id}/finish").status_code == 404
    assert "Encryption basics" not in client.get("/scores").get_data(as_text=True)
    assert count(app, Response) == 1


def test_an_unpublished_quiz_cannot_be_started(
    app: Flask, client: FlaskClient, learner: str
) -> None:
    with app.app_context():
        hidden = build_small_quiz("Hidden", published=False)
    assert client.post(f"/quizzes/{hidden.quiz_id}/start").status_code == 404
    assert count(app, Attempt) == 0


def test_a_new_attempt_after_finishing_gets_the_next_number(
    app: Flask, client: FlaskClient, small_quiz: SmallQuiz, learner: str
) -> None:
    first = start(client, small_quiz.quiz_id)
    client.post(f"/attempts/{first}/finish")
    second = start(client, small_quiz.quiz_id)
    assert second != first
    with app.app_context():
        assert [a.number for a in db.session.scalars(select(Attempt).order_by(Attempt.id))] == [
            1,
            2,
        ]
