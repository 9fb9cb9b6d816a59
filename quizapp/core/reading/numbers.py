"""STUB: replaced by the numbers component."""

from __future__ import annotations

from quizapp.core.facts import Fact
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle


def find_numbers(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    return []
