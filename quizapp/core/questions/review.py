"""The rules a teacher's edit of a question must keep, as plain functions.

The edit form shows these messages next to the fields and the service refuses the same edit if
it arrives some other way, so both ask this one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

MIN_CHOICES = 2
MAX_CHOICES = 8
MAX_STEM = 2000
MAX_CHOICE_TEXT = 500
MAX_EXPLANATION = 2000
SINGLE_ANSWER_KINDS = frozenset({"single", "true_false"})
KINDS = ("single", "multi", "true_false")
TRUE_FALSE_KEYS = ("true", "false")


def visible_text(text: str) -> str:
    """The text as a reader sees it: composed (NFKC, so "é" typed two ways is one letter)
    and without invisible format characters such as zero-width spaces."""
    composed = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in composed if unicodedata.category(ch) != "Cf")


def choice_key(text: str) -> str:
    """Choices that look the same (case, spacing, invisible characters, how an accent was
    typed) are the same choice to a learner."""
    return re.sub(r"\s+", " ", visible_text(text)).strip().casefold()


def choice_problems(kind: str, choices: Sequence[tuple[str, bool]]) -> list[str]:
    """What is wrong with a question's (text, is_correct) choices; empty when it is sound.

    Blank choices are expected to be left out by the caller (empty rows of the edit form).
    """
    problems: list[str] = []
    if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        problems.append(
            f"A question needs between {MIN_CHOICES} and {MAX_CHOICES} choices; "
            f"this one has {len(choices)}."
        )
    if any(not choice_key(text) for text, _correct in choices):
        problems.append("Each choice needs visible text.")
    seen: set[str] = set()
    repeated: list[str] = []
    for text, _correct in choices:
        key = choice_key(text)
        if key in seen and text.strip() not in repeated:
            repeated.append(text.strip())
        seen.add(key)
    if repeated:
        problems.append("Each choice must be different; repeated: " + ", ".join(repeated) + ".")
    if kind == "true_false" and [choice_key(text) for text, _ in choices] != list(TRUE_FALSE_KEYS):
        # Anything else is a single-answer question wearing the label: GIFT would export it
        # as one, and the learner would read "True or false?" over other answers.
        problems.append("A true/false question has exactly two choices: True, then False.")
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if kind in SINGLE_ANSWER_KINDS and correct != 1:
        problems.append(f"Mark exactly one choice as correct (now {correct}).")
    elif kind not in SINGLE_ANSWER_KINDS and correct < 1:
        problems.append("Mark at least one choice as correct.")
    return problems


def question_problems(
    kind: str, stem: str, explanation: str, choices: Sequence[tuple[str, bool]]
) -> list[str]:
    """Everything wrong with a whole question: its kind, stem and explanation, then choices."""
    problems: list[str] = []
    if kind not in KINDS:
        problems.append("Choose a question kind: single answer, multiple answers or true/false.")
    if not visible_text(stem).strip():
        problems.append("The question needs a stem.")
    elif len(stem) > MAX_STEM:
        problems.append(f"A stem has at most {MAX_STEM} characters (this one {len(stem)}).")
    if len(explanation) > MAX_EXPLANATION:
        problems.append(f"An explanation has at most {MAX_EXPLANATION} characters.")
    if any(len(text) > MAX_CHOICE_TEXT for text, _correct in choices):
        problems.append(f"A choice has at most {MAX_CHOICE_TEXT} characters.")
    return problems + choice_problems(kind, choices)
