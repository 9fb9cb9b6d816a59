"""Flashcards through the service and the Flask test client: which cards, the FSRS state each
rating stores, replays, the day's queue, and who sees what."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from fsrs import Card, Rating, Scheduler
from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState
from werkzeug.test import TestResponse

from quizapp.core.study.cards import CardKey, CardSource, Phase
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import (
    Article,
    CardReview,
    CardState,
    Choice,
    Fact,
    FactStatus,
    Question,
    Quiz,
    QuizQuestion,
    Role,
    Status,
    User,
)
from quizapp.services import NotFound
from quizapp.services.bank import QuestionData, revise_question
from quizapp.services.cards import next_card, queue, rate_card
from quizapp.services.classes import create_class, join_class
from quizapp.services.progress import learners_topic_progress

from .conftest import Auth, SmallQuiz, add_user, build_small_quiz, hand_in
from .test_learn import answer
from .test_practice import take

T0 = datetime(2026, 3, 2, 9, 0)  # a fixed clock, naive UTC


@dataclass
class Deck:
    quiz: SmallQuiz
    questions: list[CardKey]
    definition: CardKey
    quote: CardKey
    role_fact_id: int
    draft_question_id: int


def build_deck() -> Deck:
    """The small quiz's 3 questions, plus a definition, a quote and a role fact of its article,
    and an approved question that no published quiz asks (a draft in an unpublished quiz)."""
    quiz = build_small_quiz()
    article = db.session.scalar(select(Article).where(Article.title == "Tiny article"))
    s0, s1 = article.sentences
    definition = Fact(
        sentence=s0, kind="definition", subject="End-to-end encryption", object="private"
    )
    quote = Fact(sentence=s1, kind="quote", subject="Ofcom", object="the regulator")
    role = Fact(sentence=s1, kind="role", subject="Ofcom", object="regulator")
    for fact in (definition, quote, role):
        fact.status = FactStatus.CONFIRMED  # reviewed: only confirmed facts are cards
    article.facts = [definition, quote, role]
    unpublished = Question(
        article_id=article.id,
        kind="single",
        stem="Not in a published quiz",
        topic="Test",
        status=Status.APPROVED,
        choices=[Choice(position=0, text="A", is_correct=True), Choice(position=1, text="B")],
    )
    db.session.add(Quiz(title="Hidden", items=[QuizQuestion(question=unpublished, position=1)]))
    db.session.commit()
    return Deck(
        quiz=quiz,
        questions=[CardKey(CardSource.QUESTION, q) for q in quiz.question_ids],
        definition=CardKey(CardSource.FACT, definition.id),
        quote=CardKey(CardSource.FACT, quote.id),
        role_fact_id=role.id,
        draft_question_id=unpublished.id,
    )


@pytest.fixture
def deck(app: Flask) -> Deck:
    with app.app_context():
        return build_deck()


def learner_id(app: Flask, email: str) -> int:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    assert user_id is not None
    return user_id


def rate(user: int, key: CardKey, rating: int, now: datetime, version: int | None = None) -> bool:
    """Rate as the service does for a view: the version is the stored one unless given."""
    if version is None:
        column = CardState.question_id if key.source == CardSource.QUESTION else CardState.fact_id
        version = db.session.scalar(
            select(CardState.reviews).where(CardState.learner_id == user, column == key.id)
        )
    with write_transaction():
        return rate_card(user, key, rating, version or 0, now, fuzz=False)


def state_of(user: int, key: CardKey) -> CardState:
    column = CardState.question_id if key.source == CardSource.QUESTION else CardState.fact_id
    state = db.session.scalar(
        select(CardState)
        .where(CardState.learner_id == user, column == key.id)
        .execution_options(populate_existing=True)
    )
    assert state is not None
    return state


# --- Which cards ------------------------------------------------------------------------------


def test_cards_are_published_approved_questions_and_their_articles_terms_and_quotes(
    app: Flask, deck: Deck
) -> None:
    with app.app_context():
        ann = add_user("ann@example.org").id
        hand_in(deck.quiz.quiz_id, ann)
        assert queue(ann, T0).new_available == 5  # 3 questions, 1 definition, 1 quote
        keys = []
        for _ in range(5):
            shown = next_card(ann, T0, new_per_day=20)
            assert shown is not None
            keys.append(shown.card.key)
            rate(ann, shown.card.key, 4, T0)
        assert keys == [*deck.questions, deck.definition, deck.quote]
        assert next_card(ann, T0, new_per_day=20) is None
        db.session.get(Question, deck.quiz.question_ids[0]).status = Status.RETIRED
        db.session.commit()
        assert queue(ann, T0 + timedelta(days=400)).due_studied == 4
        db.session.get(Quiz, deck.quiz.quiz_id).published = False
        db.session.commit()
        later = T0 + timedelta(days=400)
        assert (queue(ann, later).due_studied, queue(ann, later).new_available) == (0, 0)
        with pytest.raises(NotFound):
            rate(ann, deck.quote, 3, later)


def test_cards_outside_the_deck_are_not_found(
    app: Flask, client: FlaskClient, deck: Deck, learner: str
) -> None:
    for key in (
        f"q:{deck.draft_question_id}",
        f"f:{deck.role_fact_id}",
        "q:999999",
        "nonsense",
        "",
    ):
        assert client.get("/study/cards/answer", query_string={"card": key}).status_code == 404
    response = client.post(
        "/study/cards/rate", data={"card": f"q:{deck.draft_question_id}", "version": 0, "rating": 3}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CardState)) == 0


def test_a_quiz_keeps_its_cards_until_the_learner_hands_it_in(
    app: Flask, client: FlaskClient, deck: Deck, learner: str
) -> None:
    """A card shows the answer and its evidence: before a learner submits the quiz it would be
    the answer key (quotes included: "who said this" asks about them)."""
    from .test_learn import start

    first = deck.quiz.question_ids[0]
    hidden = (str(deck.questions[0]), str(deck.quote), str(deck.definition))

    def answer_pages() -> list[int]:
        return [
            client.get("/study/cards/answer", query_string={"card": key}).status_code
            for key in hidden
        ]

    assert answer_pages() == [404, 404, 404]
    attempt = start(client, deck.quiz.quiz_id)
    answer(client, attempt, 1, first, deck.quiz.correct[first])
    assert answer_pages() == [404, 404, 404]  # in progress: still the quiz's secret
    with app.app_context():
        assert queue(learner_id(app, learner), T0).new_available == 0
    client.post(f"/attempts/{attempt}/finish")
    assert answer_pages() == [200, 200, 200]
    with app.app_context():
        assert queue(learner_id(app, learner), T0).new_available == 5


def test_class_quizzes_give_cards_to_their_classes_only_and_once_open(app: Flask) -> None:
    with app.app_context():
        teacher = add_user("teacher@example.org", Role.TEACHER)
        ann, ben = add_user("ann@example.org").id, add_user("ben@example.org").id
        year10 = create_class(teacher.id, "Year 10")
        join_class(ann, year10.join_code)
        for_year10 = build_small_quiz("For Year 10", is_public=False, classes=[year10])
        next_week = build_small_quiz("Next week", opens_at=T0 + timedelta(days=7))
        db.session.commit()
        hand_in(for_year10.quiz_id, ann)
        hand_in(next_week.quiz_id, ben)
        assert queue(ann, T0).new_available == 3
        assert queue(ben, T0).new_available == 0  # not in the class
        assert queue(ben, T0 + timedelta(days=7)).new_available == 3  # the public quiz opened
        ann_first = next_card(ann, T0, 20)
        assert ann_first is not None
        with pytest.raises(NotFound):
            rate(ben, ann_first.card.key, 3, T0)
        ann_progress = learners_topic_progress([ann], T0)
        class_progress = learners_topic_progress([ann, ben], T0)
    assert [(p.topic, p.cards) for p in ann_progress] == [("Test", 3)]
    assert [(p.topic, p.cards, p.learners) for p in class_progress] == [("Test", 3, 2)]


def test_a_question_card_survives_a_new_version_of_its_question(
    app: Flask, client: FlaskClient, deck: Deck, learner: str
) -> None:
    """Once answered, an edited question becomes a new version; the card (the family) keeps
    its schedule and shows the new wording."""
    from .test_learn import start

    first = deck.quiz.question_ids[0]
    attempt = start(client, deck.quiz.quiz_id)
    answer(client, attempt, 1, first, deck.quiz.correct[first])
    client.post(f"/attempts/{attempt}/finish")
    study_one(client, 4)
    with app.app_context():
        teacher = add_user("teacher@example.org", Role.TEACHER)
        question = db.session.get(Question, first)
        newer = revise_question(
            question,
            QuestionData(
                "single",
                "Which body regulates communications in the UK?",
                [("Ofcom", True), ("Ofwat", False)],
                topic="Test",
                article_id=question.article_id,
                evidence_id=question.evidence_id,
            ),
            teacher.id,
        )
        db.session.commit()
        assert newer.id != first and newer.family == first
        learner_key = learner_id(app, learner)
        assert queue(learner_key, T0).new_available == 4  # still 5 cards, one studied
    page = client.get("/study/cards/answer", query_string={"card": f"q:{first}"})
    text_of = text(page)
    assert "Which body regulates communications in the UK?" in text_of
    assert 'name="version" type="hidden" value="1"' in page.get_data(as_text=True)


# --- FSRS state, stored and advanced ----------------------------------------------------------


def test_each_rating_stores_the_state_fsrs_gives_for_the_same_clock(app: Flask, deck: Deck) -> None:
    key = deck.questions[1]
    steps = [
        (T0, Rating.Good),
        (T0 + timedelta(minutes=12), Rating.Good),
        (T0 + timedelta(days=4), Rating.Again),
        (T0 + timedelta(days=4, minutes=15), Rating.Hard),
        (T0 + timedelta(days=9), Rating.Easy),
    ]
    scheduler = Scheduler(enable_fuzzing=False)
    expected = Card(card_id=1, due=T0.replace(tzinfo=UTC))
    with app.app_context():
        ann = add_user("ann@example.org").id
        hand_in(deck.quiz.quiz_id, ann)
        for number, (moment, rating) in enumerate(steps, 1):
            due_before = expected.due.replace(tzinfo=None) if number > 1 else None
            expected, _log = scheduler.review_card(expected, rating, moment.replace(tzinfo=UTC))
            assert rate(ann, key, int(rating), moment)
            state = state_of(ann, key)
            assert state.reviews == number
            assert state.due == expected.due.replace(tzinfo=None)
            assert state.phase == int(expected.state)
            assert (state.step, state.stability, state.difficulty) == (
                expected.step,
                expected.stability,
                expected.difficulty,
            )
            assert state.last_review == moment
            log = db.session.scalars(select(CardReview).order_by(CardReview.id.desc())).first()
            assert (log.rating, log.reviewed_at) == (int(rating), moment)
            assert (log.due_before, log.due_after) == (due_before, state.due)
        assert state.phase == Phase.REVIEW
        assert db.session.scalar(select(func.count()).select_from(CardReview)) == len(steps)


def test_a_replayed_rating_does_not_advance_the_card_twice(app: Flask, deck: Deck) -> None:
    key = deck.definition
    with app.app_context():
        ann = add_user("ann@example.org").id
        hand_in(deck.quiz.quiz_id, ann)
        assert rate(ann, key, 3, T0, version=0)
        assert not rate(ann, key, 3, T0 + timedelta(seconds=2), version=0)  # the new card again
        first = state_of(ann, key)
        assert (first.reviews, first.due) == (1, T0 + timedelta(minutes=10))
        later = T0 + timedelta(minutes=11)
        assert rate(ann, key, 4, later, version=1)
        assert not rate(ann, key, 4, later + timedelta(seconds=1), version=1)
        assert not rate(ann, key, 1, later + timedelta(seconds=2), version=1)
        second = state_of(ann, key)
        assert second.reviews == 2 and second.phase == Phase.REVIEW
        assert db.session.scalar(select(func.count()).select_from(CardReview)) == 2


def test_the_compare_and_set_loses_to_a_rating_stored_in_between(app: Flask, deck: Deck) -> None:
    """Two requests read version 1; the other one's update lands between this one's read and
    its update, which must then change nothing (and log nothing)."""
    key = deck.quote
    with app.app_context():
        ann = add_user("ann@example.org").id
        hand_in(deck.quiz.quiz_id, ann)
        rate(ann, key, 3, T0)
        raced: list[bool] = []

        def other_request_first(orm_execute: ORMExecuteState) -> None:
            if orm_execute.is_update and not raced:
                raced.append(True)
                db.session.execute(
                    CardState.__table__.update()
                    .where(CardState.learner_id == ann)
                    .values(reviews=CardState.reviews + 1)
                )

        event.listen(db.session, "do_orm_execute", other_request_first)
        try:
            assert not rate(ann, key, 4, T0 + timedelta(minutes=11), version=1)
        finally:
            event.remove(db.session, "do_orm_execute", other_request_first)
        assert raced and state_of(ann, key).reviews == 2  # the other request's, not a third
        assert db.session.scalar(select(func.count()).select_from(CardReview)) == 1


# --- The day's queue --------------------------------------------------------------------------


def test_queue_counts_due_cards_and_new_cards_up_to_the_daily_allowance(
    app: Flask, deck: Deck
) -> None:
    with app.app_context():
        ann = add_user("ann@example.org").id
        hand_in(deck.quiz.quiz_id, ann)
        assert queue(ann, T0).count(new_per_day=2) == 2
        first = next_card(ann, T0, 2)
        assert first is not None and first.card.key == deck.questions[0]
        rate(ann, deck.questions[0], 1, T0)  # Again: back in a minute, still today
        assert queue(ann, T0).count(2) == 2  # it, and one more new card allowed
        second = next_card(ann, T0, 2)
        assert second is not None and second.card.key == deck.questions[1]
        rate(ann, deck.questions[1], 4, T0)  # Easy: days away
        assert queue(ann, T0).count(2) == 1  # only the card rated Again; no new left today
        # nothing is due this very minute, so the card due later today comes early
        early = next_card(ann, T0 + timedelta(seconds=10), 2)
        assert early is not None and early.card.key == deck.questions[0]
        assert early.version == 1
        rate(ann, deck.questions[0], 4, T0 + timedelta(seconds=10))
        assert queue(ann, T0).count(2) == 0
        assert next_card(ann, T0 + timedelta(minutes=1), 2) is None
        tomorrow = queue(ann, T0 + timedelta(days=1))
        assert (tomorrow.new_studied_today, tomorrow.new_available) == (0, 3)
        assert tomorrow.count(2) == tomorrow.due_studied + 2  # a new day: two more new cards
        # a month on, both Easy cards are due again, ahead of new ones
        month = T0 + timedelta(days=30)
        assert queue(ann, month).due_studied == 2
        due = next_card(ann, month, 2)
        assert due is not None and due.version == 2 and due.card.key == deck.questions[0]


# --- Pages ------------------------------------------------------------------------------------


def study_one(client: FlaskClient, rating: int) -> TestResponse:
    """The learner's path without JavaScript: the card, its answer link, then a button."""
    front = client.get("/study/cards").get_data(as_text=True)
    link = re.search(r'href="(/study/cards/answer\?card=[^"#]+)#answer"', front)
    assert link is not None, front
    back = client.get(link.group(1)).get_data(as_text=True)
    form = dict(re.findall(r'name="(card|version)" type="hidden" value="([^"]*)"', back))
    return client.post("/study/cards/rate", data={**form, "rating": rating})


