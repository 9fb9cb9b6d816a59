"""Uploads and pastes become plain article text, or a clear refusal."""

from __future__ import annotations

import pytest

from quizapp.core.documents import (
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
        "![a chart](chart.png) shows __numbers__ and ~~errors~~ and snake_case_names.\n"
    )
    assert markdown_to_text(markdown).split("\n") == [
        "Meta and encryption",
        "",
        "Security minister Tom Tugendhat said it was an extraordinary choice.",
        "",
        "Read the BBC report or https://example.org.",
        "",
        "Signal uses E2EE by default.",
        "WhatsApp does too.",
        "",
        "Subtitle",
        "a chart shows numbers and errors and snake_case_names.",
    ]


def test_html_keeps_only_visible_text_with_paragraph_breaks() -> None:
    html = (
        "<html><head><title>Tab title</title><style>p{color:red}</style>"
        "<script>alert('head')</script></head><body>"
        "<h1>Meta &amp; encryption</h1><p>Signal&nbsp;and <b>WhatsApp</b> use it.<br>New line"
        "</p><script type='text/javascript'>document.write('<p>evil</p>')</script>"
        "<noscript><p>Turn on JavaScript</p></noscript><template><p>hidden</p></template>"
        "<img src=x onerror='alert(1)'><p>Ofcom said &ldquo;no&rdquo; &lt;script&gt;.</p>"
        "</body></html>"
    )
    assert html_to_text(html).split("\n") == [
        "Meta & encryption",
        "Signal and WhatsApp use it.",
        "New line",
        "Ofcom said “no” <script>.",
    ]


def test_html_files_are_reduced_to_text() -> None:
    data = b"<p>First paragraph.</p><p>Second paragraph.</p>"
    assert document_text("page.HTML", data, LIMIT) == "First paragraph.\nSecond paragraph."


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
