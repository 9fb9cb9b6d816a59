"""The report of a quiz whose question was edited after learners had answered it.

Editing an answered question makes a new version and moves the quiz's slot to it, while old
attempts keep the version they answered. A tester found the report mixing the two: the slot's
row showed the new stem, listed both versions' choices, and flagged the old right answer,
which everyone had picked, as a "distractor never chosen". As Moodle does, the question table
now has one row per version answered, each counted against its own choices; the whole-test
statistics still treat the slot as one question.

The quiz is the small one (single, multi, true/false). Slot 3 is edited: version 1 says
"Ofcom is the communication regulator" (True is right), version 2 says "Ofwat is ..." (False
is right). Learners pick by choice text, so the same table reads right for either version.
"""

from __future__ import annotations

import html
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Question, Quiz, Role, User
from quizapp.services.attempts import finish_attempt, record_answer, start_attempt
from quizapp.services.reports import quiz_report

from .conftest import Auth, SmallQuiz, add_user, build_small_quiz
from .test_bank import form
from .test_database import statements

TEACHER = "t@example.org"
V1_STEM = "True or false: Ofcom is the communication regulator."
V2_STEM = "True or false: Ofwat is the communication regulator."

# Picks per slot, by choice text: "+" joins a multiple answer, "" leaves the slot unanswered.
RIGHT_ALL = ("Ofcom", "Signal+WhatsApp")
BEFORE_EDIT = [
    (*RIGHT_ALL, "True"),
    ("Ofcom", "Myspace", "True"),
    ("Ofwat", "Signal+WhatsApp", "True"),
    ("Ofwat", "Myspace", "True"),
    (*RIGHT_ALL, "True"),
    ("Ofcom", "Myspace", "True"),
    ("Ofwat", "Myspace", "True"),
    (*RIGHT_ALL, "True"),
    ("Ofwat", "Myspace", "True"),
]
AFTER_EDIT = [
    (*RIGHT_ALL, "False"),
    ("Ofwat", "Myspace", "False"),
    (*RIGHT_ALL, "True"),
]
# Marks the tables above earn, slot by slot (version 2 of slot 3 has False right).
BEFORE_MARKS = [(1, 1, 1), (1, 0, 1), (0, 1, 1), (0, 0, 1), (1, 1, 1), (1, 0, 1), (0, 0, 1),
                (1, 1, 1), (0, 0, 1)]  # fmt: skip
AFTER_MARKS = [(1, 1, 1), (0, 0, 1), (1, 1, 0)]


@pytest.fixture
def quiz(app: Flask, auth: Auth) -> SmallQuiz:
    """The small quiz, its questions the teacher's own so the teacher may edit them."""
    with app.app_context():
        teacher = add_user(TEACHER, Role.TEACHER)
        quiz = build_small_quiz(created_by_id=teacher.id)
        db.session.execute(update(Question).values(created_by_id=teacher.id))
        db.session.commit()
    auth.login(TEACHER)
    return quiz


def answer(app: Flask, quiz_id: int, picks: Sequence[str], learner_id: int | None = None) -> int:
    """The learner (by default a new one) takes the quiz once, picking choices of the
    versions now in its slots."""
    with app.app_context():
        if learner_id is None:
            count = db.session.scalar(select(func.count(User.id)))
            learner_id = add_user(f"learner{count}@example.org").id
        with write_transaction():
            attempt = start_attempt(learner_id, quiz_id)
            items = db.session.get(Quiz, quiz_id).items  # type: ignore[union-attr]
            for item, pick in zip(items, picks, strict=True):
                if pick:
                    texts = pick.split("+")
                    chosen = [c.id for c in item.question.choices if c.text in texts]
                    record_answer(attempt.id, learner_id, item.question_id, chosen)
            finish_attempt(attempt.id, learner_id)
    return learner_id


