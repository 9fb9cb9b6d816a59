"""A teacher's corrections of the facts reading found, as plain rules.

Reading is sometimes wrong (a quote given to the wrong speaker, a role cut short), so the
teacher confirms, corrects, deletes or adds facts before anything reaches a learner. These are
the rules an edited or added fact must keep, the same ones a curated facts file keeps: every
card and question shows a fact's evidence sentence as the article's own words, so the sentence
must be the article's and a quote's words must really be in it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from quizapp.core.facts import FactKind

# The database columns' sizes (PostgreSQL refuses longer values), and a sane cap on the rest.
MAX_SUBJECT = 300
MAX_RELATION = 300
MAX_OBJECT = 2000


@dataclass(frozen=True)
class FactParts:
    """What the fact form names each part of a fact of this kind, and which parts it needs."""

    subject: str
    object: str
    relation: str  # "" when the kind has no relation


PARTS: dict[FactKind, FactParts] = {
    FactKind.QUOTE: FactParts("Speaker", "Quoted words", ""),
    FactKind.ROLE: FactParts("Person", "Role", "Organisation (optional)"),
    FactKind.MEMBER: FactParts("Set (for example “apps”)", "Member", "What the set is"),
    FactKind.POWER: FactParts("Who gets the power", "Power", "Law (optional)"),
    FactKind.NUMBER: FactParts("About", "Value (a number or date)", "What it counts or dates"),
    FactKind.DEFINITION: FactParts("Term", "Meaning", ""),
    FactKind.STANCE: FactParts("Who", "Side", ""),
}
# Kinds whose relation is required rather than optional.
_RELATION_REQUIRED = frozenset({FactKind.MEMBER, FactKind.NUMBER})

_QUOTE_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


def _comparable(text: str) -> str:
    """Curly or straight quotes, spacing and case do not matter when finding words."""
    return " ".join(text.translate(_QUOTE_MARKS).split()).casefold()


def quoted_in(sentence: str, words: str) -> bool:
    """Whether the quoted words are in the sentence, ignoring case, spacing and quote style."""
    return bool(_comparable(words)) and _comparable(words) in _comparable(sentence)


def mark_quoted(sentence: str, words: str) -> tuple[str, str, str] | None:
    """The sentence split around its first occurrence of ``words``: (before, words, after).

    A short quote ("walk") means nothing out of its sentence, so it is shown inside it with
    the quoted words marked; None when the words are not there (nothing to mark).
    """
    parts = [re.escape(part.translate(_QUOTE_MARKS)) for part in words.split()]
    if not parts:
        return None
    quote_class = r"['’‘]"
    dquote_class = r"[\"“”«»]"
    pattern = r"\s+".join(parts).replace("'", quote_class).replace('"', dquote_class)
    match = re.search(pattern, sentence, flags=re.IGNORECASE)
    if match is None:
        return None
    return sentence[: match.start()], match.group(0), sentence[match.end() :]


def fact_problems(
    kind: str,
    subject: str,
    relation: str,
    obj: str,
    evidence: str | None,
    sides: Collection[str] = (),
) -> list[str]:
    """Everything wrong with a fact as the teacher wrote it, in words they can act on.

    ``evidence`` is the chosen sentence's text, or None when the sentence named is not one of
    the article's; ``sides`` are the keys of the article's sides (a stance must take one).
    """
    try:
        fact_kind = FactKind(kind)
    except ValueError:
        return ["Choose what kind of fact this is."]
    parts = PARTS[fact_kind]
    problems = []
    if not subject.strip():
        problems.append(f"Fill in “{parts.subject}”.")
    if not obj.strip():
        problems.append(f"Fill in “{parts.object}”.")
    if fact_kind in _RELATION_REQUIRED and not relation.strip():
        problems.append(f"Fill in “{parts.relation}”.")
    for value, limit, name in (
        (subject, MAX_SUBJECT, parts.subject),
        (relation, MAX_RELATION, parts.relation or "Relation"),
        (obj, MAX_OBJECT, parts.object),
    ):
        if len(value) > limit:
            problems.append(f"“{name}” is longer than {limit} characters.")
    if evidence is None:
        problems.append("Choose the evidence sentence from this article's sentences.")
    elif fact_kind == FactKind.QUOTE and obj.strip() and not quoted_in(evidence, obj):
        problems.append(
            "The quoted words are not in the evidence sentence: copy them from the sentence "
            "exactly, or choose the sentence that has them."
        )
    if fact_kind == FactKind.STANCE and obj.strip() and obj.strip() not in sides:
        problems.append("A side must be one of the article's sides.")
    return problems
