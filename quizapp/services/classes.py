"""Classes: a teacher makes one, learners join it with its code, quizzes are assigned to it.

A teacher only ever reaches their own classes; any other id is "not found", so another
teacher's class is not even confirmed to exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..database import utcnow
from ..extensions import db
from ..models import ClassMember, QuizClass, Role, SchoolClass, User
from . import Conflict, NotFound, ServiceError

# No 0/O, 1/I/L: a code read aloud or copied from a board is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_NAME = 120


@dataclass(frozen=True)
class ClassSummary:
    school_class: SchoolClass
    members: int
    quizzes: int


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create_class(teacher_id: int, name: str) -> SchoolClass:
    """A new class with a fresh join code; a clash of codes (1 in 10^11) simply draws again."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Give the class a name.")
    if len(name) > MAX_NAME:
        raise ServiceError(f"A class name has at most {MAX_NAME} characters.")
    if db.session.scalar(
        select(SchoolClass.id).where(SchoolClass.teacher_id == teacher_id, SchoolClass.name == name)
    ):
        raise Conflict(f"You already have a class called “{name}”.")
    for _ in range(5):
        school_class = SchoolClass(name=name, teacher_id=teacher_id, join_code=new_join_code())
        try:
            with db.session.begin_nested():
                db.session.add(school_class)
        except IntegrityError:
            continue
        return school_class
    raise Conflict("Could not draw a free join code; try again.")


def teacher_classes(teacher_id: int) -> list[ClassSummary]:
    """The teacher's classes with member and quiz counts, in two aggregate queries."""
    classes = list(
        db.session.scalars(
            select(SchoolClass)
            .where(SchoolClass.teacher_id == teacher_id)
            .order_by(SchoolClass.name)
        )
    )
    ids = [c.id for c in classes]
    members = dict(
        db.session.execute(
            select(ClassMember.class_id, func.count())
            .where(ClassMember.class_id.in_(ids), ClassMember.current())
            .group_by(ClassMember.class_id)
        ).all()
    )
    quizzes = dict(
        db.session.execute(
            select(QuizClass.class_id, func.count())
            .where(QuizClass.class_id.in_(ids))
            .group_by(QuizClass.class_id)
        ).all()
    )
    return [ClassSummary(c, members.get(c.id, 0), quizzes.get(c.id, 0)) for c in classes]


def class_for_teacher(class_id: int, teacher_id: int) -> SchoolClass:
    school_class = db.session.get(SchoolClass, class_id)
    if school_class is None or school_class.teacher_id != teacher_id:
        raise NotFound("There is no such class.")
    return school_class


def class_members(class_id: int, teacher_id: int) -> list[User]:
    class_for_teacher(class_id, teacher_id)
    return list(
        db.session.scalars(
            select(User)
            .join(ClassMember, ClassMember.learner_id == User.id)
            .where(ClassMember.class_id == class_id, ClassMember.current())
            .order_by(User.name, User.email)
        )
    )


def remove_member(class_id: int, teacher_id: int, learner_id: int) -> None:
    """Take a learner out of the class: they lose its quizzes, and the attempts they made
    while in it stay in its report and CSV."""
    class_for_teacher(class_id, teacher_id)
    member = db.session.get(ClassMember, (class_id, learner_id))
    if member is None or member.left_at is not None:
        raise NotFound("That learner is not in this class.")
    member.left_at = utcnow()
    db.session.flush()


def new_code(class_id: int, teacher_id: int) -> SchoolClass:
    """Replace a leaked join code; learners already in the class stay in it."""
    school_class = class_for_teacher(class_id, teacher_id)
    school_class.join_code = new_join_code()
    db.session.flush()
    return school_class


def join_class(learner_id: int, code: str) -> tuple[SchoolClass, bool]:
    """Join the class with this code; joining twice is not an error. Returns (class, joined)."""
    learner = db.session.get(User, learner_id)
    if learner is None or learner.role != Role.LEARNER:
        raise ServiceError("Only learners join classes with a code.")
    school_class = db.session.scalar(
        select(SchoolClass).where(SchoolClass.join_code == normalise_code(code))
    )
    if school_class is None:
        raise NotFound("No class has that code. Check it with your teacher.")
    earlier = db.session.get(ClassMember, (school_class.id, learner_id))
    if earlier is not None:
        if earlier.left_at is None:
            return school_class, False
        # Back after being removed: the first joining stands, so the class keeps what was
        # done in it before (between the two, only a public quiz could have been taken).
        earlier.left_at = None
        db.session.flush()
        return school_class, True
    try:
        with db.session.begin_nested():
            db.session.add(ClassMember(class_id=school_class.id, learner_id=learner_id))
    except IntegrityError:
        return school_class, False  # a second tab joined first
    return school_class, True


def learner_classes(learner_id: int) -> list[SchoolClass]:
    return list(
        db.session.scalars(
            select(SchoolClass)
            .join(ClassMember, ClassMember.class_id == SchoolClass.id)
            .where(ClassMember.learner_id == learner_id, ClassMember.current())
            .order_by(SchoolClass.name)
        )
    )
