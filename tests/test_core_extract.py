"""Fact extraction: recall against curated facts, and each reading pattern on small sentences."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.core.evaluation import match_facts
from quizapp.core.extract import extract_facts
from quizapp.core.facts import (
    ArticleFacts,
    Entity,
    EntityType,
    Fact,
    FactKind,
    facts_to_dict,
    load_facts_file,
)
from quizapp.core.text import split_sentences

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    "seed": ROOT / "seeds" / "meta_e2ee_article",
    "apple_scanning": ROOT / "tests" / "articles" / "apple_scanning",
    "eu_chat_control": ROOT / "tests" / "articles" / "eu_chat_control",
    "uk_encryption_exit": ROOT / "tests" / "articles" / "uk_encryption_exit",
    "australia_access_law": ROOT / "tests" / "articles" / "australia_access_law",
}


def _article(stem: Path) -> tuple[str, ArticleFacts]:
    text = stem.with_suffix(".txt").read_text(encoding="utf-8")
    data = json.loads(stem.with_suffix(".facts.json").read_text(encoding="utf-8"))
    return text, load_facts_file(data, split_sentences(text))


def _of(facts: ArticleFacts, kind: FactKind) -> set[tuple[str, str]]:
    return {(f.subject, f.object) for f in facts.of_kind(kind)}


# --- measured against curated facts ---------------------------------------------------------


@pytest.mark.parametrize("name", list(ARTICLES))
def test_recall_against_curated_facts(name: str) -> None:
    text, expected = _article(ARTICLES[name])
    result = match_facts(expected, extract_facts(text))
    print(f"\n{name}: {result.summary()}")
    missed = [(f.kind, f.subject, f.object) for f in result.missed]
    assert result.recall >= 0.90, f"missed: {missed}"


@pytest.mark.parametrize("name", list(ARTICLES))
def test_every_evidence_is_a_sentence_verbatim(name: str) -> None:
    text, _ = _article(ARTICLES[name])
    sentences = set(split_sentences(text))
    facts = extract_facts(text)
    assert facts.facts
    assert all(f.evidence in sentences for f in facts.facts)


def test_extracted_facts_survive_the_facts_file_round_trip() -> None:
    text, _ = _article(ARTICLES["seed"])
    facts = extract_facts(text, title="T", source="S")
    reloaded = load_facts_file(facts_to_dict(facts), split_sentences(text))
    assert reloaded.facts == facts.facts
    assert reloaded.sides == facts.sides
    assert (reloaded.title, reloaded.source) == ("T", "S")


def test_same_input_gives_identical_output() -> None:
    text, _ = _article(ARTICLES["seed"])
    assert extract_facts(text) == extract_facts(text)


def test_output_does_not_depend_on_hash_randomisation() -> None:
    """Set iteration order changes between processes; nothing extracted may follow it."""
    script = (
        "import json, sys; from quizapp.core.extract import extract_facts;"
        "from quizapp.core.facts import facts_to_dict;"
        "print(json.dumps(facts_to_dict(extract_facts(sys.stdin.read()))))"
    )
    text = ARTICLES["seed"].with_suffix(".txt").read_text(encoding="utf-8")
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


# --- the matching rule itself ---------------------------------------------------------------


def _facts(*facts: Fact, entities: tuple[Entity, ...] = ()) -> ArticleFacts:
    return ArticleFacts(entities=entities, facts=facts)


def test_matching_maps_subjects_through_aliases_and_pairs_one_to_one() -> None:
    sentence = "The government asserts that scanning is possible."
    expected = _facts(
        Fact(FactKind.STANCE, "UK government", "against", sentence),
        Fact(FactKind.STANCE, "UK government", "against", sentence),
        entities=(Entity("UK government", EntityType.ORGANISATION, ("The government",)),),
    )
    found = _facts(Fact(FactKind.STANCE, "the government", "against", sentence))
    result = match_facts(expected, found)
    assert (result.matched, result.recall, result.precision) == (1, 0.5, 1.0)


def test_matching_needs_same_kind_evidence_and_overlapping_object() -> None:
    sentence = "Each month, the firm reports and removes millions of pictures."
    expected = _facts(Fact(FactKind.NUMBER, "Meta", "millions of pictures", sentence))
    assert match_facts(
        expected, _facts(Fact(FactKind.NUMBER, "Meta", "Millions", sentence))
    ).matched
    for wrong in (
        Fact(FactKind.QUOTE, "Meta", "millions of pictures", sentence),
        Fact(FactKind.NUMBER, "Meta", "millions of pictures", "Another sentence."),
        Fact(FactKind.NUMBER, "Meta", "thousands", sentence),
        Fact(FactKind.NUMBER, "Apple", "millions of pictures", sentence),
    ):
        assert not match_facts(expected, _facts(wrong)).matched, wrong


# --- quotes and who said them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "words"),
    [
        ('Jane Doe said: "We will not comply."', "Jane Doe", "We will not comply."),
        ("\u201cWe will not comply,\u201d said Jane Doe.", "Jane Doe", "We will not comply"),
        ("\u201cWe will not comply,\u201d Jane Doe said.", "Jane Doe", "We will not comply"),
        ('Jane Doe stated: "Nobody asked us.', "Jane Doe", "Nobody asked us."),
        ("Apps are safe, according to Jane Doe.", "Jane Doe", "Apps are safe"),
        ("According to Signal, scanning is unsafe.", "Signal", "scanning is unsafe"),
        ("Signal warned the BBC that it would leave.", "Signal", "it would leave"),
        ("Signal told the BBC that it would leave.", "Signal", "it would leave"),
        ("Signal claimed that it would leave.", "Signal", "it would leave"),
        ("Signal declared that it would leave.", "Signal", "it would leave"),
        ("According to many IT experts, scanning is unsafe.", "IT experts", "scanning is unsafe"),
        ('Critics call it "a door that does not exist" and worse.', None, None),
        (
            "According to data obtained through Freedom of Information requests, Apple met Ofcom.",
            None,
            None,
        ),
        (
            'The minister said the plan was "a remarkable choice" for Meta.',
            None,  # "the minister" names no one the article introduced
            None,
        ),
    ],
)
def test_quote_forms(text: str, speaker: str | None, words: str | None) -> None:
    quotes = extract_facts(text).of_kind(FactKind.QUOTE)
    if speaker is None:
        assert quotes == []
    else:
        assert (speaker, words) in {(f.subject, f.object) for f in quotes}
        assert all(f.evidence == text for f in quotes)


def test_quoted_fragment_inside_a_sentence_is_the_quote() -> None:
    text = 'Predators might "operate with impunity", according to security minister Tom Tugendhat.'
    assert _of(extract_facts(text), FactKind.QUOTE) == {("Tom Tugendhat", "operate with impunity")}


def test_pronouns_and_the_company_resolve_to_the_last_named_actor() -> None:
    text = (
        'Jane Doe, the chief executive of Acme Foundation, said: "This matters.\n'
        'She added that "nobody is safe".\n'
        "Signal said it would not change its app.\n"
        "The company said privacy comes first.\n"
        'According to her, the law is "a mass surveillance apparatus".'
    )
    quotes = _of(extract_facts(text), FactKind.QUOTE)
    assert ("Jane Doe", "nobody is safe") in quotes
    assert ("Signal", "privacy comes first") in quotes
    assert ("Jane Doe", "a mass surveillance apparatus") in quotes


def test_a_speakerless_quote_paragraph_continues_the_last_speaker() -> None:
    text = 'Jane Doe stated: "We will leave.\n"We mean it."'
    assert ("Jane Doe", "We mean it.") in _of(extract_facts(text), FactKind.QUOTE)


def test_the_statement_added_closes_reported_speech() -> None:
    text = (
        "According to Meta, apps keep people safe.\n"
        "We take this seriously and act on every report, the statement added."
    )
    quotes = _of(extract_facts(text), FactKind.QUOTE)
    assert ("Meta", "We take this seriously and act on every report") in quotes


# --- roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "holder", "role", "organisation"),
    [
        (
            "It was confirmed by security minister Tom Tugendhat.",
            "Tom Tugendhat",
            "security minister",
            "",
        ),
        ("The CEO of Meta, Mark Zuckerberg, spoke.", "Mark Zuckerberg", "CEO of Meta", "Meta"),
        (
            '"No," said Ciaran Martin, the former director of the National Cyber Security Centre.',
            "Ciaran Martin",
            "former director of the National Cyber Security Centre",
            "National Cyber Security Centre",
        ),
        (
            "Ofcom, the communications regulator, said it would consult.",
            "Ofcom",
            "communications regulator",
            "",
        ),
        (
            "Facebook's parent company Meta said it would act.",
            "Meta",
            "parent company of Facebook",
            "Facebook",
        ),
        ("WhatsApp, which Meta owns, grew.", "Meta", "owner of WhatsApp", "WhatsApp"),
        (
            "Since 2022, Jane Doe has served as minister of security.",
            "Jane Doe",
            "minister of security",
            "",
        ),
        ("Security minister Dan Jarvis said no.", "Dan Jarvis", "security minister", ""),
        (
            "Matthew Green, a cryptographer at Johns Hopkins University, said no.",
            "Matthew Green",
            "cryptographer at Johns Hopkins University",
            "Johns Hopkins University",
        ),
    ],
)
def test_role_forms(text: str, holder: str, role: str, organisation: str) -> None:
    roles = extract_facts(text).of_kind(FactKind.ROLE)
    assert (holder, role, organisation) in {(f.subject, f.object, f.relation) for f in roles}


def test_a_capitalised_title_is_a_role_not_part_of_the_name() -> None:
    facts = extract_facts(
        "Home Affairs Minister Peter Dutton said the powers were needed.\n"
        "Mr Dutton told parliament that companies must help."
    )
    assert ("Peter Dutton", "Home Affairs Minister") in _of(facts, FactKind.ROLE)
    assert {s for s, _ in _of(facts, FactKind.QUOTE)} == {"Peter Dutton"}


def test_names_with_apostrophes_are_people() -> None:
    facts = extract_facts(
        '"It is a blueprint," said Lizzie O\u2019Shea, the chair of Rights Watch.'
    )
    assert facts.entity_type("Lizzie O\u2019Shea") == EntityType.PERSON
    assert ("Lizzie O\u2019Shea", "chair of Rights Watch") in _of(facts, FactKind.ROLE)


def test_the_organisations_president_resolves_to_the_organisation_in_context() -> None:
    text = (
        "In February, Signal warned the BBC that it would walk away from the UK.\n"
        "The organization's president, Meredith Whittaker, spoke on the radio."
    )
    roles = extract_facts(text).of_kind(FactKind.ROLE)
    assert [(f.subject, f.object, f.relation) for f in roles] == [
        ("Meredith Whittaker", "president of Signal", "Signal")
    ]


def test_roles_type_their_holders() -> None:
    facts = extract_facts(
        "The Online Safety Bill would give the communication regulator Ofcom new powers.\n"
        "Security minister Dan Jarvis said no."
    )
    assert facts.entity_type("Ofcom") == EntityType.REGULATOR
    assert facts.entity_type("Dan Jarvis") == EntityType.PERSON
    assert facts.entity_type("Online Safety Bill") == EntityType.LAW


# --- sets named in a list -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The technology is used by applications like Signal, WhatsApp, and Apple's iMessage.",
        "The technology is used by applications like Signal, WhatsApp and Apple's iMessage.",
        "Apps such as Signal, WhatsApp or iMessage use end-to-end encryption.",
    ],
)
def test_lists_with_and_without_the_serial_comma(text: str) -> None:
    article = "End-to-end encryption (E2EE) stops anyone else reading messages.\n" + text
    members = extract_facts(article).of_kind(FactKind.MEMBER)
    assert {(f.subject, f.object, f.relation) for f in members} == {
        ("apps", app, "uses end-to-end encryption") for app in ("Signal", "WhatsApp", "iMessage")
    }


def test_a_list_outside_the_encryption_context_keeps_its_own_name() -> None:
    members = extract_facts("Many messaging services, including Signal and WhatsApp, agreed.")
    relations = {f.relation for f in members.of_kind(FactKind.MEMBER)}
    assert relations == {"messaging services"}


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        (
            "Apps such as TikTok, Snapchat, and Instagram are the most used by pupils, according"
            " to a survey.",
            "is one of the apps that are the most used by pupils",
        ),
        (
            "Many messaging services, including Signal and WhatsApp, have already promised to"
            " keep encryption.",
            "is one of the messaging services that have already promised to keep encryption",
        ),
    ],
)
def test_a_list_that_is_its_clauses_subject_says_what_its_members_do(
    text: str, relation: str
) -> None:
    """A question states the relation after a member's name, so it must be a predicate."""
    members = extract_facts(text).of_kind(FactKind.MEMBER)
    assert members
    assert {f.relation for f in members} == {relation}


