"""HTML fragments as their visible text: GIFT's question text and the HTML markdown-it renders.

A fragment has no page around it (no menus, no footer), so all of its visible text is the
text; whole saved pages go through ``web``, which finds the article inside the page. libxml2
(through lxml) parses it: one pass in C, linear on any input, which the hand-written reader
before it was not (20,000 characters of "<a " took 8.4 s).
"""

from __future__ import annotations

from lxml import etree

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
