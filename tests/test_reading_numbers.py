"""Numbers and dates: whole entities, what they count, and numbers that are not quantities."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.facts import Fact
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.numbers import find_numbers
from quizapp.core.reading.structure import parse_article


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def numbers_of(nlp: Language, text: str) -> list[Fact]:
    parsed = parse_article(text, nlp)
    return find_numbers(parsed, find_entities(parsed))


def by_value(facts: list[Fact]) -> dict[str, Fact]:
    return {f.object: f for f in facts}


def test_whole_amounts_with_units_and_what_they_count(nlp: Language) -> None:
    facts = by_value(
        numbers_of(
            nlp,
            "The charity Oxfam received more than a million donations in 2021.\n"
            "Its budget rose by 12% to $4.5 million, and volunteers worked 24 hours a day.",
        )
    )
    assert facts["more than a million"].unit == "count"
    assert "donations" in facts["more than a million"].relation
    assert facts["more than a million"].subject == "Oxfam"
    assert facts["2021"].unit == "year"
    assert facts["12%"].unit == "percent"
    assert facts["$4.5 million"].unit == "money"


def test_dates_say_what_they_date(nlp: Language) -> None:
    facts = by_value(
        numbers_of(nlp, "Since March 2020, Leila Haddad has run the city's food bank.")
    )
    fact = facts["March 2020"]
    assert fact.unit == "date"
    assert "run" in fact.relation
    assert fact.subject == "Leila Haddad"


def test_durations(nlp: Language) -> None:
    facts = by_value(numbers_of(nlp, "The strike lasted four years and ended in a deal."))
    assert facts["four years"].unit == "duration"


def test_numbers_that_are_not_quantities_are_left_out(nlp: Language) -> None:
    facts = numbers_of(
        nlp,
        "Anyone with symptoms should call 111 for advice.\n"
        "The interview was broadcast on BBC Radio 4 after the Covid-19 briefing.\n"
        "Monday, March 4, 2024",
    )
    values = {f.object for f in facts}
    assert "111" not in values
    assert "4" not in values
    assert "19" not in values
    assert not any("2024" in v for v in values)  # a dateline dates the page, not an event


def test_clock_times_are_whole(nlp: Language) -> None:
    facts = numbers_of(nlp, "The polls closed at 10:30 on Thursday night.")
    assert all(":" not in f.object or "10:30" in f.object for f in facts)
    assert any("Thursday" in f.object for f in facts)
