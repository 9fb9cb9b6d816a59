"""Multiple-choice questions made from facts, each citing its evidence sentence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TRUE_FALSE = "true_false"


class Topic(StrEnum):
    """The study topics progress is reported by; every question belongs to one."""

    QUOTES = "Who said what"
    APPS = "Apps and encryption"
    LAW = "Ofcom and the law"
    ROLES = "Roles"
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
