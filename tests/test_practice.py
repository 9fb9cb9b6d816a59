from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Quiz, QuizQuestion
from tests.conftest import Auth, SmallQuiz, add_user
from tests.test_learn import answer, start


def practice_questions(app: Flask, attempt_id: int) -> list[int]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.is_practice
        return list(
            db.session.scalars(
                select(QuizQuestion.question_id)
                .where(QuizQuestion.quiz_id == attempt.quiz_id)
                .order_by(QuizQuestion.position)
            )
        )


def take(client: FlaskClient, quiz: SmallQuiz, right: set[int]) -> int:
    attempt_id = start(client, quiz.quiz_id)
    for position, qid in enumerate(quiz.question_ids, 1):
        chosen = quiz.correct[qid] if qid in right else quiz.wrong[qid]
        answer(client, attempt_id, position, qid, chosen)
    client.post(f"/attempts/{attempt_id}/finish")
    return attempt_id


def test_practice_has_only_latest_wrong_questions(
    app: Flask, client: FlaskClient, learner: str, small_quiz: SmallQuiz
) -> None:
    single, multi, true_false = small_quiz.question_ids
    take(client, small_quiz, right={single})  # multi, true_false wrong
    take(client, small_quiz, right={multi})  # single now wrong, multi now right
    response = client.post("/practice")
    attempt_id = int(response.location.split("/")[2])
    assert practice_questions(app, attempt_id) == [single, true_false]


def test_no_mistakes_is_said_kindly(
    app: Flask, client: FlaskClient, learner: str, small_quiz: SmallQuiz
) -> None:
    take(client, small_quiz, right=set(small_quiz.question_ids))
    page = client.post("/practice", follow_redirects=True).get_data(as_text=True)
    assert "No mistakes to practise" in page
    with app.app_context():
        assert db.session.scalar(select(Quiz).where(Quiz.practice_for_id.is_not(None))) is None


def test_retry_from_a_result_and_practice_is_kept_apart(
    app: Flask, client: FlaskClient, auth: Auth, learner: str, small_quiz: SmallQuiz
) -> None:
    single, multi, true_false = small_quiz.question_ids
    graded = take(client, small_quiz, right={single, true_false})
    assert "Retry the ones I got wrong" in client.get(f"/attempts/{graded}/result").get_data(True)
    response = client.post(f"/attempts/{graded}/retry")
    practice = int(response.location.split("/")[2])
    assert practice_questions(app, practice) == [multi]
    answer(client, practice, 1, multi, small_quiz.correct[multi])
    client.post(f"/attempts/{practice}/finish")
    # practice answers do not clear graded mistakes, nor appear among published quizzes
    retry = client.post("/practice")
    assert practice_questions(app, int(retry.location.split("/")[2])) == [multi]
    assert "Practice:" not in client.get("/").get_data(as_text=True)
    assert "practice, not graded" in client.get("/scores").get_data(as_text=True)
    auth.logout()
    with app.app_context():
        add_user("eve@example.org")
    auth.login("eve@example.org")
    assert client.get(f"/attempts/{practice}/result").status_code == 404
    assert client.post(f"/attempts/{practice}/retry").status_code == 404
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.practice_for_id.is_not(None)))
    assert client.post(f"/quizzes/{quiz_id}/start").status_code == 404


def test_pressing_practise_again_resumes_the_unfinished_practice(
    app: Flask, client: FlaskClient, learner: str, small_quiz: SmallQuiz
) -> None:
    """A second click, or the back button and the button again, used to make another
    practice quiz each time, piling up "in progress" rows in My scores."""
    first = take(client, small_quiz, right=set())
    practice = client.post("/practice").location
    assert client.post("/practice").location == practice
    retry = client.post(f"/attempts/{first}/retry").location
    assert client.post(f"/attempts/{first}/retry").location == retry == practice
    practice_id = int(practice.split("/")[2])
    client.post(f"/attempts/{practice_id}/finish")
    assert client.post("/practice").location != practice  # finished: a fresh one
    with app.app_context():
        practices = db.session.scalar(
            select(func.count()).select_from(Quiz).where(Quiz.practice_for_id.is_not(None))
        )
    assert practices == 2


def test_practice_follows_question_versions_and_leaves_out_retired_questions(
    app: Flask, client: FlaskClient, learner: str, small_quiz: SmallQuiz
) -> None:
    """Practice went by the exact version: a right answer to a question's new wording did not
    master it, a retry offered a slot answered right, and retired versions came back."""
    from dataclasses import replace

    from quizapp.database import write_transaction
    from quizapp.models import Question, Role, Status
    from quizapp.services.bank import data_of, revise_question

    single, multi, true_false = small_quiz.question_ids
    first = take(client, small_quiz, right={single})  # multi and true/false wrong
    with app.app_context(), write_transaction():
        teacher = add_user("t@example.org", role=Role.TEACHER).id
        old_single = db.session.get(Question, single)
        new_single = revise_question(old_single, replace(data_of(old_single), stem="New?"), teacher)
        old_multi = db.session.get(Question, multi)
        new_multi = revise_question(old_multi, replace(data_of(old_multi), stem="New?"), teacher)
        new_ids = {single: new_single.id, multi: new_multi.id}
        new_right = {new_multi.id: [c.id for c in new_multi.choices if c.is_correct]}
        db.session.get(Question, true_false).status = Status.RETIRED
    retry = int(client.post(f"/attempts/{first}/retry").location.split("/")[2])
    assert practice_questions(app, retry) == [new_ids[multi]]  # not the right single, nor retired
    client.post(f"/attempts/{retry}/finish")
    again = start(client, small_quiz.quiz_id)  # the slots now hold the new versions
    answer(client, again, 2, new_ids[multi], new_right[new_ids[multi]])
    client.post(f"/attempts/{again}/finish")
    assert "No mistakes to practise" in client.post("/practice", follow_redirects=True).get_data(
        as_text=True
    )
