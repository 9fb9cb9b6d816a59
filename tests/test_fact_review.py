"""A teacher reviews an article's facts (confirm, edit, delete, add, in bulk), and learners
only ever study confirmed facts and approved questions."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.core.facts import fact_key
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Article,
    CardReview,
    CardState,
    Fact,
    FactStatus,
    Question,
    Quiz,
    QuizQuestion,
    Role,
    Sentence,
    Status,
    User,
)
from quizapp.services import Forbidden, NotFound, ServiceError
from quizapp.services.articles import fact_key_of
from quizapp.services.cards import queue, rate_card
from quizapp.services.debate import article_debate_map, visible_article
from quizapp.services.facts import FactInput, add_fact, confirm_facts, edit_fact, reject_facts
from quizapp.services.imports import import_article
from quizapp.services.progress import learners_topic_progress
from quizapp.services.seeding import seed_directory

from .conftest import SEED_ARTICLE, SEEDS, Auth, add_user, hand_in

TEACHER = "teacher@example.org"
RIVAL = "rival@example.org"
T0 = datetime(2026, 3, 2, 9, 0)
WHITTAKER_SENTENCE = "The organization's president, Meredith Whittaker, stated"


@pytest.fixture
def teacher(app: Flask, auth: Auth) -> int:
    with app.app_context():
        teacher_id = add_user(TEACHER, Role.TEACHER).id
        add_user(RIVAL, Role.TEACHER)
    auth.login(TEACHER)
    return teacher_id


@pytest.fixture
def article_id(app: Flask, teacher: int) -> int:
    """The seed article as a teacher imports it: read (no facts file), facts as drafts."""
    with app.app_context(), write_transaction():
        result = import_article(
            "Meta and E2EE", "BBC", SEED_ARTICLE.read_text("utf-8"), teacher, max_chars=200_000
        )
        return result.article.id


def fact_where(article_id: int, sentence_start: str, kind: str = "quote") -> Fact:
    facts = db.session.scalars(
        select(Fact).where(Fact.article_id == article_id, Fact.kind == kind).order_by(Fact.id)
    )
    return next(f for f in facts if f.sentence.text.startswith(sentence_start))


def made_from(article_id: int, fact: Fact) -> list[Question]:
    key = fact_key(fact.kind, fact.subject, fact.relation, fact.object)
    questions = db.session.scalars(
        select(Question).where(Question.article_id == article_id).order_by(Question.id)
    )
    return [q for q in questions if fact_key_of(q.source_key) == key]


def as_input(fact: Fact, **changes: object) -> FactInput:
    values: dict[str, object] = {
        "kind": fact.kind,
        "subject": fact.subject,
        "relation": fact.relation,
        "object": fact.object,
        "sentence_id": fact.sentence_id,
    }
    values.update(changes)
    return FactInput(**values)  # type: ignore[arg-type]


# --- services ---------------------------------------------------------------------------------


def test_read_facts_are_drafts_and_confirming_and_rejecting_changes_only_them(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        statuses = set(db.session.scalars(select(Fact.status).where(Fact.article_id == article_id)))
        assert statuses == {FactStatus.DRAFT}
        ids = list(
            db.session.scalars(
                select(Fact.id).where(Fact.article_id == article_id).order_by(Fact.id).limit(3)
            )
        )
        first, second, third = ids
        with write_transaction():
            assert confirm_facts(article_id, [first, second], teacher).changed == 2
        with write_transaction():
            assert confirm_facts(article_id, [first], teacher).changed == 0  # twice: harmless
        with write_transaction():
            rejected = reject_facts(article_id, [third], teacher)
        assert rejected.changed == 1
        rows = {
            fact_id: status
            for fact_id, status in db.session.execute(
                select(Fact.id, Fact.status).where(Fact.id.in_(ids))
            )
        }
        assert rows == {first: "confirmed", second: "confirmed", third: "rejected"}
        # kept for history, not deleted
        assert db.session.get(Fact, third) is not None


def test_rejecting_a_fact_deletes_its_unused_drafts_and_restoring_makes_them_again(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        before = len(made_from(article_id, fact))
        assert before >= 1
        with write_transaction():
            result = reject_facts(article_id, [fact.id], teacher)
        assert result.removed == before and made_from(article_id, fact) == []
        with write_transaction():
            restored = confirm_facts(article_id, [fact.id], teacher)
        assert restored.added == before and len(made_from(article_id, fact)) == before


def test_editing_a_fact_replaces_its_drafts_but_never_an_approved_one(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        fact = fact_where(article_id, "Mr. Tugendhat stated:")
        drafts = made_from(article_id, fact)
        assert {q.source_key.split("|")[0] for q in drafts} == {"quote_speaker", "true_false"}
        approved = next(q for q in drafts if q.source_key.startswith("quote_speaker"))
        approved.status = Status.APPROVED
        other_questions = {q.id for q in db.session.scalars(select(Question)) if q not in drafts}
        db.session.commit()
        with write_transaction():
            result = edit_fact(article_id, fact.id, teacher, as_input(fact))
        assert (result.removed, result.kept) == (1, 1)
        assert result.added == 1  # the true/false draft made again; the approved one stays
        now = made_from(article_id, fact)
        assert approved in now and approved.status == Status.APPROVED
        assert len(now) == 2
        # no other question of the article was touched
        assert other_questions <= {q.id for q in db.session.scalars(select(Question))}
        assert (fact.status, fact.confidence) == (FactStatus.CONFIRMED, 1.0)


def test_fixing_a_wrong_speaker_regenerates_who_said_drafts(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        with write_transaction():  # reading's mistake: the quote given to the wrong person
            wrong = edit_fact(article_id, fact.id, teacher, as_input(fact, subject="Ciaran Martin"))
        assert wrong.removed >= 1 and wrong.added == 0  # the evidence never names him
        with write_transaction():
            fixed = edit_fact(
                article_id, fact.id, teacher, as_input(fact, subject="Meredith Whittaker")
            )
        assert fixed.added >= 1
        speakers = [
            q for q in made_from(article_id, fact) if q.source_key.startswith("quote_speaker")
        ]
        assert speakers and speakers[0].status == Status.DRAFT
        assert "Meredith Whittaker" in [c.text for c in speakers[0].correct_choices]


def test_a_quote_not_in_its_sentence_or_a_sentence_of_another_article_is_refused(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        with pytest.raises(ServiceError, match="quoted words are not in the evidence sentence"):
            edit_fact(article_id, fact.id, teacher, as_input(fact, object="a total invention"))
        other = Article(title="Other", text="y", text_hash="other", created_by_id=teacher)
        other.sentences = [Sentence(position=0, text="Something else entirely.")]
        db.session.add(other)
        db.session.flush()
        with pytest.raises(ServiceError, match="this article's sentences"):
            edit_fact(
                article_id,
                fact.id,
                teacher,
                as_input(fact, sentence_id=other.sentences[0].id),
            )
        db.session.rollback()
        db.session.refresh(fact)
        assert fact.subject == "Meredith Whittaker" and fact.status == FactStatus.DRAFT


def test_added_facts_are_confirmed_and_a_stance_must_take_a_side(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        article = db.session.get(Article, article_id)
        sentence = next(s for s in article.sentences if s.text.startswith(WHITTAKER_SENTENCE))
        data = FactInput("role", "Meredith Whittaker", "Signal", "president", sentence.id)
        with write_transaction():
            added = add_fact(article_id, teacher, data)
        assert added.fact.status == FactStatus.CONFIRMED
        assert added.fact.subject_type == "person"  # as the article's other facts know her
        with pytest.raises(ServiceError, match="one of the article's sides"):
            add_fact(article_id, teacher, FactInput("stance", "Signal", "", "maybe", sentence.id))


def test_another_teachers_fact_or_a_shared_article_cannot_be_changed(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        rival = add_user("third@example.org", Role.TEACHER).id
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        with pytest.raises(NotFound):
            confirm_facts(article_id, [fact.id], rival)
        with write_transaction():
            seed_directory(SEEDS)
        shared = db.session.scalar(select(Article).where(Article.created_by_id.is_(None)))
        shared_fact = shared.facts[0]
        with pytest.raises(NotFound):  # a fact of another article named under this one
            reject_facts(article_id, [fact.id, shared_fact.id], teacher)
        with pytest.raises(Forbidden):
            reject_facts(shared.id, [shared_fact.id], teacher)
        db.session.rollback()
        assert db.session.get(Fact, fact.id).status == FactStatus.DRAFT


# --- views ------------------------------------------------------------------------------------


def test_the_article_page_lists_facts_with_review_forms(
    client: FlaskClient, teacher: int, article_id: int
) -> None:
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    assert 'id="facts-review"' in page and 'name="fact"' in page
    assert f"/teach/articles/{article_id}/facts/new" in page
    assert re.search(r"\d+ of \d+ facts still to review", page)


def test_bulk_confirm_and_delete_in_one_submit_each_return_to_facts(
    app: Flask, client: FlaskClient, teacher: int, article_id: int
) -> None:
    with app.app_context():
        ids = list(
            db.session.scalars(select(Fact.id).where(Fact.article_id == article_id).limit(4))
        )
    response = client.post(
        f"/teach/articles/{article_id}/facts/review", data={"fact": ids[:3], "confirm": "1"}
    )
    assert response.status_code == 302 and response.location.endswith("#facts")
    client.post(f"/teach/articles/{article_id}/facts/review", data={"fact": ids[3], "reject": "1"})
    with app.app_context():
        statuses = [db.session.get(Fact, i).status for i in ids]
    assert statuses == ["confirmed"] * 3 + ["rejected"]
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    assert "Confirmed 3 facts." in page and "Deleted 1 fact." in page


def test_a_forged_bulk_form_naming_another_teachers_fact_changes_nothing(
    app: Flask, client: FlaskClient, auth: Auth, teacher: int, article_id: int
) -> None:
    with app.app_context():
        mine = db.session.scalar(select(Fact.id).where(Fact.article_id == article_id))
        rival = db.session.scalar(select(User.id).where(User.email == RIVAL))
        with write_transaction():
            theirs = import_article(
                "Rival's", "x", "Ofcom is the UK's communications regulator.", rival, max_chars=999
            ).article.id
    auth.logout()
    auth.login(RIVAL)
    # the teacher's fact, named under the teacher's article or under the rival's own article
    for where in (article_id, theirs):
        for action in ("confirm", "reject"):
            response = client.post(
                f"/teach/articles/{where}/facts/review", data={"fact": [mine], action: "1"}
            )
            assert response.status_code == 404
        assert client.post(f"/teach/articles/{where}/facts/{mine}/reject").status_code == 404
        assert client.get(f"/teach/articles/{where}/facts/{mine}/edit").status_code == 404
    with app.app_context():
        assert db.session.get(Fact, mine).status == FactStatus.DRAFT


def test_editing_through_the_form_fixes_the_speaker_and_says_how_many_were_replaced(
    app: Flask, client: FlaskClient, teacher: int, article_id: int
) -> None:
    with app.app_context():
        fact = fact_where(article_id, "Mr. Tugendhat stated:")
        fact_id, sentence_id, words = fact.id, fact.sentence_id, fact.object
    url = f"/teach/articles/{article_id}/facts/{fact_id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert "Speaker" in form and "Quoted words" in form and "Evidence sentence" in form
    response = client.post(
        url, data={"subject": "Tom Tugendhat", "object": words, "sentence": sentence_id}
    )
    assert response.status_code == 302 and response.location.endswith(f"#f{fact_id}")
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    assert "2 draft questions made from it replaced by 2 draft questions to review" in page
    refused = client.post(
        url, data={"subject": "Tom Tugendhat", "object": "not said", "sentence": sentence_id}
    )
    assert refused.status_code == 422
    assert "quoted words are not in the evidence sentence" in refused.get_data(as_text=True)


def test_adding_a_fact_through_the_form(
    app: Flask, client: FlaskClient, teacher: int, article_id: int
) -> None:
    with app.app_context():
        article = db.session.get(Article, article_id)
        sentence = next(s for s in article.sentences if s.text.startswith(WHITTAKER_SENTENCE))
        sentence_id = sentence.id
    assert client.get(f"/teach/articles/{article_id}/facts/new").status_code == 200
    response = client.post(
        f"/teach/articles/{article_id}/facts/new",
        data={
            "kind": "role",
            "subject": "Meredith Whittaker",
            "relation": "Signal",
            "object": "the organization's president",
            "sentence": sentence_id,
        },
    )
    assert response.status_code == 302 and "#f" in response.location
    with app.app_context():
        added = db.session.scalar(
            select(Fact).where(
                Fact.article_id == article_id, Fact.object == "the organization's president"
            )
        )
        assert added is not None and added.status == FactStatus.CONFIRMED


def test_a_shared_seeded_articles_facts_are_read_only(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    with app.app_context():
        with write_transaction():
            seed_directory(SEEDS)
        shared = db.session.scalar(select(Article).where(Article.created_by_id.is_(None)))
        shared_id, fact_id = shared.id, shared.facts[0].id
    page = client.get(f"/teach/articles/{shared_id}").get_data(as_text=True)
    assert 'id="facts-review"' not in page
    response = client.post(f"/teach/articles/{shared_id}/facts/{fact_id}/reject")
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert client.get(f"/teach/articles/{shared_id}/facts/{fact_id}/edit").status_code == 403
    with app.app_context():
        assert db.session.get(Fact, fact_id).status == FactStatus.CONFIRMED


# --- what learners see ------------------------------------------------------------------------


def published_quiz(article_id: int, teacher: int, learner: int) -> int:
    """Approve the article's first draft, put it in a public quiz, and let the learner hand
    it in: from then on the article's confirmed quotes and definitions are their cards."""
    question = db.session.scalar(
        select(Question).where(Question.article_id == article_id).order_by(Question.id)
    )
    question.status = Status.APPROVED
    quiz = Quiz(title="Week 1", published=True, is_public=True, created_by_id=teacher)
    quiz.items = [QuizQuestion(question=question, position=1)]
    db.session.add(quiz)
    db.session.commit()
    hand_in(quiz.id, learner)
    return quiz.id


