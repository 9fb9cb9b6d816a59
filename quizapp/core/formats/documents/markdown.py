"""Markdown as its prose, through markdown-it-py (CommonMark, linear on any input: the
hand-written reader before it took 11.5 s on 20,000 characters of "![")."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.token import Token

from .fragments import html_to_text

# A pasted article's paragraphs are often indented four spaces: read as CommonMark's indented
# code, a whole article with its blank lines would be one block of code, so that rule is off.
# Tables and ~~strike~~ are GitHub's, which is where most Markdown a teacher has comes from.
# A line break stays a line break ("breaks"), as in a .txt file: many files put a paragraph on
# each line with no blank line between, and the article reader (reading.document) joins the
# lines of a paragraph itself wherever blank lines do mark the paragraphs.
_MARKDOWN = (
    MarkdownIt("commonmark", {"breaks": True}).enable(["strikethrough", "table"]).disable("code")
)
# An article's Markdown carries little markup beyond its text; a file much longer than the
# article limit is not an article, and refusing it first bounds the parser's work (linear, but
# about 15 µs a character on link-like input such as "![" repeated).
MARKDOWN_SOURCE_FACTOR = 2


def _render_image(self: object, tokens: list[Token], idx: int, *_: object) -> str:
    """An image inside a sentence is part of it ("the ![chart] shows"): its alt text stays."""
    return escape_html(tokens[idx].content)


def _render_fence(self: object, tokens: list[Token], idx: int, *_: object) -> str:
    """Fenced code is a program, not prose: no sentence of it could be a question's evidence."""
    return ""


_MARKDOWN.add_render_rule("image", _render_image)
_MARKDOWN.add_render_rule("fence", _render_fence)


def markdown_to_text(markdown: str) -> str:
    """Reduce Markdown to its prose, a paragraph per paragraph, heading, list item, quote or
    table cell, separated by blank lines; links keep their text, inline code its text.

    markdown-it-py parses it (CommonMark, linear on any input) and renders HTML, which the
    HTML reader then reduces: raw HTML inside the Markdown gets the same treatment as an
    uploaded page, scripts and styles dropped.
    """
    tokens = _MARKDOWN.parse(markdown)
    for token in tokens:
        if token.type == "inline" and token.children and _only_pictures(token.children):
            token.children = []  # a picture on its own is an illustration; its alt text is
            # a description of it, not a sentence of the article
    return html_to_text(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}), "\n\n")


def _only_pictures(children: list[Token]) -> bool:
    return any(child.type == "image" for child in children) and all(
        child.type in {"image", "softbreak", "hardbreak"}
        or (child.type == "text" and not child.content.strip())
        for child in children
    )
