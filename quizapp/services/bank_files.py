"""Moving questions between the bank and other tools: GIFT (Moodle) and Aiken files.

An import that finds problems stores nothing unless the teacher asks for the valid questions
anyway; either way it reports each problem with its line number.

The round trip is honest about review. An export takes one status, approved unless the
teacher filters for another, and says which in its first lines; each question's status is
recorded in a comment Moodle skips. An import keeps that status only for approved
questions: everything else (drafts, retired questions, and every question of a file that
does not say, such as Moodle's or an Aiken file) arrives as a draft to review, so a file can
never turn unreviewed drafts into questions the quiz builder offers. A question already in
the teacher's bank (same kind, stem, and choices with the same right answers, ignoring case
and spacing) is skipped and counted, so importing a file twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import selectinload

from ..core.formats.aiken import parse_aiken
from ..core.formats.gift import export_gift, parse_gift
from ..core.formats.question_files import (
    NAME_MAX_LENGTH,
    BankQuestion,
    ImportProblem,
    ParsedQuestion,
    ParseResult,
    QuestionKey,
    bank_question,
    bank_question_key,
    question_key,
)
from ..core.questions import QuestionKind
from ..extensions import db
from ..models import Question, Status
from .bank import BankFilter, QuestionData, create_question, matching, visible_questions

PARSERS = {"gift": parse_gift, "aiken": parse_aiken}

EXPORT_DEFAULT_STATUS = Status.APPROVED


@dataclass(frozen=True)
class FileImport:
    read: int  # questions the file held that could be read
    stored: int
    problems: tuple[ImportProblem, ...]
    not_kept: tuple[ImportProblem, ...] = ()  # parts of stored questions the bank cannot hold
    already: int = 0  # skipped: the same question is already in the teacher's bank
    repeated: int = 0  # skipped: the file asks the same question more than once
    approved: int = 0  # of those stored, how many arrived approved (the file said so)

    @property
    def drafts(self) -> int:
        return self.stored - self.approved


def export_status(wanted: BankFilter) -> str:
    """The one status an export holds: the filter's, else approved questions only, so that
    nothing unreviewed leaves the bank unless the teacher asks for it."""
    return wanted.status or EXPORT_DEFAULT_STATUS


def export_bank(teacher_id: int, wanted: BankFilter, today: date) -> str:
    """The filtered bank's questions of one status as a GIFT file Moodle imports."""
    status = export_status(wanted)
    questions = list(db.session.scalars(matching(teacher_id, replace(wanted, status=status))))
    count = f"{len(questions)} {status} question{'s' if len(questions) != 1 else ''}"
    header = (
        f"Exported from quizapp on {today.isoformat()}: {count} of the question bank.",
        f"Status exported: {status}. Importing this file into quizapp again keeps each"
        " question's status and skips the questions already in the bank.",
    )
    return export_gift(
        (
            bank_question(
                QuestionKind(q.kind),
                q.stem,
                [(c.text, c.is_correct) for c in q.choices],
                title=q.name,
                explanation=q.explanation,
                topic=q.topic,
                status=q.status,
            )
            for q in questions
        ),
        header,
    )


def bank_keys(teacher_id: int) -> set[QuestionKey]:
    """What makes each question of the teacher's bank (current versions, any status, the
    shared ones included) the question it is, to recognise it in a file."""
    questions = db.session.scalars(
        visible_questions(teacher_id)
        .where(Question.superseded_by_id.is_(None))
        .options(selectinload(Question.choices))
    )
    return {
        question_key(q.kind, q.stem, [(c.text, c.is_correct) for c in q.choices]) for q in questions
    }


def import_bank(teacher_id: int, text: str, file_format: str, import_valid: bool) -> FileImport:
    """Store the file's new questions as the teacher's authored questions, each approved
    only if the file recorded it approved, skipping those the bank already holds."""
    result: ParseResult = PARSERS[file_format](text)
    if result.errors and not import_valid:
        return FileImport(len(result.questions), 0, result.errors)
    known = bank_keys(teacher_id)
    in_file: set[QuestionKey] = set()
    stored: list[ParsedQuestion] = []
    already = repeated = approved = 0
    for parsed in result.questions:
        key = bank_question_key(parsed.question)
        if key in in_file:
            repeated += 1
            continue
        in_file.add(key)
        if key in known:
            already += 1
            continue
        question = create_question(teacher_id, _data(parsed.question))
        approved += question.status == Status.APPROVED
        stored.append(parsed)
    not_kept = tuple(note for parsed in stored for note in _not_kept(parsed))
    return FileImport(
        read=len(result.questions),
        stored=len(stored),
        problems=result.errors,
        not_kept=not_kept,
        already=already,
        repeated=repeated,
        approved=approved,
    )


def _not_kept(parsed: ParsedQuestion) -> Iterator[ImportProblem]:
    """What the file says that a bank question has no place for, so the teacher is told
    rather than finding it gone later."""
    question = parsed.question
    if len(" ".join(question.title.split())) > NAME_MAX_LENGTH:
        yield ImportProblem(
            parsed.line, f"the title is cut to its first {NAME_MAX_LENGTH} characters."
        )
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


def imported_status(question: BankQuestion) -> str:
    """Approved only when our own export said so; anything else waits for review."""
    return Status.APPROVED if question.status == Status.APPROVED else Status.DRAFT


def _data(question: BankQuestion) -> QuestionData:
    return QuestionData(
        kind=str(question.kind),
        stem=question.stem,
        choices=[(c.text, c.fraction > 0) for c in question.choices],
        explanation=question.explanation,
        topic=question.topic,
        status=imported_status(question),
        name=question.title,
    )
