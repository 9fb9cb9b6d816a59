"""An article's text as a teacher pasted it, cut into its headline and paragraphs.

Paragraphs are blank-line blocks; a text without blank lines (many pastes, and the seed) has
one paragraph per line. The headline is the first paragraph when it is a single short line
that does not end like a sentence: it names the story but is not one of its sentences, so it
is never evidence and never runs into the first sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADLINE_MAX_WORDS = 25

# Lines a web page leaves behind that are not part of the story: image credits, stray markup.
_BOILERPLATE = re.compile(
    r"^\s*(?:image (?:source|by|credit)|photo(?:graph)?:|getty images|<[a-z/!])", re.I
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class ArticleText:
    headline: str
    paragraphs: tuple[str, ...]


def split_article(text: str) -> ArticleText:
    """Headline and paragraphs, each with its inner whitespace collapsed to single spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    if len(blocks) <= 1:
        blocks = text.split("\n")
    paragraphs = [_clean(b) for b in blocks]
    paragraphs = [p for p in paragraphs if p and _LETTER.search(p) and not _BOILERPLATE.search(p)]
    headline = ""
    if len(paragraphs) > 1 and _is_headline(paragraphs[0]):
        headline = paragraphs.pop(0)
    return ArticleText(headline=headline, paragraphs=tuple(paragraphs))


def _clean(block: str) -> str:
    return " ".join(block.split())


def _is_headline(paragraph: str) -> bool:
    return len(paragraph.split()) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(paragraph)


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace, so pasted and uploaded copies of one text compare equal."""
    return re.sub(r"[ \t]+", " ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
