"""Importing a teacher's article: text in, article + sentences + facts + draft questions out.

One verb, run inside the caller's ``write_transaction()``: the article row is added first and
everything else after it, so a failure anywhere rolls the whole import back and the teacher
never finds half an article.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.formats.documents import DocumentError, checked_text
from ..core.reading.pipeline import ReadArticle
from ..extensions import db
from ..models import Article, DroppedDraft, Status
from . import ServiceError
from .articles import find_article_by_text, store_article, store_drafts
from .generation import gated_questions
from .reading import read

# The columns' sizes: PostgreSQL refuses longer values, so say so before trying.
MAX_TITLE_CHARS = 200
MAX_SOURCE_CHARS = 300


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool  # False: the same text was already stored, nothing new was added
    kept: int  # drafts that passed the gates and were stored for review
    dropped: tuple[DroppedDraft, ...]  # drafts the gates refused, with their reasons


def import_article(
    title: str,
    source: str,
    text: str,
    created_by_id: int | None,
    *,
    max_chars: int,
    reading: ReadArticle | None = None,
    seed: int = 0,
) -> ImportResult:
    """Store an article with its facts and draft questions, unless the teacher already has its
    text (their own import, or a shared article).

    ``reading`` is the text already read with curated facts (a facts file); otherwise the
    text is read here. Kept drafts are stored as ``draft`` for the teacher to review; dropped
    ones are stored with the gates' reasons so the teacher can see why they are missing.
    """
    title = title.strip()
    if not title:
        raise ServiceError("Give the article a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise ServiceError(f"The title is longer than {MAX_TITLE_CHARS} characters.")
    source = source.strip()
    if len(source) > MAX_SOURCE_CHARS:
        raise ServiceError(f"The source is longer than {MAX_SOURCE_CHARS} characters.")
    try:
        text = checked_text(text, max_chars)
    except DocumentError as exc:
        raise ServiceError(str(exc)) from exc
    existing = find_article_by_text(text, created_by_id)
    if existing is not None:
        return ImportResult(existing, created=False, kept=0, dropped=())
    if reading is None:
        reading = read(text, title=title, source=source)
    if not reading.sentences:
        raise ServiceError("The article has no sentences to read.")
    report = gated_questions(reading.facts, reading.askable, seed)
    stored = store_article(title, source, text, reading, created_by_id)
    kept = store_drafts(stored.article, report.kept, Status.DRAFT, created_by_id)
    dropped = tuple(
        DroppedDraft(
            article=stored.article,
            kind=str(item.draft.kind),
            topic=str(item.draft.topic),
            stem=item.draft.stem,
            choices=list(item.draft.choices),
            evidence=item.draft.evidence,
            reasons=list(item.reasons),
        )
        for item in report.dropped
    )
    db.session.add_all(dropped)
    db.session.flush()
    return ImportResult(stored.article, created=True, kept=len(kept), dropped=dropped)
