"""Importing a teacher's article: text in, article + sentences + facts + draft questions out.

Two halves, so that the slow one never holds the database's write lock: ``prepare_import``
checks the fields and reads the text (spaCy, the fact finders, the question gates) without
writing anything; ``store_import`` then stores it all inside the caller's
``write_transaction()``, the article row first and everything else after it, so a failure
anywhere rolls the whole import back and the teacher never finds half an article.
``import_article`` is both at once, for callers whose texts are short.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.formats.documents import DocumentError, checked_text
from ..core.questions import GateReport
from ..core.reading.pipeline import Progress, ReadArticle, no_progress
from ..extensions import db
from ..models import Article, DroppedDraft, Status
from . import ServiceError
from .articles import find_article_by_text, store_article, store_drafts
from .generation import gated_questions
from .reading import read

# The columns' sizes: PostgreSQL refuses longer values, so say so before trying.
MAX_TITLE_CHARS = 200
MAX_SOURCE_CHARS = 300
# Progress steps of an import besides those reading and generation report themselves.
READING, STORING = "reading", "storing"


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool  # False: the same text was already stored, nothing new was added
    kept: int  # drafts that passed the gates and were stored for review
    dropped: tuple[DroppedDraft, ...]  # drafts the gates refused, with their reasons


@dataclass(frozen=True)
class ImportFields:
    """An import's title, source and text, checked: what a job is given to work on."""

    title: str
    source: str
    text: str


@dataclass(frozen=True)
class PreparedImport:
    """An article read and its drafts gated, nothing stored yet."""

    fields: ImportFields
    created_by_id: int | None
    reading: ReadArticle | None  # None: the teacher already has this text
    report: GateReport | None


def checked_fields(title: str, source: str, text: str, max_chars: int) -> ImportFields:
    """The fields as they will be stored, or a ``ServiceError`` saying what to fix: cheap
    checks, so a form can refuse at once what a job would only refuse later."""
    title = title.strip()
    if not title:
        raise ServiceError("Give the article a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise ServiceError(f"The title is longer than {MAX_TITLE_CHARS} characters.")
    source = source.strip()
    if len(source) > MAX_SOURCE_CHARS:
        raise ServiceError(f"The source is longer than {MAX_SOURCE_CHARS} characters.")
    try:
        return ImportFields(title, source, checked_text(text, max_chars))
    except DocumentError as exc:
        raise ServiceError(str(exc)) from exc


def prepare_import(
    fields: ImportFields,
    created_by_id: int | None,
    *,
    reading: ReadArticle | None = None,
    seed: int = 0,
    progress: Progress = no_progress,
) -> PreparedImport:
    """Read the text and gate its drafts, unless the teacher already has it (their own
    import, or a shared article); writes nothing, so it may take as long as it needs.

    ``reading`` is the text already read with curated facts (a facts file).
    """
    progress(READING, 0, 1)
    if find_article_by_text(fields.text, created_by_id) is not None:
        return PreparedImport(fields, created_by_id, None, None)
    progress(READING, 1, 1)
    if reading is None:
        reading = read(fields.text, title=fields.title, source=fields.source, progress=progress)
    if not reading.sentences:
        raise ServiceError("The article has no sentences to read.")
    report = gated_questions(reading.facts, reading.askable, seed, progress)
    return PreparedImport(fields, created_by_id, reading, report)


def store_import(prepared: PreparedImport) -> ImportResult:
    """Store a prepared import inside the caller's ``write_transaction()``: the article, its
    kept drafts as ``draft`` for the teacher to review, and the dropped ones with the gates'
    reasons so the teacher can see why they are missing.

    The text is looked up again under the write lock: an identical import that finished in
    the meantime is found rather than stored twice.
    """
    fields, owner = prepared.fields, prepared.created_by_id
    existing = find_article_by_text(fields.text, owner)
    if existing is not None or prepared.reading is None or prepared.report is None:
        if existing is None:  # deleted since it was found: read it again
            return store_import(prepare_import(fields, owner))
        return ImportResult(existing, created=False, kept=0, dropped=())
    report = prepared.report
    stored = store_article(fields.title, fields.source, fields.text, prepared.reading, owner)
    kept = store_drafts(stored.article, report.kept, Status.DRAFT, owner)
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
    """Check, read and store an article in one go, inside the caller's
    ``write_transaction()`` (reading included: for short texts, seeds and tests)."""
    fields = checked_fields(title, source, text, max_chars)
    return store_import(prepare_import(fields, created_by_id, reading=reading, seed=seed))
