"""Building quizzes from questions in the bank."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Quiz, QuizQuestion
from . import Conflict


def find_quiz_by_title(title: str) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.title == title.strip()))


def create_quiz(
    title: str,
    question_ids: Sequence[int],
    *,
    description: str = "",
    published: bool = False,
    created_by_id: int | None = None,
) -> Quiz:
    if find_quiz_by_title(title) is not None:
        raise Conflict(f"A quiz called {title!r} already exists.")
    quiz = Quiz(
        title=title.strip(),
        description=description.strip(),
        published=published,
        created_by_id=created_by_id,
        items=[
            QuizQuestion(question_id=question_id, position=position)
            for position, question_id in enumerate(question_ids, start=1)
        ],
    )
    db.session.add(quiz)
    db.session.flush()
    return quiz


def teacher_quizzes(teacher_id: int) -> list[tuple[Quiz, int]]:
    """The teacher's own quizzes and the shared seed quizzes (no owner), with question counts."""
    rows = db.session.execute(
        select(Quiz, func.count(QuizQuestion.id))
        .outerjoin(QuizQuestion, QuizQuestion.quiz_id == Quiz.id)
        .where(or_(Quiz.created_by_id == teacher_id, Quiz.created_by_id.is_(None)))
        .group_by(Quiz.id)
        .order_by(Quiz.title)
    )
    return [(quiz, count) for quiz, count in rows]
