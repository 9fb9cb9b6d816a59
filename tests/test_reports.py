"""The quiz report and the score exports, on a small fixed data set worked out by hand.

Four learners take the three-question small quiz (1 point each):

    learner  Q1 Q2 Q3  total        x1 = 1 1 0 0   rest1 = X - x1 = 2 1 1 0
    Ann       1  1  1    3          x2 = 1 0 0 0   rest2          = 2 2 1 0
    Bob       0  ...                x3 = 1 1 1 0   rest3          = 2 1 0 0
    (see ANSWERS below for who picked what)

Totals X = 3 2 1 0: mean 1.5 (50%), median 1.5, sample variance 5/3, SD 1.29099 (43.03%).
Item variances 1/3, 1/4, 1/4 (sum 5/6), so Cronbach's alpha = 3/2 * (1 - (5/6)/(5/3)) = 0.75:
CIC 75%, error ratio 100*sqrt(0.25) = 50%, standard error 0.5 * 1.29099 = 0.64550 (21.52%).
Facility: 50%, 25%, 75%. Discrimination: Q1 r(x1, rest1) = (1/3)/sqrt(1/3 * 2/3) = 70.71%;
Q2 and Q3 r = 0.25/sqrt(0.25 * 11/12) = 52.22%. Sorting each pair independently changes no
pairing here, so every discriminative efficiency is 100%.
Dee then takes the quiz a second time, getting everything right: counted only with "all".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import ClassMember, QuizClass, Role, SchoolClass
from quizapp.services.attempts import finish_attempt, record_answer, start_attempt
from quizapp.services.reports import quiz_report

from .conftest import Auth, SmallQuiz, add_user, build_small_quiz

# name (some are spreadsheet formulas on purpose), then right/wrong per question
ANSWERS = [
    ("Ann", "ann@example.org", (True, True, True)),
    ('=HYPERLINK("http://x")', "bob@example.org", (True, False, True)),
    ("@SUM(1)", "cy@example.org", (False, False, True)),
    ("Dee", "dee@example.org", (False, False, False)),
]


@pytest.fixture
def data(app: Flask, auth: Auth) -> SmallQuiz:
    with app.app_context():
        teacher = add_user("t@example.org", Role.TEACHER)
        quiz = build_small_quiz(created_by_id=teacher.id)
        school_class = SchoolClass(name="Set 1", teacher_id=teacher.id, join_code="SET1CODE")
        db.session.add(school_class)
        db.session.flush()
        db.session.add(QuizClass(quiz_id=quiz.quiz_id, class_id=school_class.id))
        for name, email, rights in ANSWERS:
            learner = add_user(email, name=name)
            if name in ("Ann", "Dee"):
                db.session.add(ClassMember(class_id=school_class.id, learner_id=learner.id))
            db.session.commit()
            take(quiz, learner.id, rights)
        take(quiz, learner.id, (True, True, True))  # Dee's second attempt
    auth.login("t@example.org")
    return quiz


def take(quiz: SmallQuiz, learner_id: int, rights: tuple[bool, ...]) -> None:
    with write_transaction():
        attempt = start_attempt(learner_id, quiz.quiz_id)
        for question_id, right in zip(quiz.question_ids, rights, strict=True):
            answer = quiz.correct[question_id] if right else quiz.wrong[question_id]
            record_answer(attempt.id, learner_id, question_id, answer)
        finish_attempt(attempt.id, learner_id)


def test_item_statistics_match_the_hand_worked_numbers(app: Flask, data: SmallQuiz) -> None:
    with app.app_context():
        stats = quiz_report(data.quiz_id, 1).statistics
    assert stats.attempts == 4
    assert stats.mean == pytest.approx(1.5) and stats.mean_percent == pytest.approx(50)
    assert stats.median == pytest.approx(1.5)
    assert stats.sd == pytest.approx(1.290994, abs=1e-6)
    assert stats.sd_percent == pytest.approx(43.0331, abs=1e-4)
    assert stats.cic == pytest.approx(75)
    assert stats.error_ratio == pytest.approx(50)
    assert stats.standard_error == pytest.approx(0.645497, abs=1e-6)
    assert [s.facility for s in stats.slots] == pytest.approx([50, 25, 75])
    assert [s.discrimination_index for s in stats.slots] == pytest.approx(
        [70.7107, 52.2233, 52.2233], abs=1e-3
    )
    assert [s.discriminative_efficiency for s in stats.slots] == pytest.approx([100, 100, 100])
    picks = {c.text: c.count for c in stats.slots[0].choices}
    assert picks == {"Ofcom": 2, "Ofwat": 2, "Ofgem": 0, "The BBC": 0}
    flags = [f.label for f in stats.slots[0].flags]
    assert any("Ofgem" in f for f in flags) and any("The BBC" in f for f in flags)
    assert [b.count for b in stats.distribution] == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]


def test_all_attempts_and_a_class_filter(app: Flask, data: SmallQuiz) -> None:
    with app.app_context():
        everything = quiz_report(data.quiz_id, 1, first_only=False)
        set1 = quiz_report(data.quiz_id, 1, class_id=1)
    assert everything.statistics.attempts == 5 and len(everything.rows) == 5
    assert everything.statistics.slots[1].facility == pytest.approx(40)
    assert {r.learner for r in set1.rows} == {"Ann", "Dee"}
    assert all(r.classes == "Set 1" for r in set1.rows)


def test_the_report_page_shows_attempts_chart_table_and_statistics(
    client: FlaskClient, data: SmallQuiz
) -> None:
    page = client.get(f"/teach/quizzes/{data.quiz_id}/report").get_data(as_text=True)
    assert page.count("<tr>") >= 5 + 10 + 3  # attempts, score bands, questions
    assert "<svg" in page and "Attempts per score band" in page
    assert "75.0%" in page  # CIC
    assert "&#34;http://x&#34;" in page or "&quot;http://x&quot;" in page  # escaped, not run
    assert client.get(f"/teach/quizzes/{data.quiz_id}/report?attempts=some").status_code == 400
    assert client.get(f"/teach/quizzes/{data.quiz_id}/report?class=x").status_code == 400
    assert client.get(f"/teach/quizzes/{data.quiz_id}/report?class=²").status_code == 400
    assert client.get(f"/teach/quizzes/{data.quiz_id}/report?class=99").status_code == 404


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_summary_export(client: FlaskClient, data: SmallQuiz) -> None:
    response = client.get(f"/teach/quizzes/{data.quiz_id}/export.csv")
    assert response.is_streamed and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="encryption-basics-summary-20')
    text = response.get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text)))  # every text cell is quoted
    assert header[:12] == [
        "learner", "email", "username", "class", "quiz", "attempt", "started", "submitted",
        "duration_seconds", "score", "max_score", "percent",
    ]  # fmt: skip
    assert header[12].startswith("Q1: Which body is the communication regulator?")
    rows = read_csv(text)
    assert len(rows) == 5
    by_email = {(r["email"], r["attempt"]): r for r in rows}
    bob = by_email[("bob@example.org", "1")]
    assert bob["learner"] == '\'=HYPERLINK("http://x")'  # neutralised
    assert by_email[("cy@example.org", "1")]["learner"] == "'@SUM(1)"
    assert bob["score"] == "2.0" and bob["max_score"] == "3.0" and bob["percent"] == "66.67"
    assert [bob[h] for h in header[12:]] == ["1.0", "0.0", "1.0"]
    assert by_email[("ann@example.org", "1")]["class"] == "Set 1" and bob["class"] == ""
    assert bob["started"].endswith("Z") and "T" in bob["started"]
    assert int(bob["duration_seconds"]) >= 0
    assert by_email[("dee@example.org", "2")]["score"] == "3.0"


def test_the_detailed_export_and_excel_bom(client: FlaskClient, data: SmallQuiz) -> None:
    text = client.get(f"/teach/quizzes/{data.quiz_id}/export.csv?format=detailed").get_data(
        as_text=True
    )
    rows = read_csv(text)
    assert len(rows) == 15
    bob_multi = next(
        r for r in rows if r["email"] == "bob@example.org" and r["question_number"] == "2"
    )
    assert bob_multi["question"] == "Which apps use end-to-end encryption?"
    assert bob_multi["chosen"] == "Myspace" and bob_multi["correct"] == "no"
    assert bob_multi["marks"] == "0.0" and bob_multi["max_marks"] == "1.0"
    ann_multi = next(
        r for r in rows if r["email"] == "ann@example.org" and r["question_number"] == "2"
    )
    assert ann_multi["chosen"] == "Signal; WhatsApp" and ann_multi["correct"] == "yes"
    bom = client.get(f"/teach/quizzes/{data.quiz_id}/export.csv?bom=1").get_data()
    assert bom.startswith("\ufeff".encode()) and b"learner" in bom[:20]
    assert client.get(f"/teach/quizzes/{data.quiz_id}/export.csv?format=xlsx").status_code == 400


def test_the_class_export_holds_only_the_class(client: FlaskClient, data: SmallQuiz) -> None:
    response = client.get("/teach/classes/1/export.csv")
    assert 'filename="set-1-summary-' in response.headers["Content-Disposition"]
    rows = read_csv(response.get_data(as_text=True))
    assert {r["email"] for r in rows} == {"ann@example.org", "dee@example.org"}
    assert len(rows) == 3


def test_export_scores_command(
    app: Flask, runner: FlaskCliRunner, data: SmallQuiz, tmp_path: Path
) -> None:
    target = tmp_path / "scores.csv"
    result = runner.invoke(
        args=["export-scores", "--teacher", "t@example.org", "--quiz", "1", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert len(read_csv(target.read_text(encoding="utf-8"))) == 5
    detailed = runner.invoke(
        args=["export-scores", "--teacher", "t@example.org", "--class", "1", "--format",
              "detailed", "--bom", "-o", "-"]
    )  # fmt: skip
    assert detailed.exit_code == 0 and detailed.output.startswith("\ufeff")
    assert len(read_csv(detailed.output.lstrip("\ufeff"))) == 9
    stranger = runner.invoke(args=["export-scores", "--teacher", "ann@example.org", "--quiz", "1"])
    assert stranger.exit_code != 0 and "no teacher" in stranger.output
    nothing = runner.invoke(args=["export-scores", "--teacher", "t@example.org"])
    assert nothing.exit_code == 2 and "Give --quiz" in nothing.output
    missing = runner.invoke(args=["export-scores", "--teacher", "t@example.org", "--quiz", "9"])
    assert missing.exit_code == 1 and "no such quiz" in missing.output
    # an id no column can hold, and a file that cannot be written: a line, not a traceback
    huge = runner.invoke(args=["export-scores", "--teacher", "t@example.org", "--quiz", "9" * 25])
    assert huge.exit_code == 2 and "Invalid value for '--quiz'" in huge.output
    nowhere = str(tmp_path / "no" / "such" / "dir.csv")
    unwritable = runner.invoke(
        args=["export-scores", "--teacher", "t@example.org", "--quiz", "1", "-o", nowhere]
    )
    assert unwritable.exit_code == 1 and "Could not write" in unwritable.output
    assert "Traceback" not in huge.output + unwritable.output
