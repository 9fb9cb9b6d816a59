"""STUB: replaced by the debate component."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.core.facts import Fact, Side
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle


@dataclass(frozen=True)
class Debate:
    question: str = ""  # "" when the article argues about nothing clear
    sides: tuple[Side, ...] = ()
    stances: tuple[Fact, ...] = ()  # STANCE facts: subject takes side object


def find_debate(parsed: ParsedArticle, entities: Entities, facts: Sequence[Fact]) -> Debate:
    return Debate()
