"""What a question file holds once read, and the checks every imported question passes,
whatever format it came in (GIFT, Aiken): a question the bank cannot hold is reported with
its line, never guessed at."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.core.formats.documents import html_to_text
from quizapp.core.questions import QuestionKind
from quizapp.core.questions.review import (
    MAX_CHOICE_TEXT,
    MAX_STEM,
    choice_key,
    choice_problems,
)

PERCENT_PLACES = 5  # Moodle's own grade options need this many: 33.33333%, 16.66667%...
TOPIC_MAX_LENGTH = 60  # the questions table's topic column


CATEGORY = "$CATEGORY:"


# A GIFT comment recording the bank status of the questions after it (until the next one).
# Moodle skips it as a comment; this app reads it back, so an export of drafts comes back as
# drafts rather than being laundered into approved questions.
STATUS_COMMENT = "// quizapp-status:"


NAME_MAX_LENGTH = 255  # the questions table's name column: where a GIFT ::title:: is kept


_FORMAT_TAG = re.compile(r"\[(html|moodle|markdown|plain)\]", re.I)


# Escaped characters are swapped for Unicode noncharacters (reserved for a program's internal
# use, so never meaningful in a file) while the structure is parsed, then swapped back.
_ESCAPED = {
    ":": "\ufdd0",
    "#": "\ufdd1",
    "=": "\ufdd2",
    "{": "\ufdd3",
    "}": "\ufdd4",
    "~": "\ufdd5",
    "n": "\ufdd6",
    "\\": "\ufdd7",
    "%": "\ufdd8",
}


_UNESCAPED = {
    placeholder: ("\n" if char == "n" else char) for char, placeholder in _ESCAPED.items()
}


_ESCAPE = re.compile(r"\\([:#={}~n\\%])")


_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")


@dataclass(frozen=True)
class BankChoice:
    text: str
    fraction: float = 0.0  # share of the marks, as Moodle weights it: -1.0 to 1.0
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.fraction > 0


@dataclass(frozen=True)
class BankQuestion:
    """A question as it travels between the bank and a file; title and feedback are the
    file's, kept so a question can make the round trip through Moodle unchanged."""

    kind: QuestionKind
    stem: str
    choices: tuple[BankChoice, ...]
    title: str = ""
    explanation: str = ""
    topic: str = ""
    status: str = ""  # the bank status a file of ours recorded; "" when it did not say


@dataclass(frozen=True)
class ParsedQuestion:
    line: int  # where the question starts in the file, counting from 1
    question: BankQuestion


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParseResult:
    questions: tuple[ParsedQuestion, ...] = ()
    errors: tuple[ImportProblem, ...] = ()


def bank_question(
    kind: QuestionKind,
    stem: str,
    choices: Sequence[tuple[str, bool]],
    *,
    title: str = "",
    explanation: str = "",
    topic: str = "",
    status: str = "",
) -> BankQuestion:
    """A bank question's (text, is_correct) choices weighted as ``export_gift`` writes them.

    One-answer questions score 100% or nothing; a multi-answer question shares 100% among
    its right answers and -100% among its wrong ones, Moodle's convention, so ticking
    everything scores nothing.
    """
    weights = choice_weights(kind, [correct for plain_text, correct in choices])
    return BankQuestion(
        kind=kind,
        stem=stem,
        choices=tuple(
            BankChoice(text, percent_fraction(weight))
            for (text, _correct), weight in zip(choices, weights, strict=True)
        ),
        title=title,
        explanation=explanation,
        topic=topic,
        status=status,
    )


QuestionKey = tuple[str, str, tuple[tuple[str, bool], ...]]


def question_key(kind: str, stem: str, choices: Iterable[tuple[str, bool]]) -> QuestionKey:
    """What makes two questions the same question to a learner: the kind, the stem and the
    choices with which of them are right, ignoring case, spacing and choice order.

    An import compares each question's key with the bank's, so bringing back a file the bank
    was exported to adds nothing twice; wording, explanation, topic and name do not count,
    since they do not change what is asked or which answer is right.
    """
    return (
        str(kind),
        choice_key(stem),
        tuple(sorted((choice_key(text), bool(correct)) for text, correct in choices)),
    )


