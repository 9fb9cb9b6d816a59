"""Finding quotations: every quote-mark style a pasted article may use, quotes that run over
paragraphs, introduced by a colon, set as a block, left unclosed, partial, or reported without
marks; and in time proportional to the text, whatever it holds.

The texts are written for these tests; the real small English pipeline parses them.
"""

from __future__ import annotations

import time

import pytest
from spacy.language import Language

from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.quotes import Quote, QuoteKind, find_quotes
from quizapp.core.reading.structure import parse_article

HEADLINE = "Harbour town argues over its old pier"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def quotes_of(nlp: Language, *paragraphs: str) -> list[Quote]:
    return find_quotes(parse_article("\n\n".join((HEADLINE, *paragraphs)), nlp))


def texts(quotes: list[Quote], kind: QuoteKind | None = None) -> list[str]:
    return [q.text for q in quotes if kind is None or q.kind == kind]


@pytest.mark.parametrize(
    "sentence",
    [
        'The mayor said, "We will rebuild the pier before the summer."',
        "The mayor said, “We will rebuild the pier before the summer.”",
        'The mayor said, “We will rebuild the pier before the summer."',  # mixed
        "The mayor said, \"We will rebuild the pier before the summer.''",  # '' closing
        "The mayor said, “We will rebuild the pier before the summer.’’",
        "The mayor said, « We will rebuild the pier before the summer. »",
        "The mayor said, ‘We will rebuild the pier before the summer.’",
    ],
)
def test_every_quote_mark_style_gives_the_same_words(nlp: Language, sentence: str) -> None:
    quotes = quotes_of(nlp, sentence)
    assert texts(quotes) == ["We will rebuild the pier before the summer."]
    assert quotes[0].kind == QuoteKind.DIRECT and quotes[0].closed


def test_apostrophes_are_never_quote_marks(nlp: Language) -> None:
    quotes = quotes_of(
        nlp,
        "The fishermen’s union says it won’t accept the plan, and the skippers' wives agree.",
        "Rowers from the ’90s crew don't mind.",
    )
    assert not [q for q in quotes if q.kind != QuoteKind.REPORTED]


def test_single_curly_marks_make_a_partial_quote_inside_reported_speech(nlp: Language) -> None:
    quotes = quotes_of(nlp, "Campaigners called the closure ‘an act of civic vandalism’ on Monday.")
    assert texts(quotes) == ["an act of civic vandalism"]
    assert quotes[0].kind == QuoteKind.PARTIAL


def test_a_quote_left_open_runs_on_into_the_paragraph_that_reopens_it(nlp: Language) -> None:
    quotes = quotes_of(
        nlp,
        'The harbour master, Tom Bryce, said: "The timbers are rotten through.',
        '"Nobody should walk on that pier again."',
        "The council meets in March.",
    )
    first, second = quotes
    assert first.text == "The timbers are rotten through." and not first.closed
    assert second.text == "Nobody should walk on that pier again." and second.continues
    assert (first.paragraph, second.paragraph) == (0, 1)


def test_an_unclosed_quote_ends_with_its_paragraph(nlp: Language) -> None:
    quotes = quotes_of(
        nlp, 'Ruth Okafor said, "The pier is finished. Nobody will pay for it.', "Repairs stopped."
    )
    assert texts(quotes) == ["The pier is finished. Nobody will pay for it."]
    assert not quotes[0].closed and quotes[0].last_sentence == quotes[0].sentence + 1


def test_a_new_opening_mark_closes_a_quote_never_closed(nlp: Language) -> None:
    quotes = quotes_of(nlp, '"We tried everything. She added, "It is over now.')
    assert texts(quotes) == ["We tried everything.", "It is over now."]


def test_a_closing_mark_typed_after_a_space_still_closes(nlp: Language) -> None:
    quotes = quotes_of(nlp, 'Bryce told the paper, "The pier is lost. "Some locals disagree.')
    assert texts(quotes) == ["The pier is lost."]


def test_a_colon_introduces_a_quote_and_a_block_quote_is_a_whole_paragraph(
    nlp: Language,
) -> None:
    quotes = quotes_of(
        nlp,
        'A council spokesperson said: "The decision is final."',
        "The council's statement read:",
        "The pier will close on 1 May. Boats may use the new landing stage from June.",
        "Skippers were not consulted.",
    )
    assert texts(quotes, QuoteKind.DIRECT)[0] == "The decision is final."
    block = next(q for q in quotes if q.block)
    assert block.text.startswith("The pier will close on 1 May.")
    assert block.last_sentence == block.sentence + 1


def test_a_block_quote_can_be_signed_by_a_dash_line(nlp: Language) -> None:
    quotes = quotes_of(
        nlp,
        "In its finding, the tribunal set out its reasons:",
        "The harbour authority may not close a public pier without a hearing.",
        "– Westmouth Harbour Tribunal",
    )
    assert [q.text for q in quotes if q.block] == [
        "The harbour authority may not close a public pier without a hearing."
    ]


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        (
            "The rowing club told the Gazette it is supporting the move.",
            "it is supporting the move",
        ),
        ("Mayor Ruth Okafor said that the pier would close in May.", "the pier would close in May"),
        (
            "According to the harbour board, repairs would cost £2.4 million.",
            "repairs would cost £2.4 million",
        ),
        (
            "Repairs would cost £2.4 million, according to the harbour board.",
            "Repairs would cost £2.4 million",
        ),
        ("The pier cannot be saved, the report added.", "The pier cannot be saved"),
    ],
)
def test_reported_speech_is_the_clause_that_reads_well_after_that(
    nlp: Language, sentence: str, words: str
) -> None:
    reported = [q for q in quotes_of(nlp, sentence) if q.kind == QuoteKind.REPORTED]
    assert [q.text for q in reported] == [words]
    assert reported[0].cue is not None


def test_no_reported_speech_without_a_clause_of_its_own(nlp: Language) -> None:
    quotes = quotes_of(
        nlp,
        "The mayor talked about the pier for an hour.",
        "Wikis reached out to the harbour master, however Bryce said he had no comment.",
    )
    assert texts(quotes) == ["he had no comment"]


def test_a_title_in_marks_is_no_direct_quote(nlp: Language) -> None:
    quotes = quotes_of(nlp, 'The court ruled on "Westmouth Council vs. Harbour Trust Limited".')
    assert [q.kind for q in quotes] == [QuoteKind.PARTIAL]


def test_quotes_know_their_sentence_and_characters(nlp: Language) -> None:
    parsed = parse_article(
        f'{HEADLINE}\n\nThe pier opened in 1884. Okafor said, "It must stay open."', nlp
    )
    (quote,) = find_quotes(parsed)
    doc = parsed.paragraphs[quote.paragraph]
    assert quote.sentence == 1 == quote.last_sentence
    assert doc.text[quote.start : quote.end] == quote.text == "It must stay open."
    assert quote.tokens(doc).text == "It must stay open."


@pytest.mark.parametrize(
    "paragraph",
    ['"' * 20_000, '"a' * 10_000, "‘a’" * 7_000, "end-to-end-" * 2_000, "it's 'a b " * 2_000],
)
def test_finding_quotes_is_linear_in_the_text(nlp: Language, paragraph: str) -> None:
    parsed = parse_article(f"{HEADLINE}\n\n{paragraph}", nlp)
    start = time.perf_counter()
    find_quotes(parsed)
    assert time.perf_counter() - start < 1.0
