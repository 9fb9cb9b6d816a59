"""Deleting an account and everything held on the person: removed, not anonymised.

A learner's attempts (with their answers), flashcard memory and reviews, class memberships
and practice quizzes go with the account, so reports and exports no longer count them. The
invites they sent or accepted stay, naming nobody. An account that owns teaching material
(articles, questions, quizzes, classes) is refused: other people's learning depends on it,
and disabling the account keeps it running without letting its owner in.

Every statement runs in the caller's one transaction, explicitly in dependency order rather
than through ON DELETE rules, so SQLite and PostgreSQL remove the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, delete, func, or_, select, update

from ..extensions import db
from ..models import (
    Attempt,
    CardReview,
    CardState,
    ClassMember,
    Invite,
    Quiz,
    QuizQuestion,
    Response,
    ResponseChoice,
    User,
)
from . import Conflict
from .users import describe_owned, get_user, keep_an_admin, owned_material


@dataclass(frozen=True)
class Holdings:
    """What deleting the account removes, for the confirm page and the message after."""

    attempts: int
    answers: int
    card_states: int
    card_reviews: int
    classes_joined: int
    practice_quizzes: int


def _count(query: Select[tuple[int]]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _practice_quizzes(user_id: int) -> Select[tuple[int]]:
    return select(Quiz.id).where(Quiz.practice_for_id == user_id)


def _attempts(user_id: int) -> Select[tuple[int]]:
    """The user's attempts, and anyone's on the user's practice quizzes (which go too)."""
    return select(Attempt.id).where(
        or_(Attempt.learner_id == user_id, Attempt.quiz_id.in_(_practice_quizzes(user_id)))
    )


def _responses(user_id: int) -> Select[tuple[int]]:
    return select(Response.id).where(Response.attempt_id.in_(_attempts(user_id)))


def holdings(user_id: int) -> Holdings:
    get_user(user_id)
    return Holdings(
        attempts=_count(_attempts(user_id)),
        answers=_count(_responses(user_id)),
        card_states=_count(select(CardState.id).where(CardState.learner_id == user_id)),
        card_reviews=_count(select(CardReview.id).where(CardReview.learner_id == user_id)),
        classes_joined=_count(
            select(ClassMember.class_id).where(ClassMember.learner_id == user_id)
        ),
        practice_quizzes=_count(_practice_quizzes(user_id)),
    )


def refusal(admin_id: int, user_id: int) -> str | None:
    """Why this admin may not delete this account, or None when they may."""
    if user_id == admin_id:
        return "You cannot delete your own account here; another admin can."
    owned = owned_material(user_id)
    if owned:
        return (
            f"This account owns {describe_owned(owned)}, which others use, so it cannot be "
            "deleted. Disable it instead: its classes and quizzes keep running, and nobody "
            "can sign in with it."
        )
    return None


def delete_account(admin_id: int, user_id: int) -> Holdings:
    """Remove the account and everything held on the person; returns what was removed."""
    user = get_user(user_id)
    reason = refusal(admin_id, user_id)
    if reason:
        raise Conflict(reason)
    keep_an_admin(admin_id, user, "account stays")
    removed = holdings(user_id)
    practice, attempts = _practice_quizzes(user_id), _attempts(user_id)
    for statement in (
        delete(ResponseChoice).where(ResponseChoice.response_id.in_(_responses(user_id))),
        delete(Response).where(Response.attempt_id.in_(attempts)),
        delete(Attempt).where(Attempt.id.in_(attempts)),
        delete(QuizQuestion).where(QuizQuestion.quiz_id.in_(practice)),
        delete(Quiz).where(Quiz.id.in_(practice)),
        delete(CardReview).where(CardReview.learner_id == user_id),
        delete(CardState).where(CardState.learner_id == user_id),
        delete(ClassMember).where(ClassMember.learner_id == user_id),
        update(Invite).where(Invite.created_by_id == user_id).values(created_by_id=None),
        update(Invite).where(Invite.user_id == user_id).values(user_id=None),
        delete(User).where(User.id == user_id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.expunge(user)
    return removed
