"""Turn what a teacher uploads or pastes into plain article text, or refuse it clearly.

Everything downstream (sentence splitting, extraction, evidence shown to learners) works on
plain text, so markup is reduced here, once: Markdown loses its syntax, HTML keeps only what a
reader would see. Nothing from the markup survives as markup, which is also why no script in
an uploaded page can reach a rendered page. Refusals raise ``DocumentError`` whose message is
safe to show the teacher as it is.

Markup is read by real parsers, markdown-it-py and libxml2 (through lxml), because they are
linear on any input: the hand-written readers before them rescanned what they had read on
adversarial text (20,000 characters of "![" took 11.5 s), and a teacher's upload is one.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.token import Token

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html")
_HTML_EXTENSIONS = frozenset({".html", ".htm"})
# Text with more than this share of control characters is a binary file that happens to decode.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DocumentError(ValueError):
    """An upload or paste that cannot become an article; the message is safe to show."""


def document_text(filename: str, data: bytes, max_chars: int) -> str:
    """Read an uploaded file's bytes as article text, by its extension."""
    extension = PurePath(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS and extension not in _HTML_EXTENSIONS:
        raise DocumentError(
            f"Files of type “{extension or 'no extension'}” cannot be read; "
            f"upload a {', '.join(SUPPORTED_EXTENSIONS)} file."
        )
    return bytes_to_text(data, extension, max_chars)


def bytes_to_text(data: bytes, extension: str, max_chars: int, what: str = "article") -> str:
    """Decode UTF-8 bytes and reduce their markup: ``.md`` and ``.html``; anything else is text.

    The command line reads any UTF-8 article this way, whatever its file is called.
    """
    extension = extension.lower()
    if b"\x00" in data:
        raise DocumentError("That file is binary data, not text; upload a text file.")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"That file is not UTF-8 text (unreadable byte at position {exc.start}); "
            "save it as UTF-8 and upload it again."
        ) from exc
    _refuse_control_characters(raw)
    if extension in _HTML_EXTENSIONS:
        text = html_to_text(raw, "\n\n")
    elif extension == ".md":
        if len(raw) > MARKDOWN_SOURCE_FACTOR * max_chars:
            raise DocumentError(
                f"The Markdown file is {len(raw):,} characters long; the limit is "
                f"{MARKDOWN_SOURCE_FACTOR * max_chars:,}. Split it into shorter {what}s."
            )
        text = markdown_to_text(raw)
    else:
        text = raw
    return checked_text(text, max_chars, what)


def checked_text(text: str, max_chars: int, what: str = "article") -> str:
    """Normalise line ends and refuse empty, binary-looking or oversize text.

    ``what`` names the text in the messages: an article, or a question file being imported.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise DocumentError(f"The {what} is empty: it has no text to read.")
    _refuse_control_characters(text)
    if len(text) > max_chars:
        raise DocumentError(
            f"The {what} is {len(text):,} characters long; the limit is {max_chars:,}. "
            f"Split it into shorter {what}s."
        )
    return text


def _refuse_control_characters(text: str) -> None:
    if "\x00" in text or (text and len(_CONTROL.findall(text)) / len(text) > _MAX_CONTROL_SHARE):
        raise DocumentError("That is binary data, not text; upload or paste plain text.")


# --- Markdown ----------------------------------------------------------------------------------

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


# --- HTML --------------------------------------------------------------------------------------

# Elements whose content is never shown as text on the page.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe"})
# Elements that start a new paragraph of text: paragraphs stay paragraphs.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "body",
    }
)  # fmt: skip


def _html_parser() -> etree.HTMLParser:
    """libxml2's HTML parser: one pass in C, linear on any input, unlike the standard library's
    HTMLParser, which rescans an unclosed tag's tail on every call (``"<a " * 10_000`` took
    8 s) and raises AssertionError on ``"<!["``. Comments and processing instructions are
    removed while parsing so the text around them joins up as a browser shows it."""
    return etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True
    )


class _Paragraphs:
    """Collects text as paragraphs of lines, whitespace collapsed as a browser does."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = []
        self._lines: list[str] = []
        self._pieces: list[str] = []

    def add(self, text: str) -> None:
        self._pieces.append(text)

    def end_line(self) -> None:
        line = " ".join("".join(self._pieces).split())
        self._pieces = []
        if line:
            self._lines.append(line)

    def end_paragraph(self) -> None:
        self.end_line()
        if self._lines:
            self.paragraphs.append(self._lines)
            self._lines = []


def html_to_text(html: str, paragraph_break: str = "\n") -> str:
    """The visible text of an HTML page, entities unescaped, each block element a paragraph.

    Lines broken by ``<br>`` stay within their paragraph, one per line; paragraphs are joined by
    ``paragraph_break``. An article is read with a blank line between paragraphs (how the
    reader tells a paragraph from a line); GIFT's short HTML fragments keep the default single
    line break, so a question's two paragraphs read as two lines.
    """
    root = etree.HTML(html.encode("utf-8", "replace"), _html_parser())
    if root is None:
        return ""
    out = _Paragraphs()
    hidden = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN:
                hidden += 1
            elif not hidden:
                if tag in _BLOCKS:
                    out.end_paragraph()
                elif tag == "br":
                    out.end_line()
                if element.text:
                    out.add(element.text)
            continue
        if tag in _HIDDEN:
            hidden -= 1
        elif not hidden and tag in _BLOCKS:
            out.end_paragraph()
        if not hidden and element.tail:
            out.add(element.tail)
    out.end_paragraph()
    return paragraph_break.join("\n".join(lines) for lines in out.paragraphs)
