"""Taking a quiz: start or resume an attempt, record answers once, finish and score."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..core.assessment.deadlines import attempt_deadline
from ..core.assessment.ordering import shuffled
from ..core.assessment.scoring import mark
from ..core.questions import QuestionKind
from ..database import insert_once, utcnow
from ..extensions import db
from ..models import (
    Attempt,
    Choice,
    ClassMember,
    Question,
    Quiz,
    QuizClass,
    QuizQuestion,
    Response,
    ResponseChoice,
    User,
)
from . import Conflict, Forbidden, NotFound, ServiceError

T = TypeVar("T")


class AttemptSubmitted(Conflict):
    def __init__(self) -> None:
        super().__init__("This attempt has been submitted, so its answers can no longer change.")


class TimeUp(Conflict):
    """The answer came after the attempt's deadline; the caller closes the attempt."""

    def __init__(self) -> None:
        super().__init__("Time is up: this answer came after the deadline and was not counted.")


class StaleAnswer(Conflict):
    """The answer names a question other than the one at its position: a page from before."""

    def __init__(self) -> None:
        super().__init__(
            "This page shows a different question from the one your answer was for "
            "(perhaps an old tab). Reload the page and answer again."
        )


class QuizWithdrawn(Forbidden):
    """The quiz stopped being open to the learner during the attempt: unpublished, or they
    left (or were removed from) every class it is set for. The attempt is kept as it stands,
    neither answered further nor finished, so re-publishing or re-joining lets it go on."""

    def __init__(self) -> None:
        super().__init__(
            "This quiz is no longer open to you: it was unpublished, or you are no longer in "
            "a class it is set for. Your answers so far are kept, but no more can be recorded "
            "and the attempt cannot be finished. Ask your teacher if you think this is wrong."
        )


@dataclass(frozen=True)
class AnswerOutcome:
    """The stored answer's result: the first one given, whichever request gave it."""

    correct: bool
    marks: float
    created: bool  # False when this question already had an answer in the attempt


def open_to(learner_id: int | ColumnElement[int] | None) -> ColumnElement[bool]:
    """Quizzes a learner may see: published, and public or assigned to one of their classes.

    ``learner_id`` may also be a column (``User.id``), for one query over many learners; the
    inner subquery then correlates to that column's table however deeply it is nested.
    """
    in_class = (
        exists()
        .where(QuizClass.quiz_id == Quiz.id)
        .where(
            exists()
            .where(
                ClassMember.class_id == QuizClass.class_id,
                ClassMember.learner_id == learner_id,
                ClassMember.current(),
            )
            .correlate_except(ClassMember)
        )
        if learner_id is not None
        else false()
    )
    return and_(
        Quiz.published.is_(True), Quiz.practice_for_id.is_(None), or_(Quiz.is_public, in_class)
    )


def available_quizzes(learner_id: int | None) -> list[Quiz]:
    """What the home page lists: public quizzes, and for a learner their classes' quizzes."""
    return list(
        db.session.scalars(
            select(Quiz)
            .where(open_to(learner_id))
            .where(or_(Quiz.closes_at.is_(None), Quiz.closes_at > utcnow()))
            .order_by(Quiz.title)
        )
    )


def attempts_used(learner_id: int, quiz_ids: Collection[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Attempt.quiz_id, func.count())
        .where(Attempt.learner_id == learner_id, Attempt.quiz_id.in_(quiz_ids))
        .group_by(Attempt.quiz_id)
    )
    return {quiz_id: count for quiz_id, count in rows}


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


