"""Turn what a teacher uploads or pastes into plain article text, or refuse it clearly.

Everything downstream (sentence splitting, extraction, evidence shown to learners) works on
plain text with a blank line between paragraphs, so each format is reduced here, once, by a
real parser: PDFs by pypdf (``pdf``), Word files by python-docx (``word``), saved web pages by
trafilatura (``web``), Markdown by markdown-it-py (``markdown``), and text as it is. Nothing
from the markup survives as markup, which is also why no script in an uploaded page can reach
a rendered page. A file is first recognised by its bytes (``sniff``), so one whose content is
not what its name says is refused with both named before a parser meets it. Refusals raise
``DocumentError`` whose message is safe to show the teacher as it is.
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePath

from ...reading.document import split_article
from .base import Document, DocumentError, checked_text, decode_text
from .fragments import html_to_text
from .markdown import MARKDOWN_SOURCE_FACTOR, markdown_to_text
from .pdf import read_pdf
from .sniff import Kind, looks_like_markup, sniff
from .web import read_web_page
from .word import read_word

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Document",
    "DocumentError",
    "bytes_to_text",
    "checked_text",
    "document_text",
    "html_to_text",
    "markdown_to_text",
    "read_document",
]

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
# Bytes read at most, whatever the format: a saved page with its inline styles and scripts, or
# a PDF with its pictures, is far larger than its text, but not this large. The web server's
# upload limit (MAX_CONTENT_LENGTH) is usually lower; this bounds the command line too.
MAX_FILE_BYTES = 20 * 1024 * 1024
_NAMES = {
    ".txt": "text",
    ".md": "Markdown",
    ".html": "web page",
    ".htm": "web page",
    ".pdf": "PDF",
    ".docx": "Word",
}
_EXTENSION_FOR = {Kind.PDF: ".pdf", Kind.WORD: ".docx", Kind.WEB_PAGE: ".html", Kind.TEXT: ".txt"}


def read_document(filename: str, data: bytes, max_chars: int) -> Document:
    """Read an uploaded file, by its extension once its bytes agree with it.

    The one call an import makes, in a request or a background job alike.
    """
    extension = PurePath(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise DocumentError(
            f"Files of type “{extension or 'no extension'}” cannot be read; "
            f"upload a {', '.join(SUPPORTED_EXTENSIONS)} file."
        )
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(
            f"That file is {len(data) / 2**20:,.1f} MB; files up to "
            f"{MAX_FILE_BYTES // 2**20} MB are read. Upload the article on its own."
        )
    _refuse_disguised(filename, extension, data)
    if extension == ".pdf":
        document = read_pdf(data)
    elif extension == ".docx":
        document = read_word(data)
    elif extension in {".html", ".htm"}:
        document = read_web_page(data)  # trafilatura decodes it by its declared charset
    else:
        document = Document(text=bytes_to_text(data, extension, max_chars))
    text = checked_text(document.text, max_chars)
    # A file that names no title is titled by its headline, as the reader will find it.
    title = document.title or split_article(text).headline
    return dataclasses.replace(document, text=text, title=title)


def document_text(filename: str, data: bytes, max_chars: int) -> str:
    """An uploaded file's article text, for callers with no use for its title or byline."""
    return read_document(filename, data, max_chars).text


def bytes_to_text(data: bytes, extension: str, max_chars: int, what: str = "article") -> str:
    """Decode UTF-8 bytes and reduce Markdown's markup (``.md``); anything else is text.

    Question files are read this way, and so is an article piped to the command line.
    """
    raw = decode_text(data)
    if extension.lower() == ".md":
        if len(raw) > MARKDOWN_SOURCE_FACTOR * max_chars:
            raise DocumentError(
                f"The Markdown file is {len(raw):,} characters long; the limit is "
                f"{MARKDOWN_SOURCE_FACTOR * max_chars:,}. Split it into shorter {what}s."
            )
        raw = markdown_to_text(raw)
    return checked_text(raw, max_chars, what)


def _refuse_disguised(filename: str, extension: str, data: bytes) -> None:
    """Refuse a file whose bytes are another format than its name says, naming both."""
    kind = sniff(data)
    expected = {".pdf": Kind.PDF, ".docx": Kind.WORD}.get(extension)
    if kind is Kind.DAMAGED_ZIP and extension == ".docx":
        return  # the Word reader says it is damaged
    if expected is None:  # a text format: .txt, .md, .html, .htm
        if kind in {Kind.TEXT, Kind.WEB_PAGE}:
            if extension in {".html", ".htm"} and not looks_like_markup(data[:65536]):
                _mismatch(filename, extension, Kind.TEXT)
            if extension in {".txt", ".md"} and kind is Kind.WEB_PAGE:
                _mismatch(filename, extension, Kind.WEB_PAGE)
            return
        raise DocumentError(
            f"“{PurePath(filename).name}” is binary data ({kind.value}), not text; " + _advice(kind)
        )
    if kind is not expected:
        _mismatch(filename, extension, kind)


def _mismatch(filename: str, extension: str, kind: Kind) -> None:
    raise DocumentError(
        f"“{PurePath(filename).name}” is named as a {_NAMES[extension]} file but it is "
        f"{kind.value}; " + _advice(kind)
    )


def _advice(kind: Kind) -> str:
    if kind in _EXTENSION_FOR:
        return f"rename it to end in {_EXTENSION_FOR[kind]} and upload it again."
    if kind in {Kind.OLD_OFFICE, Kind.RTF, Kind.OPEN_DOCUMENT, Kind.OFFICE}:
        return "open it and save it as a Word document (.docx) or PDF, then upload that."
    return f"upload the article as a {', '.join(SUPPORTED_EXTENSIONS)} file."
