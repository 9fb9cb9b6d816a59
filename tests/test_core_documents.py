"""Uploads and pastes become plain article text, or a clear refusal."""

from __future__ import annotations

import pytest

from quizapp.core.formats.documents import (
    DocumentError,
    checked_text,
    document_text,
    html_to_text,
    markdown_to_text,
)

LIMIT = 1_000


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


def test_html_keeps_only_visible_text_with_paragraph_breaks() -> None:
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


def test_html_files_are_read_as_paragraphs() -> None:
    data = b"<p>First paragraph.</p><p>Second<br>paragraph.</p>"
    assert document_text("page.HTML", data, LIMIT) == "First paragraph.\n\nSecond\nparagraph."


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
def test_adversarial_markup_is_read(text: str) -> None:
    for extension in (".md", ".html"):
        try:
            read = document_text(f"a{extension}", text.encode(), len(text))
        except DocumentError as exc:
            assert "empty" in str(exc)  # an unclosed tag hides the rest, as in a browser
        else:
            assert read and "\n" not in read


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
        ("a.html", b"<script>only()</script><style>p{}</style>", "The article is empty"),
        ("a.txt", b"x" * (LIMIT + 1), "the limit is 1,000"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("a.txt", b"Ofcom " + bytes(range(1, 9)) * 3, "binary data"),
        ("a.txt", "Caf\u00e9 culture".encode("latin-1"), "not UTF-8"),
        ("a.pdf", b"%PDF-1.7", "cannot be read"),
        ("article", b"text", "no extension"),
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
