"""The other names an entity goes by: acronyms, initialisms and surnames.

An acronym introduced in brackets names its expansion ("the European Court of Justice (ECJ)",
and "CEI (Italian Episcopal Conference)" the other way round), an acronym never expanded may
still spell another name's initials, and a surname or "Mr Ingram" stands for the one person
whose full name ends with it. Everything is indexed by initials or last word, so an article
naming thousands of people is read in one pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from quizapp.core.facts import EntityType
from quizapp.core.reading.name_spans import RawName
from quizapp.core.reading.structure import ParsedArticle, Sentence
from quizapp.core.reading.titles import TITLES

ACRONYM = re.compile(r"^[A-Z][A-Za-z&0-9]*[A-Z0-9][A-Za-z0-9]*$|^[A-Z]{2,}s?$")


# Words an acronym may skip ("Court of Justice" -> CJ) and digits that stand for words.
SKIPPABLE = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "&", "to"})


_DIGIT_WORDS = {"2": ("to", "two"), "4": ("for", "four")}


def abbreviations(
    parsed: ParsedArticle, raw: list[RawName]
) -> Iterator[tuple[Sentence, Span, str]]:
    """Spans the text abbreviates in brackets, with the abbreviation: "the European Court of
    Justice (ECJ)", "End-to-end encryption (E2EE)", and "CEI (Italian Episcopal Conference)"
    the other way round (the span is then the brackets' words)."""
    raw_ends = {(id(span.doc), span.end): span for _, span, _ in raw}
    for sentence in parsed.sentences:
        doc = sentence.doc
        for token in sentence.span:
            if token.text != "(" or token.i + 2 >= len(doc):
                continue
            inner = doc[token.i + 1]
            if doc[token.i + 2].text == ")" and ACRONYM.match(inner.text):
                expansion = expansion_before(doc, token.i, inner.text) or _name_before(
                    raw_ends, doc, token.i, inner.text
                )
                if expansion is not None:
                    yield sentence, expansion, inner.text
            elif token.i > 0 and ACRONYM.match(doc[token.i - 1].text):
                close = next((t.i for t in doc[token.i + 1 : token.i + 12] if t.text == ")"), None)
                if close is not None:
                    words = doc[token.i + 1 : close]
                    if _same_letters(_initials(words.text), doc[token.i - 1].text):
                        yield sentence, words, doc[token.i - 1].text


def expansion_before(doc: Doc, paren: int, short: str) -> Span | None:
    """The words before "(" whose initials spell ``short``, matched from the end."""
    letters = [c.lower() for c in short.rstrip("s") if c.isalnum()]
    if len(letters) < 2:
        return None
    i = paren - 1
    start = None
    while letters and i >= 0 and paren - i < 14:
        token = doc[i]
        word = token.lower_
        if token.is_punct:
            if token.text not in ("-", "\u2013", "'s", "&"):
                return None
        elif word[:1] == letters[-1] or word in _DIGIT_WORDS.get(letters[-1], ()):
            letters.pop()
            start = i
            # "PageRank"-like words can give more than one letter.
            for inner in re.findall(r"[A-Z]", token.text[1:])[::-1]:
                if letters and letters[-1] == inner.lower():
                    letters.pop()
        elif word not in SKIPPABLE:
            return None
        i -= 1
    if letters or start is None or paren - start < 2:
        return None
    return doc[start:paren]


def _name_before(
    raw_ends: dict[tuple[int, int], Span], doc: Doc, paren: int, short: str
) -> Span | None:
    """A tagged name right before "(ACR)" whose initials are the acronym's letters in another
    order, as when the acronym is of the name in its own language ("UAAR")."""
    span = raw_ends.get((id(doc), paren))
    if span is not None and len(span) > 1 and _same_letters(_initials(span.text), short):
        return span
    return None


def _same_letters(initials: str, short: str) -> bool:
    letters = short.rstrip("s").upper()
    return len(letters) > 1 and sorted(initials) == sorted(letters)


def _initials(name: str) -> str:
    return "".join(w[0].upper() for w in re.split(r"[\s-]+", name) if w and w[0].isupper())


def initialisms(votes: dict[str, Counter[EntityType]], known: dict[str, str]) -> dict[str, str]:
    """Acronyms the text never expands in brackets but whose initials name another entity."""
    by_initials: dict[str, str] = {}
    for name in votes:
        if len(name.split()) > 1:
            by_initials.setdefault(_initials(name), name)
    found = {}
    for name in votes:
        if ACRONYM.match(name) and name not in known:
            full = by_initials.get(name.rstrip("s"))
            if full and full != name:
                found[name] = full
    return found


def canonical_names(votes: dict[str, Counter[EntityType]]) -> dict[str, str]:
    """Short forms to the full name they stand for: a surname ("Ingram", "Mr Ingram") to the
    one person whose full name ends with it (only people are shortened)."""
    people = [n for n, c in votes.items() if c.most_common(1)[0][0] == EntityType.PERSON]
    by_last: dict[str, set[str]] = {}
    for name in people:
        words = [w for w in name.split() if w.lower().rstrip(".") not in TITLES]
        if len(words) > 1 and words == name.split():
            by_last.setdefault(words[-1], set()).add(name)
            for part in words[-1].split("-"):  # "Glawischnig-Piesczek" -> "Glawischnig"
                if part != words[-1] and len(part) > 2:
                    by_last.setdefault(part, set()).add(name)
    canonical: dict[str, str] = {}
    for name in votes:
        words = [w for w in name.split() if w.lower().rstrip(".") not in TITLES]
        if not words:
            continue
        if len(words) == 1 or words != name.split():
            holders = by_last.get(words[-1], set()) - {name}
            if len(holders) == 1:
                canonical[name] = next(iter(holders))
    return canonical


def type_of_expansion(span: Span) -> EntityType:
    """ "Digital Millennium Copyright Act" is a law, "Movimento 5 Stelle" an organisation,
    "distributed denial of service" a term: capitals make a name."""
    words = [t for t in span if t.is_alpha and t.lower_ not in SKIPPABLE]
    if words and all(t.text[0].isupper() for t in words) and not span[0].is_sent_start:
        if words[-1].lower_ in ("act", "bill", "law", "directive", "regulation", "treaty"):
            return EntityType.LAW
        return EntityType.ORGANISATION
    return EntityType.TERM
