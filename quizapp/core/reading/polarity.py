"""Which side a quoted speaker takes, read from what they say rather than a verb of support.

Many people in a debate never "back" or "criticise" anyone: they warn that a plan "would
jeopardise the privacy of messages", or call what the other side builds "a mass surveillance
apparatus". Two kinds of words carry that, each aimed through the parse:

* a harming verb ("jeopardise", "undermine", "compromise") said of a side's thing ("the
  privacy of messages", "the security of its encrypted service"): a speaker warning of, or
  refusing, harm to it defends that side; a harm done by a side's thing or actor (its
  subject) is held against that side;
* a negative evaluative word ("surveillance", "danger", "threat", "misused") in a clause
  whose subject is a side's actor or thing ("the government was attempting to establish ..."):
  the speaker opposes that side. A subject "it" or "this" stands for the side named last in
  the sentences just before.

A side's things are the contested proposal's own noun when the proposal makes or keeps it
("introduce encryption"; closing libraries makes libraries the other side's), what its actors
say they protect or maintain, and its actors. A word both sides value tells nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from quizapp.core.facts import ATTRIBUTION_THRESHOLD, Fact, FactKind
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.stances import MAKING_VERBS, actor_of
from quizapp.core.reading.structure import ParsedArticle, Sentence

_HARM_VERBS = frozenset(
    {"jeopardise", "jeopardize", "undermine", "compromise", "weaken", "damage", "erode",
     "endanger", "threaten", "lessen", "harm", "destroy", "violate", "breach", "break",
     "imperil", "sabotage"}
)  # fmt: skip
_NEGATIVE_WORDS = frozenset(
    {"surveillance", "danger", "dangerous", "threat", "impunity", "abuse", "misuse",
     "nefarious", "scourge", "harmful", "reckless", "irresponsible", "disastrous",
     "catastrophic", "disaster", "intrusive", "invasive", "censorship", "unlawful", "illegal",
     "draconian", "chilling", "backdoor", "loophole", "scandal", "betrayal", "shameful",
     "outrageous", "flawed", "unworkable", "failure", "wrong"}
)  # fmt: skip
_PROTECT_VERBS = frozenset(
    {"protect", "maintain", "preserve", "safeguard", "defend", "keep", "save", "guarantee"}
)
# A proposal that ends or cuts its object ("close six libraries") leaves that object to the
# side against it; one that makes or keeps it ("introduce encryption") to the side for it.
_ENDING_VERBS = frozenset(
    {"close", "cut", "ban", "scrap", "abolish", "end", "stop", "remove", "shut", "reduce",
     "restrict", "block", "axe", "demolish", "sell", "privatise", "privatize", "outlaw"}
)  # fmt: skip
_KEEPING_VERBS = MAKING_VERBS | {"keep", "protect", "expand", "extend", "increase", "bring"}
_STAND_INS = frozenset({"it", "this", "that", "these", "those"})
_RELATIVES = frozenset({"WDT", "WP", "WP$"})
_SUFFIXES = ("ation", "ion", "ing", "ed", "es", "s")
_LOOK_BACK = 2  # sentences an "it" or "this" may point back over


def stem(word: str) -> str:
    """ "encryption", "encrypted", "encrypt" -> "encrypt": one side's word in any form."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class SideTerms:
    """What belongs to each side: its actors (by folded name) and its things (by stem)."""

    actors: dict[str, str]
    things: dict[str, str]

    def side_of_actor(self, name: str) -> str | None:
        return self.actors.get(fold(name))

    def side_in(self, tokens: Iterable[Token], sentence: Sentence, entities: Entities) -> str:
        """The one side the tokens name (an actor or a thing), or "" for none or both."""
        found = {s for t in tokens if (s := self._side_of_token(t, sentence, entities))}
        return next(iter(found)) if len(found) == 1 else ""

    def last_side_in(self, sentence: Sentence, entities: Entities) -> str:
        for token in reversed(sentence.span):
            side = self._side_of_token(token, sentence, entities)
            if side:
                return side
        return ""

    def _side_of_token(self, token: Token, sentence: Sentence, entities: Entities) -> str:
        if token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"):
            mention = entities.at(sentence.index, token.i)
            actor = mention.name if mention else actor_of(token, sentence, entities, {})
            if actor and (side := self.side_of_actor(actor)):
                return side
            return self.things.get(stem(token.lemma_), "")
        return ""


def fold(name: str) -> str:
    """ "The government", "the government" and "Government" are one actor."""
    name = name.casefold()
    return name[4:] if name.startswith("the ") else name


