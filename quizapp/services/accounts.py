"""Accounts: registering, authenticating and creating users, changing passwords, and ending
a user's sign-ins. An account signs in with its email or, for pupils made from a class list
without one, its username (lower case, never holding an ``@``)."""

from __future__ import annotations

import time
from functools import cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.formats.roster import NAME_MAX_LENGTH, normalise_username, username_problem
from ..extensions import db
from ..models import Role, User
from . import Conflict, NotFound, ServiceError
from .passwords import MIN_PASSWORD_LENGTH, password_problem

__all__ = ["MIN_PASSWORD_LENGTH", "NAME_MAX_LENGTH", "normalise_username"]

DISABLED = "This account is turned off; ask your school's admin."


class WeakPassword(ServiceError):
    """A password the policy refuses; the message says why (quizapp/services/passwords.py)."""


class WrongPassword(ServiceError):
    status = 403

    def __init__(self) -> None:
        super().__init__("Your current password is not right.")


class EmailTaken(Conflict):
    def __init__(self, email: str) -> None:
        super().__init__(f"An account with {email} already exists.")


class UsernameTaken(Conflict):
    def __init__(self, username: str) -> None:
        super().__init__(f"The username {username} is taken.")


class AccountDisabled(ServiceError):
    """The password was right but an admin turned the account off."""

    status = 403

    def __init__(self) -> None:
        super().__init__(DISABLED)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str | None,
    name: str,
    password: str,
    role: Role = Role.LEARNER,
    *,
    username: str | None = None,
    must_change_password: bool = False,
) -> User:
    """Create a user with an email, a username or both; the unique indexes, not a prior
    lookup, decide duplicates."""
    # The web form checks these too; the CLI and scripts reach this service without it.
    if not name.strip():
        raise ServiceError("A name is required.")
    if len(name.strip()) > NAME_MAX_LENGTH:
        raise ServiceError(f"A name can be at most {NAME_MAX_LENGTH} characters.")
    email = normalise_email(email) if email and email.strip() else None
    username = normalise_username(username) if username and username.strip() else None
    if email is None and username is None:
        raise ServiceError("An account needs an email address or a username.")
    if email is not None:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ServiceError(f"{email!r} is not a valid email address: {exc}") from None
    if username is not None and (problem := username_problem(username)):
        raise ServiceError(problem)
    problem = password_problem(password, email or username or "", name)
    if problem:
        raise WeakPassword(problem)
    user = User(
        email=email,
        username=username,
        name=name.strip(),
        role=Role(role),
        must_change_password=must_change_password,
    )
    user.set_password(password)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        if email is not None and find_by_sign_in_name(email) is not None:
            raise EmailTaken(email) from None
        raise UsernameTaken(username or "") from None
    return user


def find_by_sign_in_name(identifier: str) -> User | None:
    """The account an identifier names: with an ``@`` an email, otherwise a username."""
    if "@" in identifier:
        column, value = func.lower(User.email), normalise_email(identifier)
    else:
        column, value = User.username, normalise_username(identifier)
    return db.session.scalar(select(User).where(column == value)) if value else None


def authenticate(identifier: str, password: str) -> User | None:
    """Return the user only when the password matches; never say which part was wrong.
    ``identifier`` is an email or a username; AccountDisabled only with the right password,
    so a guess learns nothing about the account.

    An unknown account is checked against a dummy hash, so it takes as long as a known one
    with a wrong password: the time taken does not tell which addresses have accounts."""
    user = find_by_sign_in_name(identifier)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password):
        return None
    if not user.is_active:
        raise AccountDisabled()
    user.signed_in_at = int(time.time())
    return user


@cache
def _dummy_hash() -> str:
    """A hash made the way real ones are (same method and cost), of no one's password."""
    return generate_password_hash("not anyone's password")


def change_password(user_id: int, current: str, new: str) -> User:
    """Set a new password once the current one is given, and end every sign-in of the user
    (a copied cookie, a forgotten tablet): the caller signs the current session in again.
    A one-time password counts as the current one, and stops being one here."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
    if not user.check_password(current):
        raise WrongPassword()
    problem = password_problem(new, user.sign_in_name, user.name)
    if problem:
        raise WeakPassword(problem)
    if user.check_password(new):
        raise WeakPassword("That is your current password; choose a new one.")
    user.set_password(new)
    user.must_change_password = False
    user.end_sessions()
    db.session.flush()
    user.signed_in_at = int(time.time())
    return user


def end_sessions(user_id: int) -> None:
    """Sign the user out everywhere: every session and remember-me cookie stops working."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.end_sessions()


def find_teacher(email: str) -> User:
    """The teacher with this email, for commands that act on a teacher's behalf."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None or not user.is_teacher:
        raise NotFound(f"There is no teacher with the email {normalise_email(email)}.")
    return user
