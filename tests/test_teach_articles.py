"""A teacher imports articles (pasted or uploaded) and reviews the drafts made from them."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse, encode_multipart

from quizapp.core import facts as read_facts
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Article,
    Choice,
    DroppedDraft,
    Fact,
    Question,
    Quiz,
    QuizQuestion,
    Role,
    Sentence,
    Status,
)
from quizapp.services import imports
from quizapp.services.imports import import_article
from quizapp.services.seeding import read_article_with_facts

from .conftest import SEED_ARTICLE, Auth, add_user

TEACHER = "teacher@example.org"
OTHER = "other@example.org"
ARTICLE = (
    "Ofcom is the UK's communications regulator. Signal uses end-to-end encryption.\n"
    "The security minister said the plan was “an extraordinary moral choice”.\n"
)
TABLES = (Article, Sentence, Fact, Question, Choice, DroppedDraft)


def row_counts() -> dict[str, int]:
    return {t.__tablename__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture
def teacher(app: Flask, auth: Auth) -> Iterator[int]:
    with app.app_context():
        teacher_id = add_user(TEACHER, Role.TEACHER).id
        add_user(OTHER, Role.TEACHER)
    auth.login(TEACHER)
    yield teacher_id


# A curated quote put on a sentence that never names its speaker (nor points back to him):
# the "who said" draft made from it has no support, and the gates drop it.
WRONG_SENTENCE = (
    "End-to-end encryption (E2EE) prevents anyone outside the message's sender and recipient"
    " from reading it."
)
MISPLACED_QUOTE = read_facts.Fact(
    read_facts.FactKind.QUOTE,
    "Ciaran Martin",
    "nobody outside a chat can ever read it",
    WRONG_SENTENCE,
)
DROP_REASON = (
    "the answer 'Ciaran Martin' is not supported by the evidence sentence"
    " (nor by the sentence a pronoun in it points to)"
)


@pytest.fixture
def seed_import(app: Flask, teacher: int) -> int:
    """The seed article imported by the teacher with its curated facts: drafts to review,
    and one misplaced quote whose draft the gates drop, to show how dropped drafts look."""
    with app.app_context(), write_transaction():
        text, reading = read_article_with_facts(SEED_ARTICLE)
        assert WRONG_SENTENCE in reading.sentences
        facts = dataclasses.replace(reading.facts, facts=(*reading.facts.facts, MISPLACED_QUOTE))
        result = import_article(
            "Meta and E2EE",
            "BBC",
            text,
            teacher,
            max_chars=200_000,
            reading=dataclasses.replace(reading, facts=facts),
        )
        assert result.created and result.kept
        assert any(DROP_REASON in d.reasons for d in result.dropped)
        return result.article.id


def draft_ids(app: Flask, article_id: int, status: Status = Status.DRAFT) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Question.id)
                .where(Question.article_id == article_id, Question.status == status)
                .order_by(Question.id)
            )
        )


def post_article(client: FlaskClient, **fields: object) -> TestResponse:
    """Submit the import form; a queued import (run at once in tests) is followed to its job
    page, whose answer is the redirect to the article or the reason the job stopped."""
    data = {"title": "An article", "source": "Test desk", "text": "", **fields}
    response = client.post("/teach/articles/new", data=data, content_type="multipart/form-data")
    if response.status_code == 302 and "/teach/jobs/" in response.location:
        return client.get(response.location)
    return response


# --- importing --------------------------------------------------------------------------------


def test_the_import_page_has_a_form_and_the_workspace_links_to_it(
    client: FlaskClient, teacher: int
) -> None:
    index = client.get("/teach/").get_data(as_text=True)
    assert 'href="/teach/articles/new"' in index and 'href="/teach/articles"' in index
    page = client.get("/teach/articles/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page


def test_import_by_paste_stores_the_article_and_shows_its_sentences(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    response = post_article(client, text=ARTICLE)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Imported “An article”" in page
    assert 'id="s1"' in page and "Ofcom is the UK&#39;s communications regulator." in page
    with app.app_context():
        article = db.session.scalar(select(Article))
        assert article.created_by_id == teacher and article.source == "Test desk"
        assert [s.text for s in article.sentences][:2] == [
            "Ofcom is the UK's communications regulator.",
            "Signal uses end-to-end encryption.",
        ]


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("article.txt", ARTICLE.encode()),
        ("article.md", ("# Heading\n\n" + ARTICLE.replace("Signal", "**Signal**")).encode()),
        (
            "article.html",
            (
                "<h1>Heading</h1>" + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines())
            ).encode(),
        ),
    ],
)
def test_import_by_upload_reads_each_file_type(
    app: Flask, client: FlaskClient, teacher: int, filename: str, data: bytes
) -> None:
    response = post_article(client, document=(io.BytesIO(data), filename))
    assert response.status_code == 302
    with app.app_context():
        texts = [s.text for s in db.session.scalar(select(Article)).sentences]
    assert "Signal uses end-to-end encryption." in texts
    assert not any("*" in t or "<" in t for t in texts)


OUR_SCRIPT = '<script src="/static/review.js" defer>'  # the review page's own, from static/


def scripts_of(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>", page)


def test_scripts_in_an_html_upload_never_reach_the_page(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    html = (
        b"<html><head><script>alert('head')</script></head><body>"
        b"<p>Ofcom is the regulator.</p><img src=x onerror=\"alert('img')\">"
        b"<p onclick=\"alert('p')\">Signal uses encryption.</p>"
        b"<script>document.body.innerHTML = 'owned'</script></body></html>"
    )
    response = post_article(client, document=(io.BytesIO(html), "page.html"))
    page = client.get(response.location).get_data(as_text=True)
    assert "Signal uses encryption." in page
    assert scripts_of(page) == [OUR_SCRIPT] and "alert(" not in page
    assert "onerror" not in page and "onclick" not in page


def test_a_script_in_pasted_text_or_title_is_never_rendered_as_markup(
    client: FlaskClient, teacher: int
) -> None:
    text = ARTICLE + 'The attacker typed <script>alert("x")</script> and <img src=x onerror=a()>.\n'
    response = post_article(client, title="<script>alert('title')</script>", text=text)
    page = client.get(response.location).get_data(as_text=True)
    assert scripts_of(page) == [OUR_SCRIPT] and "<img" not in page
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page


def test_text_without_a_sentence_is_refused(app: Flask, client: FlaskClient, teacher: int) -> None:
    response = post_article(client, text="12 34\n---\n")
    assert response.status_code == 200  # the job's page, saying why it stopped
    page = response.get_data(as_text=True)
    assert "The article has no sentences to read. Nothing was stored." in page
    assert "Try again with the same text" in page
    with app.app_context():
        assert row_counts()["articles"] == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Paste the article&#39;s text or upload a file."),
        ({"text": "   \n  "}, "Paste the article&#39;s text or upload a file."),
        ({"text": "x" * 200_001}, "the limit is 200,000"),
        ({"text": "A\x01B\x02C"}, "binary data"),  # a NUL is refused earlier, by any form
        ({"title": "", "text": ARTICLE}, "Give the article a title."),
        ({"document": (io.BytesIO(b""), "empty.txt")}, "The article is empty"),
        ({"document": (io.BytesIO(b"\x7fELF\x02\x01\x00\x00"), "a.txt")}, "binary data"),
        ({"document": (io.BytesIO("Café".encode("cp1252")), "a.txt")}, "not UTF-8"),
        ({"document": (io.BytesIO(b"%PDF-1.7"), "a.pdf")}, "That PDF is cut short"),
        (
            {"text": ARTICLE, "document": (io.BytesIO(b"Also text."), "a.txt")},
            "not both",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    app: Flask, client: FlaskClient, teacher: int, fields: dict[str, object], message: str
) -> None:
    with app.app_context():
        before = row_counts()
    response = post_article(client, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert row_counts() == before


def test_a_long_paste_in_multibyte_characters_gets_the_length_message(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    # 600 kB of form field: over Werkzeug's default in-memory form limit, under our upload limit.
    # Encoded here because the test client leaks the temporary file it spools big bodies to.
    boundary, body = encode_multipart(MultiDict({"title": "Long", "text": "€" * 200_001}))
    response = client.post(
        "/teach/articles/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert "the limit is 200,000" in response.get_data(as_text=True)


def test_an_upload_over_the_request_limit_gets_a_413_page(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10 * 1024
    response = post_article(client, document=(io.BytesIO(b"word " * 5_000), "big.txt"))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That upload is too large" in page and "larger than the 10 KB limit" in page
    assert "nothing was stored" in page
    with app.app_context():
        assert row_counts()["articles"] == 0


def test_reimporting_the_same_text_leads_to_the_existing_article(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    first = post_article(client, text=ARTICLE)
    with app.app_context():
        before = row_counts()
    again = post_article(client, title="Another title", text="  " + ARTICLE.replace(" ", "  "))
    assert again.status_code == 302 and again.location == first.location
    assert "already imported as “An article”" in client.get(again.location).get_data(as_text=True)
    with app.app_context():
        assert row_counts() == before


def test_another_teacher_importing_the_same_text_gets_their_own_copy(
    app: Flask, client: FlaskClient, auth: Auth, teacher: int
) -> None:
    """Two teachers bring the same news story: each gets an article to review and build
    quizzes from; neither learns that the other has it."""
    first = post_article(client, title="Private", text=ARTICLE).location
    auth.logout()
    auth.login(OTHER)
    response = post_article(client, title="Mine now", text=ARTICLE)
    assert response.status_code == 302 and response.location != first
    page = client.get(response.location).get_data(as_text=True)
    assert "Mine now" in page and "Private" not in page and "already" not in page
    again = post_article(client, title="Mine again", text=ARTICLE)
    assert again.location == response.location  # their own repeat is recognised
    with app.app_context():
        owners = db.session.scalars(select(Article.created_by_id).order_by(Article.id)).all()
    assert len(owners) == 2 and len(set(owners)) == 2


def test_a_failure_half_way_leaves_no_rows(
    app: Flask, client: FlaskClient, teacher: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_store(*args: object, **kwargs: object) -> None:
        assert db.session.scalar(select(func.count()).select_from(Article)) == 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "store_drafts", broken_store)
    page = post_article(client, text=ARTICLE).get_data(as_text=True)
    assert "The import stopped while storing, and nothing was stored." in page
    with app.app_context():
        assert set(row_counts().values()) == {0}


# --- reviewing --------------------------------------------------------------------------------


def test_the_review_page_links_facts_to_highlightable_sentences(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    page = client.get(f"/teach/articles/{seed_import}").get_data(as_text=True)
    with app.app_context():
        article = db.session.get(Article, seed_import)
        fact = article.facts[0]
        anchor = f"s{fact.sentence.position + 1}"
        sentence_count = len(article.sentences)
        dropped = db.session.scalars(select(DroppedDraft)).all()
    assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert page.count('<li id="s') == sentence_count
    assert [DROP_REASON] in [d.reasons for d in dropped]
    assert page.count('class="dropped"') == len(dropped)
    assert "Why dropped" in page and DROP_REASON in page.replace("&#39;", "'")
    assert page.count('class="draft"') == len(draft_ids(app, seed_import))
    with client.get("/static/style.css") as css:
        assert ".sentences li:target" in css.get_data(as_text=True)


def test_the_articles_list_shows_own_and_shared_but_not_other_teachers(
    app: Flask, client: FlaskClient, auth: Auth, seed_import: int
) -> None:
    with app.app_context(), write_transaction():
        import_article("Shared one", "", "Ofwat regulates water.", None, max_chars=1000)
    page = client.get("/teach/articles").get_data(as_text=True)
    assert "Meta and E2EE" in page and "Shared one" in page
    auth.logout()
    auth.login(OTHER)
    page = client.get("/teach/articles").get_data(as_text=True)
    assert "Meta and E2EE" not in page and "Shared one" in page


def test_approving_a_draft_puts_it_in_the_question_bank(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    question_id, next_draft = draft_ids(app, seed_import)[:2]
    response = client.post(f"/teach/questions/{question_id}/approve")
    assert response.status_code == 302 and response.location.endswith(f"#q{next_draft}")
    assert "now in the question bank" in client.get(response.location).get_data(as_text=True)
    assert question_id in draft_ids(app, seed_import, Status.APPROVED)


def test_rejecting_an_unused_draft_deletes_it(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    response = client.post(
        f"/teach/questions/{question_id}/reject", data={"confirm": "y"}, follow_redirects=True
    )
    assert "Rejected and deleted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, question_id) is None
        assert db.session.scalar(select(func.count()).where(Choice.question_id == question_id)) == 0


def test_rejecting_a_question_used_in_a_quiz_retires_it(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    with app.app_context():
        quiz = Quiz(title="Uses it", items=[QuizQuestion(question_id=question_id, position=1)])
        db.session.add(quiz)
        db.session.commit()
    response = client.post(
        f"/teach/questions/{question_id}/reject", data={"confirm": "y"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Rejected and retired" in page and f'id="q{question_id}"' not in page
    with app.app_context():
        assert db.session.get(Question, question_id).status == Status.RETIRED
    again = client.post(f"/teach/questions/{question_id}/approve")
    assert again.status_code == 409 and "This question is retired" in again.get_data(True)


def edit_data(
    choices: list[tuple[str, bool]], stem: str = "Which app encrypts?", kind: str = "single"
) -> dict[str, str]:
    data = {
        "stem": stem,
        "explanation": "Because the article says so.",
        "kind": kind,
        "status": "draft",
    }
    for index, (text, correct) in enumerate(choices):
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-correct"] = "y"
    return data


def test_the_edit_form_shows_the_draft_and_blank_rows_to_add_choices(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    with app.app_context():
        question = db.session.get(Question, question_id)
        stem, first_choice = question.stem, question.choices[0].text
    page = client.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    assert stem.replace("'", "&#39;").replace('"', "&#34;") in page
    assert f'value="{first_choice}"' in page.replace("&#39;", "'")
    assert page.count('name="choices-7-text"') == 1


def test_editing_a_draft_saves_stem_choices_and_explanation(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    with app.app_context():
        kind = db.session.get(Question, question_id).kind
    choices = [("Signal", True), ("Myspace", kind == "multi"), ("", False), ("Friendster", False)]
    response = client.post(
        f"/teach/questions/{question_id}/edit", data=edit_data(choices, kind=kind)
    )
    assert response.status_code == 302
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question.stem == "Which app encrypts?"
        assert question.explanation == "Because the article says so."
        assert [(c.position, c.text, c.is_correct) for c in question.choices] == [
            (0, "Signal", True),
            (1, "Myspace", kind == "multi"),
            (2, "Friendster", False),
        ]


@pytest.mark.parametrize(
    ("choices", "stem", "message"),
    [
        ([("Signal", True)], "Which?", "between 2 and 8 choices; this one has 1"),
        ([("Signal", True), (" signal ", False)], "Which?", "Each choice must be different"),
        ([("Signal", False), ("Slack", False)], "Which?", "at least one|exactly one"),
        ([("Signal", True), ("Slack", False)], "", "The question needs a stem."),
    ],
)
def test_edit_validation_messages(
    app: Flask,
    client: FlaskClient,
    seed_import: int,
    choices: list[tuple[str, bool]],
    stem: str,
    message: str,
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    with app.app_context():
        before = db.session.get(Question, question_id).stem
    response = client.post(
        f"/teach/questions/{question_id}/edit", data=edit_data(choices, stem=stem)
    )
    assert response.status_code == 422
    assert re.search(message, response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Question, question_id).stem == before


def test_single_answer_questions_need_exactly_one_correct_choice(
    app: Flask, client: FlaskClient, seed_import: int
) -> None:
    with app.app_context():
        question_id = db.session.scalar(
            select(Question.id).where(
                Question.article_id == seed_import, Question.kind.in_(["single", "true_false"])
            )
        )
    response = client.post(
        f"/teach/questions/{question_id}/edit",
        data=edit_data([("Signal", True), ("Slack", True)]),
    )
    assert response.status_code == 422
    assert "Mark exactly one choice as correct (now 2)." in response.get_data(as_text=True)


# --- access -----------------------------------------------------------------------------------


def test_learners_are_refused_every_article_route(
    app: Flask, client: FlaskClient, auth: Auth, seed_import: int
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    with app.app_context():
        add_user("learner@example.org")
    auth.logout()
    auth.login("learner@example.org")
    routes = [
        ("get", "/teach/articles"),
        ("get", "/teach/articles/new"),
        ("post", "/teach/articles/new"),
        ("get", f"/teach/articles/{seed_import}"),
        ("get", f"/teach/questions/{question_id}/edit"),
        ("post", f"/teach/questions/{question_id}/edit"),
        ("post", f"/teach/questions/{question_id}/approve"),
        ("post", f"/teach/questions/{question_id}/reject"),
    ]
    for method, url in routes:
        assert getattr(client, method)(url).status_code == 403, url
    assert question_id in draft_ids(app, seed_import)


def test_another_teacher_gets_404_on_an_article_and_its_drafts(
    app: Flask, client: FlaskClient, auth: Auth, seed_import: int
) -> None:
    question_id = draft_ids(app, seed_import)[0]
    auth.logout()
    auth.login(OTHER)
    routes = [
        ("get", f"/teach/articles/{seed_import}"),
        ("get", f"/teach/questions/{question_id}/edit"),
        ("post", f"/teach/questions/{question_id}/edit"),
        ("post", f"/teach/questions/{question_id}/approve"),
        ("post", f"/teach/questions/{question_id}/reject"),
    ]
    for method, url in routes:
        assert getattr(client, method)(url).status_code == 404, url
    assert question_id in draft_ids(app, seed_import)


def test_shared_seed_articles_are_readable_but_their_questions_read_only(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    with app.app_context(), write_transaction():
        text, reading = read_article_with_facts(SEED_ARTICLE)
        article_id = import_article(
            "Seeded", "", text, None, max_chars=200_000, reading=reading
        ).article.id
    question_id = draft_ids(app, article_id)[0]
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    assert "read-only" in page and f"/teach/questions/{question_id}/approve" not in page
    response = client.post(f"/teach/questions/{question_id}/approve")
    assert response.status_code == 400 and "read-only" in response.get_data(as_text=True)
    assert question_id in draft_ids(app, article_id)
