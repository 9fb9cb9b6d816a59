"""Who and what the article names: entities from the parser's named entities, with aliases.

A name is kept when the parser tags it as a person, organisation, place, group, law, event or
product and it looks like a name (a capital letter, not a month or a sentence adverb). The
same thing named several ways becomes one entity: "Matthew Ingram", "Ingram" and "Mr Ingram";
"European Court of Justice" and "ECJ" (introduced in brackets, or its initials). The type a
name gets is the one the parser gives it most often, so one odd tag does not turn a person
into a place. A short list of names the seed's theme expects (apps, regulators) only refines
a type the parser already found a name for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from quizapp.core.facts import Entity, EntityType
from quizapp.core.reading.structure import ParsedArticle, Sentence

_TYPE_OF_LABEL = {
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
# Hints for the seed's theme: they refine the type of a name the parser found, nothing more.
_HINTS = {
    **dict.fromkeys(
        ("Signal", "WhatsApp", "iMessage", "Messenger", "Instagram", "Telegram", "Threema"),
        EntityType.APP,
    ),
    **dict.fromkeys(("Ofcom", "ICO", "FTC", "FCC", "CNIL", "Arcom", "Ofwat"), EntityType.REGULATOR),
}
_REGULATOR_WORDS = frozenset({"regulator", "watchdog", "authority", "commissioner"})
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady"}
)
_NOT_NAMES = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "separately", "meanwhile", "however", "today",
        "yesterday", "tomorrow", "earlier", "later", "additionally", "also", "but", "and",
    }
)  # fmt: skip
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]*[A-Z][A-Za-z]*$|^[A-Z]{2,}s?$")


@dataclass(frozen=True)
class Mention:
    """One place the article names an entity: ``start``/``end`` index tokens of the doc."""

    name: str  # the entity's canonical name
    sentence: int
    start: int
    end: int


@dataclass
class Entities:
    entities: list[Entity]
    mentions: list[Mention]
    _by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    _by_name: dict[str, Entity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for mention in self.mentions:
            self._by_sentence.setdefault(mention.sentence, []).append(mention)
        for entity in self.entities:
            self._by_name.setdefault(entity.name, entity)

    def get(self, name: str) -> Entity | None:
        return self._by_name.get(name)

    def type_of(self, name: str) -> EntityType:
        entity = self._by_name.get(name)
        return entity.type if entity else EntityType.OTHER

    def in_sentence(self, sentence: int) -> list[Mention]:
        return self._by_sentence.get(sentence, [])

    def at(self, sentence: int, token: int) -> Mention | None:
        """The mention covering doc token ``token`` of ``sentence``, if any."""
        for mention in self._by_sentence.get(sentence, ()):
            if mention.start <= token < mention.end:
                return mention
        return None


def find_entities(parsed: ParsedArticle) -> Entities:
    raw: list[tuple[Sentence, Span, EntityType]] = []
    for sentence in parsed.sentences:
        for span in sentence.span.ents:
            entity_type = _TYPE_OF_LABEL.get(span.label_)
            trimmed = _trim(span)
            if entity_type is not None and trimmed is not None:
                raw.append((sentence, trimmed, entity_type))
    votes: dict[str, Counter[EntityType]] = {}
    for _, span, entity_type in raw:
        votes.setdefault(span.text, Counter())[entity_type] += 1
    canonical = _canonical_names(votes)
    acronyms = _acronyms(parsed, raw)
    entities = _build(votes, canonical, acronyms, parsed)
    mentions = [
        Mention(canonical.get(span.text, span.text), sentence.index, span.start, span.end)
        for sentence, span, _ in raw
    ]
    mentions.extend(_alias_mentions(parsed, entities, mentions))
    mentions.sort(key=lambda m: (m.sentence, m.start))
    return Entities(entities, mentions)


def _trim(span: Span) -> Span | None:
    """The span without a leading "the" or a trailing possessive, if it still looks like a
    name: a capital letter (or "iPhone"-like), not a month, a weekday or a sentence adverb."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if end <= start:
        return None
    trimmed = doc[start:end]
    text = trimmed.text
    if not (text[0].isupper() or re.match(r"^[a-z][A-Z]", text)):
        return None
    if all(t.lower_ in _NOT_NAMES or t.is_stop for t in trimmed):
        return None
    if "\n" in text or len(text) > 80:
        return None
    return trimmed


