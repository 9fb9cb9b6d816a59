"""Class lists brought into a class, and the one-time passwords printed for its pupils.

A teacher imports the list once, hands out the sign-in sheet, and each pupil chooses their own
password at first sign-in (User.must_change_password). One-time passwords are shown once, in
the response that made them, and stored only hashed: a lost sheet means a new one, made
here again, never a password read back.

A list names people, and typing someone's email or username must never be enough to bring
their account into a class, where its teacher could then set its password: an account that
already exists is added only when it is already the importing teacher's pupil (a member, now
or before, of one of their classes); anyone else is listed as "give them the class code", so
joining stays the pupil's own act. For the same reason a teacher sets one-time passwords only
for pupils without an email address (those with one reset their own by email).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from ..core.formats.roster import Roster, RosterProblem, RosterRow, username_base
from ..core.formats.roster import username_candidates as candidates_for
from ..extensions import db
from ..models import ClassMember, Role, SchoolClass, User
from . import Conflict, NotFound, ServiceError
from .accounts import UsernameTaken, create_user
from .classes import CODE_ALPHABET, class_for_teacher
from .passwords import password_problem

# Lower case: a pupil types it on a tablet whose keyboard starts in lower case, and the
# alphabet has no 0/O or 1/I/L to misread. 3 groups of 4 from 31 letters: 59 bits.
ONE_TIME_ALPHABET = CODE_ALPHABET.lower()
ONE_TIME_GROUPS = 3
ONE_TIME_GROUP_LENGTH = 4


class RosterProblems(ServiceError):
    """The list cannot be imported as it is; nothing was made. ``problems`` name the lines."""

    status = 422

    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__("The class list has problems; nothing was imported.")
        self.problems = problems


@dataclass(frozen=True)
class Slip:
    """One pupil's part of the sign-in sheet; ``password`` is None for a pupil who already
    had an account and signs in as before."""

    name: str
    sign_in_name: str
    password: str | None = None


@dataclass(frozen=True)
class Sheet:
    school_class: SchoolClass
    new: list[Slip] = field(default_factory=list)
    existing: list[Slip] = field(default_factory=list)
    # Lines naming an account that is not this teacher's pupil (or is turned off): not added;
    # the slip holds what the list said, never the account's own name.
    not_added: list[Slip] = field(default_factory=list)


def one_time_password(name: str, sign_in_name: str) -> str:
    """``abcd-efgh-jkmn``: random (``secrets``), readable, and acceptable to the policy."""
    while True:
        password = "-".join(
            "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_GROUP_LENGTH))
            for _ in range(ONE_TIME_GROUPS)
        )
        if password_problem(password, sign_in_name, name) is None:
            return password


def import_roster(class_id: int, teacher_id: int, roster: Roster) -> Sheet:
    """Bring the list into the teacher's class in one go: every row is checked against the
    accounts first, and any problem (the file's or an account's) raises RosterProblems before
    anything is made, so a list is imported whole or not at all."""
    school_class = class_for_teacher(class_id, teacher_id)
    problems = list(roster.problems)
    found: list[tuple[RosterRow, User | None]] = []
    lines: dict[int, int] = {}  # account id -> the line naming it
    for row in roster.rows:
        try:
            user = _existing_account(row)
        except ValueError as exc:
            problems.append(RosterProblem(row.line, str(exc)))
            continue
        if user is not None and lines.setdefault(user.id, row.line) != row.line:
            message = f"{user.sign_in_name} is the account of line {lines[user.id]} too."
            problems.append(RosterProblem(row.line, message))
        found.append((row, user))
    if problems:
        raise RosterProblems(sorted(problems, key=lambda p: p.line))
    # Usernames the list gives are kept free of generated ones, whichever line comes first.
    reserved = {row.username for row, user in found if row.username and user is None}
    sheet = Sheet(school_class)
    pupils = _pupils_of(teacher_id)
    for row, user in found:
        if user is None:
            user, password = _new_pupil(row, reserved)
            sheet.new.append(Slip(user.name, user.sign_in_name, password))
        elif user.id in pupils and user.is_active:
            sheet.existing.append(Slip(user.name, user.sign_in_name))
        else:
            sheet.not_added.append(Slip(row.name, row.email or row.username or ""))
            continue
        _add_member(class_id, user.id)
    db.session.flush()
    return sheet


def _pupils_of(teacher_id: int) -> set[int]:
    """Learners who are or were in one of the teacher's classes."""
    return set(
        db.session.scalars(
            select(ClassMember.learner_id)
            .join(SchoolClass, SchoolClass.id == ClassMember.class_id)
            .where(SchoolClass.teacher_id == teacher_id)
        )
    )


