"""Class lists imported by a teacher: accounts with one-time passwords, the sign-in sheet,
and the teacher's reset for a pupil who forgot their password."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, ClassMember, Role, SchoolClass, User
from quizapp.services.rosters import ONE_TIME_ALPHABET

from .conftest import PASSWORD, PASSWORD_HASH, Auth, add_user, build_small_quiz
from .test_concurrency import all_at_once

NEW_PASSWORD = "violet tramline seventeen"
FIVE = (
    "Name,Email,Username\n"
    "Ann Lee,,\n"
    "Bo Karlsson,bo@school.org,\n"
    "Cy Do,,cyd\n"
    "Dee Existing,DEE@example.org,\n"
    "Zoë Ångström,,\n"
)


def teacher_with_class(auth: Auth, email: str = "t@example.org", name: str = "7A") -> int:
    add_user(email, Role.TEACHER)
    auth.login(email)
    assert auth.client.post("/teach/classes", data={"name": name}).status_code == 302
    return db.session.scalar(
        select(SchoolClass.id)
        .join(User, User.id == SchoolClass.teacher_id)
        .where(User.email == email)
    )


def import_list(client: FlaskClient, class_id: int, text: str, as_file: bool = True) -> str:
    data: dict[str, object] = (
        {"document": (io.BytesIO(text.encode("utf-8")), "7a.csv")} if as_file else {"text": text}
    )
    response = client.post(
        f"/teach/classes/{class_id}/roster", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def slips(page: str) -> dict[str, str]:
    """username -> one-time password, as the sheet shows them."""
    names = re.findall(r'class="slip-username">([^<]+)<', page)
    passwords = re.findall(r'class="slip-password">([^<]+)<', page)
    return dict(zip(names, passwords, strict=True))


def members(class_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(User.name)
            .join(ClassMember, ClassMember.learner_id == User.id)
            .where(ClassMember.class_id == class_id, ClassMember.current())
        )
    )


def user_named(name: str) -> User:
    user = db.session.scalar(select(User).where(User.name == name))
    assert user is not None
    return user


def test_a_list_of_five_makes_four_accounts_and_adds_the_existing_learner(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
        dee = add_user("dee@example.org", name="Dee Existing")
        # Dee is already this teacher's pupil, in last year's class.
        last_year = client.post("/teach/classes", data={"name": "6A"})
        assert last_year.status_code == 302
        last_year_id = db.session.scalar(select(SchoolClass.id).where(SchoolClass.name == "6A"))
        db.session.add(ClassMember(class_id=last_year_id, learner_id=dee.id))
        db.session.commit()
        page = import_list(client, class_id, FIVE)
        sheet = slips(page)
        assert set(sheet) == {"ann.lee", "bo@school.org", "cyd", "zoe.angstrom"}
        for password in sheet.values():
            assert re.fullmatch(
                rf"[{ONE_TIME_ALPHABET}]{{4}}(-[{ONE_TIME_ALPHABET}]{{4}}){{2}}", password
            )
        assert "signs in as before" in page and "dee@example.org" in page
        assert "You will choose your own password when you first sign in." in page
        assert "http://localhost/auth/login" in page
        code = db.session.scalar(select(SchoolClass.join_code).where(SchoolClass.id == class_id))
        assert code in page
        assert members(class_id) == {
            "Ann Lee",
            "Bo Karlsson",
            "Cy Do",
            "Dee Existing",
            "Zoë Ångström",
        }
        dee = user_named("Dee Existing")
        assert dee.password_hash == PASSWORD_HASH and not dee.must_change_password
        bo = user_named("Bo Karlsson")
        assert bo.email == "bo@school.org" and bo.username == "bo.karlsson"
        assert bo.must_change_password and bo.check_password(sheet["bo@school.org"])
        assert sheet["ann.lee"] not in bo.password_hash  # stored hashed
    class_page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert class_page.count("still on one-time password") == 4
    assert "cyd" in class_page and "Set a one-time password" in class_page


def test_a_list_with_a_problem_changes_nothing_and_keeps_the_text(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
        users = db.session.scalar(select(func.count(User.id)))
    text = "Ann Lee\nBo,bo@not valid\n"
    response = client.post(f"/teach/classes/{class_id}/roster", data={"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2: “bo@not valid” is not a valid email address" in page
    assert "Nothing was imported" in page and "Ann Lee\nBo,bo@not valid" in page
    binary = client.post(
        f"/teach/classes/{class_id}/roster",
        data={"document": (io.BytesIO("Zoë".encode("latin-1")), "7a.csv")},
        content_type="multipart/form-data",
    )
    assert binary.status_code == 422 and "not UTF-8" in binary.get_data(as_text=True)
    assert client.post(f"/teach/classes/{class_id}/roster", data={}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == users
        assert members(class_id) == set()


def test_an_account_that_is_not_the_teachers_pupil_is_not_added(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Typing someone's email or username is not enough to bring them into a class (where the
    teacher could then set their password): they are told to join with the code."""
    with app.app_context():
        class_id = teacher_with_class(auth)
        add_user("kid@home.org", name="Kid Private")
        outsider = User(name="Jo Bloggs", username="jo.bloggs", password_hash=PASSWORD_HASH)
        db.session.add(outsider)
        db.session.commit()
        page = import_list(
            client, class_id, "name,username,email\nAnyone,jo.bloggs,\nWho,,kid@home.org\n"
        )
        assert "Not added: they join with the class code (2)" in page
        assert "Anyone" in page and "Kid Private" not in page and "Jo Bloggs" not in page
        assert members(class_id) == set()
        assert not slips(page)


