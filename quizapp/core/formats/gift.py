"""Question files in and out: Moodle's GIFT (read and written) and Aiken (read).

Teachers move questions between this app and Moodle as text files, so both directions follow
Moodle's own importer and exporter (question/format/gift) wherever the bank can hold the
result: comments, blank-line separated questions, ``::title::``, ``$CATEGORY:``, format tags,
``=right ~wrong #feedback ####general feedback``, ``{T}``/``{F}``, ``~%50%`` weights and
backslash escapes. The bank shows plain text, so ``[html]`` text is reduced to what a browser
would show. It holds only multiple-choice and true/false questions, so essay, numeric,
matching and short-answer questions are reported, never guessed at.

Every problem is reported with the line it starts on and a question with any problem is left
out, so a teacher can fix the file and import it again. A file written by ``export_gift``
reads back to the same questions (titles, topics, and the status recorded in a
``// quizapp-status:`` comment, which Moodle skips like any comment), provided their choice
weights follow the convention ``bank_question`` builds (the bank stores only right or wrong).

Deliberate differences from Moodle: a question with any ``%weight%`` is a multi-answer
question whose right answers are those with a positive weight (Moodle would keep a one-answer
question with partial credit, which the bank cannot); ``T``/``TRUE``/``F``/``FALSE`` are read
in any case; ``\\%`` escapes a percent sign, which the exporter needs when a wrong choice's text
itself starts like a weight; a ``$CATEGORY:`` line need not stand alone, and only the last
part of its path becomes the topic; ``$CATEGORY:`` with no name goes back to no topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from quizapp.core.formats.question_files import (
    _ESCAPE,
    _ESCAPED,
    _FORMAT_TAG,
    CATEGORY,
    STATUS_COMMENT,
    BankChoice,
    BankQuestion,
    ImportProblem,
    ParsedQuestion,
    ParseResult,
    checked,
    choice_weights,
    percent_fraction,
    percent_text,
    plain_text,
    status_comment,
    text_lines,
    topic_of_category,
    unescape,
)
from quizapp.core.questions import BLANK, TRUE_FALSE_CHOICES, QuestionKind
from quizapp.core.questions.review import (
    TRUE_FALSE_KEYS,
    choice_key,
)

_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")


_TRUE_WORDS = frozenset({"T", "TRUE"})


_FALSE_WORDS = frozenset({"F", "FALSE"})


_SPECIAL = re.compile(r"[\\:#={}~]")


_LineAt = Callable[[int], int]  # an offset in a question's text to its line in the file


class _Rejected(Exception):
    """A question this bank cannot hold, or a GIFT mistake; its line is where it shows."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class _Block:
    """One question's lines, with comment lines blanked so offsets still give line numbers."""

    line: int
    text: str
    topic: str
    status: str = ""


def parse_gift(text: str) -> ParseResult:
    """The questions of a GIFT file that the bank can take, and why the others cannot."""
    questions: list[ParsedQuestion] = []
    errors: list[ImportProblem] = []
    for block in _gift_blocks(text):
        try:
            question, choice_lines = _gift_question(block)
        except _Rejected as problem:
            errors.append(ImportProblem(problem.line, problem.message))
            continue
        problems = checked(question, block.line, choice_lines)
        if problems:
            errors.extend(problems)
        else:
            questions.append(ParsedQuestion(block.line, question))
    errors.sort(key=lambda problem: problem.line)
    return ParseResult(tuple(questions), tuple(errors))


