"""Loading the curated seed articles: article, facts, approved questions and a published quiz."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..core.assessment.selection import Candidate, balanced_selection
from ..core.facts import FactsFileError
from ..core.reading.pipeline import ReadArticle
from ..extensions import db
from ..models import Question, Status
from . import ServiceError
from .articles import fact_key_of, store_article, store_drafts
from .generation import gated_questions
from .quizzes import create_quiz, find_quiz_by_title
from .reading import read_with_facts_file

FACTS_SUFFIX = ".facts.json"
SEED_QUIZ_LENGTH = 12


@dataclass(frozen=True)
class SeedReport:
    article_title: str
    article_created: bool
    questions_added: int
    quiz: str  # "quiz created", "quiz already there", or why there is none


def facts_file_for(article_path: Path) -> Path:
    """Where an article's curated facts live: ``name.facts.json`` beside ``name.txt``."""
    return article_path.with_name(article_path.stem + FACTS_SUFFIX)


def read_article_with_facts(
    article_path: Path, facts_path: Path | None = None
) -> tuple[str, ReadArticle]:
    """The article and its curated facts; a file that cannot be read is a ServiceError that
    names it, so a seed run stops with that file's name instead of a traceback."""
    facts_path = facts_path or facts_file_for(article_path)
    try:
        text = article_path.read_text(encoding="utf-8")
        facts_text = facts_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ServiceError(
            f"{article_path.name} or its facts file cannot be read as UTF-8 text: {exc}"
        ) from exc
    try:
        return text, read_with_facts_file(text, facts_text)
    except FactsFileError as exc:
        raise ServiceError(f"{facts_path.name}: {exc}") from exc


def seed_directory(directory: Path, seed: int = 0) -> list[SeedReport]:
    """Load every article in ``directory`` that has a facts file beside it; safe to rerun."""
    reports = []
    for article_path in sorted(directory.glob("*.txt")):
        if not facts_file_for(article_path).exists():
            continue
        text, reading = read_article_with_facts(article_path)
        facts = reading.facts
        title = facts.title or article_path.stem.replace("_", " ").capitalize()
        stored = store_article(title, facts.source, text, reading)
        report = gated_questions(facts, reading.askable, seed)
        added = store_drafts(stored.article, report.kept, Status.APPROVED)
        quiz = "quiz already there"
        if find_quiz_by_title(title) is None:
            questions = db.session.execute(
                select(Question.id, Question.topic, Question.evidence_id, Question.source_key)
                .where(
                    Question.article_id == stored.article.id,
                    Question.status == Status.APPROVED,
                )
                .order_by(Question.id)
            )
            chosen = balanced_selection(
                [
                    Candidate(qid, topic, evidence_id, fact_key_of(source_key))
                    for qid, topic, evidence_id, source_key in questions
                ],
                SEED_QUIZ_LENGTH,
            )
            quiz = "no quiz: no question passed the quality checks"
            if chosen:  # never a published quiz with nothing to answer
                create_quiz(title, chosen, description=facts.debate, published=True, is_public=True)
                quiz = "quiz created"
        reports.append(SeedReport(title, stored.created, len(added), quiz))
    return reports
