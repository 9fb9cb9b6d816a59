"""What quizapp holds on one person, for them to download, and their request to be deleted.

The export is the person's own record: their profile, classes, every attempt and answer, and
their flashcard history. Content a teacher wrote (articles, questions, quizzes, classes) is
the school's, so it is only counted. Everything is read in a fixed number of queries, however
many attempts there are: a learner with years of answers must not cost a query per answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import selectinload

from ..core.formats.spreadsheet import Cell
from ..core.study.cards import RATINGS, Phase
from ..database import utcnow
from ..extensions import db
from ..models import (
    Article,
    Attempt,
    CardReview,
    CardState,
    ClassMember,
    Fact,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    SchoolClass,
    User,
)
from . import NotFound
from .accounts import WrongPassword
from .users import get_user

ANSWERS_HEADER = ("quiz", "attempt", "submitted", "question", "chosen", "correct", "marks")


def _time(value: datetime | None) -> str | None:
    """ISO-8601 UTC, as the CSV files write times, so both downloads agree."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


@dataclass(frozen=True)
class Holdings:
    """How much is held on the person, as the account page states it, and whether they asked
    for it to be deleted."""

    attempts: int
    answers: int
    card_reviews: int
    classes: int
    deletion_requested_at: datetime | None


def _count(table: Any, *where: Any) -> ScalarSelect[int]:
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


def holdings(user_id: int) -> Holdings:
    """In one query: the page shows it on every visit, the full export only on demand."""
    answers = (
        select(func.count())
        .select_from(Response)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.learner_id == user_id)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            _count(Attempt, Attempt.learner_id == user_id),
            answers,
            _count(CardReview, CardReview.learner_id == user_id),
            _count(ClassMember, ClassMember.learner_id == user_id),
            User.deletion_requested_at,
        ).where(User.id == user_id)
    ).one_or_none()
    if row is None:
        raise NotFound("There is no such account.")
    *counts, requested_at = row
    return Holdings(*(int(value or 0) for value in counts), deletion_requested_at=requested_at)


def personal_data(user_id: int) -> dict[str, Any]:
    """Everything held on the person, as plain JSON-ready values."""
    user = get_user(user_id)
    data: dict[str, Any] = {
        "profile": {
            "name": user.name,
            "email": user.email,
            "username": user.username,
            "role": str(user.role),
            "created_at": _time(user.created_at),
            "deletion_requested_at": _time(user.deletion_requested_at),
        },
        "classes": _classes(user_id),
        "attempts": [_attempt(attempt) for attempt in _attempts(user_id)],
        **_cards(user_id),
        "practice_quizzes": _practice_quizzes(user_id),
        "exported_at": _time(utcnow()),
    }
    if user.is_teacher:
        data["content_owned"] = _content_counts(user_id)
    return data


def _classes(user_id: int) -> list[dict[str, Any]]:
    teacher = User.__table__.alias("teacher")
    rows = db.session.execute(
        select(SchoolClass.name, teacher.c.name, ClassMember.joined_at, ClassMember.left_at)
        .join(SchoolClass, SchoolClass.id == ClassMember.class_id)
        .join(teacher, teacher.c.id == SchoolClass.teacher_id)
        .where(ClassMember.learner_id == user_id)
        .order_by(ClassMember.joined_at, SchoolClass.id)
    )
    return [
        {"class": name, "teacher": teacher_name, "joined_at": _time(joined), "left_at": _time(left)}
        for name, teacher_name, joined, left in rows
    ]


def _attempts(user_id: int) -> Sequence[Attempt]:
    """The person's attempts with their quizzes, answers, choices picked and the questions'
    choices, in five queries in all (selectinload batches the ids)."""
    return db.session.scalars(
        select(Attempt)
        .where(Attempt.learner_id == user_id)
        .order_by(Attempt.started_at, Attempt.id)
        .options(
            selectinload(Attempt.quiz),
            selectinload(Attempt.responses).options(
                selectinload(Response.chosen),
                selectinload(Response.question).selectinload(Question.choices),
            ),
        )
    ).all()


def _attempt(attempt: Attempt) -> dict[str, Any]:
    return {
        "quiz": attempt.quiz.title,
        "practice": attempt.quiz.practice_for_id is not None,
        "number": attempt.number,
        "started_at": _time(attempt.started_at),
        "submitted_at": _time(attempt.submitted_at),
        "score": attempt.score,
        "max_score": attempt.max_score,
        "answers": [
            _answer(response, _marked(attempt))
            for response in sorted(attempt.responses, key=lambda r: (r.answered_at, r.id))
        ],
    }


def _marked(attempt: Attempt) -> bool:
    """Whether the learner may see right and wrong yet: not during an attempt whose quiz keeps
    feedback until it is handed in, or the download would be its answer key."""
    return attempt.is_submitted or attempt.quiz.feedback_after_each


