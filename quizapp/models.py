"""The database, as typed SQLAlchemy 2 models. Every change here ships with a migration."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import (
    text as sql,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .database import utcnow
from .extensions import db


class Role(StrEnum):
    LEARNER = "learner"
    TEACHER = "teacher"
    # Runs the school's accounts (the users page: invites, roles, disabling, deletion) and
    # can teach as well.
    ADMIN = "admin"


class Origin(StrEnum):
    GENERATED = "generated"
    AUTHORED = "authored"


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class FactStatus(StrEnum):
    """A fact reading found is a draft until the teacher confirms it; only confirmed facts
    reach learners (cards, the debate map). Curated facts files are confirmed as loaded."""

    DRAFT = "draft"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


def new_session_token() -> str:
    """A fresh per-user secret: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # SQLite otherwise hands a deleted user's id to the next account, and anything still
    # naming the old id (a log line, an export, a cookie) would then mean someone else.
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR username IS NOT NULL", name="email_or_username"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every account has an email or a username (both stored lower case): pupils made from a
    # class list often have no email address, and sign in with the username on their sheet.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.LEARNER)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set with a one-time password (a class list, a teacher's reset): until the user chooses
    # their own, every page sends them to the password form.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sql("false")
    )
    # An admin turned the account off: it cannot sign in, and its sessions ended then.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The user asked for their account and everything held on them to be deleted; an admin
    # sees the request on the users page and carries it out.
    deletion_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the session and remember-me cookies name instead of the id (Flask-Login's
    # "alternative id"): replacing it on logout or a password change ends every sign-in of
    # this user at once, on every device, without touching anyone else's.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    # When this object was signed in (epoch seconds), carried inside get_id() so the cookies
    # hold it under their signature and the server can refuse them once they are too old.
    signed_in_at = 0

    def get_id(self) -> str:
        """``<session token>.<signed-in time>``: what Flask-Login stores in both cookies."""
        return f"{self.session_token}.{self.signed_in_at}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this user stops working."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_teacher(self) -> bool:
        """Teachers and admins (who can teach too) reach the teacher's workspace."""
        return self.role in (Role.TEACHER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_active(self) -> bool:
        """Flask-Login's flag: login_user refuses a disabled account."""
        return self.disabled_at is None

    @property
    def sign_in_name(self) -> str:
        """What the user signs in with, for lists, reports and exports: email or username."""
        return self.email or self.username or ""


class Invite(db.Model):
    """A single-use link an admin sends to make a teacher's (or another admin's) account.

    The emailed token is signed and names this row and its nonce; accepting sets accepted_at,
    revoking sets revoked_at, and either ends the link, as does INVITE_DAYS passing."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), default=Role.TEACHER)
    nonce: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The account made from it, once accepted.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Article(db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300), default="")
    # The article's own headline line, kept apart from its sentences (never evidence).
    headline: Mapped[str] = mapped_column(Text, default="", server_default="")
    text: Mapped[str] = mapped_column(Text)
    # sha256 of the normalised text: re-importing the same article is recognised, not repeated
    # (per teacher: another teacher bringing the same news story gets their own copy).
    text_hash: Mapped[str] = mapped_column(String(64))
    debate: Mapped[str] = mapped_column(Text, default="")
    sides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when the owner deletes an article that quizzes or learners' answers still use: the
    # row and its sentences stay as their evidence, hidden from the teacher's lists, and its
    # text may be imported again (the unique index below skips deleted rows).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        Index(
            "uq_articles_owner_text_hash",
            "created_by_id",
            "text_hash",
            unique=True,
            sqlite_where=sql("deleted_at IS NULL"),
            postgresql_where=sql("deleted_at IS NULL"),
        ),
        # NULLs are distinct in a unique constraint, so shared (seeded) texts need their own.
        Index(
            "uq_articles_shared_text_hash",
            "text_hash",
            unique=True,
            sqlite_where=sql("created_by_id IS NULL"),
            postgresql_where=sql("created_by_id IS NULL"),
        ),
    )

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="article", order_by="Sentence.position", cascade="all, delete-orphan"
    )
    facts: Mapped[list[Fact]] = relationship(
        back_populates="article", order_by="Fact.id", cascade="all, delete-orphan"
    )


class Sentence(db.Model):
    __tablename__ = "sentences"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    # Which paragraph of the article, from 0: the article view shows paragraphs as written.
    paragraph: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    text: Mapped[str] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="sentences")


class Fact(db.Model):
    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    subject_type: Mapped[str] = mapped_column(String(20), default="other")
    relation: Mapped[str] = mapped_column(String(300), default="")
    object: Mapped[str] = mapped_column(Text)
    object_type: Mapped[str] = mapped_column(String(20), default="other")
    unit: Mapped[str] = mapped_column(String(30), default="")
    # How sure reading was (a quote's speaker above all); curated facts are 1.0.
    confidence: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")
    status: Mapped[str] = mapped_column(
        String(16), default=FactStatus.DRAFT, server_default=FactStatus.CONFIRMED
    )

    article: Mapped[Article] = relationship(back_populates="facts")
    sentence: Mapped[Sentence] = relationship()


class Question(db.Model):
    __tablename__ = "questions"
    # A generated question is identified by the fact and generator it came from, so
    # generating again for the same article can never store it twice.
    __table_args__ = (UniqueConstraint("article_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id"))
    source_key: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16))
    # A short name the teacher knows the question by (GIFT's ::title::); "" when it has none.
    name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    stem: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(60), default="")
    origin: Mapped[str] = mapped_column(String(16), default=Origin.AUTHORED)
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Versions: editing a question learners have answered makes a new row, so past attempts
    # keep pointing at exactly what they saw. All versions share the first one's id as family.
    family_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))

    article: Mapped[Article | None] = relationship()
    evidence: Mapped[Sentence | None] = relationship()
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )

    @property
    def correct_choices(self) -> list[Choice]:
        return [c for c in self.choices if c.is_correct]

    @hybrid_property
    def family(self) -> int:
        """The first version's id, shared by every version: what a slot, a card and a report
        row are keyed on, so a re-versioned question stays the same question to them."""
        return self.family_id or self.id

    @family.inplace.expression
    @classmethod
    def _family_expression(cls) -> ColumnElement[int]:
        return func.coalesce(cls.family_id, cls.id)


class Choice(db.Model):
    __tablename__ = "choices"
    __table_args__ = (UniqueConstraint("question_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    is_correct: Mapped[bool] = mapped_column(Boolean, default=False)

    question: Mapped[Question] = relationship(back_populates="choices")


class Feedback(StrEnum):
    AFTER_EACH = "after_each"  # right or wrong shown as soon as a question is answered
    AFTER_SUBMIT = "after_submit"  # nothing shown until the attempt is submitted


class Quiz(db.Model):
    __tablename__ = "quizzes"
    # Titles are unique per teacher; two teachers may both have a "Week 1" quiz.
    __table_args__ = (UniqueConstraint("created_by_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    # Public quizzes are open to every learner; the others only to the classes assigned.
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    shuffle_choices: Mapped[bool] = mapped_column(Boolean, default=False)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    max_attempts: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    feedback: Mapped[str] = mapped_column(String(16), default=Feedback.AFTER_EACH)
    partial_credit: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A practice quiz belongs to one learner: never published, and its attempts are not graded.
    practice_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan"
    )
    classes: Mapped[list[SchoolClass]] = relationship(
        secondary="quiz_classes", order_by="SchoolClass.name", back_populates="quizzes"
    )

    @property
    def feedback_after_each(self) -> bool:
        return self.feedback == Feedback.AFTER_EACH


class QuizQuestion(db.Model):
    __tablename__ = "quiz_questions"
    __table_args__ = (
        UniqueConstraint("quiz_id", "position"),
        UniqueConstraint("quiz_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    position: Mapped[int] = mapped_column(Integer)
    points: Mapped[float] = mapped_column(Float, default=1.0)

    quiz: Mapped[Quiz] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()


class Attempt(db.Model):
    __tablename__ = "attempts"
    # Starting twice (two tabs, a replayed request) can never make two attempts with one number.
    __table_args__ = (UniqueConstraint("learner_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    number: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    # Fixed when the attempt starts, so every worker enforces the same time limit.
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime)

    quiz: Mapped[Quiz] = relationship()
    learner: Mapped[User] = relationship()
    responses: Mapped[list[Response]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_practice(self) -> bool:
        return self.quiz.practice_for_id is not None

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class Response(db.Model):
    __tablename__ = "responses"
    # One answer per question per attempt, enforced by the database: a double-clicked submit
    # or a replayed request cannot count twice.
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    correct: Mapped[bool] = mapped_column(Boolean)
    marks: Mapped[float] = mapped_column(Float, default=0.0)
    answered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    question: Mapped[Question] = relationship()
    chosen: Mapped[list[ResponseChoice]] = relationship(cascade="all, delete-orphan")

    @property
    def chosen_ids(self) -> set[int]:
        return {c.choice_id for c in self.chosen}


class ResponseChoice(db.Model):
    __tablename__ = "response_choices"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    choice_id: Mapped[int] = mapped_column(ForeignKey("choices.id"), primary_key=True)


# --- Article import review (issue 3) -----------------------------------------------------------


class DroppedDraft(db.Model):
    """A generated question the quality gates refused, kept so the teacher can see why."""

    __tablename__ = "dropped_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(60), default="")
    stem: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)

    article: Mapped[Article] = relationship()


# --- Classes (issue 4) ---------------------------------------------------------------------------


class SchoolClass(db.Model):
    """A teacher's class: learners join it with its code and see the quizzes assigned to it."""

    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("teacher_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    teacher: Mapped[User] = relationship()
    quizzes: Mapped[list[Quiz]] = relationship(
        secondary="quiz_classes", order_by="Quiz.title", back_populates="classes"
    )


class ClassMember(db.Model):
    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when the teacher removes the learner: the row stays so the attempts they made as a
    # member stay in the class's report and CSV. Joining again clears it.
    left_at: Mapped[datetime | None] = mapped_column(DateTime)

    learner: Mapped[User] = relationship()

    @classmethod
    def current(cls) -> ColumnElement[bool]:
        """Still in the class: what access, rosters and counts go by."""
        return cls.left_at.is_(None)


class QuizClass(db.Model):
    __tablename__ = "quiz_classes"

    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="CASCADE"), primary_key=True
    )
    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )


