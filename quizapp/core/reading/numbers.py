"""Numbers and dates, read off the parser's numeric entities, with what they count or date.

A number question gaps the number in its own sentence, so the number must be the whole
entity as written ("more than a million", "September 2022"), never part of a token or of a
name ("BBC Radio 4", "Covid-19", "G7"), and never a number that is not a quantity at all (a
phone number to call, a dateline). What it counts comes from the parse: the noun the number
modifies and the verb that noun hangs from ("reports received in a single year"); what a
date dates is the verb phrase it is attached to.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from quizapp.core.facts import Fact, FactKind
from quizapp.core.reading.entities import Entities, main_subject
from quizapp.core.reading.structure import ParsedArticle, Sentence

_UNIT_OF_LABEL = {
    "DATE": "date",
    "TIME": "time",
    "CARDINAL": "count",
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "ORDINAL": "ordinal",
}
_DURATION_WORDS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
)
_CALENDAR = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:spring|summer|autumn|winter)\b",
    re.I,
)
# Verbs after which a number is one to call, not a quantity: "call 111", "dial 999".
_CALL_VERBS = frozenset({"call", "dial", "ring", "phone", "text"})
_MAX_RELATION_WORDS = 9


def find_numbers(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[int, str]] = set()
    for sentence in parsed.sentences:
        if _is_dateline(sentence):
            continue
        for span in sentence.ents:
            unit = _UNIT_OF_LABEL.get(span.label_)
            span = _trim(span)
            if span is not None and unit is not None and _CLOCK.fullmatch(span.text):
                span, unit = _with_time_zone(span), "time"
            if unit is None or span is None or not _is_quantity(span, unit):
                continue
            if (sentence.index, span.text) in seen:
                continue
            seen.add((sentence.index, span.text))
            facts.append(
                Fact(
                    FactKind.NUMBER,
                    main_subject(sentence, entities, span.root) or "",
                    span.text,
                    sentence.text,
                    relation=_what_it_counts(span, unit),
                    unit=_unit(span, unit),
                )
            )
    return facts


_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")
_TIME_ZONE = re.compile(r"[A-Z]{2,4}")


def _with_time_zone(span: Span) -> Span:
    """ "15:11 GMT": a clock time with the zone written after it is one time, whatever the
    model tagged the two as."""
    doc = span.doc
    if span.end < len(doc) and _TIME_ZONE.fullmatch(doc[span.end].text):
        return doc[span.start : span.end + 1]
    return span


def _is_dateline(sentence: Sentence) -> bool:
    """A line that is only a date ("Sunday, October 6, 2019") dates the page, not an event."""
    return all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in sentence.span)


def _trim(span: Span) -> Span | None:
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("the", "about")):
        if doc[start].lower_ == "about":
            break  # "about an hour" says how sure the number is: part of it
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in ("%", ")")):
        end -= 1
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return doc[start:end] if end > start else None


def _is_quantity(span: Span, unit: str) -> bool:
    """False for a number that is part of a name or a phone number, or no number at all."""
    doc = span.doc
    first = doc[span.start]
    if unit == "date" and not (any(t.like_num for t in span) or _CALENDAR.search(span.text)):
        return False  # "a single year", "last week", "each month": no value to ask about
    lone_one = unit in ("count", "ordinal") and len(span) == 1 and first.lower_ == "one"
    if lone_one and first.dep_ not in ("nummod", "quantmod") and first.head.lower_ != "in":
        return False  # "one of the ...", "the one who": a pronoun, not a count
    if unit != "date" and first.i > 0 and _in_name(first):
        return False
    called = first.i > 0 and doc[first.i - 1].lemma_.lower() in _CALL_VERBS
    if unit == "count" and (called or first.head.lemma_.lower() in _CALL_VERBS):
        return False  # "call 111", "dial 999": a number to ring
    if unit == "ordinal" and _names_thing(first):
        return False
    if unit == "count" and len(span) > 1 and all(t.like_num for t in span):
        return False  # "0800 123 456": a run of bare numbers is a phone number or a code
    return any(t.is_alpha or t.like_num for t in span)


def _in_name(first: Token) -> bool:
    """ "Covid-19", "G-7" (glued by a hyphen) and "BBC Radio 4", "Apollo 11" (right after a
    proper name): the number is part of the name."""
    doc = first.doc
    before = doc[first.i - 1]
    if before.text in ("-", "\u2013") and not before.whitespace_ and first.i > 1:
        word = doc[first.i - 2]
        if word.is_alpha and not word.whitespace_:
            return True
    proper = before.pos_ == "PROPN" and before.text[:1].isupper() and not before.is_sent_start
    return proper and (first.head.i == before.i or before.ent_iob_ != "O")


def _names_thing(first: Token) -> bool:
    """ "the First Amendment": a capitalised ordinal before a proper name is part of it."""
    doc = first.doc
    if first.i + 1 >= len(doc) or first.is_sent_start:
        return False
    return first.text[:1].isupper() and doc[first.i + 1].pos_ == "PROPN"


def _unit(span: Span, unit: str) -> str:
    words = {t.lemma_.lower() for t in span}
    counted = unit in ("date", "time") and any(t.like_num for t in span)
    calendar = _CALENDAR.search(span.text) or re.search(r"\b1\d{3}|20\d{2}\b", span.text)
    if counted and words & _DURATION_WORDS and not calendar:
        return "duration"  # "24 hours", "four years", "almost 15 years"
    if unit == "date" and re.fullmatch(r"(?:in |the )?(?:1[0-9]|20)\d{2}s?", span.text):
        return "year"
    return unit


def _what_it_counts(span: Span, unit: str) -> str:
    """A short phrase from the parse: the counted noun and its verb, or the dated verb."""
    root = span.root
    inside = {t.i for t in span}
    if unit not in ("date", "time") and root.dep_ in ("nummod", "quantmod", "amod", "compound"):
        noun = root.head
        while noun.i in inside and noun.head.i != noun.i:
            noun = noun.head
        if noun.pos_ in ("NOUN", "PROPN") and noun.i not in inside:
            return _noun_with_verb(noun, inside)
    if unit not in ("date", "time") and root.pos_ in ("NOUN", "PROPN") and root.dep_ != "pobj":
        # "millions of pictures": the span's own noun, with its "of" phrase.
        return _noun_with_verb(root, inside)
    verb = _governing_verb(root)
    if verb is None:
        return ""
    return _phrase(_verb_words(verb, inside, prep_of_span=_linking_prep(root, verb)))


def _noun_with_verb(noun: Token, inside: set[int]) -> str:
    words = [t for t in noun.subtree if t.i not in inside and _near(t, noun)]
    words = _contiguous(words, noun)
    verb = noun.head if noun.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else None
    if verb is not None and verb.pos_ in ("VERB", "AUX"):
        after = _verb_words(verb, inside | {t.i for t in noun.subtree}, prep_of_span=None)
        after = [t for t in after if t.i > verb.i or t.i == verb.i]
        return _phrase(words + after)
    return _phrase(words)


def _near(token: Token, noun: Token) -> bool:
    """The noun's own modifiers and "of" phrase, not a whole relative clause."""
    if token.i == noun.i:
        return True
    path = token
    while path.head.i != noun.i:
        if path.dep_ in ("relcl", "acl", "advcl", "appos", "punct", "cc", "conj"):
            return False
        path = path.head
    return path.dep_ in ("compound", "amod", "prep", "nmod", "poss") or (
        path.dep_ == "prep" and path.lower_ == "of"
    )


