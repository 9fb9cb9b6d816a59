"""A learner's (or a class's) progress as plain data: mastery per topic, and a score chart.

Mastery of a topic has two parts, both shares between 0 and 1:

- cards mastered: the topic's cards in FSRS's Review state (learnt, no longer in the
  short learning or relearning steps), out of all the topic's cards the learner may study;
  cards never studied count as not mastered;
- recent accuracy: of the learner's last ``recent`` answers in the topic, the share that
  were right. An answer is a quiz response (graded or practice: both show what the learner
  knows now) or a card rating, which counts as right when it is Good or Easy.

The topic's mastery combines the two: the share of cards mastered, but never more than the
recent accuracy. FSRS moves a card to Review after a single Easy, and a learner who has just
got the question wrong may well press Easy on seeing the answer; one rating must not show a
topic as 100% mastered while the learner's own answers say half of them were wrong. So a topic
is only as mastered as the weaker of the two kinds of evidence: how well the cards are
remembered, and how often the learner is actually right. With no answers yet it is the cards'
share alone (and nothing with no cards).

For several learners (a class) both are pooled: mastered cards over all the learners' cards
(each learner's own, as their classes' quizzes may differ), and right answers over all answers
counted (each learner's last ``recent`` per topic).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.core.questions import Topic

RECENT_ANSWERS = 20


@dataclass(frozen=True)
class TopicCards:
    """How many cards of a topic one learner may study (their classes' quizzes differ)."""

    learner_id: int
    topic: str
    cards: int


@dataclass(frozen=True)
class Mastered:
    """How many of a topic's cards one learner has in Review state."""

    learner_id: int
    topic: str
    cards: int


@dataclass(frozen=True)
class Answer:
    learner_id: int
    topic: str
    correct: bool
    at: datetime


@dataclass(frozen=True)
class TopicProgress:
    topic: str
    cards: int  # summed over the learners
    learners: int
    mastered: int  # summed over the learners
    answered: int  # recent answers counted, summed over the learners
    correct: int

    @property
    def cards_mastered(self) -> float | None:
        """The share of the topic's cards in FSRS's Review state."""
        return self.mastered / self.cards if self.cards else None

    @property
    def mastery(self) -> float | None:
        """The cards' share, held to the recent accuracy (see the module's docstring)."""
        cards, accuracy = self.cards_mastered, self.accuracy
        if cards is None or accuracy is None:
            return cards
        return min(cards, accuracy)

    @property
    def held_by_accuracy(self) -> bool:
        """Whether recent answers, not the cards, set the mastery shown."""
        return self.mastery is not None and self.mastery != self.cards_mastered

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


def topic_progress(
    learner_ids: Sequence[int],
    cards: Iterable[TopicCards],
    mastered: Iterable[Mastered],
    answers: Iterable[Answer],
    recent: int = RECENT_ANSWERS,
) -> list[TopicProgress]:
    """Every topic with cards or answers, in the order of ``Topic``, then other topics by name.

    Rows of learners outside ``learner_ids`` are ignored, so a caller may pass a broad query.
    """
    learners = set(learner_ids)
    per_learner = {(row.learner_id, row.topic): row.cards for row in cards}
    cards_in: dict[str, int] = defaultdict(int)
    for (learner, topic), count in per_learner.items():
        if learner in learners:
            cards_in[topic] += count
    mastered_in: dict[str, int] = defaultdict(int)
    for row in mastered:
        if row.learner_id in learners:
            mastered_in[row.topic] += min(
                row.cards, per_learner.get((row.learner_id, row.topic), 0)
            )
    latest: dict[tuple[int, str], list[Answer]] = defaultdict(list)
    for answer in answers:
        if answer.learner_id in learners:
            latest[answer.learner_id, answer.topic].append(answer)
    answered: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    for (_learner, topic), given in latest.items():
        counted = sorted(given, key=lambda a: a.at, reverse=True)[:recent]
        answered[topic] += len(counted)
        right[topic] += sum(a.correct for a in counted)
    topics = sorted({*cards_in, *answered}, key=_topic_order)
    return [
        TopicProgress(
            topic=topic,
            cards=cards_in[topic],
            learners=len(learners),
            mastered=mastered_in[topic],
            answered=answered[topic],
            correct=right[topic],
        )
        for topic in topics
    ]


_TOPICS = [str(t) for t in Topic]


def _topic_order(topic: str) -> tuple[int, str]:
    return (_TOPICS.index(topic), "") if topic in _TOPICS else (len(_TOPICS), topic)


# --- Score over time --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    """One submitted graded attempt."""

    when: datetime
    quiz: str
    percent: float


@dataclass(frozen=True)
class ChartDot:
    x: float
    y: float
    point: ScorePoint


@dataclass(frozen=True)
class ScoreChart:
    """Geometry for a server-drawn SVG line chart: percent (0-100) up, attempts across."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    dots: tuple[ChartDot, ...]
    gridlines: tuple[tuple[int, float], ...]  # (percent, y)

    @property
    def line(self) -> str:
        """The dots as an SVG ``points`` attribute."""
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)


def score_chart(points: Sequence[ScorePoint], width: int = 420, height: int = 240) -> ScoreChart:
    """Attempts evenly spaced in the order given (oldest first), so a busy day stays legible."""
    left, right, top, bottom = 48, width - 16, 16, height - 32

    def y_of(percent: float) -> float:
        return bottom - (bottom - top) * max(0.0, min(percent, 100.0)) / 100.0

    step = (right - left) / (len(points) - 1) if len(points) > 1 else 0.0
    start = left if len(points) > 1 else (left + right) / 2
    dots = tuple(ChartDot(start + i * step, y_of(p.percent), p) for i, p in enumerate(points))
    gridlines = tuple((percent, y_of(percent)) for percent in (0, 25, 50, 75, 100))
    return ScoreChart(width, height, left, right, top, bottom, dots, gridlines)
