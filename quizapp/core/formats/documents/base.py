"""What every reader returns and the checks every article's text passes, whatever its file.

The readers differ in how they find the text; what they hand on is the same: plain text with a
blank line between paragraphs (how ``reading.document`` tells paragraphs apart) and whatever
the file says about itself, so the import form can fill in a title the teacher left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Text with more than this share of control characters is a binary file that happens to decode.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DocumentError(ValueError):
    """An upload or paste that cannot become an article; the message is safe to show."""


@dataclass(frozen=True)
class Document:
    """An article read from a file: its text and what the file says about it.

    ``title``, ``author``, ``published`` (ISO date) and ``site`` are empty when the file does
    not say; they describe the article, and none of them is ever part of ``text``'s sentences
    unless the article itself prints them.
    """

    text: str
    title: str = ""
    author: str = ""
    published: str = ""
    site: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(block for block in self.text.split("\n\n") if block.strip())

    @property
    def source(self) -> str:
        """Where it was published, as the import form's Source field reads: "Site, author,
        date", with whatever of the three is known."""
        return ", ".join(part for part in (self.site, self.author, self.published) if part)


def decode_text(data: bytes) -> str:
    """UTF-8 bytes as text (a byte-order mark dropped), or a refusal naming the problem."""
    if b"\x00" in data:
        raise DocumentError("That file is binary data, not text; upload a text file.")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"That file is not UTF-8 text (unreadable byte at position {exc.start}); "
            "save it as UTF-8 and upload it again."
        ) from exc
    refuse_control_characters(raw)
    return raw


def checked_text(text: str, max_chars: int, what: str = "article") -> str:
    """Normalise line ends and refuse empty, binary-looking or oversize text.

    ``what`` names the text in the messages: an article, or a question file being imported.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise DocumentError(f"The {what} is empty: it has no text to read.")
    refuse_control_characters(text)
    if len(text) > max_chars:
        raise DocumentError(
            f"The {what} is {len(text):,} characters long; the limit is {max_chars:,}. "
            f"Split it into shorter {what}s."
        )
    return text


def refuse_control_characters(text: str) -> None:
    if "\x00" in text or (text and len(_CONTROL.findall(text)) / len(text) > _MAX_CONTROL_SHARE):
        raise DocumentError("That is binary data, not text; upload or paste plain text.")


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs as the article reader takes them: whitespace inside each collapsed, blank
    lines between them, empty ones gone."""
    return "\n\n".join(p for p in (" ".join(p.split()) for p in paragraphs) if p)