@pytest.mark.parametrize(
    "text",
    [
        "Pupils using apps such as TikTok and Snapchat are more likely to be bullied.",
        "Banning apps such as TikTok and Snapchat would help pupils focus.",
        '"Apps such as TikTok and Snapchat are harmful," the minister said.',
    ],
)
def test_a_list_in_someone_elses_clause_says_nothing_of_its_members(text: str) -> None:
    """What follows is said of the pupils, the banning or in the minister's words."""
    members = extract_facts(text).of_kind(FactKind.MEMBER)
    assert members
    assert not any(f.relation.startswith("is ") for f in members)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Teachers often use messaging apps like WhatsApp and Signal to talk to parents.",
            "messaging apps",
        ),
        (
            "Chat control would apply to providers such as WhatsApp, Signal and Telegram.",
            "providers",
        ),
    ],
)
def test_a_sets_name_leaves_out_the_clause_around_it(text: str, name: str) -> None:
    members = extract_facts(text).of_kind(FactKind.MEMBER)
    assert members
    assert {f.relation for f in members} == {name}


def test_an_app_using_the_term_is_a_member() -> None:
    article = (
        "End-to-end encryption (E2EE) stops anyone else reading messages.\n"
        "Despite using end-to-end encryption, WhatsApp reported abuse."
    )
    members = extract_facts(article).of_kind(FactKind.MEMBER)
    assert [(f.object, f.relation) for f in members] == [("WhatsApp", "uses end-to-end encryption")]


