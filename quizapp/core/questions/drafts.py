"""A question draft, its kinds and topics, and the last house rules every draft obeys.

Drafts are what generators make and gates check; nothing is stored until a teacher approves.
Each question shuffles with its own seeded RNG so that adding a fact to an article leaves every
other question exactly as it was.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from quizapp.core.facts import EntityType, Fact, FactKind
from quizapp.core.questions.wording import comparable, contains


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TRUE_FALSE = "true_false"


class Topic(StrEnum):
    """The study topics progress is reported by; every question belongs to one."""

    QUOTES = "Who said what"
    ROLES = "Roles"
    NAMES = "People, places and organisations"
    GROUPS = "Groups and lists"
    LAW = "Laws and powers"
    NUMBERS = "Dates and numbers"
    SIDES = "The debate's sides"
    TERMS = "Key terms"


@dataclass(frozen=True)
class QuestionDraft:
    kind: QuestionKind
    topic: Topic
    stem: str
    choices: tuple[str, ...]
    answers: tuple[int, ...]  # indexes into choices
    explanation: str
    evidence: str  # the source sentence, verbatim from the article
    fact_key: str = ""  # Fact.key of the fact it tests, so drafts of one fact dedupe
    generator: str = ""  # which generator made it: with fact_key, the draft's identity

    def to_json(self) -> dict[str, object]:
        """The shape DESIGN.md promises to tools reading ``generate --format json``."""
        return {
            "kind": str(self.kind),
            "topic": str(self.topic),
            "stem": self.stem,
            "choices": list(self.choices),
            "answers": list(self.answers),
            "explanation": self.explanation,
            "evidence": self.evidence,
        }


TRUE_FALSE_CHOICES = ("True", "False")


GAP_PROMPT = "Which fills the gap in this sentence from the article?"
# The key of a gap-fill question that tests a sentence rather than one extracted fact.
GAP_KEY_PREFIX = "gap|"


TOPIC_OF_TYPE: Mapping[EntityType, Topic] = {
    EntityType.LAW: Topic.LAW,
    EntityType.REGULATOR: Topic.LAW,
    EntityType.TERM: Topic.TERMS,
}  # any other name is studied under Topic.NAMES


_TOPIC_OF_FACT: Mapping[FactKind, Topic] = {
    FactKind.QUOTE: Topic.QUOTES,
    FactKind.ROLE: Topic.ROLES,
    FactKind.MEMBER: Topic.GROUPS,
    FactKind.POWER: Topic.LAW,
    FactKind.NUMBER: Topic.NUMBERS,
    FactKind.DEFINITION: Topic.TERMS,
    FactKind.STANCE: Topic.SIDES,
}


SINGLE_CHOICES = 4
CHOICES_MAX = 8  # more than this is a list to read, not a question


MULTI_MIN_DISTRACTORS = 2  # with fewer, "tick everything" scores too well on multi questions


SHORT_QUOTE_WORDS = 5  # quotes shorter than this mean nothing without their sentence


def topic_of_fact(kind: FactKind) -> Topic:
    """The topic a fact is studied under, by question or by card alike."""
    return _TOPIC_OF_FACT[kind]


def single_choice(
    rng: random.Random,
    *,
    generator: str,
    fact: Fact,
    topic: Topic,
    stem: str,
    answer: str,
    distractors: Sequence[str],
    explanation: str,
    min_choices: int = SINGLE_CHOICES,
) -> Iterator[QuestionDraft]:
    """Shuffle a one-answer question, or yield nothing if it lacks honest distractors."""
    if len(distractors) + 1 < min_choices:
        return
    choices = [answer, *distractors]
    rng.shuffle(choices)
    yield from finish(
        QuestionDraft(
            kind=QuestionKind.SINGLE,
            topic=topic,
            stem=stem,
            choices=tuple(choices),
            answers=(choices.index(answer),),
            explanation=explanation,
            evidence=fact.evidence,
            fact_key=fact.key,
            generator=generator,
        )
    )


def finish(draft: QuestionDraft) -> Iterator[QuestionDraft]:
    """The last guard: a draft breaking a house rule is dropped, never shown to a learner.

    A true/false answer is a fixed label, not content, so "True" in a statement gives
    nothing away and is allowed.
    """
    normalised = [comparable(choice) for choice in draft.choices]
    if len(set(normalised)) != len(normalised) or not draft.answers:
        return
    if any("all of the above" in n or "none of the above" in n for n in normalised):
        return
    if draft.kind != QuestionKind.TRUE_FALSE and any(
        contains(draft.stem, draft.choices[i]) for i in draft.answers
    ):
        return
    yield draft
