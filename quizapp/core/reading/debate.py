"""The article's own debate: what is contested, who is for it and who against.

The contested party is the one the support/opposition records (``stances``) oppose most,
weighted by the lead; it is "for" its own proposal. Opposing an owner puts an actor on the
other side from that owner, supporting it on the same side. Quoted people no verb places are
then placed by what they say (``polarity``). The question is made from the contested party's
own action in the headline or lead ("Should Meta introduce encryption in Facebook
communications?"), and the sides are named after it. Without such an action, with fewer than
two actors, or with nobody on one of the sides, the article has no debate and none is
invented: a debate that does not name what is argued about teaches nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from quizapp.core.facts import Fact, FactKind, Side
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.polarity import quoted_sides, side_terms
from quizapp.core.reading.stances import Record, stance_records
from quizapp.core.reading.structure import ParsedArticle, Sentence

_CONFIDENCE = 0.7  # a side read off a verb of support or opposition
_QUOTED_CONFIDENCE = 0.65  # a side read off what a speaker says


@dataclass(frozen=True)
class Debate:
    question: str = ""  # "" when the article argues about nothing clear
    sides: tuple[Side, ...] = ()
    stances: tuple[Fact, ...] = ()  # STANCE facts: subject takes side object


def find_debate(parsed: ParsedArticle, entities: Entities, facts: Sequence[Fact]) -> Debate:
    records = stance_records(parsed, entities, facts)
    opposed = Counter(r.target for r in records if not r.support and r.target)
    if not opposed:
        return Debate()
    for name in _lead_names(parsed, entities):
        if name in opposed:
            opposed[name] += 1  # the story is about whoever its lead is about
    contested = opposed.most_common(1)[0][0]
    taken, evidence = _sides_from_records(records, contested)
    if len(taken) < 2 or set(taken.values()) != {"for", "against"}:
        return Debate()
    proposal = _action(parsed, contested, entities)
    if not proposal:
        return Debate()
    action = " ".join(t.text for t in proposal if not t.is_punct or t.text == "-").strip()
    by_text = {s.text: s for s in parsed.sentences}
    terms = side_terms(taken, proposal, facts, by_text)
    stances = []
    first_sentence = _first_mention(parsed, entities, contested)
    for actor, key in taken.items():
        sentence = evidence.get(actor) or first_sentence
        if sentence is not None:
            stances.append(Fact(FactKind.STANCE, actor, key, sentence.text, confidence=_CONFIDENCE))
    for speaker, (key, sentence) in quoted_sides(parsed, entities, facts, terms).items():
        stances.append(
            Fact(FactKind.STANCE, speaker, key, sentence.text, confidence=_QUOTED_CONFIDENCE)
        )
    label = f"{contested}'s plan to {action}"
    return Debate(
        f"Should {contested} {action}?",
        (Side("for", f"For {label}"), Side("against", f"Against {label}")),
        tuple(stances),
    )


def _sides_from_records(
    records: list[Record], contested: str
) -> tuple[dict[str, str], dict[str, Sentence]]:
    """Actor -> side, spreading out from the contested party through who opposes or supports
    whom (twice, so a supporter of an opponent is placed too), with each side's evidence."""
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
    return taken, evidence


def _other(key: str) -> str:
    return "against" if key == "for" else "for"


def _action(parsed: ParsedArticle, contested: str, entities: Entities) -> list[Token]:
    """The contested party's own action, from the headline or the lead: the first
    to-infinitive or verb phrase in a sentence that names the party ("to introduce
    encryption in Facebook communications"), as its words from the verb on."""
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
                return words
    return []


def _lead_names(parsed: ParsedArticle, entities: Entities) -> set[str]:
    return {m.name for s in parsed.sentences[:2] for m in entities.in_sentence(s.index)}


def _first_mention(parsed: ParsedArticle, entities: Entities, name: str) -> Sentence | None:
    for sentence in parsed.sentences:
        if any(m.name == name for m in entities.in_sentence(sentence.index)):
            return sentence
    return None
