"""Practice quizzes built from a learner's mistakes, kept apart from graded attempts.

A practice quiz is an ordinary, never-published Quiz owned by one learner, so the usual
attempt flow (questions, feedback, result) runs it unchanged; its attempts are flagged by the
quiz and left out of graded statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..database import utcnow
from ..extensions import db
from ..models import Attempt, Question, Quiz, QuizQuestion, Response, Status
from . import ServiceError
from .attempts import get_attempt, start_attempt
from .cards import asked


class NoMistakes(ServiceError):
    """Nothing to practise: a kind message, not an empty quiz."""

    status = 409


def latest_mistakes(learner_id: int, now: datetime | None = None) -> list[int]:
    """Questions whose LATEST graded answer by the learner was wrong, in order of that answer.

    Answered wrong then right later is mastered and left out; practice answers do not count.
    A question is its family of versions (a right answer to the new wording masters it) and
    is practised in its current version, and only while the learner may still study it
    (approved, in a quiz they have and have handed in), as its flashcard would be.
    """
    rows = db.session.execute(
        select(Question.family, Response.correct)
        .join(Question, Question.id == Response.question_id)
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
    for family, correct in rows:
        latest.pop(family, None)
        latest[family] = correct
    wrong = [family for family, correct in latest.items() if not correct]
    current = dict(
        db.session.execute(
            select(Question.family, Question.id).where(
                Question.family.in_(wrong),
                Question.superseded_by_id.is_(None),
                asked(learner_id, now or utcnow()),
            )
        ).all()
    )
    return [current[family] for family in wrong if family in current]


def attempt_mistakes(attempt_id: int, learner_id: int) -> list[int]:
    """The questions this (submitted) attempt got wrong or left unanswered, as the quiz asks
    them now (a re-versioned slot answered right stays right; a retired one is left out)."""
    attempt = get_attempt(attempt_id, learner_id)
    if not attempt.is_submitted:
        raise ServiceError("Finish the attempt before retrying its mistakes.")
    right = set(
        db.session.scalars(
            select(Question.family)
            .join(Response, Response.question_id == Question.id)
            .where(Response.attempt_id == attempt.id, Response.correct.is_(True))
        )
    )
    slots = db.session.execute(
        select(QuizQuestion.question_id, Question.family)
        .join(Question, Question.id == QuizQuestion.question_id)
        .where(QuizQuestion.quiz_id == attempt.quiz_id, Question.status == Status.APPROVED)
        .order_by(QuizQuestion.position)
    )
    return [question_id for question_id, family in slots if family not in right]


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
    earlier = db.session.scalar(
        select(func.count()).select_from(Quiz).where(Quiz.practice_for_id == learner_id)
    )
    quiz = Quiz(
        title=f"{title} #{(earlier or 0) + 1}",  # the learner's own count, not a random tag
        published=False,
        practice_for_id=learner_id,
        items=[QuizQuestion(question_id=q, position=i) for i, q in enumerate(question_ids, 1)],
    )
    db.session.add(quiz)
    db.session.flush()
    return start_attempt(learner_id, quiz.id)
