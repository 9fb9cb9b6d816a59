"""Turn what a teacher uploads or pastes into plain article text, or refuse it clearly.

Everything downstream (sentence splitting, extraction, evidence shown to learners) works on
plain text, so markup is reduced here, once: Markdown loses its syntax, HTML keeps only what a
reader would see. Nothing from the markup survives as markup, which is also why no script in
an uploaded page can reach a rendered page. Refusals raise ``DocumentError`` whose message is
safe to show the teacher as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePath

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
        text = html_to_text(raw)
    elif extension == ".md":
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

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE_MARK = re.compile(r"^\s{0,3}(>\s?)+")
_LIST_MARK = re.compile(r"^\s*([-*+]|\d{1,9}[.)])\s+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_CODE = re.compile(r"`+([^`]*)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")


def markdown_to_text(markdown: str) -> str:
    """Reduce Markdown to its prose: no heading marks, emphasis, links' URLs or code blocks."""
    lines: list[str] = []
    in_code = False
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code or _LINK_DEFINITION.match(line) or _RULE.match(line):
            continue
        if _SETEXT_UNDERLINE.match(line) and lines and lines[-1].strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _LIST_MARK.sub("", _QUOTE_MARK.sub("", line))
        line = _IMAGE.sub(r"\1", line)
        line = _LINK.sub(r"\1", line)
        line = _REFERENCE_LINK.sub(r"\1", line)
        line = _AUTOLINK.sub(r"\1", line)
        line = _CODE.sub(r"\1", line)
        line = _STRONG.sub(r"\2", line)
        line = _STRIKE.sub(r"\1", line)
        line = _EMPHASIS.sub(r"\2", line)
        lines.append(line.rstrip())
    return "\n".join(lines).strip()


# --- HTML --------------------------------------------------------------------------------------

# Elements whose content is never shown as text on the page.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe"})
# Elements that start a new line of text: paragraphs stay paragraphs.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "body",
    }
)  # fmt: skip
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr"})


class _VisibleText(HTMLParser):
    """Collects the text a browser would show, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN and tag not in _VOID:
            self.hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, paragraphs on their own lines, entities unescaped."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
