"""Accounts: registering, authenticating and creating users."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Role, User
from . import Conflict, NotFound, ServiceError

MIN_PASSWORD_LENGTH = 8
NAME_MAX_LENGTH = 120


class EmailTaken(Conflict):
    def __init__(self, email: str) -> None:
        super().__init__(f"An account with {email} already exists.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, name: str, password: str, role: Role = Role.LEARNER) -> User:
    """Create a user; the unique email index, not a prior lookup, decides duplicates."""
    # The web form checks these too; the CLI and scripts reach this service without it.
    if not name.strip():
        raise ServiceError("A name is required.")
    if len(name.strip()) > NAME_MAX_LENGTH:
        raise ServiceError(f"A name can be at most {NAME_MAX_LENGTH} characters.")
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(f"{email.strip()!r} is not a valid email address: {exc}") from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    user = User(email=normalise_email(email), name=name.strip(), role=Role(role))
    user.set_password(password)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise EmailTaken(user.email) from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user only when the password matches; never say which part was wrong."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None or not user.check_password(password):
        return None
    return user


def find_teacher(email: str) -> User:
    """The teacher with this email, for commands that act on a teacher's behalf."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None or not user.is_teacher:
        raise NotFound(f"There is no teacher with the email {normalise_email(email)}.")
    return user
