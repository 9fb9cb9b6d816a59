"""Taking a quiz: start or resume an attempt, record answers once, finish and score."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..core.questions import QuestionKind
from ..core.scoring import mark
from ..database import utcnow
from ..extensions import db
from ..models import Attempt, Question, Quiz, QuizQuestion, Response, ResponseChoice
from . import Conflict, NotFound, ServiceError


class AttemptSubmitted(Conflict):
    def __init__(self) -> None:
        super().__init__("This attempt has been submitted, so its answers can no longer change.")


@dataclass(frozen=True)
class AnswerOutcome:
    response: Response
    created: bool  # False when this question already had an answer in the attempt


def published_quizzes() -> list[Quiz]:
    return list(
        db.session.scalars(select(Quiz).where(Quiz.published.is_(True)).order_by(Quiz.title))
    )


def question_counts(quiz_ids: Collection[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(QuizQuestion.quiz_id, func.count())
        .where(QuizQuestion.quiz_id.in_(quiz_ids))
        .group_by(QuizQuestion.quiz_id)
    )
    return {quiz_id: count for quiz_id, count in rows}


def open_attempts(learner_id: int) -> dict[int, Attempt]:
    """The learner's unfinished attempt per quiz, so the home page can offer to resume it."""
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.learner_id == learner_id, Attempt.submitted_at.is_(None))
    )
    return {a.quiz_id: a for a in attempts}


def start_attempt(learner_id: int, quiz_id: int) -> Attempt:
    """Resume the learner's unfinished attempt at the quiz, or start the next one.

    The (learner, quiz, number) unique key settles a race between two tabs: the loser finds
    the winner's attempt instead of making a second one.
    """
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not (quiz.published or quiz.practice_for_id == learner_id):
        raise NotFound("That quiz does not exist or is not open.")
    if not quiz.items:
        raise ServiceError("That quiz has no questions yet.")
    current = _open_attempt(learner_id, quiz_id)
    if current is not None:
        return current
    number = (
        db.session.scalar(
            select(func.max(Attempt.number)).where(
                Attempt.learner_id == learner_id, Attempt.quiz_id == quiz_id
            )
        )
        or 0
    ) + 1
    attempt = Attempt(
        quiz_id=quiz_id,
        learner_id=learner_id,
        number=number,
        max_score=sum(item.points for item in quiz.items),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        winner = _open_attempt(learner_id, quiz_id)
        if winner is None:
            raise
        return winner
    return attempt


def _open_attempt(learner_id: int, quiz_id: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.learner_id == learner_id,
            Attempt.quiz_id == quiz_id,
            Attempt.submitted_at.is_(None),
        )
    )


def get_attempt(attempt_id: int, learner_id: int, *, lock: bool = False) -> Attempt:
    """The learner's own attempt; anyone else's is reported as missing, never shown."""
    query = select(Attempt).where(Attempt.id == attempt_id, Attempt.learner_id == learner_id)
    if lock:
        query = query.with_for_update()
    attempt = db.session.scalar(query)
    if attempt is None:
        raise NotFound("That attempt does not exist.")
    return attempt


def responses_by_question(attempt: Attempt) -> dict[int, Response]:
    responses = db.session.scalars(
        select(Response)
        .where(Response.attempt_id == attempt.id)
        .options(selectinload(Response.chosen))
    )
    return {r.question_id: r for r in responses}


def quiz_items(quiz_id: int) -> list[QuizQuestion]:
    """The quiz's questions in order, with their choices loaded in two queries in all."""
    return list(
        db.session.scalars(
            select(QuizQuestion)
            .where(QuizQuestion.quiz_id == quiz_id)
            .order_by(QuizQuestion.position)
            .options(
                selectinload(QuizQuestion.question).selectinload(Question.choices),
                selectinload(QuizQuestion.question).selectinload(Question.evidence),
            )
        )
    )


def quiz_item(quiz_id: int, position: int) -> QuizQuestion:
    """The question at a 1-based position, alone: answering needs no other question loaded.

    One statement: the question and its choices are joined in, not fetched separately.
    """
    item = (
        db.session.scalars(
            select(QuizQuestion)
            .where(QuizQuestion.quiz_id == quiz_id)
            .order_by(QuizQuestion.position)
            .offset(max(position - 1, 0))
            .limit(1)
            .options(joinedload(QuizQuestion.question).joinedload(Question.choices))
        )
        .unique()
        .first()
    )
    if item is None or position < 1:
        raise NotFound("That question number is not part of this quiz.")
    return item


def next_unanswered(items: list[QuizQuestion], answered: Collection[int]) -> int | None:
    """1-based position of the first question without an answer: where a resume lands."""
    for position, item in enumerate(items, start=1):
        if item.question_id not in answered:
            return position
    return None


def record_answer(
    attempt_id: int, learner_id: int, question_id: int, choice_ids: Collection[int]
) -> AnswerOutcome:
    """Record the learner's answer once; a repeat of the same question changes nothing."""
    attempt = get_attempt(attempt_id, learner_id, lock=True)
    if attempt.is_submitted:
        raise AttemptSubmitted()
    item = db.session.scalar(
        select(QuizQuestion).where(
            QuizQuestion.quiz_id == attempt.quiz_id, QuizQuestion.question_id == question_id
        )
    )
    if item is None:
        raise NotFound("That question is not part of this quiz.")

    question = item.question
    chosen = set(choice_ids)
    if not chosen:
        raise ServiceError("Choose an answer before submitting.")
    by_id = {c.id: c for c in question.choices}
    if not chosen <= by_id.keys():
        raise ServiceError("That choice is not one of this question's answers.")
    if question.kind != QuestionKind.MULTI and len(chosen) > 1:
        raise ServiceError("Choose exactly one answer to this question.")
    correct = {c.id for c in question.choices if c.is_correct}
    marks = mark(chosen, correct, item.points)
    response = Response(
        attempt_id=attempt.id,
        question_id=question_id,
        correct=chosen == correct,
        marks=marks,
        chosen=[ResponseChoice(choice_id=choice_id) for choice_id in sorted(chosen)],
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        # Answered already (a replay, a second tab, a concurrent request): the unique key
        # decides, so a first answer costs no lookup of its own.
        winner = _response(attempt.id, question_id)
        if winner is None:
            raise
        return AnswerOutcome(winner, created=False)
    return AnswerOutcome(response, created=True)


def _response(attempt_id: int, question_id: int) -> Response | None:
    return db.session.scalar(
        select(Response).where(
            Response.attempt_id == attempt_id, Response.question_id == question_id
        )
    )


def finish_attempt(attempt_id: int, learner_id: int) -> Attempt:
    """Submit and score the attempt; finishing twice keeps the first score and time."""
    attempt = get_attempt(attempt_id, learner_id, lock=True)
    if attempt.is_submitted:
        return attempt
    score = db.session.scalar(
        select(func.coalesce(func.sum(Response.marks), 0.0)).where(
            Response.attempt_id == attempt.id
        )
    )
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=utcnow(), score=float(score or 0.0))
    )
    db.session.refresh(attempt)
    return attempt


def learner_attempts(learner_id: int) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.learner_id == learner_id)
            .options(selectinload(Attempt.quiz))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
