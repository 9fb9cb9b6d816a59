"""Reading an article, top to bottom: text in, ``ArticleFacts`` out.

Each step is its own module and works over the one parsed article (``structure``), in the
spirit of BBC R&D's Citron: the document is cut and parsed, names are found, quotes are found
and then attributed (a speaker and how sure we are), and the other kinds of fact are read off
the parse. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from quizapp.core.facts import ArticleFacts, Entity
from quizapp.core.reading.attribution import attribute_quotes
from quizapp.core.reading.debate import find_debate
from quizapp.core.reading.entities import find_entities
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.numbers import find_numbers
from quizapp.core.reading.quotes import find_quotes
from quizapp.core.reading.roles import find_roles
from quizapp.core.reading.sets import find_definitions, find_sets
from quizapp.core.reading.structure import ParsedArticle, parse_article


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
    text: str, *, nlp: Language | None = None, title: str = "", source: str = ""
) -> ReadArticle:
    parsed = parse_article(text, nlp or load_nlp())
    entities = find_entities(parsed)
    quotes = find_quotes(parsed)
    quote_facts, speakers = attribute_quotes(parsed, entities, quotes)
    facts = [
        *quote_facts,
        *find_roles(parsed, entities),
        *find_sets(parsed, entities),
        *find_definitions(parsed, entities),
        *find_numbers(parsed, entities),
    ]
    debate = find_debate(parsed, entities, facts)
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