def side_terms(
    sides: dict[str, str],
    proposal: Sequence[Token],
    facts: Sequence[Fact],
    by_text: dict[str, Sentence],
) -> SideTerms:
    actors = {fold(a): s for a, s in sides.items()}
    things: dict[str, set[str]] = {}
    verb = next((t for t in proposal if t.pos_ == "VERB"), None)
    if verb is not None:
        lemma = verb.lemma_.lower()
        owner = "for" if lemma in _KEEPING_VERBS else "against" if lemma in _ENDING_VERBS else ""
        for obj in (c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"):
            if owner:
                things.setdefault(stem(obj.lemma_), set()).add(owner)
    for fact in facts:
        side = actors.get(fold(fact.subject))
        sentence = by_text.get(fact.evidence)
        if fact.kind != FactKind.QUOTE or not side or sentence is None:
            continue
        for token in sentence.span:
            if token.lemma_.lower() in _PROTECT_VERBS and token.pos_ == "VERB":
                for obj in _objects(token):
                    things.setdefault(stem(obj.lemma_), set()).add(side)
    return SideTerms(
        actors=actors,
        things={w: next(iter(s)) for w, s in things.items() if len(s) == 1},
    )


def quoted_sides(
    parsed: ParsedArticle, entities: Entities, facts: Sequence[Fact], terms: SideTerms
) -> dict[str, tuple[str, Sentence]]:
    """Speaker -> (side, the sentence that shows it), for speakers with no side yet whose
    sure quotes lean one way."""
    by_text = {s.text: s for s in parsed.sentences}
    leaning: dict[str, Counter[str]] = {}
    shown: dict[str, Sentence] = {}
    for fact in facts:
        if fact.kind != FactKind.QUOTE or fact.confidence < ATTRIBUTION_THRESHOLD:
            continue
        if not fact.subject or terms.side_of_actor(fact.subject):
            continue
        sentence = by_text.get(fact.evidence)
        if sentence is None:
            continue
        votes = _leaning(sentence, parsed, entities, terms)
        if votes:
            leaning.setdefault(fact.subject, Counter()).update(votes)
            shown.setdefault(fact.subject, sentence)
    found = {}
    for speaker, votes in leaning.items():
        score = votes["for"] - votes["against"]
        if score:
            found[speaker] = ("for" if score > 0 else "against", shown[speaker])
    return found


def _leaning(
    sentence: Sentence, parsed: ParsedArticle, entities: Entities, terms: SideTerms
) -> Counter[str]:
    """+1 for the side the sentence's words defend, +1 for the side they oppose's other."""
    votes: Counter[str] = Counter()
    seen_clauses: set[tuple[int, str]] = set()
    for token in sentence.span:
        lemma = token.lemma_.lower()
        if lemma in _HARM_VERBS and token.pos_ == "VERB":
            if any(c.dep_ == "neg" for c in token.children):
                continue  # "does not damage": no harm said
            harmed = terms.side_in(
                (t for o in _objects(token) for t in o.subtree), sentence, entities
            )
            if harmed:
                votes[harmed] += 1  # a warning of, or refusal of, harm to it
                continue
            doer = _clause_side(token, sentence, parsed, entities, terms)
            if doer:
                votes[_other(doer)] += 1
        elif lemma in _NEGATIVE_WORDS or stem(lemma) in _NEGATIVE_WORDS:
            side = terms.side_in(_own_modifiers(token), sentence, entities) or _clause_side(
                token, sentence, parsed, entities, terms
            )
            if side and (token.head.i, side) not in seen_clauses:
                seen_clauses.add((token.head.i, side))
                votes[_other(side)] += 1
    return votes


def _objects(verb: Token) -> list[Token]:
    """What a verb acts on, with the things it is joined to ("privacy and security")."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"]
    return [*found, *(c for o in found for c in o.children if c.dep_ == "conj")]


def _own_modifiers(token: Token) -> list[Token]:
    """ "Meta's dangerous plan", "government surveillance": whose the evaluated thing is."""
    noun = token.head if token.dep_ == "amod" else token
    return [c for c in noun.children if c.dep_ in ("poss", "compound", "nmod")]


def _clause_side(
    token: Token, sentence: Sentence, parsed: ParsedArticle, entities: Entities, terms: SideTerms
) -> str:
    """The side of the subject of the clause holding ``token``: up through verbs whose subject
    is a relative pronoun ("which could be misused") to one with a real subject."""
    node = token
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX"):
            subject = next(
                (c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None
            )
            if subject is not None and subject.tag_ not in _RELATIVES:
                return _subject_side(subject, sentence, parsed, entities, terms)
        if node.head.i == node.i:
            return ""
        node = node.head
    return ""


def _subject_side(
    subject: Token,
    sentence: Sentence,
    parsed: ParsedArticle,
    entities: Entities,
    terms: SideTerms,
) -> str:
    """A subject names a side itself, or stands in ("it", "doing this") for the side named
    last before it."""
    words = list(subject.subtree)
    heads = [subject, *(c for c in subject.children if c.dep_ == "dobj")]
    if any(w.lower_ in _STAND_INS and w.pos_ in ("PRON", "DET") for w in heads):
        for back in range(1, _LOOK_BACK + 1):
            if sentence.index - back < 0:
                break
            side = terms.last_side_in(parsed.sentences[sentence.index - back], entities)
            if side:
                return side
        return ""
    return terms.side_in(words, sentence, entities)


def _other(key: str) -> str:
    return "against" if key == "for" else "for"
