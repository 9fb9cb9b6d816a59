"""Uploads and pastes become plain article text, or a clear refusal."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from quizapp.core.formats import documents
from quizapp.core.formats.documents import (
    DocumentError,
    checked_text,
    document_text,
    html_to_text,
    markdown_to_text,
    read_document,
)
from quizapp.core.formats.documents import pdf as pdf_reader

from .documents.builders import (
    HEADLINE,
    HYPHENATED,
    NEWS_PAGE,
    PARAGRAPHS,
    RUNNING_HEADER,
    article_docx,
    article_pdf,
    blank_pdf,
    encrypted_pdf,
    scanned_pdf,
    zip_bomb_docx,
    zip_of,
)

LIMIT = 1_000
BIG = 100_000


def test_text_files_are_read_as_utf8_without_their_bom() -> None:
    data = "\ufeffOfcom is the regulator.\r\nSignal uses end-to-end encryption.\r\n".encode()
    assert document_text("a.txt", data, LIMIT) == (
        "Ofcom is the regulator.\nSignal uses end-to-end encryption."
    )


def test_markdown_loses_its_markup() -> None:
    markdown = (
        "# Meta and encryption\n\n"
        "Security minister **Tom Tugendhat** said it was an *extraordinary* choice.\n\n"
        "> Read [the BBC report](https://bbc.co.uk/news) or <https://example.org>.\n\n"
        "- Signal uses `E2EE` by default.\n"
        "1. WhatsApp does too.\n\n"
        "```\nprint('not prose')\n```\n"
        "---\n"
        "Subtitle\n========\n"
        "![a chart](chart.png) shows __numbers__ and ~~errors~~ and snake_case_names.\n\n"
        "[the report]: https://example.org/report\n"
    )
    assert markdown_to_text(markdown).split("\n\n") == [
        "Meta and encryption",
        "Security minister Tom Tugendhat said it was an extraordinary choice.",
        "Read the BBC report or https://example.org.",
        "Signal uses E2EE by default.",
        "WhatsApp does too.",
        "Subtitle",
        "a chart shows numbers and errors and snake_case_names.",
    ]


def test_markdown_paragraphs_are_the_parsers_blocks() -> None:
    """A paragraph keeps its lines, as a .txt file does (the article reader decides whether
    they are lines of a paragraph or paragraphs), and indented prose is prose, not code."""
    markdown = (
        "A paragraph\nwrapped at  \nits hard break.\n\n"
        "    An indented paragraph, as pastes often have.\n\n"
        "> - A quoted item\n> - and another, with a [reference link][r] &amp; \\*stars\\*.\n\n"
        "| Party | Seats |\n| --- | --- |\n| Labour | 411 |\n\n"
        "[r]: https://example.org\n"
    )
    assert markdown_to_text(markdown).split("\n\n") == [
        "A paragraph\nwrapped at\nits hard break.",
        "An indented paragraph, as pastes often have.",
        "A quoted item",
        "and another, with a reference link & *stars*.",
        "Party",
        "Seats",
        "Labour",
        "411",
    ]


def test_markdown_drops_pictures_on_their_own_and_hidden_html() -> None:
    markdown = (
        "![Tom Tugendhat at the Home Office](tugendhat.jpg)\n\n"
        "<div><script>alert('x')</script><p>Raw <b>HTML</b> is read as a page is.</p></div>\n\n"
        "Inline <style>p{}</style>markup<script>alert(1)</script> goes too.\n"
    )
    assert markdown_to_text(markdown).split("\n\n") == [
        "Raw HTML is read as a page is.",
        "Inline markup goes too.",
    ]


def test_html_fragments_keep_only_visible_text_with_paragraph_breaks() -> None:
    """GIFT's question text and Markdown's raw HTML are fragments: all their visible text."""
    html = (
        "<html><head><title>Tab title</title><style>p{color:red}</style>"
        "<script>alert('head')</script></head><body>"
        "<h1>Meta &amp; encryption</h1><p>Signal&nbsp;and <b>WhatsApp</b> use it.<br>New line"
        "</p><script type='text/javascript'>document.write('<p>evil</p>')</script>"
        "<noscript><p>Turn on JavaScript</p></noscript><template><p>hidden</p></template>"
        "<img src=x onerror='alert(1)'><p>Ofcom said &ldquo;no&rdquo; &lt;script&gt;.</p>"
        "<ul><li>One<!-- a comment -->point</li><li>Two</li></ul>"
        "</body></html>"
    )
    lines = [
        "Meta & encryption",
        "Signal and WhatsApp use it.\nNew line",
        "Ofcom said “no” <script>.",
        "Onepoint",
        "Two",
    ]
    assert html_to_text(html, "\n\n").split("\n\n") == lines
    # GIFT's fragments: one line per block or line break.
    assert html_to_text(html) == "\n".join(lines)


def test_a_saved_news_page_is_its_article_without_the_page_around_it() -> None:
    document = read_document("news_page.html", NEWS_PAGE.read_bytes(), BIG)
    assert document.paragraphs[0] == "Harbour town votes to keep its ferry"
    assert document.paragraphs[1].startswith("Residents of Kelby Harbour voted")
    assert document.paragraphs[-1].endswith("arrive on the morning ferry.")
    assert "What happens next" in document.paragraphs
    assert len(document.paragraphs) == 8
    for chrome in ("cookies", "Subscribe", "Related stories", "Bus timetable", "Sign up",
                   "All rights reserved", "Privacy notice", "dataLayer", "Share on"):  # fmt: skip
        assert chrome not in document.text
    assert (document.title, document.author, document.published, document.site) == (
        "Harbour town votes to keep its ferry",
        "Priya Marsh",
        "2026-03-14",
        "The Northfield Gazette",
    )
    assert document.source == "The Northfield Gazette, Priya Marsh, 2026-03-14"


def test_a_fragment_saved_as_html_is_read_and_htm_too() -> None:
    data = (
        b"<p>The first paragraph of a short page says enough to be an article body.</p>"
        b"<p>The second one<br>breaks a line, and the page has nothing else in it.</p>"
    )
    for name in ("page.HTML", "page.htm"):
        assert read_document(name, data, LIMIT).paragraphs == (
            "The first paragraph of a short page says enough to be an article body.",
            "The second one breaks a line, and the page has nothing else in it.",
        )


def test_a_page_without_an_article_is_refused() -> None:
    links = "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(30))
    page = f"<html><body><nav><ul>{links}</ul></nav><script>x()</script></body></html>"
    with pytest.raises(DocumentError, match="No article was found in that web page"):
        read_document("a.html", page.encode(), LIMIT)


def test_broken_html_reads_as_a_browser_shows_it() -> None:
    assert html_to_text("<p>Unclosed <b>bold <p>next") == "Unclosed bold\nnext"
    assert html_to_text("Text then <a href='x' an unclosed tag") == "Text then"
    assert html_to_text("<![CDATA[ x <!-- y") == ""
    assert html_to_text("") == ""


# Inputs that made the hand-written readers rescan what they had read (20,000 characters of
# "![" took 11.5 s); bench/bench_reading.py times them, these check they are read at all.
ADVERSARIAL = {
    "images": "![" * 10_000,
    "tags": "<a " * 10_000,
    "brackets": "[" * 20_000,
    "emphasis": "*a" * 10_000,
    "angles": "<" * 20_000,
    "declarations": "<![" * 5_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_markup_is_read_or_refused_in_words(text: str) -> None:
    try:
        read = document_text("a.md", text.encode(), len(text))
    except DocumentError as exc:
        assert "empty" in str(exc)  # an unclosed tag hides the rest, as in a browser
    else:
        assert read and "\n" not in read
    # As a page: no article in it, or plain text under an .html name.
    with pytest.raises(DocumentError, match=r"No article was found|but it is plain text"):
        document_text("a.html", text.encode(), len(text))


def test_adversarial_markup_keeps_its_text() -> None:
    assert markdown_to_text(ADVERSARIAL["images"]) == ADVERSARIAL["images"]
    assert markdown_to_text(ADVERSARIAL["emphasis"]) == "a" * 10_000
    assert html_to_text(ADVERSARIAL["angles"]) == ADVERSARIAL["angles"]
    assert html_to_text(ADVERSARIAL["tags"]) == ""


def test_markdown_much_longer_than_an_article_is_refused_before_parsing() -> None:
    with pytest.raises(DocumentError, match="Markdown file is 2,001 characters long"):
        document_text("a.md", b"x" * (2 * LIMIT + 1), LIMIT)
    assert document_text("a.md", b"**x** " * 333, LIMIT) == " ".join(["x"] * 333)


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("a.txt", b"", "The article is empty"),
        ("a.txt", b"  \n\t\n", "The article is empty"),
        ("a.html", b"<script>only()</script><style>p{}</style>", "No article was found"),
        ("a.txt", b"x" * (LIMIT + 1), "the limit is 1,000"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("a.txt", b"Ofcom " + bytes(range(1, 9)) * 3, "binary data"),
        ("a.txt", "Caf\u00e9 culture".encode("latin-1"), "not UTF-8"),
        ("a.pdf", b"%PDF-1.7", "cut short"),
        ("a.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnonsense\n%%EOF", "damaged"),
        ("a.docx", b"PK\x03\x04 not really a zip", "damaged or cut short"),
        ("a.odt", b"text", "cannot be read"),
        ("article", b"text", "no extension"),
        # Content that is not what the name says, both named.
        ("a.docx", b"%PDF-1.7\n%%EOF", "named as a Word file but it is a PDF; rename it"),
        ("a.pdf", b"PK\x03\x04", "named as a PDF file but it is a damaged or cut-short ZIP"),
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50), "old Office 97"),
        (
            "a.txt",
            b"%PDF-1.4\n...",
            r"is binary data \(a PDF\), not text; rename it to end in .pdf",
        ),
        ("a.md", b"\x89PNG\r\n\x1a\n", r"binary data \(an image\)"),
        ("a.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "it is a web page"),
        ("a.html", b"Just words, no markup at all.", "named as a web page file but it is plain"),
    ],
)
def test_bad_documents_are_refused_clearly(filename: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        document_text(filename, data, LIMIT)


def test_pasted_text_is_checked_the_same_way() -> None:
    assert checked_text("  Ofcom is a regulator.\r\n", LIMIT) == "Ofcom is a regulator."
    with pytest.raises(DocumentError, match="empty"):
        checked_text(" \n ", LIMIT)
    with pytest.raises(DocumentError, match="binary"):
        checked_text("a\x00b", LIMIT)


# --- PDF ---------------------------------------------------------------------------------------


def test_a_pdf_is_read_as_its_paragraphs_without_running_headers_or_page_numbers() -> None:
    data = article_pdf(repeats=3)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    document = read_document("story.pdf", data, BIG)
    expected = [
        HEADLINE,
        *(f"{p} (Part {copy}.)" for copy in (1, 2, 3) for p in PARAGRAPHS),
        "The opening was called extraordinarily busy by the staff on duty.",
    ]
    # A paragraph cut by a page break runs on into the next page: every one comes out whole.
    assert list(document.paragraphs) == expected
    assert RUNNING_HEADER not in document.text and "Page " not in document.text
    assert document.title == HEADLINE
    assert HYPHENATED[0] not in document.text


def test_a_hyphen_at_a_line_end_is_kept_in_a_compound() -> None:
    assert pdf_reader._joined(["Signal uses end-to-", "end encryption."]) == (
        "Signal uses end-to-end encryption."
    )
    assert pdf_reader._joined(["The mayor of Kelby-", "Harbour spoke."]) == (
        "The mayor of Kelby- Harbour spoke."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (scanned_pdf(), "has no text to read; it looks scanned"),
        (blank_pdf(2), "has no text to read"),
        (encrypted_pdf(), "protected by a password"),
        (article_pdf(1)[:-300], "cut short"),
    ],
    ids=["scanned", "blank", "encrypted", "truncated"],
)
def test_unreadable_pdfs_are_refused_saying_why(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_document("a.pdf", data, BIG)


def test_a_pdf_that_only_restricts_copying_opens_without_a_password() -> None:
    document = read_document("a.pdf", encrypted_pdf(user_password=""), BIG)
    assert PARAGRAPHS[0] + " (Part 1.)" in document.paragraphs


def test_page_count_and_size_are_limited_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(DocumentError, match="That PDF has 3 pages; an article has at most 2"):
        read_document("a.pdf", blank_pdf(3), BIG)
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 100)
    with pytest.raises(DocumentError, match="files up to 0 MB are read"):
        read_document("a.txt", b"x" * 101, BIG)


def test_a_pdf_longer_than_the_article_limit_is_refused() -> None:
    with pytest.raises(DocumentError, match="the limit is 1,000"):
        read_document("a.pdf", article_pdf(2), LIMIT)


# --- Word --------------------------------------------------------------------------------------


def test_a_word_file_is_read_in_order_with_headings_and_table_rows() -> None:
    document = read_document("story.docx", article_docx(), BIG)
    assert document.paragraphs == (
        HEADLINE,
        *PARAGRAPHS[:3],
        "Opening hours",
        "Weekdays; 9am to 9pm",
        "Saturday; 10am to 4pm",
        *PARAGRAPHS[3:],
    )
    assert document.title == HEADLINE  # the properties have none: the Title paragraph's


def test_bad_word_files_are_refused_before_parsing() -> None:
    with pytest.raises(DocumentError, match="unpacks to 4,097 MB, more than the 100 MB"):
        read_document("a.docx", zip_bomb_docx(), BIG)
    with pytest.raises(DocumentError, match="named as a Word file but it is a ZIP archive"):
        read_document("a.docx", zip_of({"notes.txt": b"hello"}), BIG)
    spreadsheet = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
    with pytest.raises(DocumentError, match="an Office file other than a Word document"):
        read_document("a.docx", spreadsheet, BIG)
    broken = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not xml"})
    with pytest.raises(DocumentError, match="That Word file is damaged"):
        read_document("a.docx", broken, BIG)


def test_a_one_page_pdf_loses_its_small_print_header_and_footer() -> None:
    document = read_document("a.pdf", article_pdf(repeats=1), BIG)
    assert document.paragraphs[0] == HEADLINE and RUNNING_HEADER not in document.text
    assert "Page 1" not in document.text
