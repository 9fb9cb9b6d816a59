"""An article's lifecycle for its owner: rename it, reword its debate question and sides,
delete it, keeping every question a quiz asks or a learner answered (retired, still in the
reports); shared seeded articles are refused, and deleting twice says what happened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Article,
    Attempt,
    DroppedDraft,
    Fact,
    FactStatus,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    Role,
    Status,
)
from quizapp.services import Conflict, Forbidden, NotFound
from quizapp.services.article_admin import delete_article, edit_debate, rename_article
from quizapp.services.imports import import_article
from quizapp.services.seeding import read_article_with_facts

from .conftest import SEED_ARTICLE, Auth, add_user

TEACHER, RIVAL = "teacher@example.org", "rival@example.org"


def import_seed(owner_id: int | None, title: str = "Meta and E2EE") -> int:
    with write_transaction():
        text, reading = read_article_with_facts(SEED_ARTICLE)
        return import_article(
            title, "BBC", text, owner_id, max_chars=200_000, reading=reading
        ).article.id


@pytest.fixture
def ids(app: Flask, auth: Auth) -> Iterator[dict[str, int]]:
    with app.app_context():
        teacher = add_user(TEACHER, Role.TEACHER).id
        rival = add_user(RIVAL, Role.TEACHER).id
        learner = add_user("learner@example.org", name="Lena Learner").id
        article = import_seed(teacher)
        shared = import_seed(None, "Seeded")
    auth.login(TEACHER)
    yield {
        "teacher": teacher,
        "rival": rival,
        "learner": learner,
        "article": article,
        "shared": shared,
    }


def answered_in_a_quiz(article_id: int, teacher_id: int, learner_id: int) -> tuple[int, int]:
    """Approve the article's first draft, put it in a published quiz and have a learner
    answer it; a second approved question sits in the quiz unanswered."""
    first, second = db.session.scalars(
        select(Question).where(Question.article_id == article_id).order_by(Question.id).limit(2)
    )
    first.status = second.status = Status.APPROVED
    quiz = Quiz(title="Week 1", published=True, created_by_id=teacher_id)
    quiz.items = [
        QuizQuestion(question=first, position=1),
        QuizQuestion(question=second, position=2),
    ]
    attempt = Attempt(quiz=quiz, learner_id=learner_id, max_score=2.0, score=1.0)
    attempt.responses = [Response(question=first, correct=True, marks=1.0)]
    db.session.add_all([quiz, attempt])
    db.session.commit()
    return first.id, quiz.id


def count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_article_page_links_its_debate_map_and_study_view(
    client: FlaskClient, ids: dict[str, int]
) -> None:
    page = client.get(f"/teach/articles/{ids['article']}").get_data(as_text=True)
    assert f'href="/study/articles/{ids["article"]}/map"' in page
    assert f'href="/study/articles/{ids["article"]}"' in page
    assert 'id="manage"' in page


def test_renaming_changes_the_title_everywhere_it_is_listed(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    url = f"/teach/articles/{ids['article']}/details"
    response = client.post(url, data={"title": "  Encryption, week 3 ", "source": "BBC News"})
    assert response.location.endswith("#manage")
    assert "Encryption, week 3" in client.get("/teach/articles").get_data(True)
    refused = client.post(url, data={"title": " ", "source": ""}, follow_redirects=True)
    assert "Give the article a title." in refused.get_data(True)
    with app.app_context():
        article = db.session.get(Article, ids["article"])
        assert (article.title, article.source) == ("Encryption, week 3", "BBC News")


def test_the_debate_question_and_side_labels_are_edited_and_the_map_shows_them(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    with app.app_context():
        sides = db.session.get(Article, ids["article"]).sides
    assert len(sides) >= 2
    data = {"debate": "Should messaging apps scan for abuse?"}
    for index, side in enumerate(sides):
        data[f"sides-{index}-key"] = side["key"]
        data[f"sides-{index}-label"] = f"Side {index + 1} relabelled"
    response = client.post(f"/teach/articles/{ids['article']}/debate", data=data)
    assert response.status_code == 302
    page = client.get(f"/study/articles/{ids['article']}/map").get_data(as_text=True)
    assert "Should messaging apps scan for abuse?" in page
    assert "Side 1 relabelled" in page and "Side 2 relabelled" in page
    with app.app_context():
        stored = db.session.get(Article, ids["article"]).sides
    assert [s["key"] for s in stored] == [s["key"] for s in sides]  # stances still match

    data["sides-1-label"] = "side 1 RELABELLED"
    clash = client.post(f"/teach/articles/{ids['article']}/debate", data=data)
    assert "Two sides cannot have the same label." in client.get(clash.location).get_data(True)


def test_shared_seed_articles_cannot_be_renamed_edited_or_deleted(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    shared = ids["shared"]
    for path, data in (
        ("details", {"title": "Mine now"}),
        ("debate", {"debate": "Anything?"}),
        ("delete", {"confirm": "y"}),
    ):
        page = client.post(
            f"/teach/articles/{shared}/{path}", data=data, follow_redirects=True
        ).get_data(as_text=True)
        assert "seeded article shared by every teacher, so it cannot be renamed" in page
    assert "cannot be renamed, edited or deleted" in client.get(f"/teach/articles/{shared}").text
    with app.app_context():
        article = db.session.get(Article, shared)
        assert article.title == "Seeded" and article.deleted_at is None
        with pytest.raises(Forbidden):
            rename_article(shared, ids["teacher"], "x", "")


def test_another_teachers_article_is_not_found_for_every_lifecycle_verb(
    app: Flask, client: FlaskClient, auth: Auth, ids: dict[str, int]
) -> None:
    auth.logout()
    auth.login(RIVAL)
    for path in ("details", "debate", "delete"):
        data = {"title": "Taken", "debate": "Taken?", "confirm": "y"}
        assert client.post(f"/teach/articles/{ids['article']}/{path}", data=data).status_code == 404
    with app.app_context():
        article = db.session.get(Article, ids["article"])
        assert article.title == "Meta and E2EE" and article.deleted_at is None


def test_deleting_an_unused_article_removes_it_and_a_second_delete_says_so(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    url = f"/teach/articles/{ids['article']}/delete"
    unticked = client.post(url, data={}, follow_redirects=True)
    assert "Tick “Yes, delete this article” to delete it." in unticked.get_data(True)
    with app.app_context():
        assert db.session.get(Article, ids["article"]) is not None

    response = client.post(url, data={"confirm": "y"})
    assert response.location.endswith("/teach/articles")
    page = client.get(response.location).get_data(as_text=True)
    assert "Deleted “Meta and E2EE”" in page and "nothing a learner answered used it" in page
    with app.app_context():
        assert db.session.get(Article, ids["article"]) is None
        assert count(Question, Question.article_id == ids["article"]) == 0
        assert count(DroppedDraft, DroppedDraft.article_id == ids["article"]) == 0
        assert count(Fact, Fact.article_id == ids["article"]) == 0

    again = client.post(url, data={"confirm": "y"})
    assert again.status_code == 404 and "deleted already" in again.get_data(True)
    assert client.get(f"/teach/articles/{ids['article']}").status_code == 404


def test_deleting_an_article_in_use_retires_what_learners_answered_and_keeps_it_reported(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    with app.app_context():
        answered, quiz_id = answered_in_a_quiz(ids["article"], ids["teacher"], ids["learner"])
        questions = count(Question, Question.article_id == ids["article"])
    response = client.post(f"/teach/articles/{ids['article']}/delete", data={"confirm": "y"})
    page = client.get(response.location).get_data(as_text=True)
    assert f"{questions - 2} draft or unused questions removed; 2 questions" in page
    assert "retired and stay in those quizzes and reports" in page
    assert f'href="/teach/articles/{ids["article"]}"' not in page  # out of the list

    with app.app_context():
        article = db.session.get(Article, ids["article"])
        assert article is not None and article.deleted_at is not None
        kept = db.session.scalars(select(Question).where(Question.article_id == article.id))
        assert {q.status for q in kept} == {Status.RETIRED}
        assert count(Question, Question.article_id == article.id) == 2
        assert count(Response, Response.question_id == answered) == 1
        assert {f.status for f in article.facts} == {FactStatus.REJECTED}
        assert db.session.get(Question, answered).evidence is not None  # feedback still cites

    report = client.get(f"/teach/quizzes/{quiz_id}/report")
    assert report.status_code == 200 and "Lena Learner" in report.get_data(True)
    gone = client.get(f"/teach/articles/{ids['article']}")
    assert gone.status_code == 410 and "This article was deleted on" in gone.get_data(True)
    twice = client.post(f"/teach/articles/{ids['article']}/delete", data={"confirm": "y"})
    assert twice.status_code == 409
    assert "Nothing more was changed." in twice.get_data(True)
    with app.app_context():
        assert count(Question, Question.article_id == ids["article"]) == 2


def test_a_deleted_articles_text_can_be_imported_again_as_a_fresh_copy(
    app: Flask, ids: dict[str, int]
) -> None:
    with app.app_context():
        answered_in_a_quiz(ids["article"], ids["teacher"], ids["learner"])
        with write_transaction():
            outcome = delete_article(ids["article"], ids["teacher"])
        assert outcome.kept and outcome.retired_questions == 2
        fresh = import_seed(ids["teacher"], "Meta again")
        assert fresh != ids["article"]
        assert count(Question, Question.article_id == fresh, Question.status == Status.DRAFT)


def test_the_services_refuse_what_the_views_refuse(app: Flask, ids: dict[str, int]) -> None:
    with app.app_context():
        with pytest.raises(NotFound):
            delete_article(ids["article"], ids["rival"])
        with pytest.raises(Forbidden):
            edit_debate(ids["shared"], ids["teacher"], "Anything?", {})
        answered_in_a_quiz(ids["article"], ids["teacher"], ids["learner"])
        with write_transaction():
            delete_article(ids["article"], ids["teacher"])
        with pytest.raises(Conflict):
            rename_article(ids["article"], ids["teacher"], "Back", "")
