"""Marking one answer: the rule every score, report and export agrees on."""

from __future__ import annotations

from collections.abc import Collection


def mark(
    chosen: Collection[int],
    correct: Collection[int],
    points: float = 1.0,
    *,
    partial: bool = False,
    choice_count: int | None = None,
) -> float:
    """Marks for one answer.

    All-or-nothing by default: full points only for exactly the correct set. With ``partial``
    (multiple-answer questions), each correct pick earns an equal share, each wrong pick takes
    one share of the wrong choices away, and the total never drops below zero, as Moodle does.
    """
    chosen_set, correct_set = set(chosen), set(correct)
    if not chosen_set:
        return 0.0
    if chosen_set == correct_set:
        return float(points)
    if not partial or not correct_set:
        return 0.0
    wrong_total = (choice_count - len(correct_set)) if choice_count else len(chosen_set)
    right = len(chosen_set & correct_set) / len(correct_set)
    wrong = len(chosen_set - correct_set) / wrong_total if wrong_total else 0.0
    return round(max(0.0, right - wrong) * points, 6)
