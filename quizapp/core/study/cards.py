"""Flashcards as plain data: what a card shows, and how FSRS reschedules it.

A card is either an approved question or a fact worth memorising (a definition or a quote).
Its key (``q:<question id>`` or ``f:<fact id>``) names it in forms and links. Scheduling wraps
the ``fsrs`` package (FSRS v6) behind naive-UTC datetimes, the way the database stores them,
with the clock always passed in, so a test can replay a day of reviews exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from functools import cache

from fsrs import Card, Rating, Scheduler, State

from quizapp.core.facts import FactKind
from quizapp.core.questions import BLANK, topic_of_fact

# Facts that make a card by themselves; the other kinds are already asked by questions.
CARD_FACT_KINDS: tuple[FactKind, ...] = (FactKind.DEFINITION, FactKind.QUOTE)


class CardSource(StrEnum):
    QUESTION = "q"
    FACT = "f"


@dataclass(frozen=True, order=True)
class CardKey:
    source: CardSource
    id: int

    def __str__(self) -> str:
        return f"{self.source}:{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> CardKey | None:
        """The key a form or link carries; anything malformed is None, never an exception."""
        match = re.fullmatch(r"([qf]):([1-9][0-9]{0,17})", text or "")
        if match is None:
            return None
        return cls(CardSource(match[1]), int(match[2]))


@dataclass(frozen=True)
class StudyCard:
    """Both faces of a card: the front asks, the back answers and cites the article."""

    key: CardKey
    topic: str
    prompt: str  # the question asked on the front
    body: str  # what the prompt is about (the term, the blanked sentence); may be empty
    choices: tuple[str, ...]  # a question's choices, shown on the front
    answers: tuple[str, ...]  # the back: the correct answer(s)
    explanation: str
    evidence: str  # the article's sentence that is the answer's evidence
    article_title: str


def question_card(
    question_id: int,
    stem: str,
    topic: str,
    choices: Sequence[tuple[str, bool]],
    explanation: str,
    evidence: str,
    article_title: str,
) -> StudyCard:
    return StudyCard(
        key=CardKey(CardSource.QUESTION, question_id),
        topic=topic,
        prompt=stem,
        body="",
        choices=tuple(text for text, _ in choices),
        answers=tuple(text for text, correct in choices if correct),
        explanation=explanation,
        evidence=evidence,
        article_title=article_title,
    )


def fact_card(
    fact_id: int, kind: str, subject: str, obj: str, evidence: str, article_title: str
) -> StudyCard:
    """A definition asks what the term means; a quote shows its sentence, speaker blanked.

    The sentence rather than the bare quote, because short quotes ("walk") mean nothing alone;
    the speaker's name (or any capitalised part of it) is blanked so the front does not answer
    itself.
    """
    fact_kind = FactKind(kind)
    if fact_kind == FactKind.DEFINITION:
        prompt, body, answer, explanation = "What does this term mean?", subject, obj, ""
    elif fact_kind == FactKind.QUOTE:
        prompt, body, answer = "Who said this?", blank_speaker(evidence, subject), subject
        explanation = f"{subject} said “{obj}”."
    else:
        raise ValueError(f"a {kind} fact is not a card")
    return StudyCard(
        key=CardKey(CardSource.FACT, fact_id),
        topic=str(topic_of_fact(fact_kind)),
        prompt=prompt,
        body=body,
        choices=(),
        answers=(answer,),
        explanation=explanation,
        evidence=evidence,
        article_title=article_title,
    )


def blank_speaker(sentence: str, speaker: str) -> str:
    """The sentence with the speaker's full name, then each capitalised part of it, blanked."""
    names = [speaker, *(w for w in speaker.split() if len(w) > 2 and w[0].isupper())]
    for name in names:
        sentence = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", BLANK, sentence)
    return sentence


# --- Scheduling -------------------------------------------------------------------------------


class Phase(IntEnum):
    """FSRS's card states, as stored. A card never studied has no stored state at all."""

    LEARNING = State.Learning.value
    REVIEW = State.Review.value
    RELEARNING = State.Relearning.value


RATINGS: dict[int, str] = {int(r): r.name for r in Rating}  # 1: "Again" ... 4: "Easy"
GOOD = int(Rating.Good)  # ratings at least this good count as recalled in accuracy


@dataclass(frozen=True)
class Memory:
    """One learner's FSRS state for one card; datetimes are naive UTC like the database's."""

    phase: Phase
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


@cache
def _scheduler(fuzz: bool) -> Scheduler:
    return Scheduler(enable_fuzzing=fuzz)


def schedule(memory: Memory | None, rating: int, now: datetime, *, fuzz: bool = False) -> Memory:
    """The card's state after rating it at ``now``; ``None`` is a card never studied.

    ``fuzz`` spreads long intervals by a random day or two (FSRS's own fuzz), so cards learnt
    together do not all fall due together; it is off unless asked for, to keep tests exact.
    """
    card = Card(card_id=1, due=_aware(now)) if memory is None else _card(memory)
    reviewed, _log = _scheduler(fuzz).review_card(card, Rating(rating), _aware(now))
    return Memory(
        phase=Phase(int(reviewed.state)),
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=_naive(reviewed.due),
        last_review=_naive(reviewed.last_review) if reviewed.last_review else None,
    )


def _card(memory: Memory) -> Card:
    return Card(
        card_id=1,
        state=State(int(memory.phase)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_aware(memory.due),
        last_review=_aware(memory.last_review) if memory.last_review else None,
    )


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


# --- The day's queue --------------------------------------------------------------------------


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Midnight UTC starting today, and the next one: "due today" means due before the latter."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def due_today(
    due_studied: int, new_available: int, new_studied_today: int, new_per_day: int
) -> int:
    """Cards left for today: studied cards due today, and new ones up to the daily allowance."""
    return due_studied + new_allowance(new_available, new_studied_today, new_per_day)


def new_allowance(new_available: int, new_studied_today: int, new_per_day: int) -> int:
    return max(0, min(new_available, new_per_day - new_studied_today))


def interval_label(interval: timedelta) -> str:
    """How long until a card comes back, as a rating button says it: "10 min", "3 days"."""
    minutes = max(1, round(interval.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = round(minutes / 60)
    if hours < 24:
        return f"{hours} h"
    days = round(hours / 24)
    if days < 31:
        return "1 day" if days == 1 else f"{days} days"
    months = round(days / 30.4)
    if months < 12:
        return "1 month" if months == 1 else f"{months} months"
    years = round(days / 365.25, 1)
    return f"{years:g} years" if years != 1 else "1 year"