def _gift_blocks(text: str) -> Iterator[_Block]:
    """Questions are separated by blank lines; a line that is only a comment is not blank.

    ``$CATEGORY:`` lines set the topic, and ``// quizapp-status:`` comments the status, of
    the questions after them; a question takes both as they stand on its first line.
    """
    topic = status = block_status = ""
    lines: list[str] = []
    first = 0
    for number, line in enumerate(text_lines(text), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(CATEGORY):
            if lines:
                yield _Block(first, "\n".join(lines), topic, block_status)
            lines = []
            if stripped:
                topic = topic_of_category(stripped.removeprefix(CATEGORY))
        elif stripped.startswith("//"):
            recorded = status_comment(stripped)
            if recorded is not None:
                status = recorded
            if lines:
                lines.append("")  # keeps the lines after it at their numbers
        else:
            if not lines:
                first, block_status = number, status
            lines.append(line)
    if lines:
        yield _Block(first, "\n".join(lines), topic, block_status)


def _gift_question(block: _Block) -> tuple[BankQuestion, list[int]]:
    """Read one block; the second value is each choice's line, for pointing at a bad one."""
    text = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], block.text)

    def line_at(offset: int) -> int:
        return block.line + text.count("\n", 0, offset)

    position = len(text) - len(text.lstrip())
    title = ""
    if text.startswith("::", position):
        end = text.find("::", position + 2)
        if end == -1:
            raise _Rejected(block.line, "The title starts with :: but has no closing :: after it.")
        title = unescape(text[position + 2 : end]).strip()
        position = end + 2
    opening, closing = text.find("{", position), text.find("}", position)
    if opening == -1 and closing == -1:
        raise _Rejected(
            block.line,
            "No answers: put the choices in { } after the question, for example"
            " {=right ~wrong}. (Descriptions without answers cannot be imported.)",
        )
    if opening == -1 or closing == -1 or closing < opening:
        where, brace = (opening, "{") if closing == -1 else (closing, "}")
        raise _Rejected(
            line_at(where),
            f"Unmatched {brace}: the answers go between {{ and }}; write \\{brace} for a"
            f" literal {brace}.",
        )
    nested = text.find("{", opening + 1, closing)
    if nested != -1:
        raise _Rejected(
            line_at(nested),
            "A { inside the answers: close the answers with } first, or write \\{ for a literal {.",
        )
    after = text[closing + 1 :]
    extra = re.search(r"[{}]", after)
    if extra:
        raise _Rejected(
            line_at(closing + 1 + extra.start()),
            "A question can have only one set of answers in { }; write \\{ and \\} for"
            " literal braces.",
        )
    before = text[position:opening]
    stem_format, stem = plain_text(
        before + BLANK + after if after.strip() else before, default="moodle"
    )
    answers = text[opening + 1 : closing]
    explanation = ""
    general = answers.rfind("####")
    if general != -1:
        _format, explanation = plain_text(answers[general + 4 :], default=stem_format)
        answers = answers[:general]
    answers_line = line_at(opening)
    head = answers.strip()
    if not head:
        raise _Rejected(
            answers_line, "An essay question ({} with nothing inside) cannot be imported."
        )
    if head.startswith("#"):
        raise _Rejected(answers_line, "A numeric question ({#...}) cannot be imported.")
    if "~" in answers:
        kind, choices, choice_lines = _choices(answers, stem_format, opening + 1, line_at)
    elif "=" in answers and "->" in answers:
        raise _Rejected(answers_line, "A matching question (=item -> match) cannot be imported.")
    elif head.split("#", 1)[0].strip().upper() in _TRUE_WORDS | _FALSE_WORDS:
        kind, choices = QuestionKind.TRUE_FALSE, _true_false(answers, stem_format)
        choice_lines = [answers_line, answers_line]
    else:
        raise _Rejected(
            answers_line,
            "A short-answer question (only = answers, no ~ wrong ones) cannot be imported:"
            " add wrong choices marked with ~ to make it multiple choice.",
        )
    question = BankQuestion(
        kind=kind,
        stem=stem,
        choices=choices,
        title=title,
        explanation=explanation,
        topic=block.topic,
        status=block.status,
    )
    return question, choice_lines


def _choices(
    answers: str, text_format: str, base: int, line_at: _LineAt
) -> tuple[QuestionKind, tuple[BankChoice, ...], list[int]]:
    """Multiple-choice answers: ``=right``, ``~wrong``, ``~%50%weighted``, each ``#feedback``.

    ``base`` is where the answers start in the question's text; each choice's line is returned.
    """
    marks = [m.start() for m in re.finditer(r"[=~]", answers)]
    stray = answers[: marks[0]].strip()
    if stray:
        raise _Rejected(
            line_at(base + len(answers) - len(answers.lstrip())),
            f"{unescape(stray)!r} comes before the first answer; start each answer with"
            " = (right) or ~ (wrong).",
        )
    choices: list[BankChoice] = []
    weighted = False
    for mark, end in zip(marks, [*marks[1:], len(answers)], strict=True):
        body = answers[mark + 1 : end].strip()
        fraction = 1.0 if answers[mark] == "=" else 0.0
        weight = _WEIGHT.match(body) if answers[mark] == "~" else None
        if weight:
            percent = float(weight.group(1))
            if not -100 <= percent <= 100:
                raise _Rejected(
                    line_at(base + mark),
                    f"The weight {weight.group(1)}% is outside -100% to 100%.",
                )
            fraction, weighted = percent_fraction(percent), True
            body = body[weight.end() :]
        text, _hash, feedback = body.partition("#")
        choices.append(
            BankChoice(
                plain_text(text, text_format)[1], fraction, plain_text(feedback, text_format)[1]
            )
        )
    if not weighted:
        right = sum(1 for choice in choices if choice.correct)
        if right != 1:
            marked = "Several answers are" if right else "No answer is"
            raise _Rejected(
                line_at(base),
                f"{marked} marked right with =; a one-answer question has exactly one. For"
                " several right answers, give each a weight instead, such as ~%50%right"
                " ~%-100%wrong.",
            )
    kind = QuestionKind.MULTI if weighted else QuestionKind.SINGLE
    return kind, tuple(choices), [line_at(base + mark) for mark in marks]