def reset_to_one_time_password(class_id: int, teacher_id: int, learner_id: int) -> Slip:
    """A new one-time password for a pupil of the teacher's class without an email address,
    who forgot theirs: their sessions end and they choose their own at the next sign-in."""
    class_for_teacher(class_id, teacher_id)
    learner = db.session.scalar(
        select(User)
        .join(ClassMember, ClassMember.learner_id == User.id)
        .where(
            ClassMember.class_id == class_id,
            ClassMember.current(),
            User.id == learner_id,
            User.role == Role.LEARNER,
        )
    )
    if learner is None:
        raise NotFound("That learner is not in this class.")
    if learner.email is not None:
        raise ServiceError(
            f"{learner.name} signs in with an email address, so they reset their own password "
            "with “Forgot your password?” on the sign-in page."
        )
    return _renew(learner)


def renew_sheet(class_id: int, teacher_id: int) -> Sheet:
    """New one-time passwords for the class's pupils without email who have not chosen their
    own yet: the sheet was lost, or its passwords were seen by others. Everyone else is left
    alone."""
    school_class = class_for_teacher(class_id, teacher_id)
    learners = db.session.scalars(
        select(User)
        .join(ClassMember, ClassMember.learner_id == User.id)
        .where(
            ClassMember.class_id == class_id,
            ClassMember.current(),
            User.role == Role.LEARNER,
            User.email.is_(None),
            User.must_change_password.is_(True),
        )
        .order_by(User.name, User.id)
    )
    slips = [_renew(learner) for learner in learners]
    if not slips:
        raise ServiceError("Every pupil of this class has chosen their own password.")
    return Sheet(school_class, new=slips)


def _renew(learner: User) -> Slip:
    password = one_time_password(learner.name, learner.sign_in_name)
    learner.set_password(password)
    learner.must_change_password = True
    learner.end_sessions()
    db.session.flush()
    return Slip(learner.name, learner.sign_in_name, password)


def _existing_account(row: RosterRow) -> User | None:
    """The learner account the row names by email or username, or None for a new pupil;
    ValueError (the problem) when it names a teacher's account or two different ones."""
    if row.email is None and row.username is None:
        return None
    named = [
        column == value
        for column, value in ((func.lower(User.email), row.email), (User.username, row.username))
        if value is not None
    ]
    users = list(db.session.scalars(select(User).where(or_(*named))))
    if len(users) > 1:
        raise ValueError(
            f"the email {row.email} and the username {row.username} are different accounts."
        )
    if users and users[0].is_teacher:
        raise ValueError(f"{users[0].sign_in_name} is a teacher's account.")
    return users[0] if users else None


def _new_pupil(row: RosterRow, reserved: set[str]) -> tuple[User, str]:
    """Make the pupil's account. A generated username that another import took meanwhile
    (the unique index says so, inside create_user's savepoint, which keeps this transaction
    going) makes the next number be tried; a given one that was taken is the caller's
    Conflict, as is an email made meanwhile."""
    password = one_time_password(row.name, row.email or row.username or "")

    def create(username: str) -> User:
        return create_user(
            row.email, row.name, password, username=username, must_change_password=True
        )

    if row.username is not None:
        return create(row.username), password
    base = username_base(row.name)
    taken = set(db.session.scalars(select(User.username).where(User.username.like(f"{base}%"))))
    for candidate in candidates_for(base):
        if candidate in taken or candidate in reserved:
            continue
        try:
            user = create(candidate)
        except UsernameTaken:
            taken.add(candidate)
            continue
        reserved.add(candidate)
        return user, password
    raise Conflict(f"No free username is left for {row.name}; give one in the list.")


def _add_member(class_id: int, learner_id: int) -> None:
    """Join as join_class does: a pupil removed before comes back, their past kept."""
    member = db.session.get(ClassMember, (class_id, learner_id))
    if member is None:
        db.session.add(ClassMember(class_id=class_id, learner_id=learner_id))
    else:
        member.left_at = None
