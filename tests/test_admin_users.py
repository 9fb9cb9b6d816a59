"""The admin's users page: who may open it, roles, disabling, deleting, finding accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.database import utcnow, write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    CardReview,
    CardState,
    ClassMember,
    Invite,
    Quiz,
    QuizQuestion,
    Response,
    ResponseChoice,
    Role,
    SchoolClass,
    User,
)
from quizapp.services import Conflict
from quizapp.services.account_deletion import delete_account
from quizapp.services.classes import create_class
from quizapp.services.invites import create_invite
from quizapp.services.users import change_role, disable_user

from .conftest import Auth, add_user, build_small_quiz


@pytest.fixture
def admin(app: Flask, auth: Auth) -> int:
    """Ms Head, an admin, signed in on the test client."""
    with app.app_context():
        admin_id = add_user("head@school.org", Role.ADMIN, name="Ms Head").id
    auth.login("head@school.org")
    return admin_id


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == email))
        assert found is not None
        return found


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def role_of(app: Flask, uid: int) -> str:
    with app.app_context():
        user = db.session.get(User, uid)
        assert user is not None
        return user.role


def test_only_admins_open_the_admin_pages(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        learner = add_user("pupil@school.org").id
        add_user("teacher@school.org", Role.TEACHER)
    paths = [
        ("get", "/admin/users"),
        ("get", "/admin/"),
        ("post", f"/admin/users/{learner}/disable"),
        ("post", f"/admin/users/{learner}/role"),
        ("get", f"/admin/users/{learner}/delete"),
        ("post", "/admin/invites"),
    ]
    for method, path in paths:
        anonymous = getattr(client, method)(path)
        assert anonymous.status_code == 302 and "/auth/login" in anonymous.location, path
    for email in ("pupil@school.org", "teacher@school.org"):
        auth.login(email)
        for method, path in paths:
            refused = getattr(client, method)(path)
            assert refused.status_code == 403, (email, path)
            assert "Only an admin can open the users page" in text(refused)
        auth.logout()
    with app.app_context():
        user = db.session.get(User, learner)
        assert user is not None and user.disabled_at is None


def test_the_list_shows_each_accounts_name_sign_in_name_role_and_state(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    with app.app_context():
        add_user("pupil@school.org", name="Pip Pupil")
        gone = add_user("leaver@school.org", name="Lee Leaver")
        gone.deletion_requested_at = datetime(2026, 3, 4)
        off = add_user("off@school.org", name="Otto Off")
        off.disabled_at = utcnow()
        off.must_change_password = True
        db.session.add(User(username="kid7", name="Kid Seven", password_hash="x"))
        db.session.commit()
    page = text(client.get("/admin/users"))
    for shown in ("Pip Pupil", "pupil@school.org", "kid7", "Kid Seven", "(you)"):
        assert shown in page
    assert "Asked to be deleted on" in page and "04 Mar 2026" in page
    assert "Disabled since" in page and "Must change password" in page
    assert "5 accounts found." in page
    # The admin's own row has no disable or delete button.
    own_row = page.split('id="user-1"')[1].split("</tr>")[0]
    assert "Disable" not in own_row and "Delete" not in own_row


def test_search_filter_and_pages(app: Flask, client: FlaskClient, admin: int) -> None:
    with app.app_context():
        for n in range(30):
            add_user(f"pupil{n:02}@school.org", name=f"Pupil {n:02}")
        add_user("under_score@school.org", name="Una Score")
        add_user("t@school.org", Role.TEACHER, name="Tess Teacher")
        leaver = add_user("leaver@school.org", name="Lee Leaver")
        leaver.deletion_requested_at = utcnow()
        db.session.add(User(username="pc_100%", name="Percy", password_hash="x"))
        db.session.commit()

    def found(query: str) -> str:
        response = client.get(f"/admin/users?{query}")
        assert response.status_code == 200, query
        return text(response)

    assert "found" in found("q=PUPIL0") and "10 accounts found." in found("q=PUPIL0")
    # LIKE's wildcards are searched for as themselves.
    assert "2 accounts found." in found("q=_")  # under_score and pc_100%
    assert "1 account found." in found("q=%25")
    assert "Percy" in found("q=pc_1")
    teachers = found("role=teacher")
    assert "1 account found." in teachers and "Tess Teacher" in teachers
    assert "1 account found." in found("role=admin")
    leavers = found("deletion=y")
    assert "1 account found." in leavers and "Lee Leaver" in leavers
    # A malformed filter is ignored, not an error page.
    assert "35 accounts found." in found("role=wizard")

    first = found("")
    assert "Page 1 of 2" in first and "Next page" in first
    second = found("page=2")
    assert "Page 2 of 2" in second and "Pupil 29" in second and "Pupil 00" not in second
    # Past the end, zero, negative, junk and huge page numbers clamp, as the question bank does.
    for page in ("3", "0", "-4", "abc", "99999999999999999999999"):
        assert client.get(f"/admin/users?page={page}").status_code == 200, page
    # The filters survive a button press: the redirect goes back to the same list.
    pupil = user_id(app, "pupil05@school.org")
    back = client.post(f"/admin/users/{pupil}/disable?q=pupil&page=1")
    assert back.status_code == 302 and back.location == "/admin/users?q=pupil&page=1"


def test_change_a_role(app: Flask, client: FlaskClient, admin: int) -> None:
    with app.app_context():
        pupil = add_user("pupil@school.org", name="Pip Pupil").id
    done = client.post(f"/admin/users/{pupil}/role", data={"role": "teacher"})
    assert done.status_code == 302
    assert "Pip Pupil is now a teacher." in text(client.get(done.location))
    assert role_of(app, pupil) == Role.TEACHER
    client.post(f"/admin/users/{pupil}/role", data={"role": "admin"})
    assert role_of(app, pupil) == Role.ADMIN
    client.post(f"/admin/users/{pupil}/role", data={"role": "learner"})
    assert role_of(app, pupil) == Role.LEARNER

    bad = client.post(f"/admin/users/{pupil}/role", data={"role": "wizard"})
    assert bad.status_code == 422 and "Choose a role: learner, teacher, admin." in text(bad)
    assert client.post(f"/admin/users/{pupil}/role", data={}).status_code == 422
    assert client.post("/admin/users/9999/role", data={"role": "teacher"}).status_code == 404
    assert role_of(app, pupil) == Role.LEARNER


def test_a_teacher_who_owns_a_class_is_not_made_a_learner(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    """A learner cannot open the workspace, so their classes would be out of everyone's reach."""
    with app.app_context():
        teacher = add_user("t@school.org", Role.TEACHER, name="Tess").id
        with write_transaction():
            create_class(teacher, "7B")
    refused = client.post(f"/admin/users/{teacher}/role", data={"role": "learner"})
    assert "Tess owns 1 class;" in text(client.get(refused.location))
    assert role_of(app, teacher) == Role.TEACHER
    client.post(f"/admin/users/{teacher}/role", data={"role": "admin"})
    assert role_of(app, teacher) == Role.ADMIN


