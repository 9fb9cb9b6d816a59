"""Reviewing an article's facts: confirm, correct, delete (reject) and add them.

Reading stores the facts it finds as drafts; only confirmed facts reach learners (cards, the
debate map), so the teacher reviews facts the way they review questions. A rejected fact is
kept, marked rejected, so the cards learners studied of it keep their history and the teacher
can restore it.

Questions are made from facts, so correcting a fact regenerates the draft questions made from
it (a question's source key ends with its fact's key): its unused drafts are deleted and the
article's facts are run through generation and the quality gates again, keeping only the new
drafts that come from the corrected fact. An approved, retired or answered question is never
touched: learners may have seen it, and the teacher approved it as it is.

Every verb checks the article is the teacher's own: another teacher's article or fact is "not
found", and the shared seeded articles are read-only (403): they are every teacher's.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select

from ..core.facts import ArticleFacts, Entity, EntityType, FactKind, Side, fact_key
from ..core.facts import Fact as ReadFact
from ..core.reading.entities import find_entities
from ..core.reading.review import PARTS, fact_problems
from ..extensions import db
from ..models import Article, Fact, FactStatus, Question, QuizQuestion, Sentence, Status
from . import Forbidden, NotFound, ServiceError
from .articles import fact_key_of, store_drafts
from .bank import is_answered
from .generation import gated_questions
from .reading import parse
from .review import article_for_teacher

# Facts whose subject is someone (or some body) the article names, even when typed "other":
# generation needs them as entities (a quote's speaker is gapped, a side is asked of them).
_ACTOR_KINDS = frozenset({FactKind.QUOTE, FactKind.ROLE, FactKind.STANCE, FactKind.POWER})


@dataclass(frozen=True)
class FactInput:
    """A fact as the teacher wrote it in the fact form."""

    kind: str
    subject: str
    relation: str
    object: str
    sentence_id: int | None


@dataclass(frozen=True)
class Regenerated:
    """What a correction did to the questions made from the fact."""

    fact: Fact
    removed: int  # unused draft questions of the old fact, deleted
    added: int  # new drafts from the corrected fact, stored for review
    refused: int  # new drafts the quality gates refused
    kept: int  # approved, retired or answered questions of the old fact, left as they are


@dataclass(frozen=True)
class Reviewed:
    """A bulk (or single) confirm or reject."""

    changed: int  # facts whose status changed
    removed: int  # draft questions deleted with the rejected facts
    added: int  # drafts made again for restored facts


def editable_article(article_id: int, teacher_id: int) -> Article:
    """The teacher's own article: another teacher's is not found, a shared one read-only."""
    article = article_for_teacher(article_id, teacher_id)
    if article.created_by_id is None:
        raise Forbidden(
            "The facts of the shared seeded articles are read-only; import your own copy of "
            "the article to review its facts."
        )
    return article


def _facts_of(article: Article, fact_ids: Collection[int]) -> list[Fact]:
    """The named facts, all of this article, or NotFound and nothing changes: a forged id
    (another teacher's fact, another article's) is not even confirmed to exist."""
    wanted = set(fact_ids)
    if not wanted:
        return []
    found = list(
        db.session.scalars(
            select(Fact).where(Fact.id.in_(wanted), Fact.article_id == article.id).order_by(Fact.id)
        )
    )
    if len(found) != len(wanted):
        raise NotFound("There is no such fact in this article.")
    return found


def fact_for_teacher(article_id: int, fact_id: int, teacher_id: int) -> Fact:
    """One fact of the teacher's own article, to edit."""
    article = editable_article(article_id, teacher_id)
    (fact,) = _facts_of(article, [fact_id])
    return fact


def confirm_facts(
    article_id: int, fact_ids: Collection[int], teacher_id: int, seed: int = 0
) -> Reviewed:
    """Confirm the facts: learners may now study them. A rejected fact confirmed again is
    restored, and the drafts its rejection deleted are made again."""
    article = editable_article(article_id, teacher_id)
    facts = _facts_of(article, fact_ids)
    changed = [f for f in facts if f.status != FactStatus.CONFIRMED]
    restored = {_key(f) for f in changed if f.status == FactStatus.REJECTED}
    for fact in changed:
        fact.status = FactStatus.CONFIRMED
    db.session.flush()
    added, _refused = _generate(article, restored, seed) if restored else (0, 0)
    return Reviewed(len(changed), 0, added)