def start_attempt(learner_id: int, quiz_id: int, now: datetime | None = None) -> Attempt:
    """Resume the learner's unfinished attempt at the quiz, or start the next one.

    Two tabs starting together get the same attempt: starts queue on the learner's row, and
    the (learner, quiz, number) unique key backs that up (the loser finds the winner's
    attempt). The deadline is fixed here, once, so every worker enforces the same time limit.
    """
    now = now or utcnow()
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not (
        quiz.practice_for_id == learner_id
        or db.session.scalar(select(exists().where(Quiz.id == quiz_id, open_to(learner_id))))
    ):
        raise NotFound("That quiz does not exist or is not open to you.")
    if not quiz.items:
        raise ServiceError("That quiz has no questions yet.")
    # One start at a time per learner. SQLite's write lock already serializes them; on
    # PostgreSQL, without this row lock, a tab could miss another's open attempt and then read
    # its number after it committed, and open a second attempt under the next number.
    db.session.execute(select(User.id).where(User.id == learner_id).with_for_update())
    current = _open_attempt(learner_id, quiz_id)
    if current is not None and not close_if_overdue(current, now):
        return current
    if quiz.opens_at is not None and now < quiz.opens_at:
        raise Conflict(f"This quiz opens on {quiz.opens_at:%d %B %Y at %H:%M} UTC.")
    if quiz.closes_at is not None and now >= quiz.closes_at:
        raise Conflict("This quiz has closed.")
    used = (
        db.session.scalar(
            select(func.max(Attempt.number)).where(
                Attempt.learner_id == learner_id, Attempt.quiz_id == quiz_id
            )
        )
        or 0
    )
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        allowed = (
            "the one attempt" if quiz.max_attempts == 1 else f"all {quiz.max_attempts} attempts"
        )
        raise Conflict(f"You have used {allowed} this quiz allows.")
    attempt = Attempt(
        quiz_id=quiz_id,
        learner_id=learner_id,
        number=used + 1,
        started_at=now,
        deadline_at=attempt_deadline(now, quiz.time_limit_minutes, quiz.closes_at),
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


def _may_take(learner_id: int) -> ColumnElement[bool]:
    """On Quiz: the rule start_attempt applies, their own practice quiz or one open to them."""
    return or_(Quiz.practice_for_id == learner_id, open_to(learner_id))


def still_open(attempt: Attempt) -> bool:
    """Whether the attempt's learner may still take its quiz. Checked again on every answer,
    finish and page of the attempt, not only at the start: a teacher can unpublish the quiz
    or remove the learner from its class while the attempt is open."""
    return bool(
        db.session.scalar(
            select(exists().where(Quiz.id == attempt.quiz_id, _may_take(attempt.learner_id)))
        )
    )


def ensure_still_open(attempt: Attempt) -> None:
    """Refuse (QuizWithdrawn) to go on with an attempt whose quiz is no longer open to its
    learner; a submitted attempt is history and stays readable."""
    if not attempt.is_submitted and not still_open(attempt):
        raise QuizWithdrawn()


def _attempt_to_continue(attempt_id: int, learner_id: int) -> tuple[Attempt, bool]:
    """``get_attempt(lock=True)`` and whether its quiz is still open to the learner, in one
    statement: answering is the busiest write, and this keeps the SQLite write lock to the
    statements it held before the check existed."""
    still = exists().where(Quiz.id == Attempt.quiz_id, _may_take(learner_id)).label("open")
    row = db.session.execute(
        select(Attempt, still)
        .where(Attempt.id == attempt_id, Attempt.learner_id == learner_id)
        .options(joinedload(Attempt.quiz, innerjoin=True))
        .with_for_update(of=Attempt)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("That attempt does not exist.")
    return row[0], bool(row[1])


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    return (
        attempt.submitted_at is None
        and attempt.deadline_at is not None
        and (now or utcnow()) > attempt.deadline_at
    )


def close_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit an attempt whose time ran out, as of its deadline; True if it was overdue."""
    if not is_overdue(attempt, now):
        return False
    _submit(attempt, at=attempt.deadline_at)
    return True


def _open_attempt(learner_id: int, quiz_id: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.learner_id == learner_id,
            Attempt.quiz_id == quiz_id,
            Attempt.submitted_at.is_(None),
        )
    )


def get_attempt(attempt_id: int, learner_id: int, *, lock: bool = False) -> Attempt:
    """The learner's own attempt, with its quiz; anyone else's is reported as missing.

    ``lock`` reads it afresh under a row lock (PostgreSQL; SQLite's write transaction already
    excludes other writers), for a decision that must see the latest submit or deadline.
    """
    query = (
        select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.learner_id == learner_id)
        .options(joinedload(Attempt.quiz, innerjoin=True))
    )
    if lock:
        # Only the attempt's row: locking the quiz would queue every learner of the quiz.
        query = query.with_for_update(of=Attempt).execution_options(populate_existing=True)
    attempt = db.session.scalar(query)
    if attempt is None:
        raise NotFound("That attempt does not exist.")
    return attempt


def responses_by_family(attempt_id: int) -> dict[int, Response]:
    """The attempt's answers keyed by question family: a slot whose question gained a new
    version since it was answered still finds the answer, and the version it was given to."""
    responses = db.session.scalars(_responses_shown(Response.attempt_id == attempt_id))
    return {r.question.family: r for r in responses}


def response_to(attempt_id: int, family: int) -> Response | None:
    """The attempt's answer to one slot (by question family), loaded to be shown."""
    return db.session.scalar(
        _responses_shown(Response.attempt_id == attempt_id, Question.family == family).join(
            Response.question
        )
    )


def _responses_shown(*where: ColumnElement[bool]) -> Select[tuple[Response]]:
    """Answers as feedback and review show them: the choices made, and the version of the
    question answered with its choices and evidence, in a fixed number of queries."""
    return (
        select(Response)
        .where(*where)
        .options(
            selectinload(Response.chosen),
            selectinload(Response.question).selectinload(Question.choices),
            selectinload(Response.question).selectinload(Question.evidence),
        )
    )


def answered_families(attempt_id: int) -> set[int]:
    """The question families the attempt has answered: its progress, with nothing loaded."""
    return set(
        db.session.scalars(
            select(Question.family)
            .join(Response, Response.question_id == Question.id)
            .where(Response.attempt_id == attempt_id)
        )
    )


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


def attempt_items(attempt: Attempt) -> list[QuizQuestion]:
    """The quiz's questions in the order this attempt shows them."""
    return _in_attempt_order(attempt, quiz_items(attempt.quiz_id))


def slot_families(attempt: Attempt) -> list[int]:
    """The question family in each slot, in the order this attempt shows them: enough to count
    the questions, find the next unanswered one and name positions, with none of them loaded."""
    families = db.session.scalars(
        select(Question.family)
        .join(QuizQuestion, QuizQuestion.question_id == Question.id)
        .where(QuizQuestion.quiz_id == attempt.quiz_id)
        .order_by(QuizQuestion.position)
    )
    return _in_attempt_order(attempt, list(families))


def _in_attempt_order(attempt: Attempt, slots: list[T]) -> list[T]:
    """The quiz's slots (items, ids or families, in quiz order) as this attempt orders them.
    The shuffle depends only on the attempt and the number of slots, so every list of the same
    quiz comes out in the same order."""
    return shuffled(slots, f"attempt:{attempt.id}") if attempt.quiz.shuffle_questions else slots


def attempt_item(attempt: Attempt, position: int) -> QuizQuestion:
    """The question at a 1-based position of this attempt, alone: answering needs no other."""
    quiz = attempt.quiz
    if position < 1:
        raise NotFound("That question number is not part of this quiz.")
    # One statement: the question and its choices are joined in, not fetched separately.
    query = select(QuizQuestion).options(
        joinedload(QuizQuestion.question).joinedload(Question.choices)
    )
    if quiz.shuffle_questions:
        ids = list(
            db.session.scalars(
                select(QuizQuestion.id)
                .where(QuizQuestion.quiz_id == quiz.id)
                .order_by(QuizQuestion.position)
            )
        )
        order = _in_attempt_order(attempt, ids)
        if position > len(order):
            raise NotFound("That question number is not part of this quiz.")
        query = query.where(QuizQuestion.id == order[position - 1])
    else:
        query = (
            query.where(QuizQuestion.quiz_id == quiz.id)
            .order_by(QuizQuestion.position)
            .offset(position - 1)
            .limit(1)
        )
    item = db.session.scalars(query).unique().first()
    if item is None:
        raise NotFound("That question number is not part of this quiz.")
    return item


def as_seen(item: QuizQuestion, response: Response | None) -> Question:
    """The version of the slot's question the learner answered (or, unanswered, the current
    one): what the learner saw, even after a teacher's edit."""
    return response.question if response is not None else item.question


def choices_as_shown(attempt: Attempt, question: Question) -> list[Choice]:
    if attempt.quiz.shuffle_choices:
        return shuffled(question.choices, f"attempt:{attempt.id}:{question.family}")
    return list(question.choices)


def next_unanswered(families: Sequence[int], answered: Collection[int]) -> int | None:
    """1-based position of the first slot whose question family has no answer: where a
    resume lands."""
    for position, family in enumerate(families, start=1):
        if family not in answered:
            return position
    return None


def record_answer(
    attempt_id: int,
    learner_id: int,
    question_id: int,
    choice_ids: Collection[int],
    now: datetime | None = None,
    *,
    position: int | None = None,
) -> AnswerOutcome:
    """Record the learner's answer once; a repeat of the same question changes nothing.

    With ``position``, the answer must be for the question the attempt shows there: an old tab
    whose question has since moved or been replaced is refused, not counted for another slot.
    An answer after the deadline raises TimeUp and stores nothing; the caller then closes the
    attempt in its own transaction.
    """
    attempt, open_now = _attempt_to_continue(attempt_id, learner_id)
    if attempt.is_submitted:
        raise AttemptSubmitted()
    if not open_now:  # before the deadline: a withdrawn quiz's attempt is not closed either
        raise QuizWithdrawn()
    if is_overdue(attempt, now):
        raise TimeUp()
    if position is not None:
        item = attempt_item(attempt, position)
        if item.question_id != question_id:
            raise StaleAnswer()
    else:
        item = _item_of(attempt.quiz_id, question_id)

    question = item.question
    if question.family_id is not None and (earlier := _family_response(attempt.id, question)):
        # The slot's question was re-versioned after this attempt answered an older version:
        # that answer stands. (A first version has no older one, so the unique key on the
        # question suffices and the common case costs no lookup.)
        return AnswerOutcome(earlier.correct, earlier.marks, created=False)
    chosen = set(choice_ids)
    if not chosen:
        raise ServiceError("Choose an answer before submitting.")
    by_id = {c.id: c for c in question.choices}
    if not chosen <= by_id.keys():
        raise ServiceError("That choice is not one of this question's answers.")
    if question.kind != QuestionKind.MULTI and len(chosen) > 1:
        raise ServiceError("Choose exactly one answer to this question.")
    correct = {c.id for c in question.choices if c.is_correct}
    partial = question.kind == QuestionKind.MULTI and attempt.quiz.partial_credit
    marks = mark(chosen, correct, item.points, partial=partial, choice_count=len(by_id))
    # The unique key decides: a replay, a second tab or a concurrent request inserts nothing,
    # so a first answer costs no lookup of its own. Plain table inserts: the ORM's bulk
    # machinery would cost more than the statements themselves on this, the busiest write.
    responses, chosen_choices = Response.__table__, ResponseChoice.__table__
    response_id = db.session.scalar(
        insert_once(responses)
        .values(
            attempt_id=attempt.id,
            question_id=question_id,
            correct=chosen == correct,
            marks=marks,
            answered_at=now or utcnow(),
        )
        .returning(responses.c.id)
    )
    if response_id is None:
        winner = _response(attempt.id, question_id)
        return AnswerOutcome(winner.correct, winner.marks, created=False)
    db.session.execute(
        insert(chosen_choices),
        [{"response_id": response_id, "choice_id": choice_id} for choice_id in sorted(chosen)],
    )
    return AnswerOutcome(chosen == correct, marks, created=True)


def _family_response(attempt_id: int, question: Question) -> Response | None:
    return db.session.scalar(
        select(Response)
        .join(Response.question)
        .where(Response.attempt_id == attempt_id, Question.family == question.family)
    )


def _response(attempt_id: int, question_id: int) -> Response:
    return db.session.execute(
        select(Response).where(
            Response.attempt_id == attempt_id, Response.question_id == question_id
        )
    ).scalar_one()


def _item_of(quiz_id: int, question_id: int) -> QuizQuestion:
    item = (
        db.session.scalars(
            select(QuizQuestion)
            .where(QuizQuestion.quiz_id == quiz_id, QuizQuestion.question_id == question_id)
            .options(joinedload(QuizQuestion.question).joinedload(Question.choices))
        )
        .unique()
        .first()
    )
    if item is None:
        raise NotFound("That question is not part of this quiz.")
    return item


def finish_attempt(attempt_id: int, learner_id: int, now: datetime | None = None) -> Attempt:
    """Submit and score the attempt; finishing twice keeps the first score and time.

    Finishing after the deadline counts as of the deadline. An attempt whose quiz is no
    longer open to the learner cannot be finished (QuizWithdrawn).
    """
    attempt, open_now = _attempt_to_continue(attempt_id, learner_id)
    if attempt.is_submitted:
        return attempt
    if not open_now:
        raise QuizWithdrawn()
    if not close_if_overdue(attempt, now):
        _submit(attempt, at=now or utcnow())
    return attempt


def close_overdue(attempt_id: int, learner_id: int, now: datetime | None = None) -> bool:
    """Close the learner's attempt if its time is up (the views call this on every visit).
    One whose quiz was withdrawn is left open, not finished: re-opening the quiz resumes it."""
    attempt, open_now = _attempt_to_continue(attempt_id, learner_id)
    if not attempt.is_submitted and not open_now:
        return False
    return close_if_overdue(attempt, now)


def _submit(attempt: Attempt, at: datetime | None) -> None:
    score = db.session.scalar(
        select(func.coalesce(func.sum(Response.marks), 0.0)).where(
            Response.attempt_id == attempt.id
        )
    )
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=at, score=float(score or 0.0))
    )
    db.session.refresh(attempt)


def learner_attempts(learner_id: int) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.learner_id == learner_id)
            .options(selectinload(Attempt.quiz))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
