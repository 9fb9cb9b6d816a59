"""PDFs through pypdf's text layer, with the paragraphs rebuilt from where the lines sit.

A PDF holds positioned runs of text, not paragraphs. Lines are gathered from pypdf's text
visitor with their height on the page and font size, and a paragraph ends where the gap to
the next line is clearly wider than the document's usual line spacing, the font size
changes (a heading), or a line ending a sentence stops well short of the usual line length
(paragraphs set without a gap). A word hyphenated at a line end is joined again ("extraordi-"
+ "narily"), a compound keeps its hyphen ("end-to-" + "end"). Lines at the top or bottom of
most pages that say the same thing but for their numbers (running headers, footers, page
numbers) are dropped, so "Page 3 of 9" never becomes a sentence. A paragraph cut by a page
break, its last line not ending a sentence, runs on into the next page.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError

from .base import Document, DocumentError

# A page count no article reaches; reading each page costs time, so a longer file is refused
# before any page is read.
MAX_PAGES = 300
# A complete PDF ends with "%%EOF" (some tools add a little junk after it).
_END_WINDOW = 1024
_GAP = 1.4  # a gap this many times the usual line spacing ends a paragraph
_SHORT = 0.7  # a sentence-ending line this much shorter than usual ends one too
_EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be headers/footers
_RUNNING_SHARE = 0.5  # the share of pages a header/footer is repeated on
_SMALL_PRINT = 0.85  # an edge line in a font this much smaller than the text's is a header

_SENTENCE_END = re.compile(r"[.!?…:][\"'”’)\]]*$")
_PAGE_NUMBER = re.compile(r"^[\W_]*(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?[\W_]*$", re.I)
_HYPHENATED = re.compile(r"(\S*)[-\u00ad]$")
_JUNK_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled\b)|\.(?:docx?|pdf|indd|txt)$", re.I)

_CORRUPT = (
    "That PDF is damaged, so it cannot be read; download or export it again and upload the "
    "new copy."
)


@dataclass(frozen=True)
class _Line:
    text: str
    y: float  # height of the baseline on the page, from the bottom
    size: float  # the font's size as drawn


def read_pdf(data: bytes) -> Document:
    if b"%%EOF" not in data[-_END_WINDOW:]:
        raise DocumentError(
            "That PDF is cut short (it does not end as a PDF does), so part of it is missing; "
            "download or export it again and upload the new copy."
        )
    # pypdf meets damage anywhere with whatever exception the damaged structure produces.
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _refuse_locked(reader)
        if len(reader.pages) > MAX_PAGES:
            raise DocumentError(
                f"That PDF has {len(reader.pages):,} pages; an article has at most {MAX_PAGES}. "
                "Save the pages of the article on their own and upload that."
            )
        pages = [_page_lines(page) for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "")
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise DocumentError(_CORRUPT) from exc
    except RecursionError as exc:  # objects nested or referring to themselves without end
        raise DocumentError(_CORRUPT) from exc
    text = "\n\n".join(_paragraphs(_drop_running_lines(pages)))
    if not any(char.isalpha() for char in text):
        raise DocumentError(
            "That PDF has no text to read; it looks scanned, its pages pictures of text. Run "
            "it through text recognition (OCR) first, or paste the article's text instead."
        )
    title = " ".join(title.split())
    return Document(text=text, title="" if _JUNK_TITLE.search(title) else title)


def _refuse_locked(reader: PdfReader) -> None:
    """An encrypted PDF that opens without a password (only copying or printing restricted)
    is read; one that needs a password is refused."""
    if not reader.is_encrypted:
        return
    try:
        opened = bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError, ValueError):
        opened = False  # an encryption pypdf cannot undo without an optional library
    if not opened:
        raise DocumentError(
            "That PDF is protected by a password, so its text cannot be read; open it, save "
            "or print it as a PDF without the password, and upload that copy."
        )


def _page_lines(page: PageObject) -> list[_Line]:
    """The page's lines in drawing order: runs of text at one height, in one font size."""
    lines: list[_Line] = []
    pieces: list[str] = []
    at: list[float] = [0.0, 0.0]  # the current line's height and font size

    def end_line() -> None:
        text = " ".join("".join(pieces).split())
        if text:
            lines.append(_Line(text, at[0], at[1]))
        pieces.clear()

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text:
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        drawn = abs(size * (tm[3] or 1) * (cm[3] or 1))
        if pieces and abs(y - at[0]) > 0.3 * max(drawn, at[1], 1):
            end_line()
        if not pieces:
            at[0], at[1] = y, drawn
        first, *rest = text.split("\n")
        pieces.append(first)
        for part in rest:  # a break within one run keeps the run's height
            end_line()
            at[0], at[1] = y, drawn
            pieces.append(part)

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