def test_the_last_active_admin_keeps_the_role(app: Flask, client: FlaskClient, admin: int) -> None:
    refused = client.post(f"/admin/users/{admin}/role", data={"role": "teacher"})
    assert "Ms Head is the last active admin" in text(client.get(refused.location))
    assert role_of(app, admin) == Role.ADMIN
    with app.app_context():
        deputy = add_user("deputy@school.org", Role.ADMIN, name="Dee Deputy")
        deputy.disabled_at = utcnow()
        db.session.commit()
        deputy_id = deputy.id
    # A disabled admin does not count: they cannot sign in to put things right.
    client.post(f"/admin/users/{admin}/role", data={"role": "teacher"})
    assert role_of(app, admin) == Role.ADMIN
    client.post(f"/admin/users/{deputy_id}/enable")
    # With a second active admin, either may step down (here: herself).
    client.post(f"/admin/users/{admin}/role", data={"role": "teacher"})
    assert role_of(app, admin) == Role.TEACHER
    assert client.get("/admin/users").status_code == 403


def test_disabling_ends_the_users_sessions_and_blocks_login(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    with app.app_context():
        pupil = add_user("pupil@school.org", name="Pip Pupil").id
    theirs = app.test_client()
    Auth(theirs).login("pupil@school.org")
    assert "Log out Pip Pupil" in text(theirs.get("/"))

    done = client.post(f"/admin/users/{pupil}/disable")
    assert "every sign-in of it has ended" in text(client.get(done.location))
    assert "Log out Pip Pupil" not in text(theirs.get("/"))
    refused = Auth(app.test_client()).login("pupil@school.org")
    assert refused.status_code != 302 and "turned off" in text(refused)
    assert "Disabled since" in text(client.get("/admin/users"))

    again = client.post(f"/admin/users/{pupil}/enable")
    assert "enabled again" in text(client.get(again.location))
    assert Auth(app.test_client()).login("pupil@school.org").status_code == 302
    assert client.post("/admin/users/9999/disable").status_code == 404
    assert client.post("/admin/users/9999/enable").status_code == 404


def test_an_admin_cannot_disable_or_delete_themselves(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    refused = client.post(f"/admin/users/{admin}/disable")
    assert "You cannot disable your own account here." in text(client.get(refused.location))
    confirm = text(client.get(f"/admin/users/{admin}/delete"))
    assert "You cannot delete your own account here" in confirm
    assert "Yes, delete" not in confirm
    client.post(f"/admin/users/{admin}/delete")
    with app.app_context():
        me = db.session.get(User, admin)
        assert me is not None and me.disabled_at is None
    assert client.get("/admin/users").status_code == 200


@dataclass
class Studied:
    """A learner's footprint: every kind of row deleting the account must remove."""

    learner_id: int
    quiz_id: int
    practice_id: int
    class_id: int


def give_history(learner_id: int, quiz_id: int, class_id: int) -> Studied:
    """An answered attempt, a practice quiz with an attempt, a card and a review, a class."""
    quiz = db.session.get(Quiz, quiz_id)
    assert quiz is not None
    question = quiz.items[0].question
    practice = Quiz(
        title=f"Practice {learner_id}",
        practice_for_id=learner_id,
        items=[QuizQuestion(question_id=question.id, position=1)],
    )
    db.session.add(practice)
    db.session.flush()
    for on in (quiz_id, practice.id):
        attempt = Attempt(
            quiz_id=on, learner_id=learner_id, submitted_at=utcnow(), score=1.0, max_score=1.0
        )
        response = Response(question_id=question.id, correct=True, marks=1.0)
        response.chosen = [ResponseChoice(choice_id=question.choices[0].id)]
        attempt.responses = [response]
        db.session.add(attempt)
    now = utcnow()
    db.session.add(
        CardState(learner_id=learner_id, question_id=question.id, phase=1, due=now, reviews=1)
    )
    db.session.add(
        CardReview(learner_id=learner_id, question_id=question.id, rating=3, due_after=now)
    )
    db.session.add(ClassMember(class_id=class_id, learner_id=learner_id))
    db.session.commit()
    return Studied(learner_id, quiz_id, practice.id, class_id)


def footprint(learner_id: int) -> dict[str, int]:
    attempts = select(Attempt.id).where(Attempt.learner_id == learner_id)
    responses = select(Response.id).where(Response.attempt_id.in_(attempts))
    practice = select(Quiz.id).where(Quiz.practice_for_id == learner_id)

    def count(model: type, *where: object) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]

    return {
        "attempts": count(Attempt, Attempt.learner_id == learner_id),
        "responses": count(Response, Response.id.in_(responses)),
        "chosen": count(ResponseChoice, ResponseChoice.response_id.in_(responses)),
        "practice": count(Quiz, Quiz.practice_for_id == learner_id),
        "practice items": count(QuizQuestion, QuizQuestion.quiz_id.in_(practice)),
        "cards": count(CardState, CardState.learner_id == learner_id),
        "reviews": count(CardReview, CardReview.learner_id == learner_id),
        "classes": count(ClassMember, ClassMember.learner_id == learner_id),
    }


def test_deleting_a_learner_removes_their_data_and_leaves_others_untouched(
    app: Flask, client: FlaskClient, admin: int, auth: Auth
) -> None:
    with app.app_context():
        teacher = add_user("teacher@school.org", Role.TEACHER, name="Tess Teacher").id
        quiz_id = build_small_quiz(created_by_id=teacher).quiz_id
        school_class = SchoolClass(name="7B", teacher_id=teacher, join_code="ABCDEFGH")
        db.session.add(school_class)
        db.session.commit()
        leaver = add_user("leaver@school.org", name="Lee Leaver")
        leaver.deletion_requested_at = utcnow()
        stayer = add_user("stayer@school.org", name="Sam Stayer").id
        gone = give_history(leaver.id, quiz_id, school_class.id)
        kept = give_history(stayer, quiz_id, school_class.id)
        before = footprint(kept.learner_id)
        assert all(before.values()) and footprint(gone.learner_id) == before

    confirm = client.get(f"/admin/users/{gone.learner_id}/delete")
    page = text(confirm)
    assert confirm.status_code == 200
    assert "Lee Leaver" in page and "leaver@school.org" in page
    assert "2 quiz attempts, with their 2 answers" in page
    assert "1 practice quiz" in page and "membership of 1 class" in page
    assert "removed for good, not anonymised" in page

    done = client.post(f"/admin/users/{gone.learner_id}/delete")
    assert done.status_code == 302
    listed = text(client.get(done.location))
    assert "The account of Lee Leaver (leaver@school.org) is deleted" in listed
    assert "Lee Leaver" not in listed.split("is deleted")[1]
    with app.app_context():
        assert db.session.get(User, gone.learner_id) is None
        assert set(footprint(gone.learner_id).values()) == {0}
        assert db.session.get(Quiz, gone.practice_id) is None
        assert footprint(kept.learner_id) == before
        assert db.session.get(Quiz, quiz_id) is not None
        assert db.session.get(SchoolClass, gone.class_id) is not None

    assert client.get(f"/admin/users/{gone.learner_id}/delete").status_code == 404
    assert client.post(f"/admin/users/{gone.learner_id}/delete").status_code == 404
    # The teacher's report no longer includes them.
    auth.logout()
    auth.login("teacher@school.org")
    report = text(client.get(f"/teach/quizzes/{quiz_id}/report"))
    assert "Sam Stayer" in report and "Lee Leaver" not in report


def test_an_account_that_owns_material_is_not_deleted(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    with app.app_context():
        teacher = add_user("teacher@school.org", Role.TEACHER, name="Tess Teacher").id
        build_small_quiz(created_by_id=teacher)
        db.session.add(SchoolClass(name="7B", teacher_id=teacher, join_code="ABCDEFGH"))
        db.session.commit()
    confirm = text(client.get(f"/admin/users/{teacher}/delete"))
    assert "owns 1 quiz, 1 class" in confirm
    assert "Disable it instead: its classes and quizzes keep running" in confirm
    assert "Yes, delete" not in confirm
    refused = client.post(f"/admin/users/{teacher}/delete")
    assert refused.status_code == 302
    assert "cannot be deleted" in text(client.get(refused.location))
    with app.app_context():
        assert db.session.get(User, teacher) is not None


def test_deleting_an_admin_keeps_their_invites_naming_nobody(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    with app.app_context():
        deputy = add_user("deputy@school.org", Role.ADMIN, name="Dee Deputy").id
        with write_transaction():
            sent = create_invite(deputy, "new@school.org", Role.TEACHER)
            accepted = create_invite(admin, "deputy2@school.org", Role.TEACHER)
            accepted.accepted_at, accepted.user_id = utcnow(), deputy
        sent_id, accepted_id = sent.id, accepted.id
    assert client.post(f"/admin/users/{deputy}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(User, deputy) is None
        first, second = db.session.get(Invite, sent_id), db.session.get(Invite, accepted_id)
        assert first is not None and first.created_by_id is None
        assert second is not None and second.user_id is None and second.created_by_id == admin


@pytest.mark.parametrize("extra", ["user_id=1", "endpoint=x", "invite_id=2", "_external=1"])
def test_unknown_address_parameters_are_ignored_not_a_500(
    app: Flask, client: FlaskClient, admin: int, extra: str
) -> None:
    """Only the list's own parameters travel on, so none can collide with url_for's."""
    with app.app_context():
        pupil = add_user("pupil@school.org", name="Pip Pupil").id
    assert client.get(f"/admin/users?q=pip&{extra}").status_code == 200
    done = client.post(f"/admin/users/{pupil}/disable?q=pip&{extra}")
    assert done.status_code == 302 and done.location == "/admin/users?q=pip"
    assert client.get(f"/admin/users/{pupil}/delete?{extra}").status_code == 200
    refused = client.post(f"/admin/users/{admin}/delete?{extra}")
    assert refused.status_code == 302


def test_two_admins_disabling_each_other_leave_one_active(app: Flask, admin: int) -> None:
    """The second of two crossing changes is judged after the first: its admin is no longer
    active, so the school keeps an admin who can sign in."""
    with app.app_context():
        deputy = add_user("deputy@school.org", Role.ADMIN, name="Dee Deputy").id
        with write_transaction():
            disable_user(admin, deputy)
        for late_change in (
            lambda: disable_user(deputy, admin),
            lambda: change_role(deputy, admin, "teacher"),
            lambda: delete_account(deputy, admin),
        ):
            with pytest.raises(Conflict, match="no longer an active admin"), write_transaction():
                late_change()
        head = db.session.get(User, admin)
        assert head is not None and head.is_active and head.role == Role.ADMIN
