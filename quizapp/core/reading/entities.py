"""Who and what the article names: one entity per thing, with every place it is mentioned.

The steps are each in their own module: which spans are names (``name_spans``), what type
each is (``entity_types``: the model's tags as votes, corrected by the text) and what other
names it goes by (``aliases``: "Matthew Ingram", "Ingram" and "Mr Ingram"; "European Court of
Justice" and "ECJ"). A lower-case term the text abbreviates ("distributed denial of service
(DDoS)") is an entity too. Here they are put together into ``Entities``, indexed by sentence
and name so later steps look a mention up without scanning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from quizapp.core.facts import Entity, EntityType
from quizapp.core.reading.aliases import (
    abbreviations,
    canonical_names,
    initialisms,
    type_of_expansion,
)
from quizapp.core.reading.entity_types import majority, typed_by_context, vote_by_evidence
from quizapp.core.reading.name_spans import name_spans
from quizapp.core.reading.structure import ParsedArticle, Sentence


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
        for entity in self.entities:
            for alias in entity.aliases:
                self._by_name.setdefault(alias, entity)

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

    def within(self, sentence: int, tokens: Iterable[Token]) -> list[Mention]:
        """Mentions inside a set of tokens (a subtree), in text order."""
        wanted = {t.i for t in tokens}
        return [m for m in self.in_sentence(sentence) if m.start in wanted]


def find_entities(parsed: ParsedArticle) -> Entities:
    raw = name_spans(parsed)
    found_abbreviations = list(abbreviations(parsed, raw))
    tagged = {(id(s.doc), i) for _, s, _ in raw for i in range(s.start, s.end)}
    for sentence, span, _short in found_abbreviations:
        if (id(span.doc), span.start) not in tagged:
            raw.append((sentence, span, type_of_expansion(span)))
    votes: dict[str, Counter[EntityType]] = {}
    for _, span, entity_type in raw:
        votes.setdefault(span.text, Counter())[entity_type] += 1
    vote_by_evidence(parsed, raw, votes)
    things = _names_of_things(parsed)
    canonical = {
        short: full
        for short, full in canonical_names(votes).items()
        if short not in things  # "Ortega" of "the Ortega factory" is not Luis Ortega
    }
    acronyms = {short: span.text for _, span, short in found_abbreviations if short != span.text}
    acronyms.update(initialisms(votes, acronyms))
    entities = _build(votes, canonical, acronyms, things)
    entities = typed_by_context(entities, raw)
    mentions = [
        Mention(canonical.get(span.text, span.text), sentence.index, span.start, span.end)
        for sentence, span, _ in raw
    ]
    mentions.extend(_alias_mentions(parsed, entities, mentions))
    mentions.sort(key=lambda m: (m.sentence, m.start))
    return Entities(entities, mentions)


def _names_of_things(parsed: ParsedArticle) -> set[str]:
    """Single names the article also uses for a thing: "the Zanon factory", "the Bush
    administration". Such a word standing alone may mean the thing, so it is no surname
    alias of the person."""
    return {
        token.text
        for sentence in parsed.sentences
        for token in sentence.span
        if token.dep_ == "compound" and token.pos_ == "PROPN" and token.head.pos_ == "NOUN"
    }


def _build(
    votes: dict[str, Counter[EntityType]],
    canonical: dict[str, str],
    acronyms: dict[str, str],
    things: set[str],
) -> list[Entity]:
    aliases: dict[str, list[str]] = {}
    for short, full in canonical.items():
        aliases.setdefault(full, []).append(short)
    for short, full in acronyms.items():
        full = canonical.get(full, full)
        if short not in canonical and full != short:
            canonical[short] = full
            aliases.setdefault(full, []).append(short)
            aliases[full].append(f"{full} ({short})")
            votes.setdefault(full, Counter()).update(votes.get(short, Counter()))
    entities: list[Entity] = []
    seen: set[str] = set()
    # A surname stands for a person only when one person of the article has it: "Mr Smith"
    # among three Smiths names none of them (and would make every Smith mentioned at once).
    surnames = Counter(
        n.split()[-1]
        for n in {canonical.get(name, name) for name in votes}
        if len(n.split()) > 1 and majority(votes.get(n, Counter())) == EntityType.PERSON
    )
    for name in votes:
        target = canonical.get(name, name)
        if target in seen:
            continue
        seen.add(target)
        counts = Counter(votes.get(target, Counter()))
        for alias in aliases.get(target, ()):
            if alias in canonical and alias not in acronyms:
                counts.update(votes.get(alias, Counter()))
        entity_type = majority(counts)
        extra = list(aliases.get(target, ()))
        if (
            entity_type == EntityType.PERSON
            and len(target.split()) > 1
            and surnames[target.split()[-1]] == 1
            and target.split()[-1] not in things
        ):
            surname = target.split()[-1]
            extra += [surname] + [f"{t} {surname}" for t in ("Mr", "Mr.", "Ms", "Ms.", "Mrs")]
        entities.append(Entity(target, entity_type, tuple(dict.fromkeys(extra))))
    return entities


def _alias_mentions(
    parsed: ParsedArticle, entities: list[Entity], known: list[Mention]
) -> Iterator[Mention]:
    """Mentions the parser missed: a surname or acronym alias written where no entity was
    tagged (the small model misses many second mentions)."""
    single: dict[str, str] = {}
    for entity in entities:
        for alias in (entity.name, *entity.aliases):
            if " " not in alias and not alias.endswith("."):
                single.setdefault(alias, entity.name)
    covered = {(m.sentence, i) for m in known for i in range(m.start, m.end)}
    for sentence in parsed.sentences:
        for token in sentence.span:
            name = single.get(token.text)
            if name and (sentence.index, token.i) not in covered and _is_name_token(token):
                yield Mention(name, sentence.index, token.i, token.i + 1)


def _is_name_token(token: Token) -> bool:
    return token.pos_ in ("PROPN", "NOUN", "X") and token.text[0].isupper()


def main_subject(sentence: Sentence, entities: Entities, token: Token | None = None) -> str:
    """The entity the sentence (or the clause holding ``token``) is about: the subject of its
    verb when that names an entity, else the first person or organisation it names."""
    node = token if token is not None else sentence.span.root
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    found = entities.within(sentence.index, child.subtree)
                    actors = [m for m in found if entities.type_of(m.name) in _ACTORS]
                    if actors or found:
                        return (actors or found)[0].name
            if node.head.i == node.i:
                break
        node = node.head
    mentions = entities.in_sentence(sentence.index)
    for mention in mentions:
        if entities.type_of(mention.name) in _ACTORS:
            return mention.name
    # "... in the Amazon rainforest": a name that only says what kind of thing something is
    # is still what the sentence is about when no actor is named.
    return next((m.name for m in mentions if entities.type_of(m.name) == EntityType.OTHER), "")


_ACTORS = frozenset(
    {EntityType.PERSON, EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP}
)


def names(entities: Iterable[Entity]) -> list[str]:
    return [e.name for e in entities]