def _governing_verb(token: Token) -> Token | None:
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node.i != token.i:
            return node
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
    return None


def _linking_prep(token: Token, verb: Token) -> Token | None:
    node = token
    while node.head.i != node.i and node.head.i != verb.i:
        node = node.head
    return node if node.dep_ == "prep" else None


def _verb_words(verb: Token, inside: set[int], prep_of_span: Token | None) -> list[Token]:
    """The verb with its auxiliaries, particle and complements, minus the number itself; a
    preposition that only introduces the date ("since", "in") is kept at the end."""
    keep: list[Token] = [verb]
    for child in verb.children:
        if child.i in inside or child.dep_ in ("punct", "cc", "conj", "advcl", "ccomp", "mark"):
            continue
        if child.dep_ in ("aux", "auxpass", "neg", "prt"):
            keep.append(child)
        elif child.dep_ in ("dobj", "attr", "acomp", "oprd", "xcomp", "dative", "prep"):
            if prep_of_span is not None and child.i == prep_of_span.i:
                continue
            sub = [t for t in child.subtree if t.i not in inside]
            if len(sub) <= 6 and not any(t.dep_ == "relcl" for t in sub):
                keep.extend(sub)
    keep.sort(key=lambda t: t.i)
    if prep_of_span is not None:
        keep.append(prep_of_span)
    return keep


def _contiguous(words: list[Token], anchor: Token) -> list[Token]:
    """The run of ``words`` around ``anchor`` without gaps, so the phrase reads as written."""
    index = {t.i for t in words}
    start = end = anchor.i
    while start - 1 in index:
        start -= 1
    while end + 1 in index:
        end += 1
    return [t for t in words if start <= t.i <= end]


def _phrase(tokens: list[Token]) -> str:
    tokens = [t for t in tokens if not t.is_punct or t.text in ("-", "'s")]
    while tokens and tokens[0].pos_ in ("DET", "ADP", "CCONJ") and tokens[0].lower_ != "since":
        tokens = tokens[1:]
    text = " ".join(t.text for t in tokens[:_MAX_RELATION_WORDS])
    return re.sub(r" (?=[-'’]s?\b)|(?<=-) ", "", text)