def text(page: TestResponse | str) -> str:
    """What the page says, without its tags."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("( ", "(").replace(" )", ")")


def due_on_home(client: FlaskClient) -> int:
    found = re.search(r"Cards due today: (\d+)", client.get("/").get_data(as_text=True))
    assert found is not None
    return int(found.group(1))


def test_study_without_javascript_and_the_home_count_goes_down(
    app: Flask, client: FlaskClient, deck: Deck, learner: str
) -> None:
    with app.app_context():
        hand_in(deck.quiz.quiz_id, learner_id(app, learner))
    assert due_on_home(client) == 5
    front = client.get("/study/cards").get_data(as_text=True)
    assert "Which body is the communication regulator?" in front
    assert "Ofwat" in front and "Show answer" in front
    assert "Again" not in front  # the answer and its ratings wait for "Show answer"
    back = client.get("/study/cards/answer", query_string={"card": str(deck.questions[0])})
    page = back.get_data(as_text=True)
    assert "<strong>Ofcom</strong>" in page and "Ofcom is the communication regulator." in page
    for value, name in ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")):
        assert f'name="rating" value="{value}"' in page and name in page
    response = study_one(client, 4)
    assert response.status_code == 302 and response.location == "/study/cards"
    assert due_on_home(client) == 4


def test_a_replayed_rating_form_is_counted_once(
    app: Flask, client: FlaskClient, deck: Deck, learner: str
) -> None:
    with app.app_context():
        hand_in(deck.quiz.quiz_id, learner_id(app, learner))
    form = {"card": str(deck.quote), "version": "0", "rating": "3"}
    assert client.post("/study/cards/rate", data=form).status_code == 302
    replay = client.post("/study/cards/rate", data=form, follow_redirects=True)
    assert "already been rated" in replay.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CardState.reviews)) == 1
        assert db.session.scalar(select(func.count()).select_from(CardReview)) == 1
    for bad in ({**form, "rating": "5"}, {**form, "version": "-1"}, {**form, "card": "f:x"}):
        assert client.post("/study/cards/rate", data=bad).status_code == 400


def test_all_done_for_today(client: FlaskClient, learner: str) -> None:
    page = client.get("/study/cards").get_data(as_text=True)
    assert "All done for today" in page and "Cards due today: <strong" in page


# --- Who sees what ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, deck: Deck) -> None:
    for url in ("/study/cards", "/study/cards/answer?card=q:1", "/study/progress"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location
    response = client.post("/study/cards/rate", data={"card": "q:1", "version": 0, "rating": 3})
    assert response.status_code == 302 and "/auth/login" in response.location
    assert "Cards due today" not in client.get("/").get_data(as_text=True)


def test_a_learner_never_sees_another_learners_cards_or_progress(
    app: Flask, client: FlaskClient, auth: Auth, deck: Deck, learner: str
) -> None:
    with app.app_context():
        hand_in(deck.quiz.quiz_id, learner_id(app, learner))
    for _ in range(3):
        study_one(client, 4)
    assert due_on_home(client) == 2
    assert "100% (3 of your last 3 right)" in text(client.get("/study/progress"))
    auth.logout()
    with app.app_context():
        hand_in(deck.quiz.quiz_id, add_user("other@example.org").id)
    auth.login("other@example.org")
    assert due_on_home(client) == 5
    progress = text(client.get("/study/progress"))
    assert "not answered yet" in progress and "of your last" not in progress
    # the other learner's first rating of a card the first one has rated is their own
    first = client.get("/study/cards/answer", query_string={"card": str(deck.questions[0])})
    assert 'name="version" type="hidden" value="0"' in first.get_data(as_text=True)
    client.post(
        "/study/cards/rate", data={"card": str(deck.questions[0]), "version": 0, "rating": 1}
    )
    with app.app_context():
        owner = learner_id(app, learner)
        other = learner_id(app, "other@example.org")
        assert state_of(owner, deck.questions[0]).reviews == 1
        assert state_of(other, deck.questions[0]).reviews == 1
        assert state_of(owner, deck.questions[0]).phase == Phase.REVIEW


# --- Progress ---------------------------------------------------------------------------------


@pytest.fixture
def count_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    with app.app_context():

        def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        yield statements
        event.remove(db.engine, "before_cursor_execute", record)


def test_topic_progress_of_a_class_on_a_fixed_data_set(
    app: Flask, deck: Deck, count_queries: list[str]
) -> None:
    with app.app_context():
        ann, ben, eve = (add_user(f"{n}@example.org").id for n in ("ann", "ben", "eve"))
        hand_in(deck.quiz.quiz_id, ann, ben, eve)
        single, multi, _true_false = deck.questions
        for key in (single, multi, deck.definition):
            rate(ann, key, 4, T0)  # Easy: straight to Review
        rate(ann, deck.quote, 2, T0)  # Hard: still learning, and not "recalled"
        rate(ben, single, 4, T0)
        rate(ben, deck.quote, 1, T0)
        rate(eve, deck.quote, 4, T0)  # not in the class
        count_queries.clear()
        result = {p.topic: p for p in learners_topic_progress([ann, ben], T0, recent=20)}
        assert len(count_queries) <= 6  # aggregate queries, never one per card or learner
    assert list(result) == ["Who said what", "Key terms", "Test"]
    quotes, terms, test = result["Who said what"], result["Key terms"], result["Test"]
    # cards are summed over the two learners: each may study the same 5
    assert (quotes.cards, quotes.mastered, quotes.answered, quotes.correct) == (2, 0, 2, 0)
    assert (terms.cards, terms.mastered, terms.mastery) == (2, 1, 0.5)
    assert (test.cards, test.mastered, test.mastery) == (6, 3, 0.5)
    assert (test.answered, test.correct) == (3, 3)


def test_progress_page_charts_graded_scores_with_a_table(
    app: Flask, client: FlaskClient, deck: Deck, learner: str
) -> None:
    single, multi, true_false = deck.quiz.question_ids
    first = take(client, deck.quiz, right={single})  # 1 of 3: multi, then true/false wrong
    practice = int(client.post(f"/attempts/{first}/retry").location.split("/")[2])
    answer(client, practice, 1, multi, deck.quiz.correct[multi])
    client.post(f"/attempts/{practice}/finish")  # 100%, but practice: never charted
    take(client, deck.quiz, right={single, multi, true_false})  # 3 of 3
    app.config["RECENT_ANSWERS"] = 5
    page = client.get("/study/progress").get_data(as_text=True)
    assert page.count("<circle") == 2 and "<polyline" in page
    assert re.findall(r"<td>(\d+)%</td>", page) == ["33", "100"]
    assert 'role="img"' in page and "Score per graded quiz attempt" in page
    assert "Cards due today: 5" in page
    # the last five answers in the Test topic: three right, the practice one right, and the
    # first attempt's wrong true/false; practice answers count for accuracy, not for scores
    assert "80% (4 of your last 5 right)" in text(page)


def test_progress_keeps_an_unsubmitted_after_submit_quiz_to_itself(
    app: Flask, client: FlaskClient, learner: str
) -> None:
    """Recent accuracy per topic told a learner whether each answer was right while a quiz
    that shows results only after submitting was still in progress."""
    from .test_learn import start

    with app.app_context():
        quiz = build_small_quiz(feedback="after_submit")
    single = quiz.question_ids[0]
    attempt = start(client, quiz.quiz_id)
    answer(client, attempt, 1, single, quiz.wrong[single])
    assert "of your last" not in text(client.get("/study/progress"))
    client.post(f"/attempts/{attempt}/finish")
    assert "0% (0 of your last 1 right)" in text(client.get("/study/progress"))
