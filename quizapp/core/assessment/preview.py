"""A teacher's preview of a quiz: the learner's run through it, kept without an attempt.

A preview must show the quiz exactly as a learner gets it (the same shuffles, feedback and
time limit) yet store nothing a report, a card queue or an item statistic could count. So
its whole state (a random seed standing in for the attempt's id, when it started, the
answers given) is this small value, which the app keeps in the teacher's signed session
cookie rather than in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

MAX_ANSWERS = 500  # more than any quiz a teacher builds; bounds what a session may carry


@dataclass(frozen=True)
class PreviewState:
    quiz_id: int
    seed: str  # stands in for the attempt id in the shuffles' seeds
    started_at: datetime
    answers: Mapping[int, tuple[int, ...]] = field(default_factory=dict)  # question -> choices
    finished_at: datetime | None = None

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def answered(self, question_id: int, choice_ids: tuple[int, ...]) -> PreviewState:
        """The state with one more answer; the first answer to a question stands, as in an
        attempt, where a second submit changes nothing."""
        if question_id in self.answers:
            return self
        return replace(self, answers={**self.answers, question_id: tuple(sorted(choice_ids))})

    def finished(self, at: datetime) -> PreviewState:
        return self if self.is_finished else replace(self, finished_at=at)

    def to_session(self) -> dict[str, Any]:
        """A JSON-safe form for the session (which stores JSON, with string keys)."""
        return {
            "quiz": self.quiz_id,
            "seed": self.seed,
            "started": self.started_at.isoformat(),
            "answers": {str(q): list(c) for q, c in self.answers.items()},
            "finished": self.finished_at.isoformat() if self.finished_at else None,
        }

    @classmethod
    def from_session(cls, data: object) -> PreviewState | None:
        """The state a session holds, or None for anything malformed (a stale cookie from an
        older version, say): the teacher then simply starts the preview again."""
        if not isinstance(data, dict):
            return None
        try:
            answers = data["answers"]
            if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
                return None
            finished = data["finished"]
            return cls(
                quiz_id=int(data["quiz"]),
                seed=str(data["seed"]),
                started_at=datetime.fromisoformat(data["started"]),
                answers={int(q): tuple(int(c) for c in choices) for q, choices in answers.items()},
                finished_at=datetime.fromisoformat(finished) if finished else None,
            )
        except (KeyError, TypeError, ValueError):
            return None


def order_seed(seed: str) -> str:
    """The question order's seed, shaped like an attempt's ("attempt:<id>")."""
    return f"preview:{seed}"


def choice_order_seed(seed: str, family: int) -> str:
    """One question's choice order seed, shaped like an attempt's ("attempt:<id>:<family>")."""
    return f"preview:{seed}:{family}"
