"""Turn article text into the ordered sentences every fact and question cites."""

from __future__ import annotations

import re

# Titles and short forms that end in a full stop but do not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "gen",
        "col",
        "sgt",
        "rev",
        "hon",
        "no",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "inc",
        "ltd",
        "co",
        "corp",
        "u.s",
        "u.k",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)

# Lines a web page leaves behind that are not part of the story: image credits, stray markup.
_BOILERPLATE = re.compile(
    r"^\s*(image (source|by|credit)|photo(graph)?:|getty images)|<[a-z/!]", re.I
)

# A sentence ends at . ! or ? (optionally followed by closing quotes or brackets) when
# whitespace and then an opening quote, bracket, capital letter or digit follow.
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping each exactly as written so evidence stays verbatim.

    Paragraph breaks always end a sentence; within a paragraph a full stop after a known
    abbreviation ("Mr.", "e.g.") or a single initial does not.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or _BOILERPLATE.search(line) or not re.search(r"[A-Za-z]", line):
            continue
        start = 0
        for match in _BOUNDARY.finditer(line):
            end = match.end(1)
            if _ends_with_abbreviation(line[start:end]):
                continue
            sentences.append(line[start:end].strip())
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def _ends_with_abbreviation(chunk: str) -> bool:
    if not chunk.endswith("."):
        return False
    word = re.search(r"([A-Za-z.]+)\.$", chunk)
    if word is None:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or len(token) == 1


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace, so pasted and uploaded copies of one text compare equal."""
    return re.sub(r"[ \t]+", " ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
