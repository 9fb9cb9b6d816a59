"""Progress: per-topic mastery and the score history, read with aggregate queries.

The counting happens in SQL (a few GROUP BY queries and one windowed query, however many cards
and answers there are); the arithmetic happens in ``core.progress`` on the rows they return.
``topic_progress`` takes a list of learners so that a class's view is the same call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Case, case, func, literal, or_, select, true, union_all

from ..core.questions import topic_of_fact
from ..core.study.cards import CARD_FACT_KINDS, GOOD, Phase
from ..core.study.progress import (
    RECENT_ANSWERS,
    Answer,
    Mastered,
    ScorePoint,
    TopicCards,
    TopicProgress,
    topic_progress,
)
from ..extensions import db
from ..models import (
    Attempt,
    CardReview,
    CardState,
    Fact,
    Feedback,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    User,
)
from .cards import asked, fact_cards_of


def _fact_topic() -> Case[str]:
    """A fact card's topic, computed in SQL from its kind (the same mapping as in core)."""
    return case(
        {str(kind): str(topic_of_fact(kind)) for kind in CARD_FACT_KINDS},
        value=Fact.kind,
        else_=literal(""),
    )


def learners_topic_progress(
    learner_ids: Sequence[int],
    now: datetime,
    recent: int = RECENT_ANSWERS,
    quiz_ids: Sequence[int] | None = None,
) -> list[TopicProgress]:
    """Per-topic mastery and recent accuracy, pooled over ``learner_ids`` (one or a class).

    Each learner's cards are their own (their classes' quizzes), counted for all the learners
    at once: four GROUP BY queries and one windowed query, whatever the class size. A
    teacher's view of a class passes the class's ``quiz_ids``: its learners' work for other
    teachers is not this teacher's to see.
    """
    if not learner_ids:
        return []
    fact_topic = _fact_topic()
    family = Question.family
    learners = User.id.in_(learner_ids)
    question_cards = db.session.execute(
        select(User.id, Question.topic, func.count(family.distinct()))
        .select_from(User)
        .join(Question, true())
        .where(learners, asked(User.id, now, quiz_ids))
        .group_by(User.id, Question.topic)
    )
    fact_cards = db.session.execute(
        select(User.id, fact_topic, func.count(Fact.id.distinct()))
        .select_from(User)
        .join(Fact, true())
        .where(learners, fact_cards_of(User.id, now, quiz_ids))
        .group_by(User.id, fact_topic)
    )
    cards: dict[tuple[int, str], int] = defaultdict(int)
    for learner, topic, count in [*question_cards, *fact_cards]:
        cards[learner, topic] += count

    reviewed = (CardState.learner_id.in_(learner_ids), CardState.phase == int(Phase.REVIEW))
    mastered_questions = db.session.execute(
        select(CardState.learner_id, Question.topic, func.count(CardState.id.distinct()))
        .join(Question, family == CardState.question_id)
        .where(*reviewed, asked(CardState.learner_id, now, quiz_ids))
        .group_by(CardState.learner_id, Question.topic)
    )
    mastered_facts = db.session.execute(
        select(CardState.learner_id, fact_topic, func.count(CardState.id.distinct()))
        .join(Fact, Fact.id == CardState.fact_id)
        .where(*reviewed, fact_cards_of(CardState.learner_id, now, quiz_ids))
        .group_by(CardState.learner_id, fact_topic)
    )
    mastered = [
        Mastered(learner, topic, count)
        for learner, topic, count in [*mastered_questions, *mastered_facts]
    ]
    return topic_progress(
        learner_ids,
        [TopicCards(learner, topic, count) for (learner, topic), count in cards.items()],
        mastered,
        recent_answers(learner_ids, recent, quiz_ids),
        recent,
    )


def recent_answers(
    learner_ids: Sequence[int], recent: int, quiz_ids: Sequence[int] | None = None
) -> list[Answer]:
    """Each learner's last ``recent`` answers per topic: quiz responses and card ratings.

    An answer in an attempt not yet submitted counts only where its quiz shows right or wrong
    at once: otherwise this page would reveal what the quiz keeps until the end.
    ``quiz_ids`` keeps the answers to those quizzes and the ratings of their cards.
    """
    responses = (
        select(
            Attempt.learner_id.label("learner_id"),
            Question.topic.label("topic"),
            Response.correct.label("correct"),
            Response.answered_at.label("at"),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Question, Question.id == Response.question_id)
        .where(
            Attempt.learner_id.in_(learner_ids),
            or_(Attempt.submitted_at.is_not(None), Quiz.feedback == Feedback.AFTER_EACH),
        )
    )
    recalled = case((CardReview.rating >= GOOD, True), else_=False)
    question_reviews = (
        select(CardReview.learner_id, Question.topic, recalled, CardReview.reviewed_at)
        .join(Question, Question.id == CardReview.question_id)
        .where(CardReview.learner_id.in_(learner_ids))
    )
    fact_reviews = (
        select(CardReview.learner_id, _fact_topic(), recalled, CardReview.reviewed_at)
        .join(Fact, Fact.id == CardReview.fact_id)
        .where(CardReview.learner_id.in_(learner_ids))
    )
    if quiz_ids is not None:
        asked_there = (
            select(Question.family, Question.article_id)
            .join(QuizQuestion, QuizQuestion.question_id == Question.id)
            .where(QuizQuestion.quiz_id.in_(quiz_ids))
            .subquery()
        )
        responses = responses.where(Attempt.quiz_id.in_(quiz_ids))
        question_reviews = question_reviews.where(
            CardReview.question_id.in_(select(asked_there.c.family))
        )
        fact_reviews = fact_reviews.where(Fact.article_id.in_(select(asked_there.c.article_id)))
    answers = union_all(responses, question_reviews, fact_reviews).subquery()
    rank = (
        func.row_number()
        .over(
            partition_by=(answers.c.learner_id, answers.c.topic),
            order_by=answers.c.at.desc(),
        )
        .label("rank")
    )
    ranked = select(answers, rank).subquery()
    rows = db.session.execute(
        select(ranked.c.learner_id, ranked.c.topic, ranked.c.correct, ranked.c.at).where(
            ranked.c.rank <= recent
        )
    )
    return [Answer(learner, topic, bool(correct), at) for learner, topic, correct, at in rows]


def score_history(learner_id: int) -> list[ScorePoint]:
    """The percent of every submitted graded attempt, oldest first; practice is left out."""
    rows = db.session.execute(
        select(Attempt.submitted_at, Quiz.title, Attempt.score, Attempt.max_score)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.learner_id == learner_id,
            Attempt.submitted_at.is_not(None),
            Quiz.practice_for_id.is_(None),
            Attempt.max_score > 0,
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    return [
        ScorePoint(submitted, title, 100.0 * (score or 0.0) / max_score)
        for submitted, title, score, max_score in rows
    ]