def fact_cards(learner: int) -> int:
    return queue(learner, T0).new_available - 1  # one question card


def test_a_rejected_questions_quote_is_no_card_until_its_fact_is_confirmed(
    app: Flask, teacher: int, article_id: int
) -> None:
    """The issue: "a question the teacher rejected still had its quote shown as a card"."""
    with app.app_context():
        learner = add_user("lena@example.org").id
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        (who_said,) = made_from(article_id, fact)
        db.session.delete(who_said)  # the teacher rejected the draft
        db.session.commit()
        published_quiz(article_id, teacher, learner)
        assert fact_cards(learner) == 0  # no unreviewed quote or definition is a card
        with write_transaction():
            confirm_facts(article_id, [fact.id], teacher)
        assert fact_cards(learner) == 1


def test_a_rejected_fact_leaves_the_queue_and_keeps_its_review_history(
    app: Flask, teacher: int, article_id: int
) -> None:
    from quizapp.core.study.cards import CardKey, CardSource

    with app.app_context():
        learner = add_user("lena@example.org").id
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        with write_transaction():
            confirm_facts(article_id, [fact.id], teacher)
        published_quiz(article_id, teacher, learner)
        key = CardKey(CardSource.FACT, fact.id)
        with write_transaction():
            assert rate_card(learner, key, 3, 0, T0, fuzz=False)
        assert queue(learner, T0).due_studied == 1
        with write_transaction():
            reject_facts(article_id, [fact.id], teacher)
        assert queue(learner, T0).due_studied == 0 and fact_cards(learner) == 0
        assert db.session.scalar(select(func.count(CardReview.id))) == 1
        assert db.session.scalar(select(func.count(CardState.id))) == 1


