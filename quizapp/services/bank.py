"""The question bank: finding, writing, revising and retiring questions.

A teacher sees their own questions and the shared seeded ones (no owner, read-only); another
teacher's question is "not found". Editing a question that learners have answered makes a new
version instead of changing it, so every past attempt, report and export keeps showing what
the learner actually saw; quizzes move on to the new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import selectinload

from ..core.formats.question_files import title_as_name
from ..core.questions.review import question_problems
from ..database import MAX_ID
from ..extensions import db
from ..models import (
    Article,
    Attempt,
    Choice,
    Origin,
    Question,
    QuizQuestion,
    Response,
    Sentence,
    Status,
)
from . import NotFound, ServiceError

PER_PAGE = 25
MAX_SEARCH = 200


@dataclass(frozen=True)
class BankFilter:
    article_id: int | None = None
    topic: str = ""
    kind: str = ""
    status: str = ""
    origin: str = ""
    text: str = ""


@dataclass(frozen=True)
class QuestionData:
    """A question as a teacher writes it; choices are (text, is_correct) in display order."""

    kind: str
    stem: str
    choices: Sequence[tuple[str, bool]]
    explanation: str = ""
    topic: str = ""
    article_id: int | None = None
    evidence_id: int | None = None
    status: str = Status.APPROVED
    # The name the teacher knows it by (a GIFT title); None keeps the question's own, since
    # the question form does not edit it and an edit must not lose it.
    name: str | None = None


def visible_questions(teacher_id: int) -> Select[tuple[Question]]:
    return select(Question).where(
        or_(Question.created_by_id == teacher_id, Question.created_by_id.is_(None))
    )


def search_bank(teacher_id: int, wanted: BankFilter, page: int = 1) -> Pagination:
    """One page of the current versions of the teacher's questions matching every filter."""
    return db.paginate(
        matching(teacher_id, wanted),
        page=min(max(page, 1), MAX_ID // PER_PAGE),  # a past-the-end page is empty, not an overflow
        per_page=PER_PAGE,
        error_out=False,
        count=True,
    )


def matching(teacher_id: int, wanted: BankFilter) -> Select[tuple[Question]]:
    """The current versions of the teacher's questions that match every filter, newest first."""
    query = visible_questions(teacher_id).where(Question.superseded_by_id.is_(None))
    if wanted.article_id:
        query = query.where(Question.article_id == wanted.article_id)
    for column, value in (
        (Question.topic, wanted.topic),
        (Question.kind, wanted.kind),
        (Question.status, wanted.status),
        (Question.origin, wanted.origin),
    ):
        if value:
            query = query.where(column == value)
    text = wanted.text.strip()[:MAX_SEARCH]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                Question.stem.ilike(pattern, escape="\\"),
                Question.name.ilike(pattern, escape="\\"),
                exists().where(
                    Choice.question_id == Question.id, Choice.text.ilike(pattern, escape="\\")
                ),
            )
        )
    return query.options(selectinload(Question.choices), selectinload(Question.article)).order_by(
        Question.id.desc()
    )


def bank_topics(teacher_id: int) -> list[str]:
    subquery = visible_questions(teacher_id).subquery()
    return [t for t in db.session.scalars(select(subquery.c.topic).distinct()) if t]


def question_in_bank(question_id: int, teacher_id: int) -> Question:
    """Any question the teacher may see (their own or a shared one), for display."""
    question = db.session.get(Question, question_id)
    if question is None or question.created_by_id not in (None, teacher_id):
        raise NotFound("There is no such question.")
    return question


def own_question(question_id: int, teacher_id: int) -> Question:
    """A question the teacher may change; the shared seeded ones are read-only."""
    question = question_in_bank(question_id, teacher_id)
    if question.created_by_id is None:
        raise ServiceError(
            "Questions of the shared seed article are read-only; write your own version instead."
        )
    return question


def is_answered(question_id: int) -> bool:
    return bool(db.session.scalar(select(_answered(question_id))))


def _answered(question_id: int) -> ColumnElement[bool]:
    return exists().where(Response.question_id == question_id)


def is_before_learners(question_id: int) -> bool:
    """Answered, or asked by a quiz someone is taking now. Either way an edit must be a new
    version: changed in place, an answer sent from a page still showing the old wording would
    be marked against the new one; as a new version, that page's answer is refused as stale."""
    being_taken = exists().where(
        QuizQuestion.question_id == question_id,
        Attempt.quiz_id == QuizQuestion.quiz_id,
        Attempt.submitted_at.is_(None),
    )
    return bool(db.session.scalar(select(or_(_answered(question_id), being_taken))))


