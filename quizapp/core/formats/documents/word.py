"""Word documents (.docx) through python-docx: the body's paragraphs and tables in order.

A heading is a paragraph of its own; the first title or heading also names the document when
its properties do not. A table is read row by row, a row's cells joined with "; " into one
paragraph (merged cells, which python-docx repeats, once): a row reads as a line of data
("Labour; 411 seats"), which the reader shows but never asks about, where a cell per paragraph
would scatter one row's facts. Headers, footers, footnotes, comments and text boxes are not
the article and are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as WordFile
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

from .base import Document, DocumentError, join_paragraphs

# The sizes the ZIP's directory declares, checked before anything is unpacked: a few kilobytes
# can claim gigabytes (a zip bomb). Python's zipfile stops at the declared size, so the
# declaration is a bound. An article with its pictures is far below this.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_CORRUPT = (
    "That Word file is damaged or cut short, so it cannot be read; "
    "save it again from Word (as .docx) and upload it again."
)


def read_word(data: bytes) -> Document:
    _refuse_bombs(data)
    try:
        word = docx.Document(io.BytesIO(data))
        paragraphs = list(_body(word))
    # A damaged part meets python-docx wherever the damage is, with whatever exception.
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        LxmlError,
        ValueError,
        AttributeError,
        TypeError,
    ) as exc:
        raise DocumentError(_CORRUPT) from exc
    # The file's author and dates are whoever saved it and when, not the article's byline.
    title = (word.core_properties.title or "").strip() or _first_heading(word)
    return Document(text=join_paragraphs(paragraphs), title=title)


def _refuse_bombs(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(_CORRUPT) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            f"That Word file unpacks to {unpacked / 2**20:,.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES // 2**20} MB an article can; it was not read. Save the "
            "article's text on its own (without large pictures) and upload that."
        )


def _body(word: WordFile) -> Iterator[str]:
    """The body's paragraphs and table rows in document order."""
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from _rows(block)


def _rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        yield "; ".join(cells)


def _first_heading(word: WordFile) -> str:
    for paragraph in word.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if paragraph.text.strip() and (style == "Title" or style.startswith("Heading")):
            return " ".join(paragraph.text.split())
    return ""
