"""Crediting quotes: each sieve finds the speaker a reader would, with the confidence its
evidence deserves, and never credits the addressee, a name inside the quote, an adverb, a
nationality or a place.

The texts are written for these tests; the real small English pipeline parses them.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from quizapp.core.facts import ATTRIBUTION_THRESHOLD, Entity, EntityType, Fact
from quizapp.core.reading.attribution import attribute_quotes
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.quotes import find_quotes
from quizapp.core.reading.structure import parse_article

HEADLINE = "Harbour town argues over its old pier"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def attribute(nlp: Language, *paragraphs: str) -> tuple[list[Fact], list[Entity]]:
    parsed = parse_article("\n\n".join((HEADLINE, *paragraphs)), nlp)
    facts, speakers = attribute_quotes(parsed, find_entities(parsed), find_quotes(parsed))
    sentences = set(parsed.sentence_texts())
    assert all(f.evidence in sentences and 0.0 <= f.confidence <= 1.0 for f in facts)
    return facts, speakers


def said(nlp: Language, *paragraphs: str) -> dict[str, tuple[str, float]]:
    """Quoted words -> (speaker, confidence)."""
    return {f.object: (f.subject, f.confidence) for f in attribute(nlp, *paragraphs)[0]}


def test_the_subject_of_the_speech_verb_said_it(nlp: Language) -> None:
    facts, _ = attribute(nlp, 'Mayor Ruth Okafor said, "We will rebuild the pier by summer."')
    (fact,) = facts
    assert (fact.subject, fact.object) == ("Ruth Okafor", "We will rebuild the pier by summer.")
    assert fact.evidence == 'Mayor Ruth Okafor said, "We will rebuild the pier by summer."'
    assert fact.relation == "" and fact.confidence >= 0.9


def test_an_inverted_attribution_after_the_quote(nlp: Language) -> None:
    quotes = said(
        nlp,
        '"The timbers are rotten through," said Tom Bryce, the harbour master of Westmouth.',
    )
    assert quotes == {"The timbers are rotten through": ("Tom Bryce", 0.9)}


def test_a_colon_introduction_credits_the_speaker_not_the_addressee(nlp: Language) -> None:
    quotes = said(nlp, 'Ruth Okafor told the Westmouth Gazette: "The decision is final."')
    assert quotes["The decision is final."][0] == "Ruth Okafor"
    assert quotes["The decision is final."][1] >= 0.9


def test_a_split_quote_is_two_quotes_of_one_speaker(nlp: Language) -> None:
    quotes = said(nlp, '"We are ready," wrote Tom Bryce, "to repair the pier ourselves."')
    assert quotes["We are ready"][0] == quotes["to repair the pier ourselves."][0] == "Tom Bryce"


def test_a_quote_first_with_the_speaker_in_the_next_sentence(nlp: Language) -> None:
    quotes = said(
        nlp, "The pier shut on Monday.", "“This is a sad day for the town!” Ruth Okafor wrote."
    )
    assert quotes["This is a sad day for the town!"][0] == "Ruth Okafor"


def test_reported_speech_is_a_clause_with_the_speaker_not_the_addressee(nlp: Language) -> None:
    facts, _ = attribute(nlp, "The Westmouth Rowing Club told the BBC it is supporting the plan.")
    (fact,) = facts
    assert (fact.subject, fact.object) == ("Westmouth Rowing Club", "it is supporting the plan")
    assert fact.relation == "reported"


def test_according_to_names_the_speaker(nlp: Language) -> None:
    quotes = said(nlp, "According to Ruth Okafor, repairs would cost more than a new pier.")
    assert quotes == {"repairs would cost more than a new pier": ("Ruth Okafor", 0.9)}


def test_a_name_inside_the_quote_is_never_the_speaker(nlp: Language) -> None:
    quotes = said(nlp, 'Ruth Okafor said: "Tom Bryce is wrong about the timbers."')
    assert quotes["Tom Bryce is wrong about the timbers."][0] == "Ruth Okafor"


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker(nlp: Language) -> None:
    quotes = said(
        nlp,
        'Tom Bryce, the harbour master, said: "The timbers are rotten through.',
        '"Nobody should walk on that pier again, and I will not let them."',
    )
    speaker, confidence = quotes["Nobody should walk on that pier again, and I will not let them."]
    assert speaker == "Tom Bryce" and 0.6 <= confidence <= 0.85


def test_the_sentences_of_a_long_quote_are_each_a_fact(nlp: Language) -> None:
    quotes = said(
        nlp,
        'Ruth Okafor said, "The pier is finished. Nobody will pay for its repair. We move on."',
    )
    assert [q for q, (s, _) in quotes.items() if s == "Ruth Okafor"] == [
        "The pier is finished.",
        "Nobody will pay for its repair.",
    ]  # "We move on." is too short to stand on its own


def test_a_quote_without_attribution_takes_the_speaker_of_the_sentence_before(
    nlp: Language,
) -> None:
    quotes = said(
        nlp,
        "Tom Bryce warned that the timbers were rotten. "
        '"Nobody should walk on that pier again, not even the gulls."',
    )
    assert quotes["Nobody should walk on that pier again, not even the gulls."][0] == "Tom Bryce"


def test_he_and_she_go_to_the_most_recent_person_of_that_sex(nlp: Language) -> None:
    quotes = said(
        nlp,
        "Ms Okafor and Mr Bryce met on the pier on Monday.",
        'She said, "The council has made up its mind about the pier."',
    )
    assert quotes["The council has made up its mind about the pier."] == ("Okafor", 0.7)


def test_he_is_the_most_recent_subject(nlp: Language) -> None:
    quotes = said(
        nlp,
        "Ruth Okafor opened the meeting. Tom Bryce won the vote for the harbour board.",
        'He said, "We will look after the pier ourselves from now on."',
    )
    assert quotes["We will look after the pier ourselves from now on."] == ("Tom Bryce", 0.7)


def test_it_is_an_organisation(nlp: Language) -> None:
    quotes = said(
        nlp,
        "Ruth Okafor wrote to the Westmouth Rowing Club in May.",
        "It said the pier was unsafe for its members.",
    )
    assert quotes["the pier was unsafe for its members"] == ("Westmouth Rowing Club", 0.7)


def test_a_description_goes_to_the_entity_given_that_role(nlp: Language) -> None:
    quotes = said(
        nlp,
        "Harbour master Tom Bryce inspected the pier with the mayor, Ruth Okafor.",
        'The harbour master said, "The timbers are rotten through and through."',
    )
    assert quotes["The timbers are rotten through and through."] == ("Tom Bryce", 0.65)


def test_an_apposition_names_the_speaker_a_description_stands_for(nlp: Language) -> None:
    quotes = said(
        nlp,
        'The club\'s president, Ruth Okafor, said the rowers "will not give up the pier".',
    )
    assert quotes["will not give up the pier"][0] == "Ruth Okafor"


def test_an_unnamed_speaker_is_named_as_the_article_names_them(nlp: Language) -> None:
    facts, speakers = attribute(
        nlp,
        "A council spokesperson said the pier would close in May.",
        'One fisherman wrote on a forum, "We were never asked about any of this."',
    )
    assert {f.subject for f in facts} == {"a council spokesperson", "one fisherman"}
    assert Entity("a council spokesperson", EntityType.PERSON) in speakers
    assert all(f.confidence >= ATTRIBUTION_THRESHOLD for f in facts)


def test_a_document_speaks_as_written_and_not_for_whoever_saw_it(nlp: Language) -> None:
    facts, speakers = attribute(
        nlp, 'A leaked letter seen by the Westmouth Gazette says "the pier cannot be saved".'
    )
    (fact,) = facts
    assert (fact.subject, fact.object) == ("a leaked letter", "the pier cannot be saved")
    assert speakers == [Entity("a leaked letter", EntityType.OTHER)]


def test_a_document_speaks_for_its_owner(nlp: Language) -> None:
    quotes = said(
        nlp,
        "The Westmouth Rowing Club released a statement which read, "
        '"Our members will keep rowing from the beach."',
        'The Harbour Trust\'s letter claimed "the pier was sold in 1990".',
    )
    assert quotes["Our members will keep rowing from the beach."][0] == "Westmouth Rowing Club"
    assert quotes["the pier was sold in 1990"][0] == "Harbour Trust"


def test_a_block_quote_signed_by_a_dash_line(nlp: Language) -> None:
    quotes = said(
        nlp,
        "The Westmouth Harbour Tribunal sat on Friday. In its finding, it set out its reasons:",
        "A public pier may not be closed by the council without a hearing.",
        "– Westmouth Harbour Tribunal",
    )
    words = "A public pier may not be closed by the council without a hearing."
    assert quotes[words] == ("Westmouth Harbour Tribunal", 0.9)


def test_adverbs_nationalities_and_places_never_speak(nlp: Language) -> None:
    quotes = said(
        nlp,
        "Separately, residents of Westmouth said the pier should stay open.",
        'In Westmouth, British fishermen said, "We want our pier back."',
    )
    speakers = {speaker for speaker, _ in quotes.values()}
    assert speakers <= {"residents of Westmouth", "British fishermen"}
    assert quotes["the pier should stay open"][0] == "residents of Westmouth"


def test_a_quote_nobody_is_shown_saying_is_left_out(nlp: Language) -> None:
    facts, _ = attribute(nlp, 'The pier, a "Victorian marvel", is closed.')
    assert facts == []


def test_a_block_quote_after_a_speech_verb_and_a_colon(nlp: Language) -> None:
    quotes = said(
        nlp,
        "The Harbour Trust's statement read:",
        "The pier will close on 1 May. Boats may use the new landing stage from June.",
    )
    assert quotes["The pier will close on 1 May."][0] == "Harbour Trust"
    assert quotes["Boats may use the new landing stage from June."][0] == "Harbour Trust"


def test_the_recipient_of_a_letter_is_not_its_author(nlp: Language) -> None:
    quotes = said(
        nlp, 'A letter to the minister from Ruth Okafor says "the pier must be saved at any cost".'
    )
    assert quotes["the pier must be saved at any cost"][0] == "Ruth Okafor"


def test_adding_is_said_by_the_speaker_not_by_the_clause_it_follows(nlp: Language) -> None:
    quotes = said(
        nlp,
        "Hannah Webb, a spokeswoman for the ferry operator Tidewell, said the firm regretted"
        ' the closure, adding: "Our offer remains on the table."',
        "The company said in a statement that talks would resume on Monday.",
    )
    assert quotes["Our offer remains on the table."][0] == "Hannah Webb"
    assert quotes["talks would resume on Monday"] == ("Tidewell", 0.65)
