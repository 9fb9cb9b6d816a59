"""Password reset by an emailed link: a token signed with SECRET_KEY (salt "password-reset")
holding the user's id and current session token. Setting the new password replaces the session
token, so the link works once and every old sign-in ends; after RESET_TOKEN_MINUTES the
signature's timestamp is too old and the link is refused."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User
from . import ServiceError
from .accounts import WeakPassword
from .passwords import password_problem

SALT = "password-reset"


class InvalidResetLink(ServiceError):
    status = 404

    def __init__(self) -> None:
        super().__init__(
            "That reset link has expired or was already used; ask for a new one below."
        )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user: User) -> str:
    return _serializer().dumps([user.id, user.session_token])


def user_for_token(token: str) -> User:
    """The user a live token names; InvalidResetLink when it is forged, expired or used."""
    max_age = int(current_app.config["RESET_TOKEN_MINUTES"]) * 60
    try:
        user_id, session_token = _serializer().loads(token, max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        raise InvalidResetLink() from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(session_token, str) or user.session_token != session_token:
        raise InvalidResetLink()
    return user


def reset_password(token: str, new: str) -> User:
    """Set the new password the link allows, and end every sign-in (the link with them)."""
    user = user_for_token(token)
    problem = password_problem(new, user.sign_in_name, user.name)
    if problem:
        raise WeakPassword(problem)
    user.set_password(new)
    # A password chosen through the emailed link is the user's own, not a one-time one.
    user.must_change_password = False
    user.end_sessions()
    db.session.flush()
    return user
