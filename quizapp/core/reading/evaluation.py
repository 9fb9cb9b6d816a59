"""How well extracted facts agree with a curated facts file: recall and precision.

The rule is deliberately strict about *where* a fact comes from and lenient about *wording*,
because a question cites its evidence sentence verbatim but may phrase the answer freely:
an expected fact counts as found when some extracted fact has

- the same kind,
- the same evidence sentence (exactly), except for a stance, which is the actor's position in
  the whole article and may be shown by any sentence that states it,
- the same subject, once both are mapped through the entity names and aliases that either
  side declares (so "the government" matches "UK government" when one lists the other),
  except for members of a set and numbers, whose subject is a description the curator words
  freely ("apps", "Apple and the Ofcom team"): their sentence and value say which fact it is,
  and
- an object that, after lower-casing and reducing punctuation to spaces, equals, contains or
  is contained in the expected object as whole words.

Each extracted fact can match at most one expected fact, so duplicates never inflate recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.core.facts import ArticleFacts, Fact, FactKind

_NON_WORD = re.compile(r"[^a-z0-9]+")
_DESCRIBED_SUBJECTS = frozenset({FactKind.MEMBER, FactKind.NUMBER})


@dataclass(frozen=True)
class Recall:
    expected: int
    found: int
    matched: int
    missed: tuple[Fact, ...]  # expected facts nothing matched
    unmatched: tuple[Fact, ...]  # extracted facts that match no expected fact

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    def summary(self) -> str:
        return (
            f"recall {self.recall:.1%} ({self.matched}/{self.expected}),"
            f" precision {self.precision:.1%} ({self.matched}/{self.found})"
        )


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, with a leading "the" dropped."""
    words = _NON_WORD.sub(" ", text.lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _names_of(subject: str, *sources: ArticleFacts) -> set[str]:
    """Every normalised name the subject goes by in either set of facts."""
    names = {normalise(subject)}
    for facts in sources:
        entity = facts.entity(subject) or next(
            (e for e in facts.entities if normalise(subject) in _entity_names(e.name, e.aliases)),
            None,
        )
        if entity is not None:
            names |= _entity_names(entity.name, entity.aliases)
    return names


def _entity_names(name: str, aliases: tuple[str, ...]) -> set[str]:
    return {normalise(name), *(normalise(a) for a in aliases)}


def _objects_agree(expected: str, found: str) -> bool:
    a, b = f" {normalise(expected)} ", f" {normalise(found)} "
    if not a.strip() or not b.strip():
        return False
    return a in b or b in a


def match_facts(expected: ArticleFacts, found: ArticleFacts) -> Recall:
    """Pair each expected fact with at most one extracted fact under the rule above."""
    unused = list(found.facts)
    missed: list[Fact] = []
    matched = 0
    for want in expected.facts:
        want_names = _names_of(want.subject, expected, found)
        hit = next(
            (
                got
                for got in unused
                if got.kind == want.kind
                and (got.evidence == want.evidence or want.kind == FactKind.STANCE)
                and (
                    want.kind in _DESCRIBED_SUBJECTS
                    or want_names & _names_of(got.subject, expected, found)
                )
                and _objects_agree(want.object, got.object)
            ),
            None,
        )
        if hit is None:
            missed.append(want)
        else:
            unused.remove(hit)
            matched += 1
    return Recall(
        expected=len(expected.facts),
        found=len(found.facts),
        matched=matched,
        missed=tuple(missed),
        unmatched=tuple(unused),
    )
