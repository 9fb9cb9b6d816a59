"""What an article says, as plain data: the facts questions are made from.

A fact is one claim the article makes, tied to the sentence that is its evidence. Facts come
either from a hand-curated facts file (``load_facts_file``) or from extraction; both give the
same dataclasses, so question generation never cares which.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any


class FactKind(StrEnum):
    QUOTE = "quote"  # subject said object (the quoted or reported words)
    ROLE = "role"  # subject holds the role object (relation: the organisation, if any)
    MEMBER = "member"  # object belongs to the set named by relation ("uses end-to-end encryption")
    POWER = "power"  # subject (a regulator) may get the power object (relation: the law)
    NUMBER = "number"  # object is a number or date; relation says what it counts
    DEFINITION = "definition"  # subject (a term) means object
    STANCE = "stance"  # subject takes side object in the debate (a key of ArticleFacts.sides)


class EntityType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    APP = "app"
    REGULATOR = "regulator"
    LAW = "law"
    TERM = "term"
    PLACE = "place"  # countries, cities, regions
    GROUP = "group"  # nationalities, religious and political groups ("Republicans")
    EVENT = "event"  # named events ("the World Cup")
    PRODUCT = "product"  # named products and works
    OTHER = "other"


@dataclass(frozen=True)
class Entity:
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    subject: str
    object: str
    evidence: str  # the sentence, verbatim from the article
    relation: str = ""
    unit: str = ""  # for numbers: "date", "year", "count", "times", ...
    # How sure reading is of this fact (a quote's speaker above all): curated facts are 1.0;
    # below ATTRIBUTION_THRESHOLD a quote is shown to the teacher as unsure and asked about
    # by no "who said" question.
    confidence: float = 1.0

    @property
    def key(self) -> str:
        return fact_key(self.kind, self.subject, self.relation, self.object)


ATTRIBUTION_THRESHOLD = 0.6


def fact_key(kind: str, subject: str, relation: str, obj: str) -> str:
    """A stable identity, so the same fact loaded twice (or extracted twice, or stored) is one
    fact; a generated question's source key ends with its fact's."""
    return "|".join((kind, subject, relation, obj))


@dataclass(frozen=True)
class Side:
    key: str
    label: str  # "Against Meta's end-to-end encryption plan"
    summary: str = ""


@dataclass(frozen=True)
class ArticleFacts:
    """Everything known about one article: its entities, its facts and its debate."""

    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    debate: str = ""  # the question argued about
    sides: tuple[Side, ...] = ()
    title: str = ""
    source: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def entity(self, name: str) -> Entity | None:
        return self._entities_by_name.get(name)

    @cached_property
    def _entities_by_name(self) -> dict[str, Entity]:
        """Name and alias -> entity, first entity winning, so a lookup costs the same for
        an article with five names as for one with five thousand."""
        index: dict[str, Entity] = {}
        for entity in self.entities:
            for name in (entity.name, *entity.aliases):
                index.setdefault(name, entity)
        return index

    def entity_type(self, name: str) -> EntityType:
        entity = self.entity(name)
        return entity.type if entity else EntityType.OTHER

    def names_of_type(self, entity_type: EntityType) -> tuple[str, ...]:
        """Not copied: generators ask once per question, and an article may name thousands."""
        return self._names_by_type.get(entity_type, ())

    @cached_property
    def _names_by_type(self) -> dict[EntityType, tuple[str, ...]]:
        grouped: dict[EntityType, list[str]] = {}
        for entity in self.entities:
            grouped.setdefault(entity.type, []).append(entity.name)
        return {entity_type: tuple(names) for entity_type, names in grouped.items()}

    def mentioned(self, text: str) -> frozenset[str]:
        """The entities (by name) that ``text`` names, through their name or any alias.

        Matching is on whole words, ignoring case and punctuation ("Mr. Tugendhat" and
        "mr tugendhat" are one mention). One pass over the text's words, so checking a
        sentence costs the same whether the article names five entities or five thousand.
        """
        cached = self._mention_cache.get(text)
        if cached is None:
            words = _words(text)
            found = set()
            for start, word in enumerate(words):
                for phrase, name in self._phrases_by_first_word.get(word, ()):
                    if tuple(words[start : start + len(phrase)]) == phrase:
                        found.add(name)
            cached = self._mention_cache[text] = frozenset(found)
        return cached

    @cached_property
    def _phrases_by_first_word(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for entity in self.entities:
            for alias in (entity.name, *entity.aliases):
                phrase = tuple(_words(alias))
                if phrase:
                    index.setdefault(phrase[0], []).append((phrase, entity.name))
        return index

    @cached_property
    def _mention_cache(self) -> dict[str, frozenset[str]]:
        return {}

    def fact(self, key: str) -> Fact | None:
        """The fact with this ``Fact.key`` (drafts carry it to say which fact they test)."""
        return self._facts_by_key.get(key)

    @cached_property
    def _facts_by_key(self) -> dict[str, Fact]:
        index: dict[str, Fact] = {}
        for fact in self.facts:
            index.setdefault(fact.key, fact)
        return index

    def of_kind(self, kind: FactKind) -> list[Fact]:
        return list(self._facts_by_kind.get(kind, ()))

    @cached_property
    def _facts_by_kind(self) -> dict[FactKind, tuple[Fact, ...]]:
        """Grouped once: generators ask for a kind once per fact, which was quadratic."""
        grouped: dict[FactKind, list[Fact]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.kind, []).append(fact)
        return {kind: tuple(facts) for kind, facts in grouped.items()}

    def side_label(self, key: str) -> str:
        return next((s.label for s in self.sides if s.key == key), key)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class FactsFileError(ValueError):
    """A facts file that cannot be trusted: bad shape, or evidence not in the article."""


def load_facts_file(data: Mapping[str, Any], sentences: Iterable[str]) -> ArticleFacts:
    """Build ArticleFacts from a parsed facts file, refusing evidence that is not verbatim.

    Evidence must be one of the article's sentences exactly, because every question shows it
    to the learner as the article's own words.
    """
    known = set(sentences)
    try:
        entities = tuple(
            Entity(e["name"], EntityType(e["type"]), tuple(e.get("aliases", ())))
            for e in data.get("entities", ())
        )
        facts = []
        for number, raw in enumerate(data["facts"], start=1):
            fact = Fact(
                kind=FactKind(raw["kind"]),
                subject=raw["subject"],
                object=raw["object"],
                evidence=raw["evidence"],
                relation=raw.get("relation", ""),
                unit=raw.get("unit", ""),
                confidence=float(raw.get("confidence", 1.0)),
            )
            if fact.evidence not in known:
                raise FactsFileError(
                    f"fact {number} ({fact.kind} {fact.subject!r}): evidence is not a sentence"
                    f" of the article: {fact.evidence[:80]!r}"
                )
            facts.append(fact)
        sides = tuple(
            Side(s["key"], s["label"], s.get("summary", "")) for s in data.get("sides", ())
        )
    except FactsFileError:
        raise
    except KeyError as exc:
        raise FactsFileError(f"facts file is missing the field {exc.args[0]!r}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise FactsFileError(
            "facts file does not have the expected shape (an object whose entities, facts and"
            f" sides are lists of objects): {exc}"
        ) from exc
    return ArticleFacts(
        entities=entities,
        facts=tuple(facts),
        debate=data.get("debate", ""),
        sides=sides,
        title=data.get("title", ""),
        source=data.get("source", ""),
    )


def facts_to_dict(facts: ArticleFacts) -> dict[str, Any]:
    """The facts file shape, so extracted facts can be saved, reviewed and reloaded."""
    return {
        "title": facts.title,
        "source": facts.source,
        "debate": facts.debate,
        "sides": [{"key": s.key, "label": s.label, "summary": s.summary} for s in facts.sides],
        "entities": [
            {
                "name": e.name,
                "type": str(e.type),
                **({"aliases": list(e.aliases)} if e.aliases else {}),
            }
            for e in facts.entities
        ],
        "facts": [
            {
                "kind": str(f.kind),
                "subject": f.subject,
                "object": f.object,
                "evidence": f.evidence,
                **({"relation": f.relation} if f.relation else {}),
                **({"unit": f.unit} if f.unit else {}),
                **({"confidence": f.confidence} if f.confidence != 1.0 else {}),
            }
            for f in facts.facts
        ],
    }


def loads_facts(text: str, sentences: Iterable[str]) -> ArticleFacts:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactsFileError(f"facts file is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise FactsFileError("facts file must be a JSON object")
    return load_facts_file(data, sentences)
