"""Flashcards: which cards a learner may study, today's queue, and rating a card once.

A learner's cards are the approved questions of the quizzes open to them (public, or assigned
to one of their classes) that they have handed in at least once, and the confirmed definitions
and quotes of those questions' articles: nothing the teacher has not reviewed. A question
rejected or retired, or a fact rejected, leaves the queue; the learner's ratings of it stay.
A card shows the answer and its evidence, so a quiz not yet taken keeps its questions (and
the quotes a "who said this" question asks about) to itself. A question card is its whole
family of versions (keyed by the first version's id), so a teacher's correction keeps the
learner's schedule and always shows the current wording. Nothing is stored for a card until
its first rating, so a new article's cards are simply new. Every query here is one statement
over the whole deck, never one per card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    exists,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.study.cards import (
    CARD_FACT_KINDS,
    CardKey,
    CardSource,
    Memory,
    Phase,
    StudyCard,
    day_bounds,
    due_today,
    fact_card,
    new_allowance,
    question_card,
    schedule,
)
from ..extensions import db
from ..models import (
    Attempt,
    CardReview,
    CardState,
    Fact,
    FactStatus,
    Question,
    Quiz,
    QuizQuestion,
    Status,
)
from . import NotFound, ServiceError
from .attempts import open_to

# A learner id, or a column of them (``User.id``) when one query covers many learners.
Learner = int | ColumnElement[int]


@dataclass(frozen=True)
class ShownCard:
    """A card with the version of the learner's state it was shown with (0: never rated)."""

    card: StudyCard
    version: int
    memory: Memory | None


def asked(
    learner: Learner, now: datetime, quiz_ids: Sequence[int] | None = None
) -> ColumnElement[bool]:
    """This ``Question`` row is approved and asked by a quiz open to the learner now, one
    they have submitted an attempt of.

    Before that, a card would be the answer key of a graded quiz (even one that shows
    answers only after submitting). A quiz that has closed keeps its questions: they stay
    worth studying. ``quiz_ids`` narrows it to those quizzes (a class's, for its teacher).
    """
    handed_in = (
        exists()
        .where(
            Attempt.quiz_id == Quiz.id,
            Attempt.learner_id == learner,
            Attempt.submitted_at.is_not(None),
        )
        .correlate_except(Attempt)
    )
    in_taken_quiz = exists().where(
        QuizQuestion.question_id == Question.id,
        Quiz.id == QuizQuestion.quiz_id,
        open_to(learner),
        or_(Quiz.opens_at.is_(None), Quiz.opens_at <= now),
        handed_in,
        Quiz.id.in_(quiz_ids) if quiz_ids is not None else true(),
    )
    return (Question.status == Status.APPROVED) & in_taken_quiz


def visible_questions(learner: Learner, now: datetime) -> Select[tuple[int]]:
    """The learner's question cards, by family id."""
    return select(Question.family).where(asked(learner, now))


def fact_cards_of(
    learner: Learner, now: datetime, quiz_ids: Sequence[int] | None = None
) -> ColumnElement[bool]:
    """This ``Fact`` row is a confirmed definition or quote of an article the learner's
    questions use.

    Only confirmed: a fact reading found is the teacher's to check first (a quote given to the
    wrong speaker), and a fact they rejected leaves every queue, its ratings kept as history.
    """
    articles = select(Question.article_id).where(asked(learner, now, quiz_ids))
    return (
        Fact.kind.in_([str(k) for k in CARD_FACT_KINDS])
        & (Fact.status == FactStatus.CONFIRMED)
        & Fact.article_id.in_(articles)
    )


def visible_facts(learner: Learner, now: datetime) -> Select[tuple[int]]:
    return select(Fact.id).where(fact_cards_of(learner, now))


def _visible_state(learner_id: int, now: datetime) -> list[ColumnElement[bool]]:
    """The learner's stored states whose card they may still study."""
    return [
        CardState.learner_id == learner_id,
        or_(
            CardState.question_id.in_(visible_questions(learner_id, now)),
            CardState.fact_id.in_(visible_facts(learner_id, now)),
        ),
    ]