# --- powers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "holder", "power", "law"),
    [
        (
            "The Online Safety Bill might give the communication regulator Ofcom the authority to"
            " order platforms to scan messages.",
            "Ofcom",
            "order platforms to scan messages",
            "Online Safety Bill",
        ),
        (
            "The Online Safety Act gives Ofcom powers to require companies to use approved tools.",
            "Ofcom",
            "require companies to use approved tools",
            "Online Safety Act",
        ),
        (
            "Under the plan, Ofcom would gain the power to fine platforms.",
            "Ofcom",
            "fine platforms",
            "",
        ),
    ],
)
def test_powers(text: str, holder: str, power: str, law: str) -> None:
    powers = extract_facts(text).of_kind(FactKind.POWER)
    assert [(f.subject, f.object, f.relation) for f in powers] == [(holder, power, law)]


# --- dates and numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject", "value", "unit"),
    [
        (
            "Since September 2022, Jane Doe has served as minister.",
            "Jane Doe",
            "September 2022",
            "date",
        ),
        ("In February, Signal warned the BBC.", "Signal", "February", "month"),
        ("In 2023, Apple threatened to leave.", "Apple", "2023", "year"),
        (
            "WhatsApp received more than a million reports in a single year.",
            "WhatsApp",
            "more than a million",
            "reports",
        ),
        (
            "Apple and the Ofcom team have met four times since April 2022.",
            "Apple and the Ofcom team",
            "four",
            "times",
        ),
        (
            "Apple and the Ofcom team have met four times since April 2022.",
            "Apple and the Ofcom team",
            "April 2022",
            "date",
        ),
        (
            "Each month, Meta reports and removes millions of pictures.",
            "Meta",
            "millions of pictures",
            "pictures",
        ),
        ("WhatsApp has more than two billion users.", "WhatsApp", "more than two billion", "users"),
        ("Signal says 40% of users turned it on.", "Signal", "40%", "percent"),
        ("Signal waited 18 months for an answer.", "Signal", "18", "months"),
    ],
)
def test_numbers_with_what_they_count(text: str, subject: str, value: str, unit: str) -> None:
    numbers = extract_facts(text).of_kind(FactKind.NUMBER)
    assert (subject, value, unit) in {(f.subject, f.object, f.unit) for f in numbers}


