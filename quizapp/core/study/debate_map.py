"""The debate map: who argues what, grouped by side, built from an article's plain facts.

Pure so that the grouping rules (aliases, ordering, actors without a stance) are tested without
a database, and so that any article, seeded or imported, gets a map from whatever facts it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quizapp.core.reading.review import mark_quoted

NOT_STATED = ""  # the side key of actors quoted in the article who take no stated side
# A quote of fewer words ("walk") means nothing out of its sentence: the map shows it inside
# its sentence, the quoted words marked.
ALONE_MIN_WORDS = 3


@dataclass(frozen=True)
class MapFact:
    """One stored fact, reduced to what the map needs; `position` is its sentence's position."""

    kind: str
    subject: str
    object: str
    position: int
    relation: str = ""
    sentence: str = ""  # the evidence sentence's text


@dataclass(frozen=True)
class MapQuote:
    """Words an actor said (or the sentence of their stance), linked to its sentence.

    ``before`` and ``after`` are the rest of the sentence when the words are shown in it:
    set for a short quote, empty for one that reads on its own.
    """

    text: str
    position: int
    before: str = ""
    after: str = ""

    @property
    def in_sentence(self) -> bool:
        return bool(self.before or self.after)


def map_quote(words: str, sentence: str, position: int) -> MapQuote | None:
    """The quote as the map shows it: alone, or inside its sentence when too short to read
    alone; None for a short quote whose sentence does not have it (nothing to show). Without
    its sentence (not given) a quote can only be shown alone."""
    if len(words.split()) >= ALONE_MIN_WORDS or not sentence:
        return MapQuote(words, position)
    marked = mark_quoted(sentence, words)
    if marked is None:
        return None
    before, quoted, after = marked
    return MapQuote(quoted, position, before, after)


@dataclass
class MapActor:
    name: str
    roles: list[str] = field(default_factory=list)
    quotes: list[MapQuote] = field(default_factory=list)
    first_position: int = 0
    # The sentences that give their stance, shown when they are not quoted: what they argue.
    argues: list[MapQuote] = field(default_factory=list)


@dataclass(frozen=True)
class MapSide:
    key: str
    label: str
    actors: tuple[MapActor, ...]


@dataclass(frozen=True)
class DebateMap:
    question: str
    sides: tuple[MapSide, ...]


def actor_key(name: str) -> str:
    """Case- and space-insensitive, so "the Minister" and "the minister" are one actor."""
    return " ".join(name.split()).casefold()


def alias_of(names: Iterable[str]) -> dict[str, str]:
    """Map each actor key to the key of the fullest name it abbreviates.

    Articles name someone in full once, then by surname ("Ada Lovelace" ... "Lovelace"); a
    one-word name that is the last word of exactly one longer name is merged into it. An
    ambiguous surname (two people called Smith) is left alone rather than guessed.
    """
    keys = sorted(set(names), key=len, reverse=True)
    alias: dict[str, str] = {}
    for key in keys:
        if " " in key:
            continue
        fuller = [k for k in keys if " " in k and k.split(" ")[-1] == key]
        if len(fuller) == 1:
            alias[key] = fuller[0]
    return alias


def build_debate_map(
    question: str, sides: Sequence[tuple[str, str]], facts: Iterable[MapFact]
) -> DebateMap:
    """Group the actors by the side their stance facts give, in order of first mention.

    `sides` are (key, label) pairs in the article's order. An actor whose stance names an
    unknown side, or who has quotes but no stance, goes under "Side not stated"; actors with
    neither a stance nor quotes (e.g. only a role) argue nothing and are left off the map. An
    actor with a stance but no quote ("Critics") shows the sentence that gives their stance,
    so no one is listed with nothing under them.
    """
    facts = sorted(facts, key=lambda f: f.position)
    names: dict[str, str] = {}  # the first spelling met names the actor
    for f in facts:
        if f.kind in {"stance", "quote", "role"}:
            names.setdefault(actor_key(f.subject), f.subject)
    alias = alias_of(names)
    actors: dict[str, MapActor] = {}
    stance: dict[str, str] = {}

    def actor(subject: str, position: int) -> MapActor:
        key = actor_key(subject)
        key = alias.get(key, key)
        if key not in actors:
            actors[key] = MapActor(name=names[key], first_position=position)
        return actors[key]

    for fact in facts:
        if fact.kind == "stance":
            target = actor(fact.subject, fact.position)
            key = actor_key(fact.subject)
            stance.setdefault(alias.get(key, key), fact.object)
            said = MapQuote(fact.sentence, fact.position)
            if fact.sentence and said not in target.argues:
                target.argues.append(said)
        elif fact.kind == "quote":
            target = actor(fact.subject, fact.position)
            quote = map_quote(fact.object, fact.sentence, fact.position)
            if quote is not None and quote not in target.quotes:
                target.quotes.append(quote)
        elif fact.kind == "role":
            # "president of Signal" already names its organisation; "CEO" alone does not.
            named = fact.relation and fact.relation.casefold() in fact.object.casefold()
            role = f"{fact.object}, {fact.relation}" if fact.relation and not named else fact.object
            target = actor(fact.subject, fact.position)
            if role not in target.roles:
                target.roles.append(role)

    known = [key for key, _label in sides]
    columns: dict[str, list[MapActor]] = {key: [] for key in [*known, NOT_STATED]}
    for key, found in actors.items():
        side = stance.get(key, NOT_STATED)
        if side not in columns:
            side = NOT_STATED
        if side == NOT_STATED and not found.quotes:
            continue
        columns[side].append(found)
    labels = dict(sides) | {NOT_STATED: "Side not stated" if sides else "People quoted"}
    return DebateMap(
        question=question,
        sides=tuple(
            MapSide(key, labels[key], tuple(sorted(col, key=lambda a: a.first_position)))
            for key, col in columns.items()
            if key != NOT_STATED or col
        ),
    )