def _new_questions(learner_id: int, now: datetime) -> Select[tuple[int]]:
    studied = select(CardState.question_id).where(
        CardState.learner_id == learner_id, CardState.question_id.is_not(None)
    )
    return visible_questions(learner_id, now).where(Question.family.not_in(studied))


def _new_facts(learner_id: int, now: datetime) -> Select[tuple[int]]:
    studied = select(CardState.fact_id).where(
        CardState.learner_id == learner_id, CardState.fact_id.is_not(None)
    )
    return visible_facts(learner_id, now).where(Fact.id.not_in(studied))


@dataclass(frozen=True)
class Queue:
    due_studied: int  # cards studied before and due before today ends
    new_available: int  # visible cards never studied
    new_studied_today: int

    def count(self, new_per_day: int) -> int:
        return due_today(self.due_studied, self.new_available, self.new_studied_today, new_per_day)

    def new_allowed(self, new_per_day: int) -> int:
        return new_allowance(self.new_available, self.new_studied_today, new_per_day)


def queue(learner_id: int, now: datetime) -> Queue:
    """Today's queue sizes, in one round trip: what the home page's count is made of."""
    start, end = day_bounds(now)

    def count(query: Select[tuple[int]]) -> ScalarSelect[int]:
        return select(func.count()).select_from(query.distinct().subquery()).scalar_subquery()

    due = select(CardState.id).where(*_visible_state(learner_id, now), CardState.due < end)
    new_today = select(CardReview.id).where(
        CardReview.learner_id == learner_id,
        CardReview.due_before.is_(None),
        CardReview.reviewed_at >= start,
    )
    row = db.session.execute(
        select(
            count(due),
            count(_new_questions(learner_id, now)),
            count(_new_facts(learner_id, now)),
            count(new_today),
        )
    ).one()
    return Queue(int(row[0]), int(row[1]) + int(row[2]), int(row[3]))


def due_count(learner_id: int, now: datetime, new_per_day: int) -> int:
    return queue(learner_id, now).count(new_per_day)


def next_card(learner_id: int, now: datetime, new_per_day: int) -> ShownCard | None:
    """What to study now: a card already due, else a new one (within today's allowance),
    else one due later today (studying a little early beats stopping), else nothing."""
    states = (
        select(CardState)
        .where(*_visible_state(learner_id, now))
        .order_by(CardState.due, CardState.id)
    )
    overdue = db.session.scalar(states.where(CardState.due <= now).limit(1))
    if overdue is not None:
        return _shown(overdue, learner_id, now)
    if queue(learner_id, now).new_allowed(new_per_day):
        first_new = _new_questions(learner_id, now).order_by(Question.article_id, Question.id)
        family = db.session.scalar(first_new.limit(1))
        if family is not None:
            return ShownCard(_question_card(family, learner_id, now), 0, None)
        fact_id = db.session.scalar(
            _new_facts(learner_id, now).order_by(Fact.article_id, Fact.id).limit(1)
        )
        if fact_id is not None:
            return ShownCard(_fact_card(fact_id), 0, None)
    later = db.session.scalar(states.where(CardState.due < day_bounds(now)[1]).limit(1))
    return _shown(later, learner_id, now) if later is not None else None


def shown_card(learner_id: int, key: CardKey, now: datetime) -> ShownCard:
    """The card with the learner's current version of it, if they may study it."""
    _require_visible(key, learner_id, now)
    state = _state(learner_id, key)
    if key.source == CardSource.QUESTION:
        card = _question_card(key.id, learner_id, now)
    else:
        card = _fact_card(key.id)
    if state is None:
        return ShownCard(card, 0, None)
    return ShownCard(card, state.reviews, _memory(state))