def test_numbers_glued_to_names_or_inside_quotes_are_not_counts() -> None:
    facts = extract_facts('Meta spoke on BBC Radio 4 and said it would "100% walk" from PIER23.')
    assert facts.of_kind(FactKind.NUMBER) == []


def test_date_relation_reads_as_the_clause() -> None:
    facts = extract_facts("Since September 2022, Jane Doe has served as minister of security.")
    (fact,) = facts.of_kind(FactKind.NUMBER)
    assert fact.relation == "served as minister of security since"


# --- definitions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "meaning"),
    [
        (
            "End-to-end encryption (E2EE) prevents anyone else from reading it.",
            "End-to-end encryption (E2EE)",
            "prevents anyone else from reading it",
        ),
        (
            "Experts say the only way is client-side scanning software, which would examine"
            " messages before they are sent.",
            "Client-side scanning",
            "software which would examine messages before they are sent",
        ),
        (
            "Client-side scanning is a technique that checks messages on the phone.",
            "Client-side scanning",
            "a technique that checks messages on the phone",
        ),
        (
            "The Online Safety Bill, which is now being debated in Parliament, contains powers.",
            "Online Safety Bill",
            "a bill now being debated in Parliament",
        ),
    ],
)
def test_definitions(text: str, term: str, meaning: str) -> None:
    facts = extract_facts(text)
    assert (term, meaning) in _of(facts, FactKind.DEFINITION)
    assert facts.entity_type(term) in (EntityType.TERM, EntityType.LAW)