def bank_question_key(question: BankQuestion) -> QuestionKey:
    return question_key(
        question.kind, question.stem, ((choice.text, choice.correct) for choice in question.choices)
    )


def title_as_name(title: str) -> str:
    """A GIFT title as a question's name: on one line, within the column's length."""
    return " ".join(title.split())[:NAME_MAX_LENGTH]


_STATUS_COMMENT = re.compile(r"//\s*quizapp-status:\s*(.*)", re.I)


def status_comment(line: str) -> str | None:
    """The status a ``// quizapp-status: draft`` line records, or None for any other line."""
    found = _STATUS_COMMENT.fullmatch(line.strip())
    return " ".join(found.group(1).split()).lower() if found else None


def text_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: only CR, LF and CRLF end one."""
    text = _NONCHARACTERS.sub("\ufffd", text.removeprefix("\ufeff"))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def topic_of_category(category: str) -> str:
    """The last part of a Moodle category path: "$course$/top/Debate/Key terms" is "Key terms".

    Moodle writes a slash inside a category's name as "//".
    """
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", category.strip())]
    return parts[-1] if parts and not re.fullmatch(r"\$\w+\$|top", parts[-1]) else ""


def plain_text(raw: str, default: str) -> tuple[str, str]:
    """A piece of GIFT text as the bank shows it, with its format (it sets the answers').

    HTML becomes its visible text, since the bank shows plain text; Markdown and Moodle's own
    format are already readable as they are.
    """
    raw = raw.strip()
    tag = _FORMAT_TAG.match(raw)
    text_format = tag.group(1).lower() if tag else default
    text = unescape(raw[tag.end() :] if tag else raw)
    if text_format == "html":
        text = html_to_text(text)
    return text_format, text.strip()


def unescape(text: str) -> str:
    return "".join(_UNESCAPED.get(char, char) for char in text)


def checked(question: BankQuestion, line: int, choice_lines: Sequence[int]) -> list[ImportProblem]:
    """The bank's rules for a question, each reported at the line that breaks it."""
    problems: list[ImportProblem] = []
    stem_length = len(question.stem)
    if not stem_length:
        problems.append(ImportProblem(line, "The question has no text."))
    elif stem_length > MAX_STEM:
        problems.append(
            ImportProblem(
                line,
                f"The question is {stem_length:,} characters long; the limit is {MAX_STEM:,}.",
            )
        )
    for number, (choice, choice_line) in enumerate(
        zip(question.choices, choice_lines, strict=True), start=1
    ):
        if not choice.text:
            problems.append(ImportProblem(choice_line, f"Choice {number} is empty."))
        elif len(choice.text) > MAX_CHOICE_TEXT:
            problems.append(
                ImportProblem(
                    choice_line,
                    f"Choice {number} is {len(choice.text):,} characters long; the limit is"
                    f" {MAX_CHOICE_TEXT:,}.",
                )
            )
    if all(choice.text for choice in question.choices):
        # An empty choice would also be miscounted and "repeated"; fixing it comes first.
        pairs = [(choice.text, choice.correct) for choice in question.choices]
        problems.extend(
            ImportProblem(line, message) for message in choice_problems(str(question.kind), pairs)
        )
    if len(question.topic) > TOPIC_MAX_LENGTH:
        problems.append(
            ImportProblem(
                line,
                f"The category name {question.topic!r} is {len(question.topic)} characters"
                f" long; a topic can have at most {TOPIC_MAX_LENGTH}.",
            )
        )
    return problems


def choice_weights(kind: QuestionKind, correct: Sequence[bool]) -> list[float]:
    """Percentages, rounded as they are written so that reading them back gives them exactly."""
    if kind != QuestionKind.MULTI:
        return [100.0 if is_right else 0.0 for is_right in correct]
    right = sum(correct)
    wrong = len(correct) - right
    return [float(percent_text(100 / right if is_right else -100 / wrong)) for is_right in correct]


def percent_fraction(percent: float) -> float:
    """33.33333% is 0.3333333, as written, rather than the float division's 0.33333329999..."""
    return round(percent / 100, PERCENT_PLACES + 2)


def percent_text(value: float) -> str:
    text = f"{value:.{PERCENT_PLACES}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