def _true_false(answers: str, text_format: str) -> tuple[BankChoice, ...]:
    """``{T#feedback if wrong#feedback if right}``: Moodle's order, wrong answer first."""
    value, _hash, feedback = answers.partition("#")
    wrong, _hash, right = feedback.partition("#")
    is_true = value.strip().upper() in _TRUE_WORDS
    right_feedback = plain_text(right, text_format)[1]
    wrong_feedback = plain_text(wrong, text_format)[1]
    true_text, false_text = TRUE_FALSE_CHOICES
    return (
        BankChoice(true_text, float(is_true), right_feedback if is_true else wrong_feedback),
        BankChoice(false_text, float(not is_true), wrong_feedback if is_true else right_feedback),
    )


def export_gift(questions: Iterable[BankQuestion], header: Sequence[str] = ()) -> str:
    """A GIFT file Moodle imports and ``parse_gift`` reads back to the same questions.

    ``header`` lines open the file as comments (what was exported, and when). Questions keep
    their order; a ``$CATEGORY:`` line is written whenever the topic changes, and a
    ``// quizapp-status:`` comment whenever the status does, so that importing the file
    again keeps drafts drafts. A true/false question whose choices are no longer exactly
    True and False (a teacher may edit them) is written as a one-answer multiple-choice
    question, so nothing is lost.
    """
    parts: list[str] = []
    if header:
        parts.append("".join(f"// {' '.join(line.split())}\n" for line in header))
    topic = status = ""
    for question in questions:
        if question.status != status:
            status = question.status
            parts.append(f"{STATUS_COMMENT} {' '.join(status.split()) or 'unknown'}\n")
        if question.topic != topic:
            topic = question.topic
            name = re.sub(r"[\r\n]+", " ", topic).replace("/", "//")
            parts.append(f"{CATEGORY} {name}".rstrip() + "\n")
        parts.append(_gift_entry(question))
    return "\n".join(parts)


def _gift_entry(question: BankQuestion) -> str:
    title = f"::{_escape(question.title)}::" if question.title else ""
    stem = _gift_text(question.stem, line_start=not title)
    explanation = f"####{_gift_text(question.explanation)}" if question.explanation else ""
    keys = tuple(choice_key(choice.text) for choice in question.choices)
    right = [choice for choice in question.choices if choice.correct]
    if question.kind == QuestionKind.TRUE_FALSE and keys == TRUE_FALSE_KEYS and len(right) == 1:
        is_true = right[0] is question.choices[0]
        wrong = next(choice for choice in question.choices if not choice.correct)
        feedback = ""
        if wrong.feedback or right[0].feedback:
            feedback = f"#{_gift_text(wrong.feedback)}"
        if right[0].feedback:
            feedback += f"#{_gift_text(right[0].feedback)}"
        return f"{title}{stem} {{{'TRUE' if is_true else 'FALSE'}{feedback}{explanation}}}\n"
    lines = [f"{title}{stem} {{"]
    weights = choice_weights(question.kind, [choice.correct for choice in question.choices])
    for choice, weight in zip(question.choices, weights, strict=True):
        if question.kind == QuestionKind.MULTI:
            mark = f"~%{percent_text(weight)}%"
        else:
            mark = "=" if choice.correct else "~"
        text = _gift_text(choice.text)
        if mark == "~" and _WEIGHT.match(text):
            text = "\\" + text  # a wrong choice such as "%50% off" is not a weight
        feedback = f"#{_gift_text(choice.feedback)}" if choice.feedback else ""
        lines.append(f"\t{mark}{text}{feedback}")
    if explanation:
        lines.append(f"\t{explanation}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _gift_text(text: str, *, line_start: bool = False) -> str:
    """Text escaped for GIFT. Text that would read as a format tag, or as a comment at the
    start of a line, gets Moodle's default format tag, which changes nothing else."""
    escaped = _escape(text)
    if _FORMAT_TAG.match(text) or (line_start and text.startswith("//")):
        return "[moodle]" + escaped
    return escaped


def _escape(text: str) -> str:
    escaped = _SPECIAL.sub(lambda m: "\\" + m.group(), text.replace("\r", ""))
    return escaped.replace("\n", "\\n")