# --- stances and the debate -----------------------------------------------------------------


def test_stances_follow_what_each_actor_says_and_criticises() -> None:
    text = (
        "End-to-end encryption (E2EE) stops anyone else reading messages.\n"
        'Jane Doe said predators would "act with impunity".\n'
        "John Roe said the plan was mass surveillance.\n"
        "The Example Commission criticised the campaign.\n"
        "The Example Commission, a data protection authority, said nothing else."
    )
    facts = extract_facts(text)
    assert _of(facts, FactKind.STANCE) == {
        ("Jane Doe", "against"),
        ("John Roe", "for"),
        ("Example Commission", "for"),
    }
    assert [s.key for s in facts.sides] == ["against", "for"]
    assert facts.side_label("for") == "For end-to-end encryption"
    assert "end-to-end encryption" in facts.debate


def test_a_debate_about_a_scanning_measure_flips_the_sides() -> None:
    text = (
        "Client-side scanning, which checks messages on the phone, is at the heart of the law.\n"
        "Jane Doe said the law would end privacy.\n"
        "John Roe said platforms must be able to scan for abuse."
    )
    facts = extract_facts(text)
    assert _of(facts, FactKind.STANCE) == {("Jane Doe", "against"), ("John Roe", "for")}
    assert facts.side_label("for") == "For client-side scanning"


def test_everyone_in_a_list_of_critics_takes_the_side() -> None:
    facts = extract_facts("Atlassian, Google and Apple all criticised the bill before it passed.")
    assert _of(facts, FactKind.STANCE) == {
        ("Atlassian", "for"),
        ("Google", "for"),
        ("Apple", "for"),
    }


def test_the_law_points_back_to_the_last_named_law() -> None:
    facts = extract_facts(
        "Australia's Assistance and Access Act gives police the power to demand help.\n"
        "The law, which was passed in December 2018, was the first of its kind."
    )
    assert ("police", "demand help") in {(f.subject.lower(), f.object) for f in facts.facts}
    numbers = facts.of_kind(FactKind.NUMBER)
    assert [(f.subject, f.object, f.relation) for f in numbers] == [
        ("Assistance and Access Act", "December 2018", "passed in")
    ]


def test_no_stance_without_an_actor_speaking_or_criticising() -> None:
    text = 'The CEO of Meta, Mark Zuckerberg, made the "extraordinary moral choice" to encrypt.'
    facts = extract_facts(text)
    assert facts.of_kind(FactKind.STANCE) == []
    assert (facts.debate, facts.sides) == ("", ())


# --- bad and unusual input ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  \n", "\n\n"])
def test_empty_text_gives_empty_facts(text: str) -> None:
    facts = extract_facts(text)
    assert (facts.facts, facts.entities, facts.sides, facts.debate) == ((), (), (), "")


def test_a_recipe_is_read_without_crashing_or_inventing_a_debate() -> None:
    recipe = (
        "Classic pancakes\n"
        "Mix 200 g of flour with 2 eggs and 300 ml of milk.\n"
        "Heat a pan for 2 minutes, then pour in a ladle of batter.\n"
        "Flip after about 30 seconds. Serves four people!\n"
        "Tip: a pinch of salt (about 1/4 teaspoon) helps."
    )
    facts = extract_facts(recipe)
    assert all(f.evidence in split_sentences(recipe) for f in facts.facts)
    kinds = {f.kind for f in facts.facts}
    assert kinds <= {FactKind.NUMBER}
    assert (facts.debate, facts.sides) == ("", ())


def test_odd_punctuation_and_unbalanced_quotes_do_not_crash() -> None:
    text = '"""\n\u201c\u201d\u201c\nSaid said said.\n(((E2EE))) ,,, according to\nMr. . Dr.'
    facts = extract_facts(text)
    assert all(f.evidence in split_sentences(text) for f in facts.facts)
