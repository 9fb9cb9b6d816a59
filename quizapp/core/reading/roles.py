"""STUB: replaced by the roles component."""

from __future__ import annotations

from quizapp.core.facts import Fact
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle


def find_roles(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    return []