def _checked(teacher_id: int, data: QuestionData) -> QuestionData:
    """The data trimmed and validated, its article and evidence sentence the teacher's to use."""
    choices = [(text.strip(), correct) for text, correct in data.choices if text.strip()]
    stem, explanation = data.stem.strip(), data.explanation.strip()
    problems = question_problems(data.kind, stem, explanation, choices)
    if data.status not in (Status.DRAFT, Status.APPROVED):
        problems.append("A question is saved as a draft or approved.")
    if problems:
        raise ServiceError(" ".join(problems))
    if data.article_id is not None:
        article = db.session.get(Article, data.article_id)
        if article is None or article.created_by_id not in (None, teacher_id):
            raise NotFound("There is no such article.")
    if data.evidence_id is not None:
        sentence = db.session.get(Sentence, data.evidence_id)
        if sentence is None or sentence.article_id != data.article_id:
            raise ServiceError("The evidence must be a sentence of the question's article.")
    return QuestionData(
        kind=data.kind,
        stem=stem,
        choices=choices,
        explanation=explanation,
        topic=" ".join(data.topic.split())[:60],
        article_id=data.article_id,
        evidence_id=data.evidence_id,
        status=data.status,
        name=None if data.name is None else title_as_name(data.name),
    )


def create_question(teacher_id: int, data: QuestionData) -> Question:
    data = _checked(teacher_id, data)
    question = Question(origin=Origin.AUTHORED, created_by_id=teacher_id)
    _fill(question, data)
    db.session.add(question)
    db.session.flush()
    return question


def revise_question(question: Question, data: QuestionData, teacher_id: int) -> Question:
    """Change a question, or, once learners have answered it or are taking a quiz that asks
    it, make its next version.

    Returns the question that now holds the data: the same row, or the new version, which
    takes the old one's place in every quiz.
    """
    if question.status == Status.RETIRED:
        raise ServiceError("This question is retired; it cannot be edited.")
    if question.superseded_by_id is not None:
        raise ServiceError("This is an old version; edit the current one instead.")
    data = _checked(teacher_id, data)
    if not is_before_learners(question.id):
        _fill(question, data)
        db.session.flush()
        return question
    newer = Question(
        origin=question.origin,
        created_by_id=question.created_by_id,
        family_id=question.family,
        version=question.version + 1,
        name=question.name,
    )
    _fill(newer, data)
    db.session.add(newer)
    db.session.flush()
    question.superseded_by_id = newer.id
    for item in db.session.scalars(
        select(QuizQuestion).where(QuizQuestion.question_id == question.id)
    ):
        item.question_id = newer.id
    db.session.flush()
    return newer


def edit_question(question_id: int, teacher_id: int, data: QuestionData) -> Question:
    return revise_question(own_question(question_id, teacher_id), data, teacher_id)


def _fill(question: Question, data: QuestionData) -> None:
    question.kind = data.kind
    question.stem = data.stem
    question.explanation = data.explanation
    question.topic = data.topic
    question.article_id = data.article_id
    question.evidence_id = data.evidence_id
    question.status = data.status
    if data.name is not None:
        question.name = data.name
    # Update rows in place by position: positions are unique per question, so swapping rows
    # out wholesale would collide with the old ones before they are deleted.
    for position, (text, correct) in enumerate(data.choices):
        if position < len(question.choices):
            question.choices[position].text = text
            question.choices[position].is_correct = correct
        else:
            question.choices.append(Choice(position=position, text=text, is_correct=correct))
    del question.choices[len(data.choices) :]


def retire_question(question_id: int, teacher_id: int) -> Question:
    """Take a question out of the bank; quizzes and answers that use it keep it."""
    question = own_question(question_id, teacher_id)
    question.status = Status.RETIRED
    db.session.flush()
    return question


def data_of(question: Question) -> QuestionData:
    return QuestionData(
        kind=question.kind,
        stem=question.stem,
        choices=[(c.text, c.is_correct) for c in question.choices],
        explanation=question.explanation,
        topic=question.topic,
        article_id=question.article_id,
        evidence_id=question.evidence_id,
        status=question.status if question.status != Status.RETIRED else Status.APPROVED,
        name=question.name,
    )


def versions(question: Question) -> list[Question]:
    """Every version of the question, oldest first."""
    return list(
        db.session.scalars(
            select(Question)
            .where(or_(Question.id == question.family, Question.family_id == question.family))
            .order_by(Question.version)
        )
    )
