"""Invitations: how a teacher's (or another admin's) account is made without the server's
command line. An admin names an email and a role; the emailed link carries a token signed with
SECRET_KEY (salt "invite") holding the invite's id and nonce, refused after INVITE_DAYS.

The row, not the token, decides whether the link still works: accepting claims it with a
conditional UPDATE (``accepted_at IS NULL``), so two tabs or two people racing with one link
make one account at most, and revoking it ends a link that was already sent.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, func, select, update

from ..database import utcnow
from ..extensions import db
from ..models import Invite, Role, User
from . import Conflict, NotFound, ServiceError
from .accounts import create_user, normalise_email

SALT = "invite"
INVITE_ROLES = (Role.TEACHER, Role.ADMIN)


class InvalidInvite(ServiceError):
    """Forged, expired, used and withdrawn links get one answer: which it was helps nobody
    holding the link, and it would tell a guesser which tokens were once real."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            "That invitation link has expired, was already used or was withdrawn. "
            "Ask the person who invited you for a new one."
        )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _lifetime() -> timedelta:
    return timedelta(days=int(current_app.config["INVITE_DAYS"]))


def expires_at(invite: Invite) -> datetime:
    return invite.created_at + _lifetime()


def _open() -> list[ColumnElement[bool]]:
    """What makes an invite still usable, as SQL: neither accepted, revoked nor expired."""
    return [
        Invite.accepted_at.is_(None),
        Invite.revoked_at.is_(None),
        Invite.created_at > utcnow() - _lifetime(),
    ]


def invite_role(role: str) -> Role:
    if role not in INVITE_ROLES:
        raise ServiceError("An invitation is for a teacher or an admin; learners register.")
    return Role(role)


def create_invite(admin_id: int, email: str, role: str) -> Invite:
    """A new open invite; an address with an account or an open invite is refused, saying
    which, so the admin knows whether to change a role or revoke the earlier link."""
    invited_role = invite_role(role)
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(f"{email.strip()!r} is not a valid email address: {exc}") from None
    address = normalise_email(email)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == address)):
        raise Conflict(
            f"{address} already has an account; change its role in the list below instead."
        )
    earlier = db.session.scalar(select(Invite).where(Invite.email == address, *_open()))
    if earlier is not None:
        raise Conflict(
            f"{address} already has an open invitation (made {earlier.created_at:%d %b %Y}); "
            "revoke it below to send a new one."
        )
    invite = Invite(email=address, role=invited_role, created_by_id=admin_id)
    db.session.add(invite)
    db.session.flush()
    return invite


def make_token(invite: Invite) -> str:
    return _serializer().dumps([invite.id, invite.nonce])


def invite_for_token(token: str) -> Invite:
    """The open invite a live token names; InvalidInvite for anything else."""
    try:
        invite_id, nonce = _serializer().loads(token, max_age=int(_lifetime().total_seconds()))
    except (BadSignature, TypeError, ValueError):
        raise InvalidInvite() from None
    invite = db.session.get(Invite, invite_id) if isinstance(invite_id, int) else None
    if (
        invite is None
        or invite.nonce != nonce
        or invite.accepted_at is not None
        or invite.revoked_at is not None
        or expires_at(invite) <= utcnow()
    ):
        raise InvalidInvite()
    return invite


def accept_invite(token: str, name: str, password: str) -> User:
    """Make the invited account and use the invite up, in the caller's transaction: when the
    password is refused or the address was taken meanwhile, the rollback keeps the link open.

    Returned signed in now (``signed_in_at``), for the caller to log in at once."""
    invite = invite_for_token(token)
    claimed = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, *_open())
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidInvite()
    user = create_user(invite.email, name, password, Role(invite.role))
    db.session.refresh(invite)
    invite.user_id = user.id
    db.session.flush()
    user.signed_in_at = int(time.time())
    return user


def revoke_invite(invite_id: int) -> Invite:
    invite = db.session.get(Invite, invite_id)
    if invite is None:
        raise NotFound("There is no such invitation.")
    if invite.accepted_at is not None:
        raise Conflict(f"The invitation for {invite.email} was already accepted.")
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
        db.session.flush()
    return invite


def open_invites() -> list[Invite]:
    """Invites whose links still work, newest first: what the users page lists to revoke."""
    return list(db.session.scalars(select(Invite).where(*_open()).order_by(Invite.id.desc())))
