"""Classes: join codes, who sees which quiz, and a teacher's view of their own classes."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, ClassMember, QuizClass, Role, SchoolClass
from quizapp.services.attempts import available_quizzes
from quizapp.services.classes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    join_class,
    learner_classes,
    normalise_code,
)

from .conftest import Auth, add_user, build_small_quiz


def make_class(client: FlaskClient, name: str = "Year 10") -> SchoolClass:
    response = client.post("/teach/classes", data={"name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.name == name))
    assert school_class is not None
    return school_class


def test_a_teacher_creates_a_class_with_a_readable_join_code(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
        auth.login("t@example.org")
        school_class = make_class(client)
        code = school_class.join_code
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    page = client.get(f"/teach/classes/{school_class.id}").get_data(as_text=True)
    assert code in page and "Nobody has joined yet" in page


def test_class_names_are_checked(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
    auth.login("t@example.org")
    assert client.post("/teach/classes", data={"name": "  "}).status_code == 422
    assert client.post("/teach/classes", data={"name": "A" * 121}).status_code == 422
    assert client.post("/teach/classes", data={"name": "Set 1"}).status_code == 302
    again = client.post("/teach/classes", data={"name": "Set  1"})
    assert again.status_code == 409
    assert "already have a class called" in again.get_data(as_text=True)


def test_learners_join_with_the_code_in_any_case_and_spacing_once(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
        learner = add_user("l@example.org")
        auth.login("t@example.org")
        school_class = make_class(client)
        code, class_id, learner_id = school_class.join_code, school_class.id, learner.id
    auth.logout()
    auth.login("l@example.org")
    typed = " ".join(code.lower()[i : i + 4] for i in range(0, len(code), 4))
    assert normalise_code(typed) == code
    first = client.post("/classes/join", data={"code": typed}, follow_redirects=True)
    assert "You joined Year 10." in first.get_data(as_text=True)
    second = client.post("/classes/join", data={"code": code}, follow_redirects=True)
    assert "You are already in Year 10." in second.get_data(as_text=True)
    wrong = client.post("/classes/join", data={"code": "NOPE1234"}, follow_redirects=True)
    assert "No class has that code" in wrong.get_data(as_text=True)
    empty = client.post("/classes/join", data={"code": ""}, follow_redirects=True)
    assert "Type the class code" in empty.get_data(as_text=True)
    with app.app_context():
        members = db.session.scalars(select(ClassMember).where(ClassMember.class_id == class_id))
        assert [m.learner_id for m in members] == [learner_id]


def test_learners_see_public_quizzes_and_their_own_classes_quizzes_only(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        add_user("in@example.org")
        add_user("out@example.org")
        auth.login("t@example.org")
        school_class = make_class(client)
        code = school_class.join_code
        build_small_quiz("Public quiz")
        for_class = build_small_quiz("Class quiz", is_public=False, created_by_id=teacher.id)
        build_small_quiz("Unassigned quiz", is_public=False, created_by_id=teacher.id)
        db.session.add(QuizClass(quiz_id=for_class.quiz_id, class_id=school_class.id))
        db.session.commit()
    auth.logout()
    auth.login("in@example.org")
    client.post("/classes/join", data={"code": code})
    page = client.get("/").get_data(as_text=True)
    assert "Public quiz" in page and "Class quiz" in page and "Unassigned quiz" not in page
    assert client.post(f"/quizzes/{for_class.quiz_id}/start").status_code == 302
    auth.logout()
    auth.login("out@example.org")
    page = client.get("/").get_data(as_text=True)
    assert "Public quiz" in page and "Class quiz" not in page
    assert client.post(f"/quizzes/{for_class.quiz_id}/start").status_code == 404
    auth.logout()
    page = client.get("/").get_data(as_text=True)
    assert "Public quiz" in page and "Class quiz" not in page


def test_a_teacher_removes_a_learner_and_draws_a_new_code(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """A removed learner loses the class's quizzes; the scores they earned in it stay in its
    report and CSV (they vanished from both), and joining again brings them back."""
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        learner = add_user("l@example.org", name="Lena")
        auth.login("t@example.org")
        school_class = make_class(client)
        class_id, old_code, learner_id = school_class.id, school_class.join_code, learner.id
        db.session.add(ClassMember(class_id=class_id, learner_id=learner_id))
        quiz = build_small_quiz(
            "For Year 10", is_public=False, classes=[school_class], created_by_id=teacher.id
        )
        db.session.add(Attempt(quiz_id=quiz.quiz_id, learner_id=learner_id, score=2, max_score=3))
        db.session.commit()
    assert "Lena" in client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    client.post(f"/teach/classes/{class_id}/code")
    client.post(f"/teach/classes/{class_id}/members/{learner_id}/remove")
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        assert school_class is not None and school_class.join_code != old_code
        assert learner_classes(learner_id) == []
        assert [q.id for q in available_quizzes(learner_id)] == []
    assert "Lena" not in client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    report = f"/teach/quizzes/{quiz.quiz_id}/report?class={class_id}"
    assert "Lena" in client.get(report).get_data(as_text=True)
    assert "l@example.org" in client.get(f"/teach/classes/{class_id}/export.csv").get_data(True)
    assert client.post(f"/teach/classes/{class_id}/members/{learner_id}/remove").status_code == 404
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        assert join_class(learner_id, school_class.join_code) == (school_class, True)
        db.session.commit()
        assert [q.id for q in available_quizzes(learner_id)] == [quiz.quiz_id]
    assert "Lena" in client.get(f"/teach/classes/{class_id}").get_data(as_text=True)


def test_teachers_only_list_their_own_classes(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        add_user("a@example.org", Role.TEACHER)
        add_user("b@example.org", Role.TEACHER)
    auth.login("a@example.org")
    client.post("/teach/classes", data={"name": "Mine"})
    auth.logout()
    auth.login("b@example.org")
    assert "Mine" not in client.get("/teach/classes").get_data(as_text=True)
    assert client.post("/classes/join", data={"code": "X"}).status_code == 302  # not a learner


def test_the_class_page_pools_per_topic_progress_over_its_learners(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    from quizapp.database import write_transaction
    from quizapp.services.attempts import record_answer, start_attempt

    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
        auth.login("t@example.org")
        school_class = make_class(client)
        quiz = build_small_quiz(is_public=False, classes=[school_class])
        # another teacher's public quiz: the class's learners' answers to it are not this
        # teacher's to see (they showed up in the class's mastery)
        elsewhere = build_small_quiz("Another teacher's")
        for n, right in enumerate((True, False)):
            learner = add_user(f"l{n}@example.org")
            db.session.add(ClassMember(class_id=school_class.id, learner_id=learner.id))
            db.session.commit()
            single = quiz.question_ids[0]
            with write_transaction():
                attempt = start_attempt(learner.id, quiz.quiz_id)
                answer = quiz.correct[single] if right else quiz.wrong[single]
                record_answer(attempt.id, learner.id, single, answer)
                other = start_attempt(learner.id, elsewhere.quiz_id)
                first = elsewhere.question_ids[0]
                record_answer(other.id, learner.id, first, elsewhere.wrong[first])
        outsider = add_user("out@example.org")
        with write_transaction():
            attempt = start_attempt(outsider.id, elsewhere.quiz_id)
            record_answer(attempt.id, outsider.id, first, elsewhere.correct[first])
        class_id = school_class.id
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Mastery by topic, over the class" in page
    assert "1 of the last 2 right" in page  # the two members, not the outsider


def test_a_class_counts_the_attempts_made_as_its_member_only(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Joining a second class brought the learner's older attempts into its report and CSV
    and rewrote their class column in the quiz's export."""
    from datetime import datetime

    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        learner = add_user("l@example.org", name="Lena").id
        auth.login("t@example.org")
        first, second = make_class(client, "Class A"), make_class(client, "Class A2")
        quiz = build_small_quiz(
            "Both", is_public=False, classes=[first, second], created_by_id=teacher.id
        )
        db.session.add_all(
            [
                ClassMember(class_id=first.id, learner_id=learner, joined_at=datetime(2026, 9, 1)),
                Attempt(quiz_id=quiz.quiz_id, learner_id=learner, started_at=datetime(2026, 9, 2)),
                ClassMember(
                    class_id=second.id, learner_id=learner, joined_at=datetime(2026, 10, 1)
                ),
            ]
        )
        db.session.commit()
        ids = (first.id, second.id)
    export = f"/teach/quizzes/{quiz.quiz_id}/export.csv"
    assert "Lena" in client.get(f"{export}?class={ids[0]}").get_data(as_text=True)
    assert "Lena" not in client.get(f"{export}?class={ids[1]}").get_data(as_text=True)
    assert "Lena" not in client.get(f"/teach/classes/{ids[1]}/export.csv").get_data(True)
    everyone = client.get(export).get_data(as_text=True)
    assert '"Class A",' in everyone and "Class A2" not in everyone
