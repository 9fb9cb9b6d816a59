from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from quizapp.core.study.cards import (
    CardKey,
    CardSource,
    Memory,
    Phase,
    day_bounds,
    due_today,
    fact_card,
    interval_label,
    question_card,
    schedule,
)

T0 = datetime(2026, 3, 2, 9, 30)  # naive UTC, as stored


def test_card_keys_round_trip_and_refuse_anything_else() -> None:
    assert str(CardKey(CardSource.QUESTION, 12)) == "q:12"
    assert CardKey.parse("f:7") == CardKey(CardSource.FACT, 7)
    for bad in (None, "", "q:0", "q:07", "x:1", "q:1 ", "q:-1", "q:", "q:99999999999999999999"):
        assert CardKey.parse(bad) is None, bad


def test_question_card_asks_the_stem_and_answers_with_evidence() -> None:
    card = question_card(
        3,
        "Which apps use end-to-end encryption?",
        "Apps and encryption",
        [("Signal", True), ("Myspace", False), ("WhatsApp", True)],
        "The article says so.",
        "Signal and WhatsApp use end-to-end encryption.",
        "Tiny article",
    )
    assert card.key == CardKey(CardSource.QUESTION, 3)
    assert card.prompt == "Which apps use end-to-end encryption?"
    assert card.choices == ("Signal", "Myspace", "WhatsApp")
    assert card.answers == ("Signal", "WhatsApp")
    assert card.evidence == "Signal and WhatsApp use end-to-end encryption."


def test_definition_card_asks_what_the_term_means() -> None:
    card = fact_card(
        5,
        "definition",
        "Client-side scanning",
        "software which examines messages before they are sent",
        "Client-side scanning is software which examines messages before they are sent.",
        "Article",
    )
    assert (card.prompt, card.body) == ("What does this term mean?", "Client-side scanning")
    assert card.answers == ("software which examines messages before they are sent",)
    assert card.topic == "Key terms"


def test_quote_card_blanks_the_speaker_in_its_sentence() -> None:
    card = fact_card(
        6,
        "quote",
        "Tom Tugendhat",
        "Meta are choosing to ignore the scourge",
        'Mr. Tugendhat stated: "Meta are choosing to ignore the scourge".',
        "Article",
    )
    assert card.prompt == "Who said this?"
    assert card.body == 'Mr. _____ stated: "Meta are choosing to ignore the scourge".'
    assert card.answers == ("Tom Tugendhat",)
    assert card.topic == "Who said what"
    assert card.evidence.startswith("Mr. Tugendhat stated")


def test_other_facts_are_not_cards() -> None:
    with pytest.raises(ValueError):
        fact_card(1, "role", "Ann Lee", "head", "Ann Lee is head.", "Article")


def test_schedule_moves_due_dates_exactly_as_fsrs_does() -> None:
    """The wrapper stores naive UTC; the package works in aware UTC: same card either way."""
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=1, due=T0.replace(tzinfo=UTC))
    memory = None
    moments = [T0, T0 + timedelta(minutes=10), T0 + timedelta(days=3), T0 + timedelta(days=20)]
    ratings = [Rating.Good, Rating.Good, Rating.Again, Rating.Easy]
    for moment, rating in zip(moments, ratings, strict=True):
        card, _log = scheduler.review_card(card, rating, moment.replace(tzinfo=UTC))
        memory = schedule(memory, int(rating), moment)
        assert memory.due == card.due.replace(tzinfo=None)
        assert memory.phase == Phase(card.state.value)
        assert (memory.step, memory.stability, memory.difficulty) == (
            card.step,
            card.stability,
            card.difficulty,
        )
        assert memory.last_review == moment
    assert card.state == State.Review  # the sequence really went through every phase


def test_a_new_card_rated_good_stays_in_learning_for_ten_minutes() -> None:
    memory = schedule(None, 3, T0)
    assert memory.phase == Phase.LEARNING and memory.step == 1
    assert memory.due == T0 + timedelta(minutes=10)
    easy = schedule(None, 4, T0)
    assert easy.phase == Phase.REVIEW and easy.due - T0 >= timedelta(days=1)


def test_fuzz_only_spreads_intervals_of_several_days() -> None:
    learnt = Memory(Phase.REVIEW, None, 40.0, 5.0, T0, T0 - timedelta(days=40))
    exact = schedule(learnt, 3, T0).due
    fuzzed = {schedule(learnt, 3, T0, fuzz=True).due for _ in range(30)}
    assert len(fuzzed) > 1
    # FSRS's fuzz range: under 6% of the interval plus about 3 days
    assert all(abs(due - exact) <= (exact - T0) * 0.06 + timedelta(days=3) for due in fuzzed)
    assert schedule(None, 3, T0, fuzz=True).due == T0 + timedelta(minutes=10)


def test_due_today_limits_new_cards_per_day() -> None:
    assert day_bounds(T0) == (datetime(2026, 3, 2), datetime(2026, 3, 3))
    assert due_today(due_studied=4, new_available=50, new_studied_today=0, new_per_day=20) == 24
    assert due_today(4, 50, 15, 20) == 9
    assert due_today(4, 3, 0, 20) == 7
    assert due_today(0, 50, 25, 20) == 0


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (timedelta(seconds=20), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=8, hours=3), "8 days"),
        (timedelta(days=61), "2 months"),
        (timedelta(days=800), "2.2 years"),
    ],
)
def test_interval_labels(delta: timedelta, label: str) -> None:
    assert interval_label(delta) == label
