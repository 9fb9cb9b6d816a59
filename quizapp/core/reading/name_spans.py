"""Which spans of the parse are names: the parser's named entities, trimmed and cleaned.

A span is kept when the parser tags it as a person, organisation, place, group, law, event or
product and it looks like a name (a capital letter, not a month or a sentence adverb), without
a leading "the", a title or a trailing possessive. A first name the model tagged apart from
its surname is dropped once the full name covers it, a dateline ("LONDON (Reuters) -") is no
name, and camel-case brands the small model leaves untagged ("iMessage") are added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from quizapp.core.facts import EntityType
from quizapp.core.reading.structure import ParsedArticle, Sentence
from quizapp.core.reading.titles import ROLE_HEADS, TITLES, is_title

# The parser's labels that name things, and the type each tag votes for.
TYPE_OF_LABEL = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORGANISATION,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "NORP": EntityType.GROUP,
    "LAW": EntityType.LAW,
    "EVENT": EntityType.EVENT,
    "PRODUCT": EntityType.PRODUCT,
    "WORK_OF_ART": EntityType.PRODUCT,
}
# One name found in one sentence, with the type its tag votes for.
RawName = tuple[Sentence, Span, EntityType]

_NOT_NAMES = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "separately", "meanwhile", "however", "today",
        "yesterday", "tomorrow", "earlier", "later", "additionally", "also", "but", "and",
        "image", "photo", "source", "getty",
    }
)  # fmt: skip


def name_spans(parsed: ParsedArticle) -> list[RawName]:
    raw: list[RawName] = []
    for sentence in parsed.sentences:
        for entity in sentence.ents:
            entity_type = TYPE_OF_LABEL.get(entity.label_)
            if entity_type is None:
                continue
            for span in _split_at_commas(entity):
                trimmed = _trim(_balanced(span))
                if (
                    trimmed is not None
                    and not _is_dateline(trimmed)
                    and not _is_unit(trimmed)
                    and not _inside_longer_name(trimmed, entity.label_)
                ):
                    raw.append((sentence, trimmed, entity_type))
    raw = _outermost(raw)
    raw.extend(_camel_case_names(parsed, raw))
    return raw


def _split_at_commas(span: Span) -> list[Span]:
    """ "Fort Peck, Blackfeet Nation": a comma inside a tagged span separates two names."""
    doc = span.doc
    cuts = [t.i for t in span if t.text == ","]
    if not cuts or span.start in cuts:
        return [span]
    bounds = [span.start, *(c + 1 for c in cuts), span.end + 1]
    return [Span(doc, a, b - 1, label=span.label_) for a, b in pairwise(bounds) if b - 1 > a]


def _balanced(span: Span) -> Span:
    """ "World Health Organization (WHO": the span stops before a bracket or quotation mark
    it does not close, so no choice ever shows half a bracket."""
    doc = span.doc
    depth_open: int | None = None
    for token in span:
        if token.text == "(" and depth_open is None:
            depth_open = token.i
        elif token.text == ")":
            depth_open = None
        elif token.text in ('"', "\u201c", "\u201d", "\u00ab", "\u00bb") and token.i > span.start:
            return doc[span.start : token.i]
    return doc[span.start : depth_open] if depth_open is not None else span


def _inside_longer_name(span: Span, label: str) -> bool:
    """ "Stelle" of "Movimento 5 Stelle", "Education" of "Minister of Education": a tagged
    piece glued to capitalised words the tag left out is part of a longer name, not a name
    a question can offer on its own. (Before a person's name, an untagged first name or a
    title is the person's own, and other steps take it in.)"""
    if span.start == 0:
        return False
    doc = span.doc
    before = doc[span.start - 1]
    two_before = doc[span.start - 2] if span.start > 1 else None
    if label != "PERSON" and _capital(before) and before.pos_ == "PROPN" and not before.ent_type_:
        return not is_title(before)
    if before.like_num and two_before is not None and _capital(two_before):
        return True  # "Movimento 5 Stelle"
    return (
        before.lower_ == "of"
        and two_before is not None
        and _capital(two_before)
        and not two_before.ent_type_
    )  # "Minister of Education": untagged title words before "of"


def _capital(token: Token) -> bool:
    """A capitalised word (or a number) inside a sentence, where only names are capitalised."""
    return (
        not token.is_punct
        and not token.is_sent_start
        and (token.text[:1].isupper() or token.like_num)
        and token.tag_ != "POS"
    )


def _is_unit(span: Span) -> bool:
    """ "15:11 GMT", "10:30 BST": capitals right after a number are its unit, not a name."""
    doc = span.doc
    return (
        len(span) == 1
        and span.text.isupper()
        and span.start > 0
        and any(c.isdigit() for c in doc[span.start - 1].text)
    )


def _trim(span: Span) -> Span | None:
    """The span without a leading "the" or a trailing possessive, if it still looks like a
    name: a capital letter (or "iPhone"-like), not a month, a weekday or a sentence adverb."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].lower_ in ("the", "a", "an")
        or doc[start].is_punct
        or is_title(doc[start])
        or (doc[start].is_sent_start and doc[start].pos_ == "ADJ" and end - start > 1)
    ):
        start += 1  # "Multiple Creative Commons": a sentence's first word is capitalised anyway
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if end <= start:
        return None
    if span.label_ in ("PERSON", "NORP", "GPE"):
        start = _first_name_start(doc, start, end)
    trimmed = doc[start:end]
    text = trimmed.text
    if not (text[0].isupper() or re.match(r"^[a-z][A-Z]", text) or text[0].isdigit()):
        return None
    if all(t.lower_ in _NOT_NAMES or t.is_stop for t in trimmed):
        return None
    word = trimmed[0]
    if len(trimmed) == 1 and word.pos_ in ("ADV", "ADJ", "VERB", "PRON", "SCONJ"):  # noqa: SIM102
        if word.is_sent_start or word.ent_type_ not in ("NORP", "GPE"):
            return None  # "Separately, ...": a sentence adverb the model took for a name
    if "\n" in text or len(text) > 80 or not any(c.isalpha() for c in text):
        return None
    return trimmed


def _outermost(
    raw: list[RawName],
) -> list[RawName]:
    """Spans not inside a longer one: a first name the model tagged on its own ("Esteban")
    is dropped once the surname's span has grown over it."""
    cover: dict[tuple[int, int], int] = {}
    for _, span, _ in raw:
        for i in range(span.start, span.end):
            key = (id(span.doc), i)
            cover[key] = max(cover.get(key, 0), len(span))
    return [r for r in raw if cover[(id(r[1].doc), r[1].start)] == len(r[1])]


def _camel_case_names(parsed: ParsedArticle, raw: list[RawName]) -> Iterator[RawName]:
    """ "iMessage", "eBay": brand names the small model often leaves untagged."""
    covered = {(id(span.doc), i) for _, span, _ in raw for i in range(span.start, span.end)}
    for sentence in parsed.sentences:
        for token in sentence.span:
            if _CAMEL.match(token.text) and (id(token.doc), token.i) not in covered:
                yield sentence, sentence.doc[token.i : token.i + 1], EntityType.PRODUCT


_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][a-z]+[A-Za-z]*$")


def _first_name_start(doc: Doc, start: int, end: int) -> int:
    """ "Enver Solomon" tagged as just "Solomon": a capitalised proper noun compounding the
    name from the left, itself untagged and no title, is the rest of the name."""
    while start > 0:
        before = doc[start - 1]
        if (
            before.pos_ == "PROPN"
            and before.dep_ == "compound"
            and start <= before.head.i < end
            and before.text[:1].isupper()
            and before.is_alpha
            and (not before.ent_type_ or (before.ent_iob_ == "B" and doc[start].ent_iob_ == "B"))
            and before.lemma_.lower() not in ROLE_HEADS
            and not before.lower_.endswith("ist")  # "Scientologist Tom Cruise"
            and before.lower_.rstrip(".") not in TITLES
        ):
            start -= 1
        else:
            break
    return start


def _is_dateline(span: Span) -> bool:
    """ "LONDON (Reuters) -": a place in capitals opening a paragraph names where it was filed."""
    doc = span.doc
    return (
        span.start <= 1
        and span.text.isupper()
        and len(span.text) > 3
        and (span.end < len(doc) and doc[span.end].text in ("-", "\u2014", "\u2013", "(", ","))
    )
