"""Reading an article, top to bottom: text in, ``ArticleFacts`` out.

Each step is its own module and works over the one parsed article (``structure``), in the
spirit of BBC R&D's Citron: the document is cut and parsed, names are found, quotes are found
and then attributed (a speaker and how sure we are), and the other kinds of fact are read off
the parse. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc

from quizapp.core.facts import ArticleFacts, Entity
from quizapp.core.reading.attribution import attribute_quotes
from quizapp.core.reading.debate import find_debate
from quizapp.core.reading.document import split_article
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.numbers import find_numbers
from quizapp.core.reading.quotes import find_quotes
from quizapp.core.reading.roles import find_roles
from quizapp.core.reading.sets import find_definitions, find_sets
from quizapp.core.reading.structure import ParsedArticle, parse_paragraphs

# Told how far a long piece of work has got: the step's name, how much of it is done, of how
# much. A plain callable, so reading stays free of Flask and of whoever is listening.
Progress = Callable[[str, int, int], None]
PARSING, FINDING_FACTS = "parsing", "finding facts"


def no_progress(step: str, done: int, total: int) -> None:
    """The listener when nobody is listening."""


@dataclass(frozen=True)
class ReadArticle:
    """What reading gives the rest of the app: the structure (headline, sentences with their
    paragraphs) for storing and showing the article, and the facts for making questions."""

    parsed: ParsedArticle
    facts: ArticleFacts
    curated: bool = False  # facts from a curated facts file, not found by reading

    @property
    def sentences(self) -> list[str]:
        return self.parsed.sentence_texts()

    @property
    def askable(self) -> list[str]:
        """The sentences questions are made from (see ``ParsedArticle.askable_texts``)."""
        return self.parsed.askable_texts()


def read_article(
    text: str,
    *,
    nlp: Language | None = None,
    title: str = "",
    source: str = "",
    progress: Progress = no_progress,
) -> ReadArticle:
    """Read the article, telling ``progress`` of each paragraph parsed (spaCy's share of the
    time) and of each kind of fact looked for."""
    article = split_article(text)
    total = len(article.paragraphs)
    progress(PARSING, 0, total)
    counted = _CountedPipe(nlp or load_nlp(), lambda done: progress(PARSING, done, total))
    parsed = parse_paragraphs(article, cast(Language, counted))
    finders = 7
    progress(FINDING_FACTS, 0, finders)
    entities = find_entities(parsed)
    progress(FINDING_FACTS, 1, finders)
    quotes = find_quotes(parsed)
    progress(FINDING_FACTS, 2, finders)
    quote_facts, speakers = attribute_quotes(parsed, entities, quotes)
    progress(FINDING_FACTS, 3, finders)
    facts = [*quote_facts, *find_roles(parsed, entities)]
    progress(FINDING_FACTS, 4, finders)
    facts += [*find_sets(parsed, entities), *find_definitions(parsed, entities)]
    progress(FINDING_FACTS, 5, finders)
    facts += find_numbers(parsed, entities)
    progress(FINDING_FACTS, 6, finders)
    debate = find_debate(parsed, entities, facts)
    progress(FINDING_FACTS, finders, finders)
    known = {e.name for e in entities.entities}
    extra: list[Entity] = [s for s in speakers if s.name not in known]
    return ReadArticle(
        parsed=parsed,
        facts=ArticleFacts(
            entities=(*entities.entities, *extra),
            facts=(*facts, *debate.stances),
            debate=debate.question,
            sides=debate.sides,
            title=title or parsed.headline,
            source=source,
        ),
    )


class _CountedPipe:
    """The pipeline as ``parse_paragraphs`` uses it (``pipe``), counting the paragraphs as
    spaCy hands them back, so parsing can say how far it has got without knowing of it."""

    def __init__(self, nlp: Language, parsed: Callable[[int], None]) -> None:
        self._nlp, self._parsed = nlp, parsed

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Doc]:
        for done, doc in enumerate(self._nlp.pipe(texts, **kwargs), start=1):
            self._parsed(done)
            yield doc
