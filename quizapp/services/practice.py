"""Practice quizzes built from a learner's mistakes, kept apart from graded attempts.

A practice quiz is an ordinary, never-published Quiz owned by one learner, so the usual
attempt flow (questions, feedback, result) runs it unchanged; its attempts are flagged by the
quiz and left out of graded statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Attempt, Quiz, QuizQuestion, Response
from . import ServiceError
from .attempts import get_attempt, start_attempt


class NoMistakes(ServiceError):
    """Nothing to practise: a kind message, not an empty quiz."""

    status = 409


def latest_mistakes(learner_id: int) -> list[int]:
    """Questions whose LATEST graded answer by the learner was wrong, in order of that answer.

    Answered wrong then right later is mastered and left out; practice answers do not count.
    """
    rows = db.session.execute(
        select(Response.question_id, Response.correct)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.learner_id == learner_id,
            Attempt.submitted_at.is_not(None),
            Quiz.practice_for_id.is_(None),
        )
        .order_by(Response.answered_at, Response.id)
    )
    latest: dict[int, bool] = {}
    for question_id, correct in rows:
        latest.pop(question_id, None)
        latest[question_id] = correct
    return [question_id for question_id, correct in latest.items() if not correct]


def attempt_mistakes(attempt_id: int, learner_id: int) -> list[int]:
    """The questions this (submitted) attempt got wrong or left unanswered."""
    attempt = get_attempt(attempt_id, learner_id)
    if not attempt.is_submitted:
        raise ServiceError("Finish the attempt before retrying its mistakes.")
    right = {r.question_id for r in attempt.responses if r.correct}
    return [item.question_id for item in attempt.quiz.items if item.question_id not in right]


def start_practice(learner_id: int, question_ids: Sequence[int], title: str) -> Attempt:
    """Make the learner a personal quiz of these questions and start it, or resume the
    unfinished practice of exactly these questions: pressing the button again, or going back
    and pressing it, must not pile up practice quizzes."""
    if not question_ids:
        raise NoMistakes(
            "No mistakes to practise: every question you answered in a finished quiz was right."
        )
    unfinished = db.session.scalars(
        select(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.learner_id == learner_id,
            Attempt.submitted_at.is_(None),
            Quiz.practice_for_id == learner_id,
        )
        .options(selectinload(Attempt.quiz).selectinload(Quiz.items))
    )
    for attempt in unfinished:
        if [item.question_id for item in attempt.quiz.items] == list(question_ids):
            return attempt
    quiz = Quiz(
        title=f"{title} ({uuid4().hex[:8]})",
        published=False,
        practice_for_id=learner_id,
        items=[QuizQuestion(question_id=q, position=i) for i, q in enumerate(question_ids, 1)],
    )
    db.session.add(quiz)
    db.session.flush()
    return start_attempt(learner_id, quiz.id)
