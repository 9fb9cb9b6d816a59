"""GIFT and Aiken question files: what Moodle writes reads in, what we write reads back."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from quizapp.core.formats.aiken import parse_aiken
from quizapp.core.formats.gift import export_gift, parse_gift
from quizapp.core.formats.question_files import (
    NAME_MAX_LENGTH,
    STATUS_COMMENT,
    TOPIC_MAX_LENGTH,
    BankChoice,
    BankQuestion,
    ImportProblem,
    ParsedQuestion,
    ParseResult,
    bank_question,
    bank_question_key,
    question_key,
    status_comment,
    title_as_name,
)
from quizapp.core.questions import BLANK, TRUE_FALSE_CHOICES, QuestionKind
from quizapp.core.questions.review import MAX_CHOICE_TEXT, MAX_CHOICES, MAX_STEM

SINGLE, MULTI, TRUE_FALSE = QuestionKind.SINGLE, QuestionKind.MULTI, QuestionKind.TRUE_FALSE
MOODLE_EXPORT = Path(__file__).parent / "gift" / "moodle_export.txt"


def only(result: ParseResult) -> BankQuestion:
    """The one question a one-question file holds, failing loudly on any error."""
    assert result.errors == ()
    assert len(result.questions) == 1
    return result.questions[0].question


def texts(question: BankQuestion) -> list[str]:
    return [choice.text for choice in question.choices]


def correct(question: BankQuestion) -> list[str]:
    return [choice.text for choice in question.choices if choice.correct]


def error_lines(result: ParseResult) -> list[int]:
    return [error.line for error in result.errors]


# --- GIFT: questions the bank can take ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Who regulates UK communications? {=Ofcom ~Ofgem ~Ofwat}",
            BankQuestion(
                SINGLE,
                "Who regulates UK communications?",
                (BankChoice("Ofcom", 1.0), BankChoice("Ofgem", 0.0), BankChoice("Ofwat", 0.0)),
            ),
        ),
        (
            "::Regulator:: Who regulates? {~Ofgem =Ofcom}",
            BankQuestion(
                SINGLE,
                "Who regulates?",
                (BankChoice("Ofgem", 0.0), BankChoice("Ofcom", 1.0)),
                title="Regulator",
            ),
        ),
        (
            "Who regulates? {=Ofcom#Yes, since 2003. ~Ofgem#No: that is energy.}",
            BankQuestion(
                SINGLE,
                "Who regulates?",
                (
                    BankChoice("Ofcom", 1.0, "Yes, since 2003."),
                    BankChoice("Ofgem", 0.0, "No: that is energy."),
                ),
            ),
        ),
        (
            "Who regulates? {=Ofcom ~Ofgem ####Ofcom regulates communications.}",
            BankQuestion(
                SINGLE,
                "Who regulates?",
                (BankChoice("Ofcom", 1.0), BankChoice("Ofgem", 0.0)),
                explanation="Ofcom regulates communications.",
            ),
        ),
        (
            "Which apps are encrypted? {~%50%WhatsApp ~%50%Signal ~%-100%Telegram}",
            BankQuestion(
                MULTI,
                "Which apps are encrypted?",
                (
                    BankChoice("WhatsApp", 0.5),
                    BankChoice("Signal", 0.5),
                    BankChoice("Telegram", -1.0),
                ),
            ),
        ),
        (
            "Ofcom regulates communications. {T}",
            BankQuestion(
                TRUE_FALSE,
                "Ofcom regulates communications.",
                (BankChoice("True", 1.0), BankChoice("False", 0.0)),
            ),
        ),
    ],
)
def test_parse_gift_question(source: str, expected: BankQuestion) -> None:
    assert only(parse_gift(source)) == expected


def test_feedback_runs_to_the_next_answer() -> None:
    # Only the first "#" starts feedback; a later one is part of it.
    question = only(parse_gift("Q? {=a#one # two ~b}"))
    assert question.choices[0].feedback == "one # two"


@pytest.mark.parametrize(
    ("answers", "right", "kind"),
    [
        ("{=a ~b ~c}", ["a"], SINGLE),
        ("{~a =b ~c}", ["b"], SINGLE),
        ("{~%100%a ~b ~c}", ["a"], MULTI),  # any weight makes it multi
        ("{~%50%a ~%50%b ~c}", ["a", "b"], MULTI),
        ("{~%50%a ~%-50%b ~%0%c}", ["a"], MULTI),
        ("{=a ~%50%b ~c}", ["a", "b"], MULTI),  # partial credit counts as right
        ("{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}", ["a", "b", "c"], MULTI),
        ("{\n=a\n~b\n~c\n}", ["a"], SINGLE),
    ],
)
def test_which_answers_are_right(answers: str, right: list[str], kind: QuestionKind) -> None:
    question = only(parse_gift(f"Question? {answers}"))
    assert (correct(question), question.kind) == (right, kind)


def test_weights_become_fractions() -> None:
    question = only(parse_gift("Q? {~%33.33333%a ~%66.66667%b ~%-100%c ~%-0.5%d}"))
    assert [c.fraction for c in question.choices] == [0.3333333, 0.6666667, -1.0, -0.005]


@pytest.mark.parametrize(
    ("answers", "is_true", "true_feedback", "false_feedback"),
    [
        ("{T}", True, "", ""),
        ("{TRUE}", True, "", ""),
        ("{F}", False, "", ""),
        ("{FALSE}", False, "", ""),
        ("{true}", True, "", ""),
        ("{ f }", False, "", ""),
        # Moodle's order: the first feedback is for the wrong answer, the second for the right.
        ("{T#Wrong: it is true.}", True, "", "Wrong: it is true."),
        ("{T#Wrong.#Right.}", True, "Right.", "Wrong."),
        ("{F#Wrong.#Right.}", False, "Wrong.", "Right."),
        ("{FALSE##Right.}", False, "", "Right."),
    ],
)
def test_true_false(answers: str, is_true: bool, true_feedback: str, false_feedback: str) -> None:
    question = only(parse_gift(f"Ofcom is a regulator. {answers}"))
    assert question.kind == TRUE_FALSE
    assert texts(question) == list(TRUE_FALSE_CHOICES)
    assert correct(question) == (["True"] if is_true else ["False"])
    assert [c.feedback for c in question.choices] == [true_feedback, false_feedback]


def test_true_false_with_general_feedback() -> None:
    question = only(parse_gift("Ofcom is a regulator. {T#No.#Yes.####It regulates UK media.}"))
    assert question.explanation == "It regulates UK media."
    assert [c.feedback for c in question.choices] == ["Yes.", "No."]


@pytest.mark.parametrize(
    ("source", "stem"),
    [
        (
            "Grant is {~buried =entombed ~living} in Grant's tomb.",
            f"Grant is {BLANK} in Grant's tomb.",
        ),
        ("{=Two ~Three} plus two is four.", f"{BLANK} plus two is four."),
        ("Two plus two is {=four ~five}.", f"Two plus two is {BLANK}."),
        ("Two plus two is {=four ~five}   ", "Two plus two is"),
    ],
)
def test_missing_word(source: str, stem: str) -> None:
    assert only(parse_gift(source)).stem == stem


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        (r"\~", "~"),
        (r"\=", "="),
        (r"\#", "#"),
        (r"\{", "{"),
        (r"\}", "}"),
        (r"\:", ":"),
        ("\\\\", "\\"),
        (r"\n", "\n"),
        (r"\%", "%"),
        (r"\\n", "\\n"),  # an escaped backslash, then a plain n
        (r"\+", r"\+"),  # not an escape: kept as written, as Moodle does
    ],
)
def test_escapes(escaped: str, plain: str) -> None:
    source = f"::T{escaped}t:: S {escaped} s {{=r {escaped} r#f {escaped} f ~w####e {escaped} e}}"
    question = only(parse_gift(source))
    assert question.title == f"T{plain}t"
    assert question.stem == f"S {plain} s"
    assert question.choices[0] == BankChoice(f"r {plain} r", 1.0, f"f {plain} f")
    assert question.explanation == f"e {plain} e"


def test_every_special_character_escaped_at_once() -> None:
    question = only(parse_gift(r"1\+1\=2, a\~b, \{x\}\: 50\% \#1 \\ {=yes ~no}"))
    assert question.stem == "1\\+1=2, a~b, {x}: 50% #1 \\"


def test_comments_are_whole_lines_only() -> None:
    source = (
        "// The first question\n"
        "   // indented comments count too\n"
        "See http://example.org/a//b {=yes ~no}\n"
    )
    result = parse_gift(source)
    assert only(result).stem == "See http://example.org/a//b"
    assert result.questions[0].line == 3


def test_comment_lines_inside_a_question_keep_line_numbers() -> None:
    source = "Q? {\n// right one\n=a\n// wrong ones\n~\n}\n"
    assert parse_gift(source).errors == (ImportProblem(5, "Choice 2 is empty."),)


def test_questions_are_separated_by_blank_lines() -> None:
    source = "\n\nOne? {=a ~b}\n  \nTwo?\n{\n=c\n~d\n}\n\n\n\nThree? {T}"
    result = parse_gift(source)
    assert result.errors == ()
    assert [(p.line, p.question.stem) for p in result.questions] == [
        (3, "One?"),
        (5, "Two?"),
        (13, "Three?"),
    ]


def test_windows_line_endings_and_byte_order_mark() -> None:
    result = parse_gift("\ufeff// c\r\nOne? {=a ~b}\r\n\r\nTwo? {\r\n=c\r\n~c\r\n}\r\n")
    assert [p.line for p in result.questions] == [2]
    assert error_lines(result) == [4]


@pytest.mark.parametrize(
    ("category", "topic"),
    [
        ("$CATEGORY: Key terms", "Key terms"),
        ("$CATEGORY:Key terms", "Key terms"),
        ("$CATEGORY: $course$/top/Default for Debate 101/Key terms", "Key terms"),
        ("$CATEGORY: $course$/top/Default for Debate 101", "Default for Debate 101"),
        ("$CATEGORY: $system$/top/Law", "Law"),
        ("$CATEGORY: $course$/top", ""),
        ("$CATEGORY: Debate/Law//regulation", "Law/regulation"),
        ("$CATEGORY:", ""),
    ],
)
def test_category_becomes_topic(category: str, topic: str) -> None:
    assert only(parse_gift(f"{category}\n\nQ? {{=a ~b}}")).topic == topic


def test_category_applies_until_the_next_one() -> None:
    source = (
        "Before? {=a ~b}\n\n"
        "$CATEGORY: Apps\n\n"
        "One? {=a ~b}\n\n"
        "Two? {=a ~b}\n"
        "$CATEGORY: Law\n"  # no blank line needed around it
        "Three? {=a ~b}\n\n"
        "$CATEGORY:\n\n"
        "Four? {=a ~b}\n"
    )
    result = parse_gift(source)
    assert [(p.question.stem, p.question.topic) for p in result.questions] == [
        ("Before?", ""),
        ("One?", "Apps"),
        ("Two?", "Apps"),
        ("Three?", "Law"),
        ("Four?", ""),
    ]


@pytest.mark.parametrize(
    ("source", "stem", "choices", "feedback"),
    [
        ("[plain]Q? {=a ~b}", "Q?", ["a", "b"], ["", ""]),
        ("[moodle]Q? {=a ~b}", "Q?", ["a", "b"], ["", ""]),
        ("[markdown]**Q**? {=a ~b}", "**Q**?", ["a", "b"], ["", ""]),
        ("::T::[html]<p>Q &amp; A?</p>{=<b>a</b> ~b}", "Q & A?", ["a", "b"], ["", ""]),
        # Answers and feedback take the question's format unless they give their own.
        ("[html]<p>Q?</p>{=<p>a</p>#<i>yes</i> ~[plain]<b>}", "Q?", ["a", "<b>"], ["yes", ""]),
        ("[html]<p>One.</p>\\n<p>Two?</p>{=a ~b}", "One.\nTwo?", ["a", "b"], ["", ""]),
        ("[other]Q? {=a ~b}", "[other]Q?", ["a", "b"], ["", ""]),
    ],
)
def test_format_tags(source: str, stem: str, choices: list[str], feedback: list[str]) -> None:
    question = only(parse_gift(source))
    assert (question.stem, texts(question), [c.feedback for c in question.choices]) == (
        stem,
        choices,
        feedback,
    )


def test_html_general_feedback_is_text() -> None:
    question = only(parse_gift("[html]<p>Q?</p>{=a ~b####<p>Because &lt;reasons&gt;.</p>}"))
    assert question.explanation == "Because <reasons>."


# --- GIFT: what cannot go in, and where it is ---------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("Describe the debate. {}", 1, "essay"),
        ("Describe the debate.\n{\n}", 2, "essay"),
        ("When? {#2016:1}", 1, "numeric"),
        ("When? {#\n=2016\n}", 1, "numeric"),
        ("Match: {=a -> b =c -> d}", 1, "matching"),
        ("Capital? {=London =london}", 1, "short-answer"),
        ("Capital? {London}", 1, "short-answer"),
        ("Read the article first.", 1, "No answers"),
        ("::Intro:: Read the article first.", 1, "No answers"),
        ("::Broken title\nQ? {=a ~b}", 1, "closing ::"),
        ("Q? {=a ~b", 1, "Unmatched {"),
        ("Q?\n=a ~b}", 2, "Unmatched }"),
        ("Q? } {=a ~b}", 1, "Unmatched }"),
        ("Q? {=a\n~{b}", 2, "A { inside the answers"),
        ("Q? {=a ~b} then {=c ~d}", 1, "only one set of answers"),
        ("Q? {=a ~b}\nand } more", 2, "only one set of answers"),
        ("Q? {\nstray\n=a ~b}", 2, "'stray' comes before the first answer"),
        ("Q? {~a ~b ~c}", 1, "No answer is marked right"),
        ("Q? {=a =b ~c}", 1, "Several answers are marked right"),
        ("Q? {~%150%a ~b}", 1, "outside -100% to 100%"),
        ("Q? {\n~%50%a\n~%-101%b\n}", 3, "The weight -101% is outside"),
    ],
)
def test_gift_errors(source: str, line: int, fragment: str) -> None:
    result = parse_gift(source)
    assert result.questions == ()
    assert len(result.errors) == 1
    assert result.errors[0].line == line
    assert fragment in result.errors[0].message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Q? {~%100%a}", [(1, "A question needs between 2 and 8 choices; this one has 1.")]),
        ("Q? {=a ~ A }", [(1, "Each choice must be different; repeated: A.")]),
        ("Q? {=a ~b  c ~B C}", [(1, "Each choice must be different; repeated: B C.")]),
        ("Q? {\n=a\n~\n}", [(3, "Choice 2 is empty.")]),
        ("Q? {~%-50%a ~%-50%b}", [(1, "Mark at least one choice as correct.")]),
        ("{=a ~b}", [(1, "The question has no text.")]),
        ("::Title:: {=a ~b}", [(1, "The question has no text.")]),
    ],
)
def test_bank_rules(source: str, expected: list[tuple[int, str]]) -> None:
    result = parse_gift(source)
    assert result.questions == ()
    assert [(e.line, e.message) for e in result.errors] == expected


def test_choice_limits() -> None:
    nine = " ".join(f"~choice{n}" for n in range(MAX_CHOICES))
    result = parse_gift(f"Q? {{=right {nine}}}")
    assert result.errors == (
        ImportProblem(1, "A question needs between 2 and 8 choices; this one has 9."),
    )
    eight = " ".join(f"~choice{n}" for n in range(MAX_CHOICES - 1))
    assert len(only(parse_gift(f"Q? {{=right {eight}}}")).choices) == MAX_CHOICES


def test_length_limits_point_at_the_long_text() -> None:
    long_choice = "x" * (MAX_CHOICE_TEXT + 1)
    result = parse_gift(f"Q?\n{{\n=a\n~{long_choice}\n}}")
    assert result.errors == (
        ImportProblem(4, f"Choice 2 is 501 characters long; the limit is {MAX_CHOICE_TEXT}."),
    )
    long_stem = "y" * (MAX_STEM + 1)
    result = parse_gift(f"{long_stem} {{=a ~b}}")
    assert result.errors == (
        ImportProblem(1, "The question is 2,001 characters long; the limit is 2,000."),
    )
    assert only(parse_gift(f"{'y' * MAX_STEM} {{=a ~{'x' * MAX_CHOICE_TEXT}}}"))


def test_topic_limit() -> None:
    name = "t" * (TOPIC_MAX_LENGTH + 1)
    result = parse_gift(f"$CATEGORY: {name}\n\nQ? {{=a ~b}}")
    assert error_lines(result) == [3]
    assert "at most 60" in result.errors[0].message


def test_errors_do_not_stop_the_rest_of_the_file() -> None:
    source = (
        "// A teacher's file with a few mistakes\n"  # 1
        "Good one? {=a ~b}\n"  # 2
        "\n"
        "Essay? {}\n"  # 4
        "\n"
        "Repeated?\n"  # 6
        "{\n"
        "=same\n"
        "~Same\n"
        "}\n"
        "\n"
        "Good two? {T}\n"  # 12
        "\n"
        "Unclosed? {=a ~b\n"  # 14
        "\n"
        "Good three? {~%50%a ~%50%b ~%-100%c}\n"  # 16
    )
    result = parse_gift(source)
    assert [p.line for p in result.questions] == [2, 12, 16]
    assert error_lines(result) == [4, 6, 14]
    assert str(result.errors[0]).startswith("Line 4: An essay question")


def test_empty_file() -> None:
    assert parse_gift("") == ParseResult()
    assert parse_gift("// only a comment\n\n\n") == ParseResult()


# --- a real Moodle export ---------------------------------------------------------------------


def test_moodle_export_sample() -> None:
    result = parse_gift(MOODLE_EXPORT.read_text(encoding="utf-8"))
    by_title = {p.question.title: p for p in result.questions}
    assert list(by_title) == [
        "E2EE apps",
        "Default for encryption",
        "Ofcom",
        "Online Safety Act gap",
        "Thirds",
    ]
    assert [p.line for p in result.questions] == [7, 17, 30, 34, 42]

    apps = by_title["E2EE apps"].question
    assert apps.kind == MULTI
    assert apps.topic == "Encryption"
    assert apps.stem == "Which of these apps already use end-to-end encryption by default?"
    assert correct(apps) == ["WhatsApp", "Signal"]
    assert apps.choices[0].feedback == "Yes, since 2016."
    assert apps.choices[2] == BankChoice("Telegram", -0.5, "Only in its secret chats.")
    assert apps.explanation == "The article names WhatsApp and Signal."

    default = by_title["Default for encryption"].question
    assert default.kind == SINGLE
    assert default.stem == (
        "Meta said it would make encryption the default for which app?\nChoose one."
    )
    assert default.choices[0] == BankChoice(
        "Messenger", 1.0, "Right: Messenger chats were the next to be encrypted."
    )

    ofcom = by_title["Ofcom"].question
    assert ofcom == BankQuestion(
        TRUE_FALSE,
        "Ofcom is the UK's communications regulator.",
        (
            BankChoice("True", 1.0, "Correct."),
            BankChoice("False", 0.0, "It is: the article says so."),
        ),
        title="Ofcom",
        explanation="Ofcom regulates UK communications.",
        topic="Ofcom and the law",
    )

    gap = by_title["Online Safety Act gap"].question
    assert gap.stem == f"The Online Safety Act became law in {BLANK}."
    assert correct(gap) == ["2023"]

    assert correct(by_title["Thirds"].question) == ["Ofcom", "ICO", "CMA"]

    assert [(e.line, e.message.split(" ", 2)[1]) for e in result.errors] == [
        (51, "essay"),
        (55, "short-answer"),
        (61, "numeric"),
        (67, "matching"),
        (75, "answers:"),
    ]


# --- GIFT out ----------------------------------------------------------------------------------

ROUND_TRIP = [
    bank_question(SINGLE, "Who regulates UK communications?", [("Ofcom", True), ("Ofgem", False)]),
    bank_question(
        SINGLE,
        "Special: ~ = # { } : \\ and \\n, 50% {=not answers} // not a comment",
        [("a~b=c#d", True), ("{braces}: colon", False), ("back\\slash\\", False)],
        title="Title: with ~=#{} and \\",
        explanation="Line one.\nLine two: #2 ~ {x}.",
        topic="Key terms",
    ),
    bank_question(
        MULTI,
        "Which apps use end-to-end encryption? Select all that apply.",
        [("WhatsApp", True), ("Signal", True), ("Telegram", False), ("Instagram", False)],
        explanation="The article names WhatsApp and Signal.",
        topic="Apps and encryption",
    ),
    bank_question(
        MULTI,
        "Which are regulators?",
        [("Ofcom", True), ("ICO", True), ("CMA", True), ("Signal", False)],
        topic="Apps and encryption",
    ),
    bank_question(MULTI, "All of these?", [("a", True), ("b", True)], topic="Law/Ofcom"),
    bank_question(MULTI, "One of these?", [("a", True), ("b", False), ("c", False)]),
    BankQuestion(
        TRUE_FALSE,
        "Ofcom regulates UK communications.",
        (BankChoice("True", 1.0, "Yes: it does."), BankChoice("False", 0.0, "No #1")),
        title="Ofcom",
        explanation="Ofcom is the regulator.",
    ),
    BankQuestion(
        TRUE_FALSE,
        "The Online Safety Act became law in 2021.",
        (BankChoice("True", 0.0, "It was 2023."), BankChoice("False", 1.0)),
    ),
    BankQuestion(
        TRUE_FALSE,
        "Signal is encrypted.",
        (BankChoice("True", 1.0, "Right."), BankChoice("False", 0.0)),
        topic="Apps",
    ),
    BankQuestion(
        SINGLE,
        "Which fills the gap? The law passed in _____.",
        (
            BankChoice("2023", 1.0, "Right: 2023."),
            BankChoice("2021", 0.0, "Two years early."),
            BankChoice("%50% off", 0.0),  # would read as a weight if not escaped
            BankChoice("[html]<b>tag-like</b>", 0.0),  # would read as a format tag
        ),
    ),
    bank_question(SINGLE, "// starts like a comment", [("a", True), ("b", False)]),
    bank_question(SINGLE, "[html] starts like a tag", [("a", True), ("b", False)], title="T"),
    bank_question(SINGLE, "$CATEGORY: not a category", [("a", True), ("b", False)]),
    bank_question(MULTI, "%50% off with weights?", [("%50% off", True), ("=b", False)]),
]


@pytest.mark.parametrize("question", ROUND_TRIP, ids=lambda q: q.stem[:30])
def test_round_trip_one(question: BankQuestion) -> None:
    assert only(parse_gift(export_gift([question]))) == question


def test_round_trip_all_at_once() -> None:
    result = parse_gift(export_gift(ROUND_TRIP))
    assert result.errors == ()
    assert [p.question for p in result.questions] == ROUND_TRIP


def test_export_multi_weights_follow_moodle() -> None:
    out = export_gift([ROUND_TRIP[3], ROUND_TRIP[2]])
    assert "\t~%33.33333%Ofcom\n" in out
    assert "\t~%-100%Signal\n" in out
    assert "\t~%50%WhatsApp\n\t~%50%Signal\n\t~%-50%Telegram\n\t~%-50%Instagram\n" in out
    assert out.count("$CATEGORY:") == 1


def test_export_layout() -> None:
    out = export_gift(
        [
            bank_question(SINGLE, "Who?", [("Ofcom", True), ("Ofgem", False)], topic="Law"),
            ROUND_TRIP[6],
        ]
    )
    assert out == (
        "$CATEGORY: Law\n"
        "\n"
        "Who? {\n"
        "\t=Ofcom\n"
        "\t~Ofgem\n"
        "}\n"
        "\n"
        "$CATEGORY:\n"
        "\n"
        "::Ofcom::Ofcom regulates UK communications. "
        "{TRUE#No \\#1#Yes\\: it does.####Ofcom is the regulator.}\n"
    )


def test_export_ignores_stored_weights_for_the_bank_convention() -> None:
    question = BankQuestion(
        MULTI, "Which?", (BankChoice("a", 1.0), BankChoice("b", 1.0), BankChoice("c", 0.0))
    )
    back = only(parse_gift(export_gift([question])))
    assert [c.fraction for c in back.choices] == [0.5, 0.5, -1.0]
    assert back == bank_question(MULTI, "Which?", [("a", True), ("b", True), ("c", False)])


def test_edited_true_false_is_exported_as_multiple_choice() -> None:
    edited = BankQuestion(
        TRUE_FALSE, "Is it?", (BankChoice("Yes", 1.0, "fb"), BankChoice("No", 0.0))
    )
    back = only(parse_gift(export_gift([edited])))
    assert back == BankQuestion(
        SINGLE, "Is it?", (BankChoice("Yes", 1.0, "fb"), BankChoice("No", 0.0))
    )


def test_export_of_a_broken_question_is_refused_on_the_way_back_in() -> None:
    broken = bank_question(SINGLE, "Two right?", [("a", True), ("b", True), ("c", False)])
    result = parse_gift(export_gift([broken]))
    assert result.questions == ()
    assert "Several answers are marked right" in result.errors[0].message


def test_bank_question_weights() -> None:
    assert [
        c.fraction for c in bank_question(SINGLE, "Q", [("a", False), ("b", True)]).choices
    ] == [0.0, 1.0]
    assert [
        c.fraction
        for c in bank_question(
            TRUE_FALSE, "Q", [(t, t == "False") for t in TRUE_FALSE_CHOICES]
        ).choices
    ] == [0.0, 1.0]
    thirds = bank_question(MULTI, "Q", [("a", True), ("b", True), ("c", True), ("d", False)])
    assert [c.fraction for c in thirds.choices] == [0.3333333, 0.3333333, 0.3333333, -1.0]
    assert [c.correct for c in thirds.choices] == [True, True, True, False]


def test_export_nothing() -> None:
    assert export_gift([]) == ""


# --- Aiken ---------------------------------------------------------------------------------------


AIKEN = """\
Which regulator oversees UK communications?
A. Ofcom
B. Ofgem
C. Ofwat
ANSWER: A

