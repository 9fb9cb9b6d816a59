"""Roles from the parse: titles, appositions, complements and clauses, never garbage."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.facts import Fact
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.roles import find_roles
from quizapp.core.reading.structure import parse_article


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def roles_of(nlp: Language, text: str) -> list[Fact]:
    parsed = parse_article(text, nlp)
    return find_roles(parsed, find_entities(parsed))


def pairs(facts: list[Fact]) -> set[tuple[str, str]]:
    return {(f.subject, f.object) for f in facts}


def test_apposition_after_a_name_keeps_former_and_the_organisation(nlp: Language) -> None:
    facts = roles_of(
        nlp,
        "Priya Raman, the former director of the Coastal Flood Agency, said the wall was too low.",
    )
    fact = next(f for f in facts if f.subject == "Priya Raman")
    assert fact.object == "former director of the Coastal Flood Agency"
    assert fact.relation == "Coastal Flood Agency"
    assert fact.evidence.startswith("Priya Raman, the former director")


def test_role_before_a_name_in_apposition(nlp: Language) -> None:
    facts = roles_of(nlp, "The chief executive of Brightwater, Tomas Keller, resigned on Friday.")
    assert any(f.subject == "Tomas Keller" and "chief executive" in f.object for f in facts)


def test_title_compounds_before_a_name(nlp: Language) -> None:
    facts = roles_of(
        nlp,
        "The plan was backed by transport minister Olga Berg and Prime Minister Samuel Osei.",
    )
    assert ("Olga Berg", "transport minister") in pairs(facts)
    assert ("Samuel Osei", "Prime Minister") in pairs(facts)


def test_possessive_title_names_the_organisation(nlp: Language) -> None:
    facts = roles_of(nlp, "Greenfield's chief engineer Marta Novak said the bridge was safe.")
    fact = next(f for f in facts if f.subject == "Marta Novak")
    assert fact.object == "chief engineer of Greenfield"
    assert fact.relation == "Greenfield"


def test_served_as(nlp: Language) -> None:
    facts = roles_of(nlp, "Since 2019, Daniel Achebe has served as head of the national library.")
    assert ("Daniel Achebe", "head of the national library") in pairs(facts)


def test_an_owner_in_a_relative_clause(nlp: Language) -> None:
    facts = roles_of(
        nlp,
        "Nordcart, which Vestel owns, opened forty new shops in Norway and Denmark last year.",
    )
    assert any(f.subject == "Vestel" and f.object == "owner of Nordcart" for f in facts)


def test_a_person_of_an_organisation(nlp: Language) -> None:
    facts = roles_of(
        nlp, "Helen Frost of the Royal Statistical Society questioned the survey's method."
    )
    fact = next(f for f in facts if f.subject == "Helen Frost")
    assert "Royal Statistical Society" in fact.object
    assert fact.relation == "Royal Statistical Society"


def test_no_garbage_roles(nlp: Language) -> None:
    """A quote, a plural, a bare number or the holder's own name is never a role."""
    facts = roles_of(
        nlp,
        'Jonas Weber called it "the worst deal ever", and the meeting between Prime Minister'
        " Ruth Adler and Jonas Weber lasted two hours. Adler's early attempts failed.",
    )
    for fact in facts:
        assert '"' not in fact.object
        assert not fact.object[0].isdigit()
        assert not fact.object.startswith("the between")
        assert fact.object != "early attempts"
