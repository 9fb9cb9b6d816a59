"""What a file's bytes are, whatever it is called, so a file named for one format but holding
another is refused with both named, before a parser meets bytes it was not made for."""

from __future__ import annotations

import io
import re
import zipfile
from enum import Enum


class Kind(Enum):
    """What the bytes are; the value is how a message names it."""

    PDF = "a PDF"
    WORD = "a Word document (.docx)"
    WEB_PAGE = "a web page (HTML)"
    TEXT = "plain text"
    ZIP = "a ZIP archive"
    DAMAGED_ZIP = "a damaged or cut-short ZIP archive"
    OFFICE = "an Office file other than a Word document"
    OPEN_DOCUMENT = "an OpenDocument file (.odt and the like)"
    OLD_OFFICE = "an old Office 97–2003 file (.doc, .xls or .ppt)"
    RTF = "a Rich Text Format (.rtf) file"
    IMAGE = "an image"
    BINARY = "binary data"


# PDF readers accept the header anywhere in the first 1,024 bytes, after junk some tools add.
_PDF_WINDOW = 1024
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Kind.OLD_OFFICE),
    (b"{\\rtf", Kind.RTF),
    (b"\x89PNG", Kind.IMAGE),
    (b"\xff\xd8\xff", Kind.IMAGE),
    (b"GIF8", Kind.IMAGE),
    (b"II*\x00", Kind.IMAGE),
    (b"MM\x00*", Kind.IMAGE),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# A page saved by a browser starts with one of these once comments and whitespace are skipped.
_PAGE_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*"
    rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_ANY_TAG = re.compile(rb"<(?:[a-z][a-z0-9]*[\s/>]|/[a-z]|!--)", re.IGNORECASE)
_SNIFF_BYTES = 4096


def sniff(data: bytes) -> Kind:
    """The kind of the bytes by their signature; text is HTML when it starts as a saved page
    does, or (``looks_like_markup``) carries tags at all."""
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return Kind.PDF
    if data.startswith(_ZIP):
        return _zip_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:_SNIFF_BYTES]:
        return Kind.BINARY
    if _PAGE_START.match(data[:_SNIFF_BYTES]):
        return Kind.WEB_PAGE
    return Kind.TEXT


def looks_like_markup(data: bytes) -> bool:
    """Whether text has any HTML tag: a fragment saved as .html is still HTML."""
    return bool(_ANY_TAG.search(data))


def _zip_kind(data: bytes) -> Kind:
    """A ZIP's kind by its directory: a .docx is a ZIP holding ``word/document.xml``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Kind.WORD
            if (
                "mimetype" in names
                and archive.getinfo("mimetype").file_size < _SNIFF_BYTES  # never a bomb
                and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
            ):
                return Kind.OPEN_DOCUMENT
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return Kind.DAMAGED_ZIP
    if "[Content_Types].xml" in names:
        return Kind.OFFICE
    return Kind.ZIP
