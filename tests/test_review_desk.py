"""Bulk review of an article's drafts: tick several, approve or reject them in one submit,
as a plain form (back to the next draft with the outcome there) or as JSON for the script;
rejecting is confirmed first; a forged form changes nothing of anyone else's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Choice, Question, Quiz, QuizQuestion, Role, Status
from quizapp.services.imports import import_article
from quizapp.services.review import BulkAction, review_drafts
from quizapp.services.seeding import read_article_with_facts

from .conftest import SEED_ARTICLE, Auth, add_user

TEACHER, RIVAL = "teacher@example.org", "rival@example.org"
JSON = {"Accept": "application/json"}


def import_seed(owner_id: int | None, title: str = "Meta and E2EE") -> int:
    with write_transaction():
        text, reading = read_article_with_facts(SEED_ARTICLE)
        return import_article(
            title, "BBC", text, owner_id, max_chars=200_000, reading=reading
        ).article.id


@pytest.fixture
def ids(app: Flask, auth: Auth) -> Iterator[dict[str, int]]:
    """The teacher's import of the seed article, and the rival teacher's own import of it."""
    with app.app_context():
        teacher = add_user(TEACHER, Role.TEACHER).id
        rival = add_user(RIVAL, Role.TEACHER).id
        mine, theirs = import_seed(teacher), import_seed(rival, "Rival's copy")
    auth.login(TEACHER)
    yield {"teacher": teacher, "rival": rival, "mine": mine, "theirs": theirs}


def drafts(app: Flask, article_id: int, status: Status = Status.DRAFT) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Question.id)
                .where(Question.article_id == article_id, Question.status == status)
                .order_by(Question.id)
            )
        )


def bulk(
    client: FlaskClient, article_id: int, action: str, picked: list[int], **extra: object
) -> object:
    data = {"action": action, "question_ids": [str(i) for i in picked], **extra}
    return client.post(f"/teach/articles/{article_id}/review", data=data)


def test_the_article_page_has_a_box_per_draft_a_select_all_and_the_count(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    waiting = drafts(app, ids["mine"])
    page = client.get(f"/teach/articles/{ids['mine']}").get_data(as_text=True)
    assert page.count('name="question_ids"') == len(waiting)
    assert f"<strong data-drafts-left>{len(waiting)}</strong>" in page
    assert "data-select-all" in page and "Select all drafts" in page
    assert '<script src="/static/review.js" defer></script>' in page


def test_approving_several_drafts_returns_to_the_next_one_with_the_outcome_there(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    waiting = drafts(app, ids["mine"])
    response = bulk(client, ids["mine"], "approve", waiting[:3])
    assert response.status_code == 302
    assert response.location.endswith(f"/teach/articles/{ids['mine']}#q{waiting[3]}")
    assert set(waiting[:3]) <= set(drafts(app, ids["mine"], Status.APPROVED))
    page = client.get(response.location).get_data(as_text=True)
    shown_at = page.index(f'id="q{waiting[3]}"')
    notice = page.index("Approved 3 questions: in the bank now.")
    assert shown_at < notice < page.index(f'id="q{waiting[4]}"')  # inside the next draft
    assert f"{len(waiting) - 3} drafts left to review." in page
    # Shown once: a reload does not repeat it.
    assert "Approved 3 questions" not in client.get(response.location).get_data(True)


def test_select_all_without_javascript_means_every_draft_listed(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    waiting = drafts(app, ids["mine"])
    data = {"action": "approve", "select_all": "y", "listed": [str(i) for i in waiting]}
    response = client.post(f"/teach/articles/{ids['mine']}/review", data=data)
    assert response.location.endswith("#questions")
    assert drafts(app, ids["mine"]) == []
    assert "0 drafts left to review." in client.get(response.location).get_data(True)


def test_rejecting_asks_first_then_deletes_unused_and_retires_used_drafts(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    waiting = drafts(app, ids["mine"])
    used, unused = waiting[0], waiting[1]
    with app.app_context():
        db.session.add(Quiz(title="Uses it", items=[QuizQuestion(question_id=used, position=1)]))
        db.session.commit()
        stem = db.session.get(Question, unused).stem
    asked = bulk(client, ids["mine"], "reject", [used, unused])
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Reject 2 questions?" in page and "Yes, reject them" in page
    assert str(escape(stem)) in page
    assert drafts(app, ids["mine"]) == waiting  # nothing changed yet

    done = bulk(client, ids["mine"], "reject", [used, unused], confirm="y")
    assert done.location.endswith(f"#q{waiting[2]}")
    page = client.get(done.location).get_data(as_text=True)
    assert "Rejected and deleted 1 draft." in page and "Rejected and retired 1 question" in page
    with app.app_context():
        assert db.session.get(Question, unused) is None
        assert db.session.get(Question, used).status == Status.RETIRED


def test_a_single_reject_asks_first_too(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    first = drafts(app, ids["mine"])[0]
    asked = client.post(f"/teach/questions/{first}/reject")
    assert asked.status_code == 200 and "Reject 1 question?" in asked.get_data(True)
    assert first in drafts(app, ids["mine"])
    done = client.post(f"/teach/questions/{first}/reject", data={"confirm": "y"})
    assert done.status_code == 302 and first not in drafts(app, ids["mine"])


def test_the_script_gets_json_with_each_outcome_and_the_count(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    waiting = drafts(app, ids["mine"])
    data = {"action": "approve", "question_ids": [str(i) for i in waiting[:10]]}
    answer = client.post(f"/teach/articles/{ids['mine']}/review", data=data, headers=JSON)
    assert answer.status_code == 200 and answer.is_json
    body = answer.get_json()
    assert body["questions"] == {str(i): "approved" for i in waiting[:10]}
    assert body["drafts_left"] == len(waiting) - 10 and body["next"] == waiting[10]
    assert body["category"] == "success" and "Approved 10 questions" in body["message"]

    data = {"action": "reject", "confirm": "y", "question_ids": [str(i) for i in waiting[10:12]]}
    body = client.post(f"/teach/articles/{ids['mine']}/review", data=data, headers=JSON).json
    assert body["questions"] == {str(waiting[10]): "deleted", str(waiting[11]): "deleted"}
    assert body["drafts_left"] == len(waiting) - 12

    one = client.post(f"/teach/questions/{waiting[12]}/approve", headers=JSON).get_json()
    assert one["questions"] == {str(waiting[12]): "approved"}
    assert one["drafts_left"] == len(waiting) - 13
    unconfirmed = client.post(f"/teach/questions/{waiting[13]}/reject", headers=JSON)
    assert unconfirmed.status_code == 400 and waiting[13] in drafts(app, ids["mine"])
    gone = client.post(
        f"/teach/questions/{waiting[13]}/reject", data={"confirm": "y"}, headers=JSON
    ).json
    assert gone["questions"] == {str(waiting[13]): "deleted"}


def test_a_draft_that_fails_the_checks_stays_and_says_why_the_others_are_approved(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    broken, fine = drafts(app, ids["mine"])[:2]
    with app.app_context():
        for choice in db.session.scalars(select(Choice).where(Choice.question_id == broken)):
            choice.is_correct = False
        db.session.commit()
    body = client.post(
        f"/teach/articles/{ids['mine']}/review",
        data={"action": "approve", "question_ids": [str(broken), str(fine)]},
        headers=JSON,
    ).json
    assert body["questions"] == {str(fine): "approved"}
    assert f"#{broken}: fix it first" in body["message"]
    assert broken in drafts(app, ids["mine"])


def test_a_forged_form_naming_another_teachers_drafts_changes_nothing_of_theirs(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    theirs = drafts(app, ids["theirs"])[:2]
    mine = drafts(app, ids["mine"])[0]
    for action, extra in (("approve", {}), ("reject", {"confirm": "y"})):
        response = bulk(client, ids["mine"], action, [*theirs, 999_999], **extra)
        page = client.get(response.location).get_data(as_text=True)
        listed = ", ".join(map(str, [*theirs, 999_999]))
        assert f"3 selected ids ({listed}) are not a question under review" in page
        assert "nothing was changed for them" in page
    assert drafts(app, ids["theirs"])[:2] == theirs
    # Posting to their article at all is a 404, whatever it names.
    assert bulk(client, ids["theirs"], "approve", theirs).status_code == 404
    assert bulk(client, ids["theirs"], "approve", [mine]).status_code == 404
    assert drafts(app, ids["theirs"])[:2] == theirs and mine in drafts(app, ids["mine"])


def test_damaged_forms_change_nothing_and_say_so(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    waiting = drafts(app, ids["mine"])
    for data in (
        {"action": "approve", "question_ids": ["1x"]},
        {"action": "approve", "question_ids": ["99999999999999999999"]},
        {"action": "publish", "question_ids": [str(waiting[0])]},
    ):
        response = client.post(f"/teach/articles/{ids['mine']}/review", data=data)
        page = client.get(response.location).get_data(as_text=True)
        assert "Nothing was changed: the form was damaged" in page
    nothing = bulk(client, ids["mine"], "approve", [])
    assert "No question was selected" in client.get(nothing.location).get_data(True)
    assert drafts(app, ids["mine"]) == waiting


def test_shared_seed_articles_cannot_be_bulk_reviewed(
    app: Flask, client: FlaskClient, ids: dict[str, int]
) -> None:
    with app.app_context():
        shared = import_seed(None, "Seeded")
    waiting = drafts(app, shared)
    response = bulk(client, shared, "approve", waiting[:2])
    assert response.status_code == 400 and "read-only" in response.get_data(True)
    assert drafts(app, shared) == waiting


def test_review_drafts_service_reports_every_id(app: Flask, ids: dict[str, int]) -> None:
    waiting = drafts(app, ids["mine"])
    with app.app_context(), write_transaction():
        outcome = review_drafts(
            ids["mine"], ids["teacher"], [waiting[0], waiting[0], 424242], BulkAction.APPROVE
        )
        again = review_drafts(ids["mine"], ids["teacher"], [waiting[0]], BulkAction.APPROVE)
    assert outcome.approved == [waiting[0]] and outcome.not_found == [424242]
    assert again.unchanged == {waiting[0]: "already approved"} and not again.changed
    assert outcome.drafts_left == again.drafts_left == len(waiting) - 1
