"""Small text rules questions share: comparing names, gapping, quoting, articles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from quizapp.core.facts import ArticleFacts, EntityType

_ROLE_FILLER = frozenset({"of", "the", "a", "an", "for", "at"})

BLANK = "_____"


@lru_cache(maxsize=65_536)
def name_words(norm: str) -> tuple[str, ...]:
    return tuple(word_list(norm)) or (norm,)


def blank_out(sentence: str, targets: Sequence[str], *, all_matches: bool = False) -> str | None:
    """The sentence with the target gapped, or None when the gap would be ambiguous or absent."""
    result = sentence
    found = False
    for target in sorted(targets, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(target)}(?!\w)", re.I)
        hits = len(pattern.findall(result))
        if hits == 0 or (hits > 1 and not all_matches):
            continue
        result = pattern.sub(BLANK, result)
        found = True
        if not all_matches:
            break
    return result if found else None


@lru_cache(maxsize=65_536)
def comparable(text: str) -> str:
    """Comparison form: case, spacing, edge punctuation and a leading "the" do not matter."""
    text = re.sub(r"\s+", " ", text.casefold()).strip(" .,;:!?\"'\u201c\u201d\u2018\u2019")
    return text.removeprefix("the ")


def same_words(a: str, b: str) -> bool:
    """Two quotes or meanings are one when either contains the other once normalised."""
    x, y = comparable(a), comparable(b)
    return bool(x and y) and (x in y or y in x)


@lru_cache(maxsize=16_384)
def role_words(role: str) -> frozenset[str]:
    """Compare word sets, since "security minister" and "minister of security" are one role."""
    return frozenset(w for w in re.findall(r"[\w'-]+", role.casefold()) if w not in _ROLE_FILLER)


def canonical(facts: ArticleFacts, name: str) -> str:
    entity = facts.entity(name)
    return entity.name if entity else name


def names_of(facts: ArticleFacts, name: str) -> list[str]:
    entity = facts.entity(name)
    return [entity.name, *entity.aliases] if entity else [name]


def mentions(text: str, facts: ArticleFacts, name: str) -> bool:
    entity = facts.entity(name)
    if entity is None:
        return contains(text, name)
    return entity.name in facts.mentioned(text)


def contains(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive: "four" is in "met four times", not in "fourteen"."""
    phrase = phrase.strip()
    return bool(phrase) and whole_phrase(phrase).search(text) is not None


@lru_cache(maxsize=16_384)
def whole_phrase(phrase: str) -> re.Pattern[str]:
    # Compiled once per phrase: re's own cache holds 512 patterns, far fewer than the names
    # of a long article checked against every sentence.
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.I)


def word_list(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        if comparable(name) not in seen:
            seen.add(comparable(name))
            result.append(name)
    return result


def display(facts: ArticleFacts, name: str) -> str:
    """How a name reads mid-sentence: "the Home Office", "Meta", "critics"."""
    entity_type = facts.entity_type(name)
    if is_plural(facts, name):
        return name.lower()
    if entity_type in (EntityType.PERSON, EntityType.APP) or " " not in name:
        return name
    return name if name.lower().startswith("the ") else f"the {name}"


def is_plural(facts: ArticleFacts, name: str) -> bool:
    """Groups such as "Critics" take "do", not "does"; named bodies are singular."""
    return (
        facts.entity_type(name) in (EntityType.OTHER, EntityType.GROUP)
        and " " not in name
        and name.endswith("s")
        and not name.endswith("ss")
    )


# Common nouns an article capitalises for one body ("the State", "the Court"): as a wrong
# answer each may well be true, being what every such body is.
_GENERIC_BODIES = frozenset(
    {"government", "state", "court", "council", "police", "parliament", "ministry", "church",
     "city", "army", "committee", "commission", "authority", "agency", "department", "office",
     "company"}
)  # fmt: skip


_DESCRIBING = frozenset(
    {"a", "an", "at", "one", "some", "many", "several", "two", "three", "most", "all", "each",
     "another", "other", "others", "those", "these", "few", "no", "any"}
)  # fmt: skip


def is_proper_name(name: str) -> bool:
    """A name, not a description: capitalised ("Ofcom", "iMessage") and not a lone common
    noun for a kind of body."""
    first = name[:1]
    if not (first.isupper() or first.isdigit() or (len(name) > 1 and name[1].isupper())):
        return False
    if name.split()[0].casefold() in _DESCRIBING:
        return False  # "At least one source from October 2004", "One poster", "Some critics"
    return name.casefold().removeprefix("the ") not in _GENERIC_BODIES


# Words that open a sentence and read lower-case after "that"; any other capital is a name's.
_OPENERS = frozenset(
    {"a", "an", "the", "it", "its", "they", "their", "there", "this", "that", "these", "those",
     "he", "his", "she", "her", "we", "our", "i", "my", "you", "your", "every", "each", "some",
     "many", "most", "all", "no", "none", "one", "if", "when", "while", "after", "before",
     "as", "in", "on", "at", "for", "to", "by", "with", "from", "under", "since"}
)  # fmt: skip


def after_that(clause: str) -> str:
    """A reported clause as it reads after "that": "It is ..." -> "it is ...", while
    "Britain must ..." keeps its capital."""
    first = clause.split(" ", 1)[0]
    if first.casefold() in _OPENERS and first.casefold() != "i":
        return clause[:1].lower() + clause[1:]
    return clause


# Words a role opens with that are capitalised only for opening a sentence ("Former prime
# minister"); a proper adjective ("Swedish captain") keeps its capital.
_ROLE_MODIFIERS = frozenset(
    {"former", "acting", "deputy", "then", "current", "interim", "senior", "chief", "assistant",
     "new", "outgoing", "incoming", "ex", "retired", "late", "lead", "joint", "vice"}
)  # fmt: skip


def role_phrase(role: str, sentence: str) -> str:
    """The role as it reads mid-sentence: a sentence opening "Former prime minister John
    Major" capitalises "Former" for its place, not because it is part of a title."""
    words = role.split()
    if (
        len(words) > 1
        and sentence.startswith(role)
        and words[0].casefold() in _ROLE_MODIFIERS
        and words[1][:1].islower()
    ):
        return words[0].lower() + role[len(words[0]) :]
    return role


def with_article(role: str) -> str:
    """ "the security minister", but "Labour's Shadow Home Secretary" and "a judge" as written."""
    if re.match(r"(?:the|a|an)\s|[\w.-]+['\u2019]s?\s", role, re.I):
        return role
    return f"the {role}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def join(names: Sequence[str], last: str = "and") -> str:
    if len(names) <= 2:
        return f" {last} ".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def curly(text: str) -> str:
    """Straight double quotes turned typographic, for stems and explanations (not evidence)."""
    text = re.sub(r'(^|[\s(\[\u2014-])"', "\\1\u201c", text)
    return text.replace('"', "\u201d")


# A piece of a longer quote that opens mid-thought ("but we'll see", "[...] in the meantime",
# "[Name] said") means nothing asked on its own; its sentence's gap-fill still asks it.
_FRAGMENT_START = re.compile(r"^(?:\[|\.\.\.|\u2026|(?:but|and|or|so|because|which)\b)", re.I)
# Reported words in the first or second person are someone's own words without their marks:
# "who said that we have created ..." does not read, so they are asked as a quote.
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our|you|your)\b", re.I)


def first_person(words: str) -> bool:
    return _FIRST_PERSON.search(words) is not None


def stands_alone(words: str) -> bool:
    """Whether quoted words make sense as a question's whole stem."""
    return not _FRAGMENT_START.match(words.strip(" \"'\u201c\u201d\u2018\u2019"))