def _canonical_names(votes: dict[str, Counter[EntityType]]) -> dict[str, str]:
    """Short forms to the full name they stand for: a surname ("Ingram", "Mr Ingram") to the
    one person whose full name ends with it; a name to the longer name that starts with it
    ("Meta" stays, "Apple Inc" -> "Apple" is left alone: only people are shortened)."""
    people = [n for n, c in votes.items() if c.most_common(1)[0][0] == EntityType.PERSON]
    full = [n for n in people if len(n.split()) > 1]
    by_last: dict[str, set[str]] = {}
    for name in full:
        words = [w for w in name.split() if w.lower().rstrip(".") not in _TITLES]
        if len(words) > 1:
            by_last.setdefault(words[-1], set()).add(name)
    canonical: dict[str, str] = {}
    for name in votes:
        words = [w for w in name.split() if w.lower().rstrip(".") not in _TITLES]
        if not words:
            continue
        if len(words) == 1 or words != name.split():
            holders = by_last.get(words[-1], set()) - {name}
            if len(holders) == 1:
                canonical[name] = next(iter(holders))
    return canonical


def _acronyms(
    parsed: ParsedArticle, raw: list[tuple[Sentence, Span, EntityType]]
) -> dict[str, str]:
    """Acronym -> the name it abbreviates: "Name (ACR)" in the text, or initials that match."""
    found: dict[str, str] = {}
    names = {span.text for _, span, _ in raw}
    for _, span, _ in raw:
        doc = span.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            short = doc[span.end + 1].text
            if _ACRONYM.match(short) and short != span.text:
                found[short] = span.text
    for name in names:
        if _ACRONYM.match(name) and name not in found:
            for other in names:
                if other != name and _initials(other) == name.rstrip("s"):
                    found[name] = other
                    break
    return found


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _build(
    votes: dict[str, Counter[EntityType]],
    canonical: dict[str, str],
    acronyms: dict[str, str],
    parsed: ParsedArticle,
) -> list[Entity]:
    aliases: dict[str, list[str]] = {}
    for short, full in canonical.items():
        aliases.setdefault(full, []).append(short)
    for short, full in acronyms.items():
        full = canonical.get(full, full)
        if short not in canonical:
            canonical[short] = full
            aliases.setdefault(full, []).append(short)
    entities: list[Entity] = []
    seen: set[str] = set()
    for name in votes:
        target = canonical.get(name, name)
        if target in seen:
            continue
        seen.add(target)
        counts = Counter(votes.get(target, Counter()))
        for alias in aliases.get(target, ()):
            counts.update(votes.get(alias, Counter()))
        entity_type = _HINTS.get(target) or counts.most_common(1)[0][0]
        extra = list(aliases.get(target, ()))
        if entity_type == EntityType.PERSON and len(target.split()) > 1:
            surname = target.split()[-1]
            extra += [surname] + [f"{t} {surname}" for t in ("Mr", "Mr.", "Ms", "Ms.", "Mrs")]
        entities.append(Entity(target, entity_type, tuple(dict.fromkeys(a for a in extra))))
    return _typed_by_role(entities, parsed)


def _typed_by_role(entities: list[Entity], parsed: ParsedArticle) -> list[Entity]:
    """An organisation the article calls a regulator or watchdog is a regulator."""
    regulator_names: set[str] = set()
    for sentence in parsed.sentences:
        words = {t.lower_ for t in sentence.span}
        if words & _REGULATOR_WORDS:
            for span in sentence.span.ents:
                if span.label_ == "ORG":
                    regulator_names.add(span.text)
    return [
        Entity(e.name, EntityType.REGULATOR, e.aliases)
        if e.type == EntityType.ORGANISATION and e.name in regulator_names and _near_role(e, parsed)
        else e
        for e in entities
    ]


def _near_role(entity: Entity, parsed: ParsedArticle) -> bool:
    for sentence in parsed.sentences:
        for span in sentence.span.ents:
            if span.text == entity.name:
                window = sentence.span.doc[max(span.start - 4, 0) : span.end + 4]
                if any(t.lower_ in _REGULATOR_WORDS for t in window):
                    return True
    return False


def _alias_mentions(
    parsed: ParsedArticle, entities: list[Entity], known: list[Mention]
) -> Iterator[Mention]:
    """Mentions the parser missed: a surname or acronym alias written where no entity was
    tagged (the small model misses many second mentions)."""
    single: dict[str, str] = {}
    for entity in entities:
        for alias in (entity.name, *entity.aliases):
            if " " not in alias:
                single.setdefault(alias, entity.name)
    covered = {(m.sentence, i) for m in known for i in range(m.start, m.end)}
    for sentence in parsed.sentences:
        for token in sentence.span:
            name = single.get(token.text)
            if name and (sentence.index, token.i) not in covered and _is_name_token(token):
                yield Mention(name, sentence.index, token.i, token.i + 1)


def _is_name_token(token: Token) -> bool:
    return token.pos_ in ("PROPN", "NOUN", "X") and token.text[0].isupper()


def names(entities: Iterable[Entity]) -> list[str]:
    return [e.name for e in entities]
