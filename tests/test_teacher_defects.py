"""Defects issue 12 found on the teacher's side: where a teacher lands after logging in, the
upload-too-large page, and the class page's report link."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from quizapp.extensions import db
from quizapp.models import Article, Attempt, Role
from quizapp.services.classes import create_class, join_class
from quizapp.services.quizzes import QuizSettings, save_quiz

from .conftest import Auth, add_user


def test_a_teacher_who_logs_in_lands_on_the_teachers_home(app: Flask, auth: Auth) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
    response = auth.login("t@example.org")
    assert response.status_code == 302 and urlsplit(response.location).path == "/teach/"
    assert urlsplit(auth.client.get("/auth/login").location).path == "/teach/"


def test_next_still_decides_where_a_teacher_lands(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
    response = client.post(
        "/auth/login?next=/study/progress",
        data={"account": "t@example.org", "password": "correct horse battery"},
    )
    assert urlsplit(response.location).path == "/study/progress"


def test_a_learner_still_lands_on_the_quizzes(app: Flask, auth: Auth) -> None:
    with app.app_context():
        add_user("l@example.org")
    assert urlsplit(auth.login("l@example.org").location).path == "/"


def test_an_oversized_import_gives_the_form_back_with_the_title_kept(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
    auth.login("t@example.org")
    app.config["MAX_CONTENT_LENGTH"] = 10 * 1024
    boundary, body = encode_multipart(
        MultiDict(
            {
                "title": "Ofcom’s new powers",
                "source": "BBC News",
                "document": FileStorage(io.BytesIO(b"word " * 5_000), filename="big.txt"),
            }
        )
    )
    response = client.post(
        "/teach/articles/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That upload is too large" in page and "larger than the 10 KB limit" in page
    assert 'value="Ofcom’s new powers"' in page and 'value="BBC News"' in page
    assert 'enctype="multipart/form-data"' in page  # the import form itself, to try again
    assert "Back to the quizzes" not in page
    with app.app_context():
        assert db.session.scalar(select(Article.id)) is None


def test_any_other_oversized_form_links_back_to_its_form(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        add_user("t@example.org", Role.TEACHER)
    auth.login("t@example.org")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/teach/questions/import",
        data={"document": (io.BytesIO(b"x" * 5_000), "bank.gift")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert '<a href="/teach/questions/import">Back to the form</a>' in response.get_data(True)


def test_the_class_pages_report_link_opens_the_report_of_that_class(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        ours = add_user("ours@example.org", name="Olive Ours")
        theirs = add_user("theirs@example.org", name="Theo Theirs")
        year10, year11 = create_class(teacher.id, "Year 10"), create_class(teacher.id, "Year 11")
        join_class(ours.id, year10.join_code)
        join_class(theirs.id, year11.join_code)
        quiz = save_quiz(teacher.id, QuizSettings("Week 1", class_ids=[year10.id, year11.id]))
        for learner in (ours, theirs):
            db.session.add(Attempt(quiz_id=quiz.id, learner_id=learner.id, max_score=1.0))
        db.session.commit()
        class_id, quiz_id = year10.id, quiz.id
    auth.login("t@example.org")
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    link = re.search(r'href="([^"]*/report[^"]*)"', page)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert urlsplit(url).path == f"/teach/quizzes/{quiz_id}/report"
    assert parse_qs(urlsplit(url).query) == {"class": [str(class_id)]}
    report = client.get(url).get_data(as_text=True)
    assert "Olive Ours" in report and "Theo Theirs" not in report
