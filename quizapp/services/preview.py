"""Previewing a quiz as a learner: the teacher takes their own quiz, published or not, and
nothing is stored.

Every rule that shapes what a learner sees is the attempt's own: the questions in quiz
order, shuffled by ``core.assessment.ordering.shuffled`` from a seed when the quiz shuffles
them (and each question's choices likewise), one question a page, the feedback setting, the
time limit counted from the start, and marks from ``core.assessment.scoring.mark``. The only
difference is where the answers live: in a ``PreviewState`` the view keeps in the teacher's
session, never in the attempts or responses tables, so a preview appears in no report,
statistic, score list or card queue. The quiz's open and close dates and attempts allowed
are shown but not applied: a teacher previews a quiz before it opens.

Everything here reads; nothing writes to the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from ..core.assessment.deadlines import attempt_deadline
from ..core.assessment.ordering import shuffled
from ..core.assessment.preview import PreviewState, choice_order_seed, order_seed
from ..core.assessment.scoring import mark
from ..core.questions import QuestionKind
from ..models import Choice, Question, Quiz, QuizQuestion
from . import NotFound, ServiceError
from .attempts import StaleAnswer, TimeUp, next_unanswered, quiz_items
from .quizzes import quiz_for_teacher


@dataclass(frozen=True)
class PreviewAnswer:
    """An answer as the learner's feedback and review templates read a stored response."""

    correct: bool
    marks: float
    chosen_ids: frozenset[int]


def preview_quiz(quiz_id: int, teacher_id: int) -> Quiz:
    """The teacher's own quiz, published or not; anyone else's is not found."""
    return quiz_for_teacher(quiz_id, teacher_id)


def start_preview(quiz: Quiz, now: datetime) -> PreviewState:
    """A fresh run: a new seed (so a shuffled quiz comes out as a new learner would get it)
    and the clock started."""
    if not quiz.items:
        raise ServiceError("That quiz has no questions yet.")
    return PreviewState(quiz_id=quiz.id, seed=secrets.token_hex(8), started_at=now)


def preview_items(quiz: Quiz, state: PreviewState) -> list[QuizQuestion]:
    """The quiz's questions in the order this run shows them."""
    items = quiz_items(quiz.id)
    return shuffled(items, order_seed(state.seed)) if quiz.shuffle_questions else items


def preview_choices(quiz: Quiz, state: PreviewState, question: Question) -> list[Choice]:
    if quiz.shuffle_choices:
        return shuffled(question.choices, choice_order_seed(state.seed, question.family))
    return list(question.choices)


def preview_deadline(quiz: Quiz, state: PreviewState) -> datetime | None:
    """When the run's answers stop counting: its time limit (the close date is not applied)."""
    return attempt_deadline(state.started_at, quiz.time_limit_minutes, None)


def is_time_up(quiz: Quiz, state: PreviewState, now: datetime) -> bool:
    deadline = preview_deadline(quiz, state)
    return not state.is_finished and deadline is not None and now > deadline


def item_at(items: list[QuizQuestion], position: int) -> QuizQuestion:
    if not 1 <= position <= len(items):
        raise NotFound("That question number is not part of this quiz.")
    return items[position - 1]


def next_unanswered_position(items: list[QuizQuestion], state: PreviewState) -> int | None:
    return next_unanswered([item.question_id for item in items], state.answers.keys())


def preview_answer(quiz: Quiz, state: PreviewState, item: QuizQuestion) -> PreviewAnswer | None:
    """The run's answer to a slot, marked as the attempt would mark it."""
    chosen = state.answers.get(item.question_id)
    if chosen is None:
        return None
    question = item.question
    correct = {c.id for c in question.choices if c.is_correct}
    partial = question.kind == QuestionKind.MULTI and quiz.partial_credit
    marks = mark(chosen, correct, item.points, partial=partial, choice_count=len(question.choices))
    return PreviewAnswer(set(chosen) == correct, marks, frozenset(chosen))


def answer_preview(
    quiz: Quiz,
    state: PreviewState,
    position: int,
    question_id: int,
    choice_ids: Collection[int],
    now: datetime,
) -> PreviewState:
    """Check one answer as ``record_answer`` checks a learner's, and keep it in the run.

    Raises what an attempt raises: a finished run's answers cannot change, an answer after
    the time limit is refused (TimeUp), one sent from a page showing another question is
    stale, and a choice must be one of the question's.
    """
    if state.is_finished:
        raise ServiceError("This preview is finished; start it again to answer again.")
    if is_time_up(quiz, state, now):
        raise TimeUp()
    item = item_at(preview_items(quiz, state), position)
    if item.question_id != question_id:
        raise StaleAnswer()
    chosen = set(choice_ids)
    if not chosen:
        raise ServiceError("Choose an answer before submitting.")
    if not chosen <= {c.id for c in item.question.choices}:
        raise ServiceError("That choice is not one of this question's answers.")
    if item.question.kind != QuestionKind.MULTI and len(chosen) > 1:
        raise ServiceError("Choose exactly one answer to this question.")
    return state.answered(question_id, tuple(chosen))


def finish_preview(quiz: Quiz, state: PreviewState, now: datetime) -> PreviewState:
    """Finish the run; past its time limit it finishes as of the deadline, as an attempt does."""
    deadline = preview_deadline(quiz, state)
    return state.finished(deadline if is_time_up(quiz, state, now) and deadline else now)


def preview_score(quiz: Quiz, state: PreviewState) -> tuple[float, float]:
    """The run's score and the most it could be."""
    items = quiz_items(quiz.id)
    score = sum(
        (answer.marks for item in items if (answer := preview_answer(quiz, state, item))), 0.0
    )
    return score, sum(item.points for item in items)