def test_a_retired_question_leaves_the_queue(app: Flask, teacher: int, article_id: int) -> None:
    with app.app_context():
        learner = add_user("lena@example.org").id
        published_quiz(article_id, teacher, learner)
        assert queue(learner, T0).new_available == 1
        question = db.session.scalar(select(Question).where(Question.status == Status.APPROVED))
        question.status = Status.RETIRED
        db.session.commit()
        assert queue(learner, T0).new_available == 0


def test_the_debate_map_shows_confirmed_facts_only(
    app: Flask, teacher: int, article_id: int
) -> None:
    with app.app_context():
        fact = fact_where(article_id, WHITTAKER_SENTENCE)
        teacher_user = db.session.get(User, teacher)
        article = visible_article(article_id, teacher_user)
        names = [a.name for s in article_debate_map(article).sides for a in s.actors]
        assert names == []
        with write_transaction():
            confirm_facts(article_id, [fact.id], teacher)
        db.session.expire_all()
        article = visible_article(article_id, teacher_user)
        names = [a.name for s in article_debate_map(article).sides for a in s.actors]
        assert names == ["Meredith Whittaker"]


def test_seeded_map_quotes_walk_in_its_sentence_and_shows_what_critics_argue(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        with write_transaction():
            seed_directory(SEEDS)
        article_id = db.session.scalar(select(Article.id))
    page = client.get(f"/study/articles/{article_id}/map").get_data(as_text=True)
    assert "“walk”" not in page  # one word means nothing alone
    assert 'it would "<mark>walk</mark>" away from the UK' in page.replace("&#34;", '"')
    critics = page[page.index("<h3>Critics</h3>") :].split("</li>")[0]
    assert "Critics assert that doing this would fundamentally jeopardize" in critics


def test_one_easy_rating_after_a_wrong_answer_is_not_full_mastery(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """The issue: one "Easy" on a card for a question just got wrong showed 100% mastered."""
    from quizapp.core.study.cards import CardKey, CardSource

    from .conftest import build_small_quiz
    from .test_learn import answer, start

    with app.app_context():
        quiz = build_small_quiz("Just one")
        single = quiz.question_ids[0]
        db.session.get(Question, single).topic = "Regulators"  # the topic's only card
        db.session.commit()
        learner = add_user("lena@example.org").id
    auth.login("lena@example.org")
    attempt = start(client, quiz.quiz_id)
    answer(client, attempt, 1, single, quiz.wrong[single])
    client.post(f"/attempts/{attempt}/finish")
    with app.app_context():
        with write_transaction():
            assert rate_card(learner, CardKey(CardSource.QUESTION, single), 4, 0, T0, fuzz=False)
        progress = learners_topic_progress([learner], T0)
    (topic,) = [p for p in progress if p.topic == "Regulators"]
    assert topic.cards_mastered == 1.0  # FSRS: one Easy, straight to Review
    assert (topic.correct, topic.answered) == (1, 2)  # the wrong answer, then the Easy
    assert topic.mastery == 0.5
    page = client.get("/study/progress").get_data(as_text=True)
    row = page[page.index('<th scope="row">Regulators</th>') :].split("</tr>")[0]
    assert "50%" in row and "100%" not in row
