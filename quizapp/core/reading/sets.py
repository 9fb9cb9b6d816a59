"""STUB: replaced by the sets and definitions component."""

from __future__ import annotations

from quizapp.core.facts import Fact
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle


def find_sets(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    return []


def find_definitions(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    return []
