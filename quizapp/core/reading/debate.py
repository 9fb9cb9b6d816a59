"""The article's own debate: what is contested, who is for it and who against.

Stances come from verbs of support and opposition ("backed", "criticised", "sued") and their
nouns ("singled out for criticism by the security minister"), each with an actor (a name, a
role the article gave a name, or a collective like "critics" or "the government") and a
target. The contested party is the one most opposed; it is "for" its own proposal. A target
is resolved to an owner: a name in it, or the actor who started the thing it names ("the
campaign" the government will start). Opposing an owner puts an actor on the other side from
that owner. The question is made from the contested party's own action in the headline or
lead ("Should Meta introduce encryption in Facebook communications?"), or left empty when it
would not read well. With fewer than two actors, or nobody on one of the sides, the article
has no debate and none is invented.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from quizapp.core.facts import EntityType, Fact, FactKind, Side
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle, Sentence


@dataclass(frozen=True)
class Debate:
    question: str = ""  # "" when the article argues about nothing clear
    sides: tuple[Side, ...] = ()
    stances: tuple[Fact, ...] = ()  # STANCE facts: subject takes side object


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
_MAKING_VERBS = frozenset(
    {"start", "launch", "propose", "introduce", "plan", "announce", "create", "build",
     "implement", "unveil", "draft", "table", "pass", "push", "begin", "design"}
)  # fmt: skip
_ACTOR_TYPES = frozenset(
    {EntityType.PERSON, EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP,
     EntityType.GROUP, EntityType.OTHER}
)  # fmt: skip


@dataclass(frozen=True)
class _Record:
    actor: str
    support: bool
    target: str  # an owner's name, or "" when the target names nobody
    sentence: Sentence


def find_debate(parsed: ParsedArticle, entities: Entities, facts: Sequence[Fact]) -> Debate:
    holders = _role_holders(facts)
    owners = _owners(parsed, entities)
    records = [r for s in parsed.sentences for r in _records(s, entities, holders, owners)]
    opposed = Counter(r.target for r in records if not r.support and r.target)
    if not opposed:
        return Debate()
    for name in _lead_names(parsed, entities):
        if name in opposed:
            opposed[name] += 1  # the story is about whoever its lead is about
    contested = opposed.most_common(1)[0][0]
    side: dict[str, str] = {contested: "for"}
    evidence: dict[str, Sentence] = {}
    for _ in range(2):
        for record in records:
            if record.actor in side and record.actor != contested:
                continue
            owner_side = side.get(record.target or contested)
            if owner_side is None or record.actor == contested:
                continue
            side[record.actor] = owner_side if record.support else _other(owner_side)
            evidence[record.actor] = record.sentence
    taken = {k: v for k, v in side.items() if k in evidence or k == contested}
    if len(taken) < 2 or set(taken.values()) != {"for", "against"}:
        return Debate()
    action = _action(parsed, contested, entities)
    question = f"Should {contested} {action}?" if action else ""
    proposal = f"{contested}'s plan to {action}" if action else f"{contested}'s position"
    sides = (
        Side("for", f"For {proposal}"),
        Side("against", f"Against {proposal}"),
    )
    stances = []
    first_sentence = _first_mention(parsed, entities, contested)
    for actor, key in taken.items():
        sentence = evidence.get(actor) or first_sentence
        if sentence is not None:
            stances.append(Fact(FactKind.STANCE, actor, key, sentence.text, confidence=0.7))
    return Debate(question, sides, tuple(stances))


def _other(key: str) -> str:
    return "against" if key == "for" else "for"


def _role_holders(facts: Sequence[Fact]) -> dict[str, str]:
    """ "the security minister" -> the person the article calls so."""
    return {f.object.casefold(): f.subject for f in facts if f.kind == FactKind.ROLE}


def _owners(parsed: ParsedArticle, entities: Entities) -> dict[str, str]:
    """Noun lemma -> the actor whose thing it is: "the government will start a campaign"."""
    owners: dict[str, str] = {}
    for sentence in parsed.sentences:
        for token in sentence.span:
            if token.dep_ != "dobj" or token.pos_ != "NOUN":
                continue
            if token.head.lemma_.lower() not in _MAKING_VERBS:
                continue
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                actor = _actor(subject, sentence, entities, {})
                if actor:
                    owners.setdefault(token.lemma_.lower(), actor)
    return owners


def _records(
    sentence: Sentence, entities: Entities, holders: dict[str, str], owners: dict[str, str]
) -> Iterator[_Record]:
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
        actor = _actor(actor_token, sentence, entities, holders)
        if not actor:
            continue
        owner = _target_owner(target, sentence, entities, holders, owners) if target else ""
        yield _Record(actor, support, "" if owner == actor else owner, sentence)


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


def _actor(token: Token, sentence: Sentence, entities: Entities, holders: dict[str, str]) -> str:
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
        return token.text.capitalize()
    return ""


def _target_owner(
    target: Token,
    sentence: Sentence,
    entities: Entities,
    holders: dict[str, str],
    owners: dict[str, str],
) -> str:
    owner = _actor(target, sentence, entities, holders)
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


def _action(parsed: ParsedArticle, contested: str, entities: Entities) -> str:
    """The contested party's own action, from the headline or the lead: the first
    to-infinitive or verb phrase in a sentence that names the party ("to introduce
    encryption in Facebook communications")."""
    for sentence in parsed.sentences[:3]:
        names = {m.name for m in entities.in_sentence(sentence.index)}
        if contested not in names:
            continue
        for token in sentence.span:
            if token.pos_ != "VERB" or token.tag_ != "VB":
                continue
            if not any(c.lower_ == "to" and c.dep_ == "aux" for c in token.children):
                continue
            words = [t for t in token.subtree if t.dep_ != "aux" or t.head.i != token.i]
            words = [t for t in words if t.i >= token.i]
            if 2 <= len(words) <= 10 and not any(
                t.text in ('"', "\u201c", "\u201d") for t in words
            ):
                return " ".join(t.text for t in words if not t.is_punct or t.text == "-").strip()
    return ""


def _lead_names(parsed: ParsedArticle, entities: Entities) -> set[str]:
    return {m.name for s in parsed.sentences[:2] for m in entities.in_sentence(s.index)}


def _first_mention(parsed: ParsedArticle, entities: Entities, name: str) -> Sentence | None:
    for sentence in parsed.sentences:
        if any(m.name == name for m in entities.in_sentence(sentence.index)):
            return sentence
    return None
