"""Saved web pages through trafilatura, which finds the article inside the page.

A news page is mostly not its article: menus, cookie banners, share buttons, related links,
comments, the footer. trafilatura scores the page's blocks as the best article extractors do
and keeps the body, with the headline, byline, date and site name it finds. On the 40 saved
news pages of the shared evaluation set it scores F1 0.967 (bench/bench_html.py), where all
the visible text scored 0.627. The settings are the library's defaults bar comments (a
reader's comment is not the article): favouring precision scored 0.948 there and favouring
recall 0.964, and leaving the fallback extractors out saved 0.4 s over the 40 pages for the
same score but loses them on pages the main pass misreads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import trafilatura
from lxml import etree

from ...reading.document import HEADLINE_MAX_WORDS
from .base import Document, DocumentError, join_paragraphs

# trafilatura's own tree: paragraphs, headings and list items hold a paragraph's text; lists,
# quotes, tables and divisions hold such blocks; a table's row is read as one line of data.
_PARAGRAPHS = frozenset({"p", "head", "item", "cell"})
_SKIPPED = frozenset({"code", "graphic"})  # a program or a picture is no sentence
_INLINE = frozenset({"hi", "ref", "lb", "del"})  # formatting, links, line breaks
# When a page has no article, trafilatura's fallbacks still return whatever text it has (menu
# entries, "Accept all"): an article has at least one paragraph ending like a sentence, of
# this many words or more.
_PROSE_WORDS = 4
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")

_NO_ARTICLE = (
    "No article was found in that web page: it has no body of text, only menus, links or "
    "scripts. Open the article in a browser, save it with “Save page as… → Web page, HTML "
    "only” (or copy its text and paste it) and try again."
)


def read_web_page(data: bytes) -> Document:
    """The article of a saved page, its headline first.

    A title the body lacks leads the text only when it reads as a headline (short, not ending
    like a sentence): "Is football violence a crime?" would be read as the first sentence.
    """
    found = trafilatura.bare_extraction(data, include_comments=False, with_metadata=True)
    paragraphs = list(_blocks(found.body)) if found is not None and found.body is not None else []
    if not any(len(p.split()) >= _PROSE_WORDS and _SENTENCE_END.search(p) for p in paragraphs):
        raise DocumentError(_NO_ARTICLE)
    title = " ".join((found.title or "").split())
    if title and not any(title == p for p in paragraphs[:3]) and _reads_as_headline(title):
        paragraphs.insert(0, title)  # the extractor kept the body but not the heading over it
    return Document(
        text=join_paragraphs(paragraphs),
        title=title,
        author=" ".join((found.author or "").split()),
        published=found.date or "",
        site=" ".join((found.sitename or "").split()),
    )


def _blocks(element: etree._Element, container: bool = True) -> Iterator[str]:
    """The paragraphs of trafilatura's tree in order, a table row as its cells joined by "; "
    (the Word reader's choice too), a list nested in an item after the item's own text.

    Text loose in a container (the body, a quote, a list), before its first block or after
    one, is a paragraph of its own: trafilatura leaves a paragraph there when the page set it
    as bare text after a heading.
    """
    if container and element.text and element.text.strip():
        yield element.text
    for child in element:
        if child.tag in _INLINE:
            if container:
                yield _inline_text(child) + (child.tail or "")
            continue
        if child.tag == "row":
            yield "; ".join(_inline_text(cell) for cell in child)
        elif child.tag in _PARAGRAPHS:
            yield _inline_text(child)
            yield from _blocks(child, container=False)
        elif child.tag not in _SKIPPED:
            yield from _blocks(child)
        if container and child.tail and child.tail.strip():
            yield child.tail


def _inline_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag in _INLINE:
            parts.append(" ".join(child.itertext()) if child.tag != "lb" else " ")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _reads_as_headline(title: str) -> bool:
    return len(title.split()) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(title)
