"""STUB: replaced by the attribution component."""

from __future__ import annotations

from quizapp.core.facts import Entity, Fact
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.quotes import Quote
from quizapp.core.reading.structure import ParsedArticle


def attribute_quotes(
    parsed: ParsedArticle, entities: Entities, quotes: list[Quote]
) -> tuple[list[Fact], list[Entity]]:
    return [], []
