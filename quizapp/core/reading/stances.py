"""Who says they are for or against whom: records from verbs and nouns of support.

Verbs of support and opposition ("backed", "criticised", "sued") and their nouns ("singled
out for criticism by the security minister") each give an actor (a name, a role the article
gave a name, or a collective like "critics" or "the government") and a target. A target is
resolved to an owner: a name in it, or the actor who started the thing it names ("the
campaign" the government will start). ``debate`` turns these records into sides.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from quizapp.core.facts import EntityType, Fact, FactKind
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle, Sentence

_FOR_VERBS = frozenset(
    {"support", "back", "welcome", "praise", "defend", "endorse", "favour", "favor", "urge",
     "champion", "applaud", "second", "approve", "hail"}
)  # fmt: skip


_AGAINST_VERBS = frozenset(
    {"oppose", "criticise", "criticize", "condemn", "reject", "challenge", "sue", "appeal",
     "denounce", "slam", "attack", "protest", "decry", "blast", "fight", "accuse", "object"}
)  # fmt: skip


_FOR_NOUNS = frozenset({"support", "backing", "praise", "endorsement"})


_AGAINST_NOUNS = frozenset({"criticism", "opposition", "attack", "condemnation", "fire"})


# Actors without a proper name that news reports as taking sides.
_COLLECTIVES = frozenset(
    {"government", "critics", "campaigners", "opponents", "supporters", "activists", "police",
     "experts", "officials", "unions", "ministers", "lawmakers", "residents", "parents"}
)  # fmt: skip


# Verbs whose subject owns the thing they make: "the government will start a campaign".
MAKING_VERBS = frozenset(
    {"start", "launch", "propose", "introduce", "plan", "announce", "create", "build",
     "implement", "unveil", "draft", "table", "pass", "push", "begin", "design"}
)  # fmt: skip


_ACTOR_TYPES = frozenset(
    {EntityType.PERSON, EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP,
     EntityType.GROUP, EntityType.OTHER}
)  # fmt: skip


@dataclass(frozen=True)
class Record:
    """One actor for or against a target."""

    actor: str
    support: bool
    target: str  # an owner's name, or "" when the target names nobody
    sentence: Sentence


def stance_records(
    parsed: ParsedArticle, entities: Entities, facts: Sequence[Fact]
) -> list[Record]:
    holders = role_holders(facts)
    owners = _owners(parsed, entities)
    return [r for s in parsed.sentences for r in _records(s, entities, holders, owners)]


def role_holders(facts: Sequence[Fact]) -> dict[str, str]:
    """ "the security minister" -> the person the article calls so."""
    return {f.object.casefold(): f.subject for f in facts if f.kind == FactKind.ROLE}


def _owners(parsed: ParsedArticle, entities: Entities) -> dict[str, str]:
    """Noun lemma -> the actor whose thing it is: "the government will start a campaign"."""
    owners: dict[str, str] = {}
    for sentence in parsed.sentences:
        for token in sentence.span:
            if token.dep_ != "dobj" or token.pos_ != "NOUN":
                continue
            if token.head.lemma_.lower() not in MAKING_VERBS:
                continue
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                actor = actor_of(subject, sentence, entities, {})
                if actor:
                    owners.setdefault(token.lemma_.lower(), actor)
    return owners


def _records(
    sentence: Sentence, entities: Entities, holders: dict[str, str], owners: dict[str, str]
) -> Iterator[Record]:
    for token in sentence.span:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and (lemma in _FOR_VERBS or lemma in _AGAINST_VERBS):
            support = lemma in _FOR_VERBS
            actor_token = _subject_of(token)
            target = next((c for c in token.children if c.dep_ == "dobj"), None)
        elif token.pos_ == "NOUN" and (lemma in _FOR_NOUNS or lemma in _AGAINST_NOUNS):
            support = lemma in _FOR_NOUNS
            agent = next(
                (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("by", "from")),
                None,
            )
            actor_token = (
                next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            )
            verb = token.head.head if token.head.dep_ == "prep" else token.head
            target = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        else:
            continue
        if actor_token is None:
            continue
        actor = actor_of(actor_token, sentence, entities, holders)
        if not actor:
            continue
        owner = _target_owner(target, sentence, entities, holders, owners) if target else ""
        yield Record(actor, support, "" if owner == actor else owner, sentence)


def _subject_of(verb: Token) -> Token | None:
    """Who does the verb: its subject, or the "by" agent of a passive."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        return _subject_of(verb.head)
    return None


def actor_of(token: Token, sentence: Sentence, entities: Entities, holders: dict[str, str]) -> str:
    """The name an actor phrase stands for: a mention in it, a role the article gave a
    person ("the security minister"), or a collective ("critics", "the government")."""
    words = list(token.subtree)
    for mention in entities.within(sentence.index, words):
        if entities.type_of(mention.name) in _ACTOR_TYPES:
            return mention.name
    phrase = " ".join(t.text for t in words if t.pos_ != "DET").casefold()
    if phrase in holders:
        return holders[phrase]
    if token.lemma_.lower() in _COLLECTIVES or token.lower_ in _COLLECTIVES:
        # As a sentence would write it mid-way: "critics", "the government".
        the = any(c.lower_ == "the" for c in token.children if c.dep_ == "det")
        return f"the {token.lower_}" if the else token.lower_
    return ""


def _target_owner(
    target: Token,
    sentence: Sentence,
    entities: Entities,
    holders: dict[str, str],
    owners: dict[str, str],
) -> str:
    owner = actor_of(target, sentence, entities, holders)
    if owner:
        return owner
    lemma = target.lemma_.lower()
    return owners.get(lemma) or _named_by_head(entities, sentence.index, lemma)


def _named_by_head(entities: Entities, before: int, noun: str) -> str:
    """ "the association": the last name before it whose head word is that noun
    ("Library Users Association")."""
    for index in range(before, max(before - 8, -1), -1):
        for mention in reversed(entities.in_sentence(index)):
            if mention.name.rsplit(" ", 1)[-1].lower() == noun and " " in mention.name:
                return mention.name
    return ""
