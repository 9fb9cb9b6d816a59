"""Storing articles with their sentences, facts and question drafts, all in one go."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import or_, select

from ..core.questions import QuestionDraft
from ..core.reading.document import normalise_space
from ..core.reading.pipeline import ReadArticle
from ..extensions import db
from ..models import Article, Choice, Fact, FactStatus, Origin, Question, Sentence, Status
from . import ServiceError


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    created: bool  # False when the same text was already stored


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_space(text).encode("utf-8")).hexdigest()


def find_article_by_text(text: str, owner_id: int | None) -> Article | None:
    """The owner's own copy of this text, else the shared (seeded) one: what a teacher
    importing it again is led to. Another teacher's copy is theirs and is never found, nor is
    one the owner deleted (importing it again makes a fresh copy)."""
    return db.session.scalar(
        select(Article)
        .where(
            Article.text_hash == text_hash(text),
            Article.deleted_at.is_(None),
            or_(Article.created_by_id.is_(None), Article.created_by_id == owner_id),
        )
        .order_by(Article.created_by_id.is_(None))  # own (False) before shared (True)
        .limit(1)
    )


def store_article(
    title: str,
    source: str,
    text: str,
    reading: ReadArticle,
    created_by_id: int | None = None,
) -> StoredArticle:
    """Store the article, its sentences and facts, unless the owner (or the shared articles)
    already has the same text."""
    existing = find_article_by_text(text, created_by_id)
    if existing is not None:
        return StoredArticle(existing, created=False)
    if not reading.sentences:
        raise ServiceError("The article has no sentences to read.")
    facts = reading.facts
    article = Article(
        title=title.strip(),
        source=source.strip(),
        headline=reading.parsed.headline,
        text=text,
        text_hash=text_hash(text),
        debate=facts.debate,
        sides=[{"key": s.key, "label": s.label, "summary": s.summary} for s in facts.sides],
        created_by_id=created_by_id,
    )
    article.sentences = [
        Sentence(position=s.index, paragraph=s.paragraph, text=s.text)
        for s in reading.parsed.sentences
    ]
    by_text = _sentences_by_text(article)
    for fact in facts.facts:
        article.facts.append(
            Fact(
                kind=str(fact.kind),
                subject=fact.subject,
                subject_type=str(facts.entity_type(fact.subject)),
                relation=fact.relation,
                object=fact.object,
                object_type=str(facts.entity_type(fact.object)),
                unit=fact.unit,
                confidence=fact.confidence,
                status=FactStatus.CONFIRMED if reading.curated else FactStatus.DRAFT,
                sentence=by_text[fact.evidence],
            )
        )
    db.session.add(article)
    db.session.flush()
    return StoredArticle(article, created=True)


def paragraphs(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """The article's sentences (in position order) as its paragraphs, in reading order: what
    the article views show, one block per paragraph. A sentence stored before paragraphs were
    kept (paragraph 0 throughout) makes one paragraph of the whole article."""
    return [list(group) for _, group in groupby(sentences, key=lambda s: s.paragraph)]


def fact_key_of(source_key: str | None) -> str | None:
    """The fact a generated question tests: its source key is ``generator|fact key``."""
    return source_key.partition("|")[2] if source_key else None


def store_drafts(
    article: Article,
    drafts: Sequence[QuestionDraft],
    status: Status = Status.DRAFT,
    created_by_id: int | None = None,
) -> list[Question]:
    """Store generated drafts the article does not have yet; return the ones added."""
    have = set(
        db.session.scalars(select(Question.source_key).where(Question.article_id == article.id))
    )
    by_text = _sentences_by_text(article)
    added = []
    for draft in drafts:
        # One question per fact and generator: a cloze and a "which term" question on the
        # same fact share kind and topic but ask different things.
        key = f"{draft.generator}|{draft.fact_key}"[:500]  # read back by fact_key_of
        if key in have:
            continue
        have.add(key)
        question = Question(
            article_id=article.id,
            evidence=by_text.get(draft.evidence),
            source_key=key,
            kind=str(draft.kind),
            stem=draft.stem,
            explanation=draft.explanation,
            topic=str(draft.topic),
            origin=Origin.GENERATED,
            status=status,
            created_by_id=created_by_id,
            choices=[
                Choice(position=i, text=text, is_correct=i in draft.answers)
                for i, text in enumerate(draft.choices)
            ],
        )
        db.session.add(question)
        added.append(question)
    db.session.flush()
    return added


def _sentences_by_text(article: Article) -> dict[str, Sentence]:
    by_text: dict[str, Sentence] = {}
    for sentence in article.sentences:
        by_text.setdefault(sentence.text, sentence)
    return by_text
