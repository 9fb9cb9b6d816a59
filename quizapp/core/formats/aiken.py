"""Aiken question files in: a question, its lettered options and an ANSWER line; every
problem is reported with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.core.formats.question_files import (
    BankChoice,
    BankQuestion,
    ImportProblem,
    ParsedQuestion,
    ParseResult,
    checked,
    text_lines,
)
from quizapp.core.questions import QuestionKind

_AIKEN_OPTION = re.compile(r"([A-Z])[.)](?:[ \t]+(.*))?")


_AIKEN_ANSWER = re.compile(r"ANSWER\s*:(.*)", re.I)


@dataclass
class _AikenDraft:
    line: int
    stem: list[str]
    options: list[tuple[str, int]] = field(default_factory=list)  # (text, line)
    reported: bool = False  # a problem was already reported, so the question is left out


def parse_aiken(text: str) -> ParseResult:
    """Aiken files: a question, options ``A. text`` or ``A) text``, then ``ANSWER: B``.

    A question may run over several lines before its first option; options are one line
    each and are lettered A, B, C... in order.
    """
    questions: list[ParsedQuestion] = []
    errors: list[ImportProblem] = []
    draft: _AikenDraft | None = None

    def unfinished(current: _AikenDraft) -> None:
        if not current.reported:
            errors.append(
                ImportProblem(
                    current.line,
                    "The question has no ANSWER line (such as ANSWER: B) after its options.",
                )
            )

    for number, raw in enumerate(text_lines(text), start=1):
        line = raw.strip()
        option = _AIKEN_OPTION.fullmatch(line)
        answer = _AIKEN_ANSWER.fullmatch(line)
        if not line:
            continue
        if answer:
            if draft is None:
                errors.append(ImportProblem(number, "An ANSWER line with no question before it."))
            elif not draft.reported:
                question, problems = _aiken_question(draft, answer.group(1).strip(), number)
                errors.extend(problems)
                if question is not None:
                    questions.append(ParsedQuestion(draft.line, question))
            draft = None
        elif option and draft is None:
            errors.append(
                ImportProblem(
                    number,
                    f"Option {option.group(1)} has no question before it; the question goes on"
                    " the line above its options.",
                )
            )
        elif option and draft is not None and (draft.options or option.group(1) == "A"):
            letter, expected = option.group(1), chr(ord("A") + len(draft.options))
            if letter != expected and not draft.reported:
                errors.append(
                    ImportProblem(
                        number,
                        f"Option {letter} is out of order: options are lettered A, B, C... and"
                        f" this one should be {expected}.",
                    )
                )
                draft.reported = True
            draft.options.append(((option.group(2) or "").strip(), number))
        elif draft is None:
            draft = _AikenDraft(number, [line])
        elif not draft.options:
            draft.stem.append(line)  # the question goes on over another line
        else:
            unfinished(draft)
            draft = _AikenDraft(number, [line])
    if draft is not None:
        unfinished(draft)
    errors.sort(key=lambda problem: problem.line)
    return ParseResult(tuple(questions), tuple(errors))


def _aiken_question(
    draft: _AikenDraft, letter: str, line: int
) -> tuple[BankQuestion | None, list[ImportProblem]]:
    """A question finished by its ANSWER line, or what stops it going into the bank."""
    letters = [chr(ord("A") + i) for i in range(len(draft.options))]
    if len(draft.options) < 2:
        count = len(draft.options)
        return None, [
            ImportProblem(
                draft.line,
                f"The question needs at least 2 options (A. ... B. ...); it has {count}.",
            )
        ]
    given = re.fullmatch(r"([A-Za-z])[.)]?", letter)
    if given is None:
        return None, [
            ImportProblem(
                line, f"ANSWER must be one option letter, such as ANSWER: B, not {letter!r}."
            )
        ]
    letter = given.group(1)
    if letter.upper() not in letters:
        return None, [
            ImportProblem(
                line,
                f"The answer {letter.upper()} is not one of the options"
                f" ({letters[0]} to {letters[-1]}).",
            )
        ]
    question = BankQuestion(
        kind=QuestionKind.SINGLE,
        stem="\n".join(draft.stem),
        choices=tuple(
            BankChoice(text, float(option_letter == letter.upper()))
            for (text, _line), option_letter in zip(draft.options, letters, strict=True)
        ),
    )
    problems = checked(
        question, draft.line, [option_line for _option, option_line in draft.options]
    )
    return (None, problems) if problems else (question, [])