def _answer(response: Response, marked: bool) -> dict[str, Any]:
    chosen = response.chosen_ids
    answer: dict[str, Any] = {
        "question": response.question.stem,
        "choices": [
            {"text": choice.text, "chosen": choice.id in chosen}
            | ({"correct": choice.is_correct} if marked else {})
            for choice in response.question.choices
        ],
        "answered_at": _time(response.answered_at),
    }
    if marked:
        answer |= {"correct": response.correct, "marks": response.marks}
    return answer


def _cards(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Flashcard memories and every rating, each naming its card by the question's stem or the
    fact's words (looked up once for all cards)."""
    states = db.session.scalars(
        select(CardState).where(CardState.learner_id == user_id).order_by(CardState.id)
    ).all()
    reviews = db.session.scalars(
        select(CardReview)
        .where(CardReview.learner_id == user_id)
        .order_by(CardReview.reviewed_at, CardReview.id)
    ).all()
    cards = [*states, *reviews]
    question_ids = {c.question_id for c in cards if c.question_id is not None}
    fact_ids = {c.fact_id for c in cards if c.fact_id is not None}
    stems: dict[int, str] = {
        question_id: stem
        for question_id, stem in db.session.execute(
            select(Question.id, Question.stem).where(Question.id.in_(question_ids))
        )
    }
    facts = {
        fact_id: f"{subject}: {obj}"
        for fact_id, subject, obj in db.session.execute(
            select(Fact.id, Fact.subject, Fact.object).where(Fact.id.in_(fact_ids))
        )
    }

    def card(row: CardState | CardReview) -> str:
        if row.question_id is not None:
            return stems.get(row.question_id, "")
        return facts.get(row.fact_id or 0, "")

    return {
        "flashcards": [
            {
                "card": card(state),
                "phase": Phase(state.phase).name.lower(),
                "reviews": state.reviews,
                "last_review": _time(state.last_review),
                "due": _time(state.due),
            }
            for state in states
        ],
        "card_reviews": [
            {
                "card": card(review),
                "rating": RATINGS.get(review.rating, str(review.rating)),
                "reviewed_at": _time(review.reviewed_at),
            }
            for review in reviews
        ],
    }


def _practice_quizzes(user_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Quiz.title, Quiz.created_at, func.count(QuizQuestion.id))
        .outerjoin(QuizQuestion, QuizQuestion.quiz_id == Quiz.id)
        .where(Quiz.practice_for_id == user_id)
        .group_by(Quiz.id, Quiz.title, Quiz.created_at)
        .order_by(Quiz.id)
    )
    return [
        {"title": title, "created_at": _time(created), "questions": int(count)}
        for title, created, count in rows
    ]


def _content_counts(user_id: int) -> dict[str, int]:
    """What a teacher made, counted only: it is the school's. A question counts once however
    often it was edited (its current version)."""
    row = db.session.execute(
        select(
            _count(Article, Article.created_by_id == user_id),
            _count(
                Question, Question.created_by_id == user_id, Question.superseded_by_id.is_(None)
            ),
            _count(Quiz, Quiz.created_by_id == user_id, Quiz.practice_for_id.is_(None)),
            _count(SchoolClass, SchoolClass.teacher_id == user_id),
        )
    ).one()
    return dict(zip(("articles", "questions", "quizzes", "classes"), map(int, row), strict=True))


def personal_data_csv(user_id: int) -> tuple[Sequence[str], Iterator[Sequence[Cell]]]:
    """A row per answer, for a spreadsheet: the header and the rows, for ``csv_chunks``."""
    get_user(user_id)
    attempts = _attempts(user_id)

    def rows() -> Iterator[Sequence[Cell]]:
        for attempt in attempts:
            marked = _marked(attempt)
            for response in sorted(attempt.responses, key=lambda r: (r.answered_at, r.id)):
                chosen = response.chosen_ids
                yield (
                    attempt.quiz.title,
                    attempt.number,
                    attempt.submitted_at,
                    response.question.stem,
                    "; ".join(c.text for c in response.question.choices if c.id in chosen),
                    response.correct if marked else None,
                    response.marks if marked else None,
                )

    return ANSWERS_HEADER, rows()


def request_deletion(user_id: int, password: str) -> datetime:
    """Ask an admin to delete the account. The password is asked again: a session left open
    on a shared computer must not be enough. Asking twice keeps the first date."""
    user = get_user(user_id)
    if not user.check_password(password):
        raise WrongPassword()
    if user.deletion_requested_at is None:
        user.deletion_requested_at = utcnow()
    return user.deletion_requested_at


def cancel_deletion(user_id: int) -> bool:
    """Withdraw the request; False when none was pending (a second tab, a replayed form)."""
    user = get_user(user_id)
    pending = user.deletion_requested_at is not None
    user.deletion_requested_at = None
    return pending