# --- Flashcards (issue 5) ---------------------------------------------------------------------

# A card is one approved question or one fact: exactly one of the two ids is set.
_ONE_CARD = "(question_id IS NULL) <> (fact_id IS NULL)"


class CardState(db.Model):
    """One learner's FSRS memory of one card. A card never studied has no row: it is new."""

    __tablename__ = "card_states"
    __table_args__ = (
        UniqueConstraint("learner_id", "question_id"),
        UniqueConstraint("learner_id", "fact_id"),
        CheckConstraint(_ONE_CARD, name="one_card"),
        Index("ix_card_states_learner_due", "learner_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    fact_id: Mapped[int | None] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"))
    phase: Mapped[int] = mapped_column(Integer)  # core.cards.Phase: FSRS's card state
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(DateTime)
    last_review: Mapped[datetime | None] = mapped_column(DateTime)
    # How many ratings are applied: the version a rating form carries, so that a replayed
    # rating finds the row moved on and changes nothing (compare-and-set on this column).
    reviews: Mapped[int] = mapped_column(Integer, default=0)


class CardReview(db.Model):
    """Every rating a learner gave a card: what progress and accuracy are computed from."""

    __tablename__ = "card_reviews"
    __table_args__ = (
        CheckConstraint(_ONE_CARD, name="one_card"),
        Index("ix_card_reviews_learner_reviewed_at", "learner_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    fact_id: Mapped[int | None] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    due_before: Mapped[datetime | None] = mapped_column(DateTime)  # None: the card was new
    due_after: Mapped[datetime] = mapped_column(DateTime)


class Job(db.Model):
    """Long work a teacher started (an import), done by the job worker rather than the web
    request: what it was given, how far it has got, and how it ended. Only its owner sees it.

    The job's own row is written in short transactions (start, progress, failure); the work's
    result is stored in one transaction with ``state = done``, so a job stopped part-way has
    stored nothing and a job found done is never run again.
    """

    class State(StrEnum):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_owner_created", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="import")
    state: Mapped[str] = mapped_column(String(16), default=State.QUEUED)
    step: Mapped[str] = mapped_column(String(32), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # Why it failed, said to a teacher; once done, what was stored.
    message: Mapped[str] = mapped_column(Text, default="")
    # What the job works on: an import's title, source and decoded text (MAX_ARTICLE_CHARS).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Moved on by every progress write: a running job whose heartbeat is old has lost its worker.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