def reject_facts(article_id: int, fact_ids: Collection[int], teacher_id: int) -> Reviewed:
    """Reject (delete) the facts: kept for history, but no learner sees them again, and their
    unused draft questions go (a draft made from a wrong fact teaches it)."""
    article = editable_article(article_id, teacher_id)
    facts = _facts_of(article, fact_ids)
    changed = [f for f in facts if f.status != FactStatus.REJECTED]
    for fact in changed:
        fact.status = FactStatus.REJECTED
    db.session.flush()
    removed, _kept = _remove_drafts(article, {_key(f) for f in changed})
    return Reviewed(len(changed), removed, 0)


def edit_fact(
    article_id: int, fact_id: int, teacher_id: int, data: FactInput, seed: int = 0
) -> Regenerated:
    """Correct a fact and regenerate the drafts made from it.

    The teacher's correction is their word for it: the fact is confirmed and fully sure
    (confidence 1), so a quote whose speaker reading was unsure of can now be asked "who said
    this?". Its kind stays what it was: a different kind of fact is a new fact.
    """
    fact = fact_for_teacher(article_id, fact_id, teacher_id)
    article = fact.article
    data = FactInput(fact.kind, data.subject, data.relation, data.object, data.sentence_id)
    sentence = _checked(article, data)
    old_key = _key(fact)
    _apply(fact, article, data, sentence)
    fact.status = FactStatus.CONFIRMED
    fact.confidence = 1.0
    db.session.flush()
    removed, kept = _remove_drafts(article, {old_key}, edited=fact)
    added, refused = _generate(article, {_key(fact)}, seed)
    return Regenerated(fact, removed, added, refused, kept)


def add_fact(article_id: int, teacher_id: int, data: FactInput, seed: int = 0) -> Regenerated:
    """Add a fact reading missed: confirmed (the teacher wrote it), with its drafts made."""
    article = editable_article(article_id, teacher_id)
    sentence = _checked(article, data)
    fact = Fact(kind=data.kind, unit="", subject_type="", object_type="")
    _apply(fact, article, data, sentence)
    fact.status = FactStatus.CONFIRMED
    fact.confidence = 1.0
    article.facts.append(fact)
    db.session.flush()
    added, refused = _generate(article, {_key(fact)}, seed)
    return Regenerated(fact, 0, added, refused, 0)


def _checked(article: Article, data: FactInput) -> Sentence:
    """The evidence sentence, if it is this article's and the fact keeps the rules."""
    sentence = next((s for s in article.sentences if s.id == data.sentence_id), None)
    problems = fact_problems(
        data.kind,
        data.subject,
        data.relation,
        data.object,
        sentence.text if sentence is not None else None,
        [str(side.get("key", "")) for side in article.sides],
    )
    if problems:
        raise ServiceError(" ".join(problems))
    assert sentence is not None  # fact_problems refuses a sentence not of the article
    return sentence


def _apply(fact: Fact, article: Article, data: FactInput, sentence: Sentence) -> None:
    subject, obj = data.subject.strip(), data.object.strip()
    if subject != fact.subject or not fact.subject_type:
        fact.subject_type = _type_of(article, subject, fact.subject_type or "other", fact)
    if obj != fact.object or not fact.object_type:
        fact.object_type = _type_of(article, obj, "other", fact)
    fact.subject = subject
    # A kind without a relation in the form keeps the one reading gave (a quote's "reported").
    has_relation = bool(PARTS[FactKind(data.kind)].relation)
    fact.relation = data.relation.strip() if has_relation else (fact.relation or "")
    fact.object = obj
    fact.sentence = sentence


