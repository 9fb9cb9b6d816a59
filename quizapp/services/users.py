"""The admin's verbs on accounts: find them, change a role, disable and re-enable.

The school must never be left without an active admin, since only an admin can undo a wrong
role or a disabled account here. So an admin cannot disable their own account, and no change
(a role, disabling, deletion) may leave no active admin; the admin rows are locked while that
is checked, so two admins demoting or disabling each other at once cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from ..database import MAX_ID, utcnow
from ..extensions import db
from ..models import Article, Question, Quiz, Role, SchoolClass, User
from . import Conflict, NotFound, ServiceError

PER_PAGE = 25
MAX_SEARCH = 200


@dataclass(frozen=True)
class UserFilter:
    text: str = ""
    role: str = ""
    deletion_requested: bool = False


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ServiceError(f"{role!r} is not a role; choose one of {choices}.") from None


def search_users(wanted: UserFilter, page: int = 1) -> Pagination:
    """One page of the accounts matching every filter, by name."""
    query = select(User)
    text = wanted.text.strip()[:MAX_SEARCH]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                User.name.ilike(pattern, escape="\\"),
                User.email.ilike(pattern, escape="\\"),
                User.username.ilike(pattern, escape="\\"),
            )
        )
    if wanted.role:
        query = query.where(User.role == parse_role(wanted.role))
    if wanted.deletion_requested:
        query = query.where(User.deletion_requested_at.is_not(None))
    return db.paginate(
        query.order_by(User.name, User.id),
        page=min(max(page, 1), MAX_ID // PER_PAGE),  # a past-the-end page is empty, not an overflow
        per_page=PER_PAGE,
        error_out=False,
        count=True,
    )


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
    return user


def _active_admin_ids() -> list[int]:
    """The active admins' ids, their rows locked (PostgreSQL) until the transaction ends."""
    return list(
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.disabled_at.is_(None))
            .with_for_update()
        )
    )


def owned_material(user_id: int) -> dict[str, int]:
    """What the account owns that others use, by kind, leaving out kinds it owns none of:
    why it can be neither deleted nor made a learner."""
    owned = {
        "articles": select(Article.id).where(Article.created_by_id == user_id),
        "questions": select(Question.id).where(Question.created_by_id == user_id),
        "quizzes": select(Quiz.id).where(Quiz.created_by_id == user_id),
        "classes": select(SchoolClass.id).where(SchoolClass.teacher_id == user_id),
    }
    counts = {
        kind: db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        for kind, query in owned.items()
    }
    return {kind: number for kind, number in counts.items() if number}


_SINGULAR = {"articles": "article", "questions": "question", "quizzes": "quiz", "classes": "class"}


def describe_owned(owned: dict[str, int]) -> str:
    """ "2 articles, 1 class": what owned_material found, in words."""
    return ", ".join(
        f"{number} {kind if number != 1 else _SINGULAR[kind]}" for kind, number in owned.items()
    )


def keep_an_admin(admin_id: int, user: User, change: str) -> None:
    """Refuse a change that would leave no active admin: taking away the last one, or one
    asked for by an admin who was themselves disabled or demoted meanwhile (two admins
    disabling each other at once: the locked rows make the second wait and then see the
    first's change)."""
    if not user.is_admin:
        return
    active = _active_admin_ids()
    if admin_id not in active:
        raise Conflict("Your account is no longer an active admin's; nothing was changed.")
    if not [other for other in active if other != user.id]:
        raise Conflict(
            f"{user.name} is the last active admin, so their {change}; "
            "make someone else an admin first."
        )


def change_role(admin_id: int, user_id: int, role: str) -> User:
    new_role = parse_role(role)
    user = get_user(user_id)
    if user.role == new_role:
        return user
    keep_an_admin(admin_id, user, "role stays admin")
    if new_role == Role.LEARNER and (owned := owned_material(user.id)):
        raise Conflict(
            f"{user.name} owns {describe_owned(owned)}; as a learner they could no longer "
            "reach them. Keep them a teacher, or disable the account."
        )
    user.role = new_role
    db.session.flush()
    return user


def disable_user(admin_id: int, user_id: int) -> User:
    """Turn the account off: it cannot sign in, and its open sessions end now rather than
    when their cookies run out. Everything it made stays, so its classes keep running."""
    user = get_user(user_id)
    if user.id == admin_id:
        raise ServiceError("You cannot disable your own account here.")
    keep_an_admin(admin_id, user, "account stays enabled")
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        user.end_sessions()
        db.session.flush()
    return user


def enable_user(user_id: int) -> User:
    user = get_user(user_id)
    user.disabled_at = None
    db.session.flush()
    return user