def rate_card(
    learner_id: int, key: CardKey, rating: int, version: int, now: datetime, *, fuzz: bool
) -> bool:
    """Apply the rating to the card's FSRS state and log it; False if it was already applied.

    ``version`` is the number of ratings the card had when it was shown. The update only
    happens where the stored row still has that number (compare-and-set), and a new card's
    first row is guarded by the unique (learner, card) key, so a double click, a replayed
    form or a second tab rates the card once.
    """
    if rating not in (1, 2, 3, 4):
        raise ServiceError("Rate the card Again, Hard, Good or Easy.")
    _require_visible(key, learner_id, now)
    state = _state(learner_id, key)
    if version != (state.reviews if state is not None else 0):
        return False
    memory = _memory(state) if state is not None else None
    after = schedule(memory, rating, now, fuzz=fuzz)
    values = {
        "phase": int(after.phase),
        "step": after.step,
        "stability": after.stability,
        "difficulty": after.difficulty,
        "due": after.due,
        "last_review": after.last_review,
        "reviews": version + 1,
    }
    card_ids = _card_ids(key)
    if state is None:
        try:
            with db.session.begin_nested():
                db.session.add(CardState(learner_id=learner_id, **card_ids, **values))
        except IntegrityError:
            return False  # another request rated this new card first
    else:
        changed = db.session.execute(
            update(CardState)
            .where(CardState.id == state.id, CardState.reviews == version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            return False
    db.session.add(
        CardReview(
            learner_id=learner_id,
            **card_ids,
            rating=rating,
            reviewed_at=now,
            due_before=memory.due if memory is not None else None,
            due_after=after.due,
        )
    )
    return True


def _card_ids(key: CardKey) -> dict[str, int]:
    return {"question_id" if key.source == CardSource.QUESTION else "fact_id": key.id}


def _state(learner_id: int, key: CardKey) -> CardState | None:
    column = CardState.question_id if key.source == CardSource.QUESTION else CardState.fact_id
    return db.session.scalar(
        select(CardState)
        .where(CardState.learner_id == learner_id, column == key.id)
        .execution_options(populate_existing=True)
    )


def _require_visible(key: CardKey, learner_id: int, now: datetime) -> None:
    if key.source == CardSource.QUESTION:
        found = visible_questions(learner_id, now).where(Question.family == key.id)
    else:
        found = visible_facts(learner_id, now).where(Fact.id == key.id)
    if db.session.scalar(found.limit(1)) is None:
        raise NotFound("That card does not exist or is not open for study.")


def _memory(state: CardState) -> Memory:
    return Memory(
        phase=Phase(state.phase),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def _shown(state: CardState, learner_id: int, now: datetime) -> ShownCard:
    if state.question_id is not None:
        card = _question_card(state.question_id, learner_id, now)
    else:
        assert state.fact_id is not None  # the one_card check constraint
        card = _fact_card(state.fact_id)
    return ShownCard(card, state.reviews, _memory(state))


def _question_card(family: int, learner_id: int, now: datetime) -> StudyCard:
    """The card of a question family: the latest version the learner's quizzes ask."""
    question = db.session.scalar(
        select(Question)
        .where(Question.family == family, asked(learner_id, now))
        .order_by(Question.id.desc())
        .limit(1)
        .options(
            selectinload(Question.choices),
            selectinload(Question.evidence),
            selectinload(Question.article),
        )
    )
    if question is None:
        raise NotFound("That card does not exist or is not open for study.")
    return question_card(
        family,
        question.stem,
        question.topic,
        [(c.text, c.is_correct) for c in question.choices],
        question.explanation,
        question.evidence.text if question.evidence else "",
        question.article.title if question.article else "",
    )


def _fact_card(fact_id: int) -> StudyCard:
    fact = db.session.scalar(
        select(Fact)
        .where(Fact.id == fact_id)
        .options(selectinload(Fact.sentence), selectinload(Fact.article))
    )
    if fact is None:
        raise NotFound("That card does not exist or is not open for study.")
    return fact_card(
        fact.id, fact.kind, fact.subject, fact.object, fact.sentence.text, fact.article.title
    )
