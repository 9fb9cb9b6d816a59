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
reads back to the same questions, provided their choice weights follow the convention
``bank_question`` builds (the bank itself stores only right or wrong).

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
from dataclasses import dataclass, field

from .documents import html_to_text
from .questions import BLANK, TRUE_FALSE_CHOICES, QuestionKind
from .review import MAX_CHOICE_TEXT, MAX_STEM, TRUE_FALSE_KEYS, choice_key, choice_problems

TOPIC_MAX_LENGTH = 60  # the questions table's topic column

_CATEGORY = "$CATEGORY:"
_FORMAT_TAG = re.compile(r"\[(html|moodle|markdown|plain)\]", re.I)
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_TRUE_WORDS = frozenset({"T", "TRUE"})
_FALSE_WORDS = frozenset({"F", "FALSE"})
_PERCENT_PLACES = 5  # Moodle's own grade options need this many: 33.33333%, 16.66667%...

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
_SPECIAL = re.compile(r"[\\:#={}~]")
_LineAt = Callable[[int], int]  # an offset in a question's text to its line in the file


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
) -> BankQuestion:
    """A bank question's (text, is_correct) choices weighted as ``export_gift`` writes them.

    One-answer questions score 100% or nothing; a multi-answer question shares 100% among
    its right answers and -100% among its wrong ones, Moodle's convention, so ticking
    everything scores nothing.
    """
    weights = _weights(kind, [correct for _text, correct in choices])
    return BankQuestion(
        kind=kind,
        stem=stem,
        choices=tuple(
            BankChoice(text, _fraction(weight))
            for (text, _correct), weight in zip(choices, weights, strict=True)
        ),
        title=title,
        explanation=explanation,
        topic=topic,
    )


# --- GIFT in -----------------------------------------------------------------------------------


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
        problems = _checked(question, block.line, choice_lines)
        if problems:
            errors.extend(problems)
        else:
            questions.append(ParsedQuestion(block.line, question))
    errors.sort(key=lambda problem: problem.line)
    return ParseResult(tuple(questions), tuple(errors))


def _gift_blocks(text: str) -> Iterator[_Block]:
    """Questions are separated by blank lines; a line that is only a comment is not blank."""
    topic = ""
    lines: list[str] = []
    first = 0
    for number, line in enumerate(_lines(text), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(_CATEGORY):
            if lines:
                yield _Block(first, "\n".join(lines), topic)
            lines = []
            if stripped:
                topic = _topic(stripped.removeprefix(_CATEGORY))
        elif stripped.startswith("//"):
            if lines:
                lines.append("")  # keeps the lines after it at their numbers
        else:
            if not lines:
                first = number
            lines.append(line)
    if lines:
        yield _Block(first, "\n".join(lines), topic)


def _lines(text: str) -> list[str]:
    """Lines as an editor numbers them: only CR, LF and CRLF end one."""
    text = _NONCHARACTERS.sub("\ufffd", text.removeprefix("\ufeff"))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _topic(category: str) -> str:
    """The last part of a Moodle category path: "$course$/top/Debate/Key terms" is "Key terms".

    Moodle writes a slash inside a category's name as "//".
    """
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", category.strip())]
    return parts[-1] if parts and not re.fullmatch(r"\$\w+\$|top", parts[-1]) else ""


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
        title = _unescape(text[position + 2 : end]).strip()
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
    stem_format, stem = _text(before + BLANK + after if after.strip() else before, default="moodle")
    answers = text[opening + 1 : closing]
    explanation = ""
    general = answers.rfind("####")
    if general != -1:
        _format, explanation = _text(answers[general + 4 :], default=stem_format)
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
            f"{_unescape(stray)!r} comes before the first answer; start each answer with"
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
            fraction, weighted = _fraction(percent), True
            body = body[weight.end() :]
        text, _hash, feedback = body.partition("#")
        choices.append(
            BankChoice(_text(text, text_format)[1], fraction, _text(feedback, text_format)[1])
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
    right_feedback = _text(right, text_format)[1]
    wrong_feedback = _text(wrong, text_format)[1]
    true_text, false_text = TRUE_FALSE_CHOICES
    return (
        BankChoice(true_text, float(is_true), right_feedback if is_true else wrong_feedback),
        BankChoice(false_text, float(not is_true), wrong_feedback if is_true else right_feedback),
    )


def _text(raw: str, default: str) -> tuple[str, str]:
    """A piece of GIFT text as the bank shows it, with its format (it sets the answers').

    HTML becomes its visible text, since the bank shows plain text; Markdown and Moodle's own
    format are already readable as they are.
    """
    raw = raw.strip()
    tag = _FORMAT_TAG.match(raw)
    text_format = tag.group(1).lower() if tag else default
    text = _unescape(raw[tag.end() :] if tag else raw)
    if text_format == "html":
        text = html_to_text(text)
    return text_format, text.strip()


def _unescape(text: str) -> str:
    return "".join(_UNESCAPED.get(char, char) for char in text)


# --- checks shared by both formats ---------------------------------------------------------------


def _checked(question: BankQuestion, line: int, choice_lines: Sequence[int]) -> list[ImportProblem]:
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


# --- GIFT out ----------------------------------------------------------------------------------


def export_gift(questions: Iterable[BankQuestion]) -> str:
    """A GIFT file Moodle imports and ``parse_gift`` reads back to the same questions.

    Questions keep their order; a ``$CATEGORY:`` line is written whenever the topic changes.
    A true/false question whose choices are no longer exactly True and False (a teacher may
    edit them) is written as a one-answer multiple-choice question, so nothing is lost.
    """
    parts: list[str] = []
    topic = ""
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            name = re.sub(r"[\r\n]+", " ", topic).replace("/", "//")
            parts.append(f"{_CATEGORY} {name}".rstrip() + "\n")
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
    weights = _weights(question.kind, [choice.correct for choice in question.choices])
    for choice, weight in zip(question.choices, weights, strict=True):
        if question.kind == QuestionKind.MULTI:
            mark = f"~%{_percent(weight)}%"
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


def _weights(kind: QuestionKind, correct: Sequence[bool]) -> list[float]:
    """Percentages, rounded as they are written so that reading them back gives them exactly."""
    if kind != QuestionKind.MULTI:
        return [100.0 if is_right else 0.0 for is_right in correct]
    right = sum(correct)
    wrong = len(correct) - right
    return [float(_percent(100 / right if is_right else -100 / wrong)) for is_right in correct]


def _fraction(percent: float) -> float:
    """33.33333% is 0.3333333, as written, rather than the float division's 0.33333329999..."""
    return round(percent / 100, _PERCENT_PLACES + 2)


def _percent(value: float) -> str:
    text = f"{value:.{_PERCENT_PLACES}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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


# --- Aiken in ----------------------------------------------------------------------------------

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

    for number, raw in enumerate(_lines(text), start=1):
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
    problems = _checked(question, draft.line, [option_line for _text, option_line in draft.options])
    return (None, problems) if problems else (question, [])
