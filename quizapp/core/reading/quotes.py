"""STUB: replaced by the quotes component."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.core.reading.structure import ParsedArticle


@dataclass(frozen=True)
class Quote:
    sentence: int
    text: str


def find_quotes(parsed: ParsedArticle) -> list[Quote]:
    return []
