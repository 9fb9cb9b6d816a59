"""Shuffled orders that are the same every time they are asked for.

An attempt's question order and each question's choice order are drawn from a seed made of
the attempt's id, so every page, worker and later review shows the learner the same order
without storing it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def shuffled(items: Sequence[T], seed: str) -> list[T]:
    ordered = list(items)
    random.Random(seed).shuffle(ordered)
    return ordered