Which app turned on end-to-end encryption by default in 2016?
A) Messenger
B) WhatsApp
ANSWER: B
Who said it?
This question runs over two lines.
A. Someone
B. Someone else
C. Nobody
answer: c.
"""


def test_aiken() -> None:
    result = parse_aiken(AIKEN)
    assert result.errors == ()
    assert result.questions == (
        ParsedQuestion(
            1,
            BankQuestion(
                SINGLE,
                "Which regulator oversees UK communications?",
                (BankChoice("Ofcom", 1.0), BankChoice("Ofgem", 0.0), BankChoice("Ofwat", 0.0)),
            ),
        ),
        ParsedQuestion(
            7,
            BankQuestion(
                SINGLE,
                "Which app turned on end-to-end encryption by default in 2016?",
                (BankChoice("Messenger", 0.0), BankChoice("WhatsApp", 1.0)),
            ),
        ),
        ParsedQuestion(
            11,
            BankQuestion(
                SINGLE,
                "Who said it?\nThis question runs over two lines.",
                (
                    BankChoice("Someone", 0.0),
                    BankChoice("Someone else", 0.0),
                    BankChoice("Nobody", 1.0),
                ),
            ),
        ),
    )


def test_aiken_keeps_gift_special_characters_as_they_are() -> None:
    question = only(parse_aiken("Is 1+1=2 {really}? #maths\nA. Yes: ~always\nB. No\nANSWER: A"))
    assert question.stem == "Is 1+1=2 {really}? #maths"
    assert texts(question) == ["Yes: ~always", "No"]


def test_aiken_stem_starting_like_an_option_letter() -> None:
    question = only(
        parse_aiken("Who wrote it?\nI. Newton's notes say:\nA. Newton\nB. Hooke\nANSWER: A")
    )
    assert question.stem == "Who wrote it?\nI. Newton's notes say:"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Q?\nA. a\nB. b",
            [(1, "The question has no ANSWER line (such as ANSWER: B) after its options.")],
        ),
        ("Q?\nA. a\nB. b\nANSWER: E", [(4, "The answer E is not one of the options (A to B).")]),
        (
            "Q?\nA. a\nB. b\nANSWER: AB",
            [(4, "ANSWER must be one option letter, such as ANSWER: B, not 'AB'.")],
        ),
        (
            "Q?\nA. a\nB. b\nANSWER:",
            [(4, "ANSWER must be one option letter, such as ANSWER: B, not ''.")],
        ),
        (
            "Q?\nA. a\nANSWER: A",
            [(1, "The question needs at least 2 options (A. ... B. ...); it has 1.")],
        ),
        (
            "Q?\nANSWER: A",
            [(1, "The question needs at least 2 options (A. ... B. ...); it has 0.")],
        ),
        (
            "Q?\nA. a\nC. c\nANSWER: A",
            [
                (
                    3,
                    "Option C is out of order: options are lettered A, B, C... and this one should"
                    " be B.",
                )
            ],
        ),
        (
            "A. a\nB. b\nANSWER: A",
            [
                (
                    1,
                    "Option A has no question before it; the question goes on the line above"
                    " its options.",
                ),
                (
                    2,
                    "Option B has no question before it; the question goes on the line above"
                    " its options.",
                ),
                (3, "An ANSWER line with no question before it."),
            ],
        ),
        ("Q?\nA. a\nB. A \nANSWER: A", [(1, "Each choice must be different; repeated: A.")]),
        ("Q?\nA.\nB. b\nANSWER: B", [(2, "Choice 1 is empty.")]),
    ],
)
def test_aiken_errors(source: str, expected: list[tuple[int, str]]) -> None:
    result = parse_aiken(source)
    assert result.questions == ()
    assert [(e.line, e.message) for e in result.errors] == expected


def test_aiken_too_many_options() -> None:
    options = "\n".join(f"{chr(ord('A') + i)}. option {i}" for i in range(MAX_CHOICES + 1))
    result = parse_aiken(f"Q?\n{options}\nANSWER: B")
    assert result.errors == (
        ImportProblem(1, "A question needs between 2 and 8 choices; this one has 9."),
    )


def test_aiken_errors_do_not_stop_the_rest() -> None:
    source = "Q1?\nA. a\nB. b\nANSWER: Z\n\nQ2?\nA. a\nB. b\nANSWER: B\nQ3?\nA. x\n"
    result = parse_aiken(source)
    assert [(p.line, p.question.stem) for p in result.questions] == [(6, "Q2?")]
    assert error_lines(result) == [4, 10]


# --- seeded random checks: nothing crashes, everything written reads back -----------------------

_NASTY = [*"ab Z~=#{}:\\%/[]<>-\n", "[html]", "[moodle]", "//", "####", "::", "$CATEGORY:", "%50%"]


def _nasty_text(rng: random.Random) -> str:
    while True:
        text = "".join(rng.choice(_NASTY) for _ in range(rng.randint(1, 10))).strip()
        if text:
            return text


def test_garbage_never_crashes_and_never_yields_a_broken_question() -> None:
    rng = random.Random(0)
    pieces = [*_NASTY, "\r\n", "\t", "T", "=", "~", "A. ", "B) ", "ANSWER: A", "<p>", "&amp;"]
    for _ in range(2000):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for parse in (parse_gift, parse_aiken):
            for parsed in parse(source).questions:
                assert parsed.question.stem
                assert 2 <= len(parsed.question.choices) <= MAX_CHOICES


def test_random_questions_round_trip() -> None:
    rng = random.Random(0)
    for _ in range(500):
        kind = rng.choice([SINGLE, MULTI])
        count, texts = rng.randint(2, MAX_CHOICES), list[str]()
        while len(texts) < count:
            text = _nasty_text(rng)
            if text.casefold() not in {t.casefold() for t in texts}:
                texts.append(text)
        right = rng.sample(range(len(texts)), 1 if kind == SINGLE else rng.randint(1, len(texts)))
        question = bank_question(
            kind,
            _nasty_text(rng),
            [(text, i in right) for i, text in enumerate(texts)],
            title=rng.choice(["", _nasty_text(rng)]),
            explanation=rng.choice(["", _nasty_text(rng)]),
            topic=rng.choice(["", _nasty_text(rng).replace("\n", " ")]),
        )
        assert only(parse_gift(export_gift([question]))) == question


# --- Names, statuses and recognising a question already in the bank (issue 12) ------------------


def test_titles_and_statuses_make_the_round_trip() -> None:
    questions = [
        bank_question(
            SINGLE,
            "Who regulates?",
            [("Ofcom", True), ("Ofwat", False)],
            title="regulator :: UK",
            status="approved",
            topic="Law",
        ),
        bank_question(
            TRUE_FALSE,
            "Signal is encrypted.",
            [("True", True), ("False", False)],
            status="approved",
            topic="Law",
        ),
        bank_question(
            MULTI,
            "Which apps?",
            [("Signal", True), ("Myspace", False)],
            title="apps",
            status="draft",
        ),
    ]
    text = export_gift(questions, header=["Exported from quizapp: 3 questions.", "Status: mixed"])
    assert text.startswith("// Exported from quizapp: 3 questions.\n// Status: mixed\n")
    assert text.count(STATUS_COMMENT) == 2  # written when the status changes, like categories
    result = parse_gift(text)
    assert result.errors == ()
    assert [parsed.question for parsed in result.questions] == questions


def test_a_status_comment_covers_the_questions_after_it_and_others_say_nothing() -> None:
    text = (
        "Before any status? {=Yes ~No}\n\n"
        "// quizapp-status: Draft\n"
        "First? {=Yes ~No}\n\n"
        "// an ordinary comment\n"
        "Second? {=Yes ~No}\n"
        "// quizapp-status: approved\n"  # inside a question: it counts from the next one
        "\n"
        "Third? {=Yes ~No}\n"
    )
    statuses = [parsed.question.status for parsed in parse_gift(text).questions]
    assert statuses == ["", "draft", "draft", "approved"]
    assert status_comment("//quizapp-status: retired") == "retired"
    assert status_comment("// quizapp-statusless") is None


def test_a_title_becomes_a_name_on_one_line_within_the_column() -> None:
    assert title_as_name("  Ofcom\n powers  ") == "Ofcom powers"
    assert len(title_as_name("x" * 400)) == NAME_MAX_LENGTH


def test_the_same_question_has_one_key_whatever_its_case_spacing_and_choice_order() -> None:
    key = question_key(
        "single", "Who  regulates UK\ncommunications?", [("Ofcom", True), ("BBC", False)]
    )
    assert key == question_key(
        "single", "who regulates uk communications? ", [("the bbc"[4:], False), (" OFCOM", True)]
    )
    # a different right answer, kind or choice is a different question
    assert key != question_key(
        "single", "Who regulates UK communications?", [("Ofcom", False), ("BBC", True)]
    )
    assert key != question_key(
        "multi", "Who regulates UK communications?", [("Ofcom", True), ("BBC", False)]
    )
    assert key != question_key(
        "single", "Who regulates UK communications?", [("Ofcom", True), ("ITV", False)]
    )
    parsed = only(parse_gift("::t::Who regulates UK communications? {~BBC =Ofcom}"))
    assert bank_question_key(parsed) == key
