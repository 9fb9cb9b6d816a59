"""The question bank: validation, filters and pages, versions on edit, retiring, GIFT files."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Question, QuizQuestion, Role, Status

from .conftest import Auth, add_user, build_small_quiz

TEACHER = "t@example.org"


@pytest.fixture
def teacher(app: Flask, auth: Auth) -> int:
    with app.app_context():
        teacher_id = add_user(TEACHER, Role.TEACHER).id
    auth.login(TEACHER)
    return teacher_id


def form(
    stem: str = "Which regulator enforces the Online Safety Bill?",
    choices: list[tuple[str, bool]] | None = None,
    kind: str = "single",
    **extra: str,
) -> dict[str, str]:
    choices = choices if choices is not None else [("Ofcom", True), ("Ofwat", False)]
    data = {"kind": kind, "stem": stem, "status": "approved", "explanation": "", "topic": ""}
    for index, (text, correct) in enumerate(choices):
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-correct"] = "y"
    return data | extra


def write(client: FlaskClient, **kwargs: object) -> int:
    response = client.post("/teach/questions/new", data=form(**kwargs))  # type: ignore[arg-type]
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form(choices=[("Ofcom", True)]), "between 2 and 8 choices; this one has 1"),
        (form(choices=[("Ofcom", True), (" ofcom ", False)]), "Each choice must be different"),
        (
            form(choices=[("Ofcom", True), ("Ofwat", True)]),
            r"exactly one choice as correct \(now 2\)",
        ),
        (form(choices=[("Ofcom", False), ("Ofwat", False)], kind="multi"), "at least one"),
        (form(choices=[("True", False), ("False", False)], kind="true_false"), "exactly one"),
        (form(choices=[("Yes", True), ("No", False)], kind="true_false"), "True, then False"),
        (
            form(choices=[("2021", True), ("2022", False), ("2023", False)], kind="true_false"),
            "True, then False",
        ),
        (form(choices=[("False", True), ("True", False)], kind="true_false"), "True, then False"),
        (form(stem=""), "The question needs a stem."),
        (form(stem="\u200b\u200b"), "The question needs a stem."),
        (form(choices=[("Ofcom", True), ("\u200b", False)]), "Each choice needs visible text."),
        (
            form(choices=[("Caf\u00e9", True), ("Cafe\u0301", False)]),
            "Each choice must be different",
        ),
        (form(stem="x" * 2001), "longer than 2000 characters"),
        (form(choices=[("O" * 501, True), ("Ofwat", False)]), "longer than 500 characters"),
        (form(kind="essay"), "Not a valid choice"),
    ],
)
def test_validation_rules_refuse_and_store_nothing(
    app: Flask, client: FlaskClient, teacher: int, data: dict[str, str], message: str
) -> None:
    response = client.post("/teach/questions/new", data=data)
    assert response.status_code == 422
    assert re.search(message, response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == 0


def test_blank_rows_are_not_choices(app: Flask, client: FlaskClient, teacher: int) -> None:
    data = form(choices=[("A", True), ("", False), ("B", False), ("", False)])
    question_id = int(client.post("/teach/questions/new", data=data).location.rsplit("/", 1)[1])
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        assert [(c.text, c.is_correct) for c in question.choices] == [("A", True), ("B", False)]


def test_a_written_question_is_authored_and_cites_a_sentence_of_its_article(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    with app.app_context():
        build_small_quiz()  # a shared article with two sentences
        sentence_id = db.session.execute(db.text("SELECT id FROM sentences LIMIT 1")).scalar()
    question_id = write(client, article="1", evidence=str(sentence_id), topic="Law")
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None and question.origin == "authored"
        assert question.evidence_id == sentence_id and question.topic == "Law"
    page = client.get(f"/teach/questions/{question_id}").get_data(as_text=True)
    assert "Signal and WhatsApp use end-to-end encryption." in page
    bad = client.post("/teach/questions/new", data=form(article="1", evidence="999"))
    assert bad.status_code == 400 and "sentence of the question" in bad.get_data(as_text=True)


def test_filters_search_and_pages(app: Flask, client: FlaskClient, teacher: int) -> None:
    for n in range(30):
        write(client, stem=f"Question number {n:02d} about Ofcom?", topic="Law" if n % 2 else "")
    write(
        client, stem="Which apps encrypt?", kind="multi", choices=[("Signal", True), ("X", False)]
    )
    first = client.get("/teach/questions").get_data(as_text=True)
    assert "31 questions found." in first and "Page 1 of 2" in first
    second = client.get("/teach/questions?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Question number 00" in second
    assert "15 questions found." in client.get("/teach/questions?topic=Law").get_data(as_text=True)
    multi = client.get("/teach/questions?kind=multi").get_data(as_text=True)
    assert "1 question found." in multi and "Which apps encrypt?" in multi
    by_choice = client.get("/teach/questions?q=signal").get_data(as_text=True)
    assert "1 question found." in by_choice
    literal = client.get("/teach/questions?q=100%25_").get_data(as_text=True)
    assert "0 questions found." in literal
    for bad in ("page=-3", "page=abc", "kind=essay", "article=zzz", "page=99"):
        assert client.get(f"/teach/questions?{bad}").status_code == 200, bad


def test_another_teachers_questions_are_neither_listed_nor_reachable(
    app: Flask, client: FlaskClient, auth: Auth, teacher: int
) -> None:
    question_id = write(client, stem="My secret question?")
    auth.logout()
    with app.app_context():
        add_user("other@example.org", Role.TEACHER)
    auth.login("other@example.org")
    assert "My secret question?" not in client.get("/teach/questions").get_data(as_text=True)
    assert client.get(f"/teach/questions/{question_id}").status_code == 404
    assert client.post(f"/teach/questions/{question_id}/edit", data=form()).status_code == 404


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def take(client: FlaskClient, quiz_id: int, question_id: int, choice_id: int) -> int:
    client.post(f"/quizzes/{quiz_id}/start")
    attempt_id = 1
    client.post(
        f"/attempts/{attempt_id}/questions/1",
        data={"question_id": question_id, "answer": choice_id},
    )
    client.post(f"/attempts/{attempt_id}/finish")
    return attempt_id


def test_editing_an_answered_question_makes_a_version_and_the_past_is_unchanged(
    app: Flask, client: FlaskClient, auth: Auth, teacher: int
) -> None:
    question_id = write(client, stem="Who regulates online safety?")
    client.post(
        "/teach/quizzes/new", data={"title": "Week 1", "is_public": "y", "feedback": "after_each"}
    )
    client.post("/teach/quizzes/1/add", data={"question_ids": question_id})
    client.post("/teach/quizzes/1/publish", data={"publish": "1"})
    with app.app_context():
        ofcom = db.session.get(Question, question_id).choices[0].id  # type: ignore[union-attr]
        add_user("l@example.org", name="Lee")
    auth.logout()
    auth.login("l@example.org")
    attempt_id = take(client, 1, question_id, ofcom)
    before_review = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    auth.logout()
    auth.login(TEACHER)
    before_export = client.get("/teach/quizzes/1/export.csv?format=detailed").get_data(as_text=True)

    edited = form(
        stem="Which body regulates online safety?",
        choices=[("The regulator Ofcom", True), ("Ofwat", False), ("Ofgem", False)],
    )
    response = client.post(f"/teach/questions/{question_id}/edit", data=edited)
    assert response.status_code == 302
    new_id = int(response.location.rsplit("/", 1)[1])
    assert new_id != question_id
    with app.app_context():
        old, new = db.session.get(Question, question_id), db.session.get(Question, new_id)
        assert old is not None and new is not None
        assert old.stem == "Who regulates online safety?" and old.superseded_by_id == new_id
        assert (new.version, new.family) == (2, question_id)
        items = db.session.scalars(select(QuizQuestion.question_id)).all()
        assert items == [new_id]  # the quiz moved on to the new version
    assert (
        client.get("/teach/quizzes/1/export.csv?format=detailed").get_data(as_text=True)
        == before_export
    )
    rows = list(csv.DictReader(io.StringIO(before_export)))
    assert rows[0]["question"] == "Who regulates online safety?" and rows[0]["chosen"] == "Ofcom"
    page = client.get(f"/teach/questions/{new_id}").get_data(as_text=True)
    assert "Version 1" in page and "version 2" in page.lower()
    auth.logout()
    auth.login("l@example.org")
    after_review = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert without_tokens(after_review) == without_tokens(before_review)
    assert "Who regulates online safety?" in after_review
    # An unanswered question is simply edited in place.
    auth.logout()
    auth.login(TEACHER)
    fresh = write(client, stem="Unanswered?")
    again = client.post(f"/teach/questions/{fresh}/edit", data=form(stem="Still unanswered?"))
    assert again.location.endswith(f"/teach/questions/{fresh}")


def test_retired_questions_cannot_join_quizzes(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    question_id = write(client)
    client.post(f"/teach/questions/{question_id}/retire")
    with app.app_context():
        assert db.session.get(Question, question_id).status == Status.RETIRED  # type: ignore[union-attr]
    client.post("/teach/quizzes/new", data={"title": "Q", "feedback": "after_each"})
    refused = client.post(
        "/teach/quizzes/1/add", data={"question_ids": question_id}, follow_redirects=True
    )
    assert "Only approved questions from your bank" in refused.get_data(as_text=True)


GIFT = """// exported from Moodle
$CATEGORY: $course$/top/Ofcom and the law