def edit_slot_3(client: FlaskClient, quiz: SmallQuiz, question_id: int | None = None) -> int:
    """The teacher rewrites the true/false question so that False is now right."""
    response = client.post(
        f"/teach/questions/{question_id or quiz.question_ids[2]}/edit",
        data=form(stem=V2_STEM, kind="true_false", choices=[("True", False), ("False", True)]),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


@dataclass(frozen=True)
class Row:
    """One row of the report's question table, as the teacher reads it."""

    number: str
    stem: str
    link: str
    choices: list[str]
    attempts: str
    facility: str
    discrimination: str
    flags: str


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def question_rows(page: str) -> list[Row]:
    table = page.split('<table id="item-stats">', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tbody>", 1)[1].split("<tr>")[1:]:
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        link = re.search(r'<a href="([^"]*)">(.*?)</a>', cells[1], re.S)
        assert link is not None
        rows.append(
            Row(
                number=_text(cells[0]),
                stem=_text(link[2]),
                link=link[1],
                choices=[_text(li) for li in re.findall(r"<li>(.*?)</li>", cells[1], re.S)],
                attempts=_text(cells[2]),
                facility=_text(cells[3]),
                discrimination=_text(cells[5]),
                flags=_text(cells[7]),
            )
        )
    return rows


def quiz_statistics(page: str) -> str:
    """The whole-test numbers and the score distribution: what editing must not change."""
    return page.split("<h2>Quiz statistics</h2>", 1)[1].split("<h3>Questions</h3>", 1)[0]


def report(client: FlaskClient, quiz: SmallQuiz, query: str = "") -> str:
    response = client.get(f"/teach/quizzes/{quiz.quiz_id}/report{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_version_of_an_edited_question_has_its_own_row_and_counts(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    for picks in BEFORE_EDIT:
        answer(app, quiz.quiz_id, picks)
    before = report(client, quiz)
    first_version = quiz.question_ids[2]

    second_version = edit_slot_3(client, quiz)
    edited = report(client, quiz)
    # Editing alone changes nothing but the label: the row is still about version 1.
    assert quiz_statistics(edited) == quiz_statistics(before)
    assert question_rows(edited)[:2] == question_rows(before)[:2]
    (old_row,) = question_rows(edited)[2:]
    assert old_row == replace(question_rows(before)[2], number="3 (version 1)")
    assert old_row.stem == V1_STEM and old_row.link == f"/teach/questions/{first_version}"

    for picks in AFTER_EDIT:
        answer(app, quiz.quiz_id, picks)
    page = report(client, quiz)
    rows = question_rows(page)
    assert [r.number for r in rows] == ["1", "2", "3 (version 1)", "3 (version 2)"]
    v1, v2 = rows[2:]
    assert (v1.stem, v1.link) == (V1_STEM, f"/teach/questions/{first_version}")
    assert v1.choices == ["True (correct): 9 (100%)", "False: 0 (0%)"]
    assert (v1.attempts, v1.facility) == ("9", "100.0%")
    assert "Distractor never chosen: “False”" in v1.flags and "“True”" not in v1.flags
    assert "Everyone got this question right" in v1.flags
    assert (v2.stem, v2.link) == (V2_STEM, f"/teach/questions/{second_version}")
    assert v2.choices == ["True: 1 (33%)", "False (correct): 2 (67%)"]
    assert (v2.attempts, v2.facility) == ("3", "66.7%")
    assert "Distractor never chosen" not in v2.flags
    assert [r.attempts for r in rows[:2]] == ["12", "12"]

    # Each version's discrimination is over the attempts that answered it; the whole-test
    # numbers still see three questions, marked however each attempt's version marked them.
    with app.app_context():
        stats = quiz_report(quiz.quiz_id, 1).statistics
    marks = BEFORE_MARKS + AFTER_MARKS
    totals = [sum(m) for m in marks]
    x, rest = [m[2] for m in AFTER_MARKS], [sum(m[:2]) for m in AFTER_MARKS]
    assert stats.slots[3].discrimination_index == pytest.approx(
        100 * statistics.correlation(x, rest)
    )
    assert f"{stats.slots[3].discrimination_index:.1f}%" == v2.discrimination
    assert stats.slots[2].discrimination_index is None  # everyone right: no spread
    item_variance = sum(statistics.variance(column) for column in zip(*marks, strict=True))
    alpha = 3 / 2 * (1 - item_variance / statistics.variance(totals))
    assert stats.attempts == 12 and stats.mean == pytest.approx(statistics.mean(totals))
    assert stats.cic == pytest.approx(100 * alpha)
    assert f"{100 * alpha:.1f}%" in quiz_statistics(page)
    assert sum(band.count for band in stats.distribution) == 12
    attempts_table = page.split('<table id="attempts-table">', 1)[1].split("</table>", 1)[0]
    assert attempts_table.count("<tr>") == 1 + 12


def test_an_unanswered_slot_counts_under_the_version_it_had_when_submitted(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    answer(app, quiz.quiz_id, (*RIGHT_ALL, "True"))
    answer(app, quiz.quiz_id, (*RIGHT_ALL, ""))
    edit_slot_3(client, quiz)
    answer(app, quiz.quiz_id, (*RIGHT_ALL, "False"))
    answer(app, quiz.quiz_id, ("Ofwat", "Myspace", ""))
    v1, v2 = question_rows(report(client, quiz))[2:]
    assert (v1.number, v1.attempts, v1.facility) == ("3 (version 1)", "2", "50.0%")
    assert v1.choices == ["True (correct): 1 (50%)", "False: 0 (0%)"]
    assert (v2.number, v2.attempts, v2.facility) == ("3 (version 2)", "2", "50.0%")
    assert v2.choices == ["True: 0 (0%)", "False (correct): 1 (50%)"]


def test_only_versions_among_the_counted_attempts_get_rows(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    learner_id = answer(app, quiz.quiz_id, (*RIGHT_ALL, "True"))
    edit_slot_3(client, quiz)
    answer(app, quiz.quiz_id, (*RIGHT_ALL, "False"), learner_id)  # a second try, on version 2
    first = question_rows(report(client, quiz))
    assert [r.number for r in first] == ["1", "2", "3 (version 1)"]
    assert first[2].choices == ["True (correct): 1 (100%)", "False: 0 (0%)"]
    every = question_rows(report(client, quiz, "?attempts=all"))
    assert [r.number for r in every] == ["1", "2", "3 (version 1)", "3 (version 2)"]
    assert every[3].choices == ["True: 0 (0%)", "False (correct): 1 (100%)"]


def test_without_counted_attempts_a_slot_shows_the_version_now_in_it(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    true_false = quiz.question_ids[2]
    with app.app_context():
        learner_id = add_user("busy@example.org").id
        with write_transaction():  # answered, so the edit makes a version, but not submitted
            attempt = start_attempt(learner_id, quiz.quiz_id)
            record_answer(attempt.id, learner_id, true_false, quiz.correct[true_false])
    second_version = edit_slot_3(client, quiz)
    rows = question_rows(report(client, quiz))
    assert [(r.number, r.attempts) for r in rows] == [
        ("1", "0"),
        ("2", "0"),
        ("3 (version 2)", "0"),
    ]
    assert (rows[2].stem, rows[2].link) == (V2_STEM, f"/teach/questions/{second_version}")
    assert rows[2].choices == ["True: 0 (—)", "False (correct): 0 (—)"]


def test_the_reports_query_count_does_not_grow_with_learners_or_versions(
    app: Flask, client: FlaskClient, quiz: SmallQuiz
) -> None:
    answer(app, quiz.quiz_id, (*RIGHT_ALL, "True"))
    latest = edit_slot_3(client, quiz)
    answer(app, quiz.quiz_id, (*RIGHT_ALL, "False"))
    with statements(app) as few:
        report(client, quiz)
        report(client, quiz, "?attempts=all")
    for _ in range(3):
        for picks in AFTER_EDIT:
            answer(app, quiz.quiz_id, picks)
        latest = edit_slot_3(client, quiz, latest)
    answer(app, quiz.quiz_id, (*RIGHT_ALL, ""))
    assert len(question_rows(report(client, quiz))) == 2 + 5
    with statements(app) as many:
        report(client, quiz)
        report(client, quiz, "?attempts=all")
    assert len(many) == len(few)
