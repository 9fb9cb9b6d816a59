"""Sets, definitions and powers from the parse."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.facts import Fact, FactKind
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.sets import find_definitions, find_sets
from quizapp.core.reading.structure import parse_article


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def read(nlp: Language, text: str) -> tuple[list[Fact], list[Fact]]:
    parsed = parse_article(text, nlp)
    entities = find_entities(parsed)
    return find_sets(parsed, entities), find_definitions(parsed, entities)


def test_members_of_a_head_noun_with_like(nlp: Language) -> None:
    sets, _ = read(
        nlp,
        "The scheme is used by carmakers like Toyota, Volkswagen, and Ford's Lincoln brand.",
    )
    members = {f.object for f in sets if f.kind == FactKind.MEMBER}
    assert {"Toyota", "Volkswagen"} <= members
    assert all(f.subject == "carmakers" for f in sets if f.kind == FactKind.MEMBER)


def test_members_listed_after_a_plural_noun(nlp: Language) -> None:
    sets, _ = read(
        nlp,
        "The alliance is a group of four countries, Norway, Sweden, Finland and Denmark,"
        " that meets every spring.",
    )
    members = {f.object for f in sets if f.kind == FactKind.MEMBER}
    assert {"Norway", "Sweden", "Finland", "Denmark"} <= members


def test_modifiers_are_not_members(nlp: Language) -> None:
    sets, _ = read(nlp, "The plan was praised by faith-based, church and village councils.")
    assert not any(f.object in ("faith-based", "church") for f in sets)


def test_acronym_expansions_both_ways(nlp: Language) -> None:
    _, definitions = read(
        nlp,
        "The Coastal Monitoring Service (CMS) tracks erosion.\n"
        "It uses GPR (ground penetrating radar, a survey method) on cliffs.",
    )
    pairs = {(f.subject, f.object) for f in definitions}
    assert ("CMS", "Coastal Monitoring Service") in pairs
    assert ("GPR", "ground penetrating radar") in pairs


def test_a_term_and_what_it_does(nlp: Language) -> None:
    _, definitions = read(
        nlp,
        "Carbon capture storage (CCS) removes carbon dioxide from the exhaust of power stations.",
    )
    assert any(
        f.subject.startswith("Carbon capture storage") and f.object.startswith("removes")
        for f in definitions
    )


def test_is_a_definition(nlp: Language) -> None:
    _, definitions = read(nlp, "Rust is a programming language that values memory safety.")
    assert any(f.subject == "Rust" and f.object.startswith("a programming language")
               for f in definitions)  # fmt: skip


def test_a_power_the_law_would_give(nlp: Language) -> None:
    sets, _ = read(
        nlp,
        "The Water Quality Act would give Ofwat the power to fine companies that pollute rivers.",
    )
    powers = [f for f in sets if f.kind == FactKind.POWER]
    assert powers and powers[0].subject == "Ofwat"
    assert powers[0].object.startswith("fine companies")
    assert powers[0].relation == "Water Quality Act"