::powers::Which body gets new powers? {
  =Ofcom #Right: the bill gives Ofcom powers.
  ~Ofwat
  ~Ofgem
####Ofcom is the regulator named in the article.
}

Which apps use end-to-end encryption? {
  ~%50%Signal
  ~%50%WhatsApp
  ~%-100%Myspace
}

Meta plans encryption for Messenger. {T}
"""


def test_gift_round_trip_and_a_file_with_errors_stores_nothing_unless_asked(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    def upload(text: str, **extra: str) -> str:
        data = {"document": (io.BytesIO(text.encode()), "bank.gift"), "file_format": "gift"}
        return client.post(
            "/teach/questions/import", data=data | extra, content_type="multipart/form-data"
        ).get_data(as_text=True)

    def bank() -> list[tuple[object, ...]]:
        with app.app_context():
            return sorted(
                (
                    q.kind,
                    q.name,
                    q.stem,
                    q.topic,
                    q.explanation,
                    q.status,
                    tuple((c.text, c.is_correct) for c in q.choices),
                )
                for q in db.session.scalars(select(Question))
            )

    assert "The question file is empty" in upload("")  # not "the article", as it was
    first = upload(GIFT)
    assert "Imported 3 questions" in first and "3 arrived as drafts to review" in first
    # the title is the question's name now; what the bank cannot hold is still said
    assert "not kept" in first and "title" not in first.split("no place for")[1]
    assert "feedback on single answers is not kept" in first
    assert "unequal weights" not in first  # 50/50 is what the bank scores anyway
    stored = bank()
    # a file that does not record a status never approves anything
    assert {row[5] for row in stored} == {Status.DRAFT}
    assert ("powers", "Which body gets new powers?") in {(row[1], row[2]) for row in stored}

    approved_only = client.get("/teach/questions/export.gift").get_data(as_text=True)
    assert approved_only.startswith("// Exported from quizapp on ")
    assert "0 approved questions" in approved_only and "{" not in approved_only
    exported = client.get("/teach/questions/export.gift?status=draft").get_data(as_text=True)
    assert "3 draft questions" in exported.splitlines()[0]
    assert "Status exported: draft." in exported and "::powers::" in exported

    again = upload(exported)  # the same questions: recognised, nothing added
    assert "Nothing new to import" in again and "Skipped 3 already in your bank" in again
    assert "no place for" not in again
    assert bank() == stored

    with app.app_context():
        db.session.execute(db.text("DELETE FROM choices"))
        db.session.execute(db.text("DELETE FROM questions"))
        db.session.commit()
    back = upload(exported)
    assert "Imported 3 questions" in back and "no place for" not in back
    assert bank() == stored  # names, topics, explanations and the draft status come back
    assert (
        "true_false",
        "",
        "Meta plans encryption for Messenger.",
        "Ofcom and the law",
        "",
        Status.DRAFT,
        (("True", True), ("False", False)),
    ) in stored

    broken = GIFT.replace("new powers", "fresh powers") + "\nAn essay question {}\n"
    page = upload(broken)
    assert "Nothing was imported" in page and "Line 19: An essay question" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == 3
    valid_ones = upload(broken, import_valid="y")
    assert "Imported 1 question" in valid_ones and "Skipped 2 already in your bank" in valid_ones


def test_aiken_import(app: Flask, client: FlaskClient, teacher: int) -> None:
    aiken = "Who is the security minister?\nA. Tom Tugendhat\nB. Ciaran Martin\nANSWER: A\n"
    data = {"document": (io.BytesIO(aiken.encode()), "aiken.txt"), "file_format": "aiken"}
    page = client.post("/teach/questions/import", data=data, content_type="multipart/form-data")
    assert "Imported 1 question" in page.get_data(as_text=True)
    binary = {"document": (io.BytesIO(b"\xff\xfe\x00bad"), "x.txt"), "file_format": "aiken"}
    refused = client.post(
        "/teach/questions/import", data=binary, content_type="multipart/form-data"
    )
    assert refused.status_code == 422 and "binary" in refused.get_data(as_text=True)


def test_gift_weights_the_bank_cannot_score_are_reported(client: FlaskClient, teacher: int) -> None:
    text = "Pick the UK bodies. {\n  ~%70%Ofcom\n  ~%30%ICO\n  ~%-100%FTC\n}\n"
    data = {"document": (io.BytesIO(text.encode()), "w.gift"), "file_format": "gift"}
    page = client.post(
        "/teach/questions/import", data=data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Imported 1 question" in page
    assert "Line 1: unequal weights become equal shares" in page


def test_a_teacher_names_a_question_and_editing_keeps_or_changes_the_name(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    question_id = write(client, name="Regulator of the bill")
    with app.app_context():
        assert db.session.get(Question, question_id).name == "Regulator of the bill"  # type: ignore[union-attr]
    edit_page = client.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    assert 'value="Regulator of the bill"' in edit_page
    response = client.post(f"/teach/questions/{question_id}/edit", data=form(name="Ofcom's bill"))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, question_id).name == "Ofcom's bill"  # type: ignore[union-attr]
