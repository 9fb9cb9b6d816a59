"""The article's own debate, or none."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.facts import FactKind
from quizapp.core.reading.debate import Debate, find_debate
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.pipeline import read_article
from quizapp.core.reading.polarity import stem
from quizapp.core.reading.roles import find_roles
from quizapp.core.reading.structure import parse_article


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def debate_of(nlp: Language, text: str) -> Debate:
    parsed = parse_article(text, nlp)
    entities = find_entities(parsed)
    return find_debate(parsed, entities, find_roles(parsed, entities))


def test_a_contested_plan_has_two_sides_and_stances(nlp: Language) -> None:
    debate = debate_of(
        nlp,
        "Council plans to close libraries\n\n"
        "Northshire Council wants to close six libraries to save money.\n\n"
        "The Library Users Association condemned Northshire Council on Tuesday.\n\n"
        "Local MP Hannah Price backed the association in a letter.",
    )
    assert {s.key for s in debate.sides} == {"for", "against"}
    sides = {f.subject: f.object for f in debate.stances}
    assert sides["Northshire Council"] == "for"
    assert sides["Library Users Association"] == "against"
    assert sides["Hannah Price"] == "against"
    assert debate.question.startswith("Should Northshire Council close six libraries")


def test_no_debate_without_opposing_actors(nlp: Language) -> None:
    debate = debate_of(
        nlp,
        "Bakery wins prize\n\n"
        "The Crumb Bakery in Leeds won a national award for its sourdough on Friday.\n\n"
        "Owner Sam Patel said the team was delighted.",
    )
    assert debate == Debate()


def stances_of(text: str) -> dict[str, str]:
    facts = read_article(text).facts
    return {f.subject: f.object for f in facts.facts if f.kind == FactKind.STANCE}


def test_quoted_speakers_take_sides_by_what_their_words_harm_or_condemn(nlp: Language) -> None:
    """No verb of support places these speakers: a warning of harm to the libraries the plan
    would close is against it, calling the libraries a danger is for it."""
    text = (
        "Council plans to close libraries\n\n"
        "Northshire Council wants to close six libraries to save money.\n\n"
        "The Library Users Association condemned Northshire Council on Tuesday.\n\n"
        '"Cutting them would harm the libraries that our children rely on," said teacher'
        " Ann Cole.\n\n"
        'Finance chief Omar Reyes said the libraries were "a danger to the budget".'
    )
    sides = stances_of(text)
    assert sides["Ann Cole"] == "against"
    assert sides["Omar Reyes"] == "for"
    assert read_article(text).facts.debate.startswith("Should Northshire Council close")


def test_a_warning_of_harm_to_what_the_plan_builds_supports_it(nlp: Language) -> None:
    text = (
        "Water company plans a reservoir\n\n"
        "Greenvale Utilities wants to build a reservoir near the village.\n\n"
        "The Dale Valley Society condemned Greenvale Utilities on Monday.\n\n"
        '"Another dry summer would threaten the reservoir and every farm here," said local'
        " farmer Ben Hale."
    )
    assert stances_of(text).get("Ben Hale") == "for"


def test_negative_words_without_a_debate_make_none(nlp: Language) -> None:
    facts = read_article(
        "Storm floods town\n\nHeavy rain flooded the centre of Eastford on Sunday.\n\n"
        '"This is a disaster for the shops," said mayor Lena Ford.\n\n'
        "Resident Joe Marsh said the water would damage the old bridge."
    ).facts
    assert facts.debate == "" and facts.sides == ()
    assert not [f for f in facts.facts if f.kind == FactKind.STANCE]


def test_a_debate_needs_a_proposal_to_name(nlp: Language) -> None:
    """Opposition with no proposal in the lead to put as a question is no debate: sides named
    "For X's position" would teach nothing."""
    debate = debate_of(
        nlp,
        "Row at the club\n\n"
        "Harbour Rowing Club held its annual meeting on Friday.\n\n"
        "The Old Members Group condemned Harbour Rowing Club after the vote.",
    )
    assert debate == Debate()


def test_stem_joins_forms_of_one_word() -> None:
    assert stem("encryption") == stem("encrypted") == stem("encrypt")
    assert stem("privacy") == "privacy"
