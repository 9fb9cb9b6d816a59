"""Reading an article with this process's one spaCy pipeline (the ``SPACY_MODEL`` setting).

Every caller that needs an article's sentences or facts (imports, seeding, the CLI) comes
here, so the pipeline is named in one place and loaded once per process.
"""

from __future__ import annotations

from flask import current_app
from spacy.language import Language

from ..core.facts import loads_facts
from ..core.reading.nlp import DEFAULT_MODEL, load_nlp
from ..core.reading.pipeline import Progress, ReadArticle, no_progress, read_article
from ..core.reading.structure import ParsedArticle, parse_article


def pipeline() -> Language:
    return load_nlp(current_app.config.get("SPACY_MODEL") or DEFAULT_MODEL)


def read(
    text: str, *, title: str = "", source: str = "", progress: Progress = no_progress
) -> ReadArticle:
    """The article's structure and the facts reading finds in it; ``progress`` hears how far
    parsing and the fact finders have got (a job's progress bar)."""
    return read_article(text, nlp=pipeline(), title=title, source=source, progress=progress)


def read_with_facts_file(text: str, facts_text: str) -> ReadArticle:
    """The article's structure with curated facts instead of extracted ones.

    Raises ``FactsFileError`` when the file's evidence is not one of the parsed sentences.
    """
    parsed = parse(text)
    facts = loads_facts(facts_text, parsed.sentence_texts())
    return ReadArticle(parsed=parsed, facts=facts, curated=True)


def parse(text: str) -> ParsedArticle:
    return parse_article(text, pipeline())