def test_a_teachers_account_in_the_list_is_a_problem(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
        add_user("other@example.org", Role.ADMIN, name="Ola Admin")
    response = client.post(
        f"/teach/classes/{class_id}/roster", data={"text": "Ann Lee\nOla,other@example.org\n"}
    )
    assert response.status_code == 422
    assert "Line 2: other@example.org is a teacher&#39;s account." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(User).where(User.name == "Ann Lee")) is None


def test_another_teachers_class_is_not_found(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        theirs = teacher_with_class(auth, "rival@example.org")
        auth.logout()
        add_user("t@example.org", Role.TEACHER)
        learner = add_user("lena@example.org")
        db.session.add(ClassMember(class_id=theirs, learner_id=learner.id))
        db.session.commit()
        learner_id = learner.id
    auth.login("t@example.org")
    base = f"/teach/classes/{theirs}"
    assert client.post(f"{base}/roster", data={"text": "Ann Lee\n"}).status_code == 404
    assert client.post(f"{base}/members/{learner_id}/one-time-password").status_code == 404
    assert client.post(f"{base}/sheet", data={"confirm": "y"}).status_code == 404
    with app.app_context():
        assert user_named("Lena").password_hash == PASSWORD_HASH


def test_generated_usernames_never_clash(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
        db.session.add(User(username="ann.lee", name="Ann Lee", password_hash=PASSWORD_HASH))
        db.session.commit()
    sheet = slips(
        import_list(
            client, class_id, "name,username\nAnn Lee,\nAnn  Lee,\nAnn Lee,ann.lee3\n", False
        )
    )
    assert set(sheet) == {"ann.lee2", "ann.lee3", "ann.lee4"}


def test_concurrent_imports_make_distinct_usernames(app: Flask, auth: Auth) -> None:
    teachers = [app.test_client() for _ in range(4)]
    with app.app_context():
        for n in range(len(teachers)):
            add_user(f"t{n}@example.org", Role.TEACHER)
    for n, teacher in enumerate(teachers):  # outside the app context: each its own user
        Auth(teacher).login(f"t{n}@example.org")
        assert teacher.post("/teach/classes", data={"name": f"Set {n}"}).status_code == 302
    with app.app_context():
        ids = [
            db.session.scalar(select(SchoolClass.id).where(SchoolClass.name == f"Set {n}"))
            for n in range(len(teachers))
        ]
    by_client = dict(zip(map(id, teachers), ids, strict=True))

    def run(client: FlaskClient) -> int:
        return client.post(
            f"/teach/classes/{by_client[id(client)]}/roster", data={"text": "Ann Lee\nAnn Lee\n"}
        ).status_code

    assert all_at_once(teachers, run) == [200] * 4
    with app.app_context():
        usernames = list(db.session.scalars(select(User.username).where(User.name == "Ann Lee")))
    assert sorted(usernames) == ["ann.lee", *(f"ann.lee{n}" for n in range(2, 9))]


def test_a_one_time_password_must_be_changed_at_first_sign_in(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
    otp = slips(import_list(client, class_id, "name,username\nCy Do,cyd\n"))["cyd"]
    auth.logout()
    assert auth.login("CYD ", otp).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home.location == "/auth/password"
    joining = client.post("/classes/join", headers={"Accept": "application/json"})
    assert joining.status_code == 403 and "one-time password" in joining.get_json()["message"]
    page = client.get("/auth/password").get_data(as_text=True)
    assert "choose your own password" in page and "One-time password" in page
    assert client.get("/healthz").status_code == 200
    changed = client.post(
        "/auth/password", data={"current": otp, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    with app.app_context():
        assert not user_named("Cy Do").must_change_password


def test_a_teacher_sets_a_one_time_password_and_the_pupils_sessions_end(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
        lena = User(name="Lena", username="lena", password_hash=PASSWORD_HASH)
        outsider = User(name="Out", username="out", password_hash=PASSWORD_HASH)
        mailed = add_user("mo@example.org", name="Mo")
        db.session.add_all([lena, outsider])
        db.session.flush()
        for member in (lena, mailed):
            db.session.add(ClassMember(class_id=class_id, learner_id=member.id))
        db.session.commit()
        lena_id, outsider_id, mailed_id = lena.id, outsider.id, mailed.id
    pupil = app.test_client()
    Auth(pupil).login("lena")
    assert "Log out Lena" in pupil.get("/").get_data(as_text=True)
    base = f"/teach/classes/{class_id}/members"
    assert client.post(f"{base}/{outsider_id}/one-time-password").status_code == 404
    # A pupil with an email address resets their own password by email.
    refused = client.post(f"{base}/{mailed_id}/one-time-password", follow_redirects=True)
    assert "reset their own password" in refused.get_data(as_text=True)
    response = client.post(f"{base}/{lena_id}/one-time-password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    otp = slips(response.get_data(as_text=True))["lena"]
    assert "Log out Lena" not in pupil.get("/").get_data(as_text=True)  # signed out
    with app.app_context():
        lena = db.session.get(User, lena_id)
        assert lena.must_change_password and lena.check_password(otp)
        assert not lena.check_password(PASSWORD)
        assert db.session.get(User, outsider_id).password_hash == PASSWORD_HASH
        assert db.session.get(User, mailed_id).password_hash == PASSWORD_HASH
    fresh = app.test_client()
    assert Auth(fresh).login("lena", otp).status_code == 302
    assert fresh.get("/").location == "/auth/password"


def test_a_new_sheet_renews_only_those_still_on_one_time_passwords(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
        dee = add_user("dee@example.org", name="Dee Existing")
        db.session.add(ClassMember(class_id=class_id, learner_id=dee.id, left_at=func.now()))
        db.session.commit()
    first = slips(import_list(client, class_id, "Ann Lee\nBo Karlsson\nDee,dee@example.org\n"))
    assert set(first) == {"ann.lee", "bo.karlsson"}
    with app.app_context():
        assert "Dee Existing" in members(class_id)  # back in the class
        user_named("Bo Karlsson").must_change_password = False
        db.session.commit()
    unconfirmed = client.post(f"/teach/classes/{class_id}/sheet")
    assert unconfirmed.status_code == 302
    renewed = client.post(f"/teach/classes/{class_id}/sheet", data={"confirm": "y"})
    assert renewed.headers["Cache-Control"] == "no-store"
    second = slips(renewed.get_data(as_text=True))
    assert set(second) == {"ann.lee"} and second["ann.lee"] != first["ann.lee"]
    with app.app_context():
        assert user_named("Ann Lee").check_password(second["ann.lee"])


def test_a_pupil_without_email_is_shown_by_username_in_reports_and_exports(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        class_id = teacher_with_class(auth)
    import_list(client, class_id, "name,username\nCy Do,cyd\n")
    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.email == "t@example.org"))
        school_class = db.session.get(SchoolClass, class_id)
        quiz = build_small_quiz(classes=[school_class], created_by_id=teacher.id)
        db.session.add(
            Attempt(
                quiz_id=quiz.quiz_id,
                learner_id=user_named("Cy Do").id,
                submitted_at=datetime(2026, 1, 1),
                score=2.0,
                max_score=3.0,
            )
        )
        db.session.commit()
    page = client.get(f"/teach/quizzes/{quiz.quiz_id}/report").get_data(as_text=True)
    assert '<span class="meta">cyd</span>' in page
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/teach/classes/{class_id}/export.csv").get_data(as_text=True))
        )
    )
    assert [(r["learner"], r["email"], r["username"]) for r in rows] == [("Cy Do", "", "cyd")]
