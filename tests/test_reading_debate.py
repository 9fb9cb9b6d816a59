"""The article's own debate, or none."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.reading.debate import Debate, find_debate
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
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
