"""Entities from the parse: types corrected by what the text says, aliases, non-names."""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.facts import EntityType
from quizapp.core.reading.entities import Entities, find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.pipeline import read_article
from quizapp.core.reading.structure import parse_article


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def entities_of(nlp: Language, text: str) -> Entities:
    return find_entities(parse_article(text, nlp))


def test_surname_and_title_forms_are_one_person(nlp: Language) -> None:
    found = entities_of(
        nlp,
        "Harbour minister Petra Lindqvist opened the new ferry terminal on Monday.\n"
        "Ms Lindqvist said the terminal would halve waiting times.\n"
        "Lindqvist added that tickets would stay cheap.",
    )
    person = found.get("Petra Lindqvist")
    assert person is not None and person.type == EntityType.PERSON
    assert "Lindqvist" in person.aliases
    assert found.get("Lindqvist") is person
    assert {m.name for m in found.mentions} >= {"Petra Lindqvist"}
    assert sum(m.name == "Petra Lindqvist" for m in found.mentions) >= 3


def test_acronym_in_brackets_is_an_alias_of_its_expansion(nlp: Language) -> None:
    found = entities_of(
        nlp,
        "The Northern Rivers Water Authority (NRWA) raised its prices.\n"
        "The NRWA said the rise was needed to repair old pipes.",
    )
    authority = found.get("NRWA")
    assert authority is not None
    assert authority.name == "Northern Rivers Water Authority"


def test_lower_case_term_with_acronym_becomes_a_term(nlp: Language) -> None:
    found = entities_of(
        nlp,
        "The site was knocked offline by a distributed denial of service (DDoS) attack.\n"
        "Engineers said the DDoS lasted six hours.",
    )
    term = found.get("DDoS")
    assert term is not None
    assert term.name == "distributed denial of service"
    assert term.type == EntityType.TERM


def test_camel_case_brand_is_found_even_when_the_model_misses_it(nlp: Language) -> None:
    found = entities_of(nlp, "Customers can pay with services like PayPal and iWallet.")
    assert found.get("iWallet") is not None


def test_sentence_adverb_is_not_a_name(nlp: Language) -> None:
    found = entities_of(
        nlp, "Separately, the council approved a new bus lane on King Street last week."
    )
    assert found.get("Separately") is None


def test_lookups_are_indexed_not_scanned(nlp: Language) -> None:
    """Thousands of different names must not make reading quadratic: build one big article
    and check every surname still resolves to its own person."""
    first = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo"]
    last = [f"Surname{chr(65 + i)}{chr(65 + j)}" for i in range(8) for j in range(8)]
    lines = [f"{f} {s} joined the club." for f, s in zip(first * 8, last, strict=True)]
    found = entities_of(nlp, "\n".join(lines))
    people = [e for e in found.entities if e.type == EntityType.PERSON and " " in e.name]
    assert len(people) > 20
    for person in people:
        assert found.get(person.name.split()[-1]) is person


def test_a_town_after_an_organisation_is_a_place(nlp: Language) -> None:
    found = entities_of(
        nlp,
        "She was speaking at a meeting at Anglia Ruskin University Chelmsford about safety.",
    )
    town = found.get("Chelmsford")
    assert town is not None and town.type == EntityType.PLACE


def test_a_comma_inside_a_tagged_name_separates_two_names(nlp: Language) -> None:
    """The small model sometimes tags "Fort Peck, Blackfeet Nation" as one name; whatever it
    tags here, no name may hold a comma."""
    found = entities_of(
        nlp,
        "The plaintiffs were the Stone River Tribes of Fort Callan, Redwater Nation and"
        " the Green Valley Band.",
    )
    assert all("," not in e.name for e in found.entities)


def test_capitals_after_a_time_are_its_unit(nlp: Language) -> None:
    found = entities_of(nlp, "The site was back online by 15:40 GMT on Tuesday.")
    assert found.get("GMT") is None


def test_a_name_that_only_says_what_kind_of_thing_is_no_organisation(nlp: Language) -> None:
    found = entities_of(
        nlp,
        "Files released after Freedom of Information requests show the council met the"
        " builder twice.",
    )
    kind = found.get("Freedom of Information")
    assert kind is not None and kind.type == EntityType.OTHER


def test_a_name_in_brackets_after_an_organisation_is_that_organisation(nlp: Language) -> None:
    found = entities_of(
        nlp,
        "The Supreme Court of Justice (Hoge Raad) of the Netherlands heard the case.",
    )
    court = found.get("Hoge Raad")
    assert court is not None and court.type == EntityType.ORGANISATION


def test_a_surname_shared_by_two_people_stands_for_neither(nlp: Language) -> None:
    """With Ann Smith and Tom Smith in one story, "Mr Smith" names neither of them."""
    facts = read_article(
        "Ann Smith met Tom Smith at the town hall on Monday. Later Ann Smith spoke to reporters.",
        nlp=nlp,
    ).facts
    smiths = [e for e in facts.entities if e.name.endswith("Smith")]
    assert smiths and all("Smith" not in e.aliases for e in smiths)


def test_a_one_word_name_is_a_person_only_with_a_persons_evidence(nlp: Language) -> None:
    """Product and site names the small model takes for people ("Git", "Torrent") are not
    offered as people; one who speaks or has a title stays a person."""
    facts = read_article(
        "Users moved the code to Gitlab and Torrent sites after the ban. "
        'Sergey said, "We will not give up." Dr Okafor agreed with him.',
        nlp=nlp,
    ).facts
    people = set(facts.names_of_type(EntityType.PERSON))
    assert "Sergey" in people
    assert not {"Gitlab", "Torrent"} & people


def test_a_surname_that_also_names_a_thing_is_no_alias(nlp: Language) -> None:
    """In a story about "the Ortega factory" and its founder Luis Ortega, "Ortega" alone may
    be the factory, so it does not stand for him."""
    facts = read_article(
        "Luis Ortega founded the factory in 1980. Workers took over the Ortega factory in 2001.",
        nlp=nlp,
    ).facts
    founder = facts.entity("Luis Ortega")
    assert founder is not None and "Ortega" not in founder.aliases
