"""Moving questions between the bank and other tools: GIFT (Moodle) and Aiken files.

An import that finds problems stores nothing unless the teacher asks for the valid questions
anyway; either way it reports each problem with its line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core.formats.aiken import parse_aiken
from ..core.formats.gift import export_gift, parse_gift
from ..core.formats.question_files import (
    BankQuestion,
    ImportProblem,
    ParsedQuestion,
    ParseResult,
    bank_question,
)
from ..core.questions import QuestionKind
from ..extensions import db
from ..models import Status
from .bank import BankFilter, QuestionData, create_question, matching

PARSERS = {"gift": parse_gift, "aiken": parse_aiken}


@dataclass(frozen=True)
class FileImport:
    read: int  # questions the file held that could be read
    stored: int
    problems: tuple[ImportProblem, ...]
    not_kept: tuple[ImportProblem, ...] = ()  # parts of stored questions the bank cannot hold


def export_bank(teacher_id: int, wanted: BankFilter) -> str:
    """The filtered bank as a GIFT file Moodle imports."""
    return export_gift(
        bank_question(
            QuestionKind(q.kind),
            q.stem,
            [(c.text, c.is_correct) for c in q.choices],
            title=f"q{q.id}",
            explanation=q.explanation,
            topic=q.topic,
        )
        for q in db.session.scalars(matching(teacher_id, wanted))
    )


def import_bank(teacher_id: int, text: str, file_format: str, import_valid: bool) -> FileImport:
    """Store the file's questions as approved authored questions of the teacher."""
    result: ParseResult = PARSERS[file_format](text)
    if result.errors and not import_valid:
        return FileImport(len(result.questions), 0, result.errors)
    for parsed in result.questions:
        create_question(teacher_id, _data(parsed.question))
    not_kept = tuple(note for parsed in result.questions for note in _not_kept(parsed))
    return FileImport(len(result.questions), len(result.questions), result.errors, not_kept)


def _not_kept(parsed: ParsedQuestion) -> Iterator[ImportProblem]:
    """What the file says that a bank question has no place for, so the teacher is told
    rather than finding it gone later."""
    question = parsed.question
    if question.title:
        yield ImportProblem(parsed.line, f"the title “{question.title}” is not kept.")
    if any(choice.feedback for choice in question.choices):
        yield ImportProblem(
            parsed.line,
            "feedback on single answers is not kept; learners see the general feedback "
            "(####) as the explanation.",
        )
    shares = {choice.fraction for choice in question.choices if choice.fraction > 0}
    if question.kind == QuestionKind.MULTI and len(shares) > 1:
        yield ImportProblem(
            parsed.line, "unequal weights become equal shares of the marks for each right answer."
        )


def _data(question: BankQuestion) -> QuestionData:
    return QuestionData(
        kind=str(question.kind),
        stem=question.stem,
        choices=[(c.text, c.fraction > 0) for c in question.choices],
        explanation=question.explanation,
        topic=question.topic,
        status=Status.APPROVED,
    )