def _type_of(article: Article, name: str, default: str, skip: Fact) -> str:
    """A name's type as the article's other facts know it ("Meredith Whittaker" is a person
    wherever she is named), else what the fact said before."""
    for other in article.facts:
        if other is skip:
            continue
        if other.subject == name and other.subject_type != EntityType.OTHER:
            return other.subject_type
        if other.object == name and other.object_type != EntityType.OTHER:
            return other.object_type
    return default


def _key(fact: Fact) -> str:
    return fact_key(fact.kind, fact.subject, fact.relation, fact.object)


def _remove_drafts(article: Article, keys: set[str], edited: Fact | None = None) -> tuple[int, int]:
    """Delete the unused drafts made from facts with these keys; (deleted, left alone).

    A key another live fact of the article still has keeps its drafts (two rows may state one
    fact); the ``edited`` fact does not count, its drafts are made again. Left alone: approved
    and retired questions, and any a quiz or an answer uses.
    """
    held = {
        _key(f)
        for f in article.facts
        if f.status != FactStatus.REJECTED and f is not edited and _key(f) in keys
    }
    keys = keys - held
    if not keys:
        return 0, 0
    made = [
        q
        for q in db.session.scalars(
            select(Question).where(
                Question.article_id == article.id, Question.source_key.is_not(None)
            )
        )
        if fact_key_of(q.source_key) in keys
    ]
    removed = 0
    for question in made:
        if question.status == Status.DRAFT and not _used(question.id):
            db.session.delete(question)
            removed += 1
    db.session.flush()
    return removed, len(made) - removed


def _used(question_id: int) -> bool:
    """In a quiz, or answered by a learner: such a question stays, whatever its status."""
    in_quiz = db.session.scalar(select(exists().where(QuizQuestion.question_id == question_id)))
    return bool(in_quiz) or is_answered(question_id)


def _generate(article: Article, keys: set[str], seed: int) -> tuple[int, int]:
    """Generate the article's questions again and store the drafts from facts with these
    keys; (stored, refused by the gates)."""
    facts = [f for f in article.facts if f.status != FactStatus.REJECTED]
    # The article is parsed again for its names and their aliases ("Mr. Tugendhat" is Tom
    # Tugendhat), which were never stored: without them a regenerated draft would not find its
    # answer in its evidence, and the gates would drop what the import kept.
    parsed = parse(article.text)
    names = find_entities(parsed).entities
    report = gated_questions(article_facts(article, facts, names), parsed.askable_texts(), seed)
    mine = [d for d in report.kept if d.fact_key in keys]
    refused = sum(1 for item in report.dropped if item.draft.fact_key in keys)
    added = store_drafts(article, mine, Status.DRAFT, article.created_by_id)
    return len(added), refused


def article_facts(
    article: Article, facts: Sequence[Fact], known: Sequence[Entity] = ()
) -> ArticleFacts:
    """Stored facts back as the ``ArticleFacts`` generation reads.

    ``known`` are the entities reading finds in the article (with their aliases); the names
    the facts type (a speaker, a role holder, an app) are added to them, so a name the teacher
    typed is known too, as written.
    """
    entities: dict[str, Entity] = {e.name: e for e in known}

    def entity(name: str, kind: str) -> None:
        if name and name not in entities:
            entities[name] = Entity(name, EntityType(kind) if kind in _TYPES else EntityType.OTHER)

    for fact in facts:
        if fact.subject_type != EntityType.OTHER or FactKind(fact.kind) in _ACTOR_KINDS:
            entity(fact.subject, fact.subject_type)
        if fact.object_type != EntityType.OTHER:
            entity(fact.object, fact.object_type)
    return ArticleFacts(
        entities=tuple(entities.values()),
        facts=tuple(
            ReadFact(
                kind=FactKind(f.kind),
                subject=f.subject,
                object=f.object,
                evidence=f.sentence.text,
                relation=f.relation,
                unit=f.unit,
                confidence=f.confidence,
            )
            for f in facts
        ),
        debate=article.debate,
        sides=tuple(
            Side(str(s.get("key", "")), str(s.get("label", "")), str(s.get("summary", "")))
            for s in article.sides
        ),
        title=article.title,
        source=article.source,
    )


_TYPES = frozenset(str(t) for t in EntityType)
