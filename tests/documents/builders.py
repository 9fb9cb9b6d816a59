"""PDF and Word files made at run time for the tests, from an invented article.

Built rather than committed: each file's features (a running header, page numbers, a word
hyphenated at a line end, a picture instead of text, a password) are written down here, next
to the tests that rely on them, and fpdf2, python-docx and pypdf make them in milliseconds.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).resolve().parent
NEWS_PAGE = HERE / "news_page.html"

HEADLINE = "Library opens on the old station site"
# Invented paragraphs, each a few sentences, distinct enough to be found again in the output.
PARAGRAPHS = (
    "The town's new library opened on Saturday on the site of the old railway station, "
    "three years after the council bought the land for 800,000 pounds.",
    "Its head librarian, Ana Lindqvist, said 2,400 people had joined in the first week. "
    '"We expected half that number," she said.',
    "The building was designed by Corran Architects, a firm based in the town since 1987. "
    "It keeps the station's clock tower and its iron roof.",
    "The library lends books, tools and musical instruments, and it stays open until nine "
    "in the evening on weekdays.",
    "Local schools will visit every Friday morning, the council's education officer, "
    "Marcus Bell, said at the opening.",
)
HYPHENATED = ("The opening was called extraordi-", "narily busy by the staff on duty.")
RUNNING_HEADER = "The Weekly Ledger - Town news"


class _Paper(FPDF):
    """A page with a running header and a numbered footer, as a newspaper's PDF has."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, RUNNING_HEADER, align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def article_pdf(repeats: int = 3, title: str = HEADLINE) -> bytes:
    """The article's paragraphs ``repeats`` times (numbered, so each copy differs), flowing
    over pages with a blank-line gap between paragraphs, then the hyphenated sentence."""
    pdf = _Paper()
    pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, HEADLINE)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for copy in range(repeats):
        for paragraph in PARAGRAPHS:
            pdf.multi_cell(0, 6, f"{paragraph} (Part {copy + 1}.)")
            pdf.ln(4)
    pdf.multi_cell(0, 6, "\n".join(HYPHENATED))
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it: no text layer at all."""
    picture = Image.new("RGB", (400, 200), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=180)
    return bytes(pdf.output())


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """The article PDF encrypted; with an empty user password it opens without asking, as a
    PDF that only forbids copying does."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(article_pdf(1))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(pages: int) -> bytes:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
    return bytes(pdf.output())


def article_docx() -> bytes:
    """A Word file: a title, a heading, the paragraphs and a table of two rows."""
    document = docx.Document()
    document.core_properties.title = ""
    document.add_heading(HEADLINE, level=0)
    for paragraph in PARAGRAPHS[:3]:
        document.add_paragraph(paragraph)
    document.add_heading("Opening hours", level=2)
    table = document.add_table(rows=2, cols=2)
    hours = (("Weekdays", "9am to 9pm"), ("Saturday", "10am to 4pm"))
    for row, cells in zip(table.rows, hours, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    for paragraph in PARAGRAPHS[3:]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb_docx(claimed: int = 2**32 - 1) -> bytes:
    """A real .docx whose ZIP directory claims one member unpacks to ``claimed`` bytes, as a
    zip bomb's does (here without the bytes: the claim is what must be refused)."""
    data = bytearray(article_docx())
    at = data.rfind(b"PK\x01\x02")  # the directory's last entry
    data[at + 24 : at + 28] = struct.pack("<I", claimed)  # its uncompressed size
    return bytes(data)