def _key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def _edges(lines: list[_Line]) -> set[int]:
    """The positions of the page's highest and lowest lines."""
    by_height = sorted(range(len(lines)), key=lambda i: lines[i].y)
    return set(by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:])


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without their running headers, footers and page numbers: lines at a page's edge
    repeated on most pages, numbers alone, and the very top or bottom line set in small print
    (which is how a one-page PDF's header shows itself, having no other page to repeat on)."""
    edges = [_edges(lines) for lines in pages]
    seen: Counter[str] = Counter()
    for lines, at in zip(pages, edges, strict=True):
        seen.update({_key(lines[i].text) for i in at})
    running = {
        key
        for key, count in seen.items()
        if len(pages) > 1 and count >= max(2, _RUNNING_SHARE * len(pages))
    }
    sizes = [line.size for lines in pages for line in lines]
    small = _SMALL_PRINT * statistics.median(sizes) if sizes else 0.0

    def running_line(line: _Line, outermost: tuple[float, float]) -> bool:
        return (
            _key(line.text) in running
            or bool(_PAGE_NUMBER.match(line.text))
            or (line.y in outermost and line.size < small)
        )

    kept = []
    for lines, at in zip(pages, edges, strict=True):
        outermost = (max(x.y for x in lines), min(x.y for x in lines)) if lines else (0.0, 0.0)
        kept.append(
            [x for i, x in enumerate(lines) if i not in at or not running_line(x, outermost)]
        )
    return kept


def _paragraphs(pages: list[list[_Line]]) -> list[str]:
    lines = [line for page in pages for line in page]
    gaps = [
        a.y - b.y
        for page in pages
        for a, b in itertools.pairwise(page)
        if 0 < a.y - b.y < 3 * max(a.size, 1) and abs(a.size - b.size) < 0.5
    ]
    spacing = statistics.median(gaps) if gaps else 0.0
    lengths = [len(line.text) for line in lines if len(line.text.split()) >= 3]
    usual = statistics.median(lengths) if lengths else 0
    paragraphs: list[list[str]] = []
    for page in pages:
        previous: _Line | None = None
        for line in page:
            if previous is None:  # a new page: a paragraph cut mid-sentence runs on
                new = not paragraphs or bool(_SENTENCE_END.search(paragraphs[-1][-1]))
            else:
                gap = previous.y - line.y
                ends = bool(_SENTENCE_END.search(previous.text))
                new = (
                    gap > _GAP * spacing
                    or abs(previous.size - line.size) >= 0.5
                    or (ends and len(previous.text) < _SHORT * usual)
                    or (gap < 0 and ends)
                )
            if new or not paragraphs:
                paragraphs.append([line.text])
            else:
                paragraphs[-1].append(line.text)
            previous = line
    return [_joined(paragraph) for paragraph in paragraphs]


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one line, words hyphenated at a line end joined again."""
    out = lines[0]
    for line in lines[1:]:
        broken = _HYPHENATED.search(out)
        if broken and line[:1].islower() and broken.group(1)[-1:].isalpha():
            compound = "-" in broken.group(1) and out.endswith("-")
            out = out[:-1] + ("-" if compound else "") + line
        else:
            out = f"{out} {line}"
    return out
