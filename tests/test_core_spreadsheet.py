"""CSV cells stay whole in any spreadsheet: whatever separator it splits on, formulas never run."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from quizapp.core.formats.spreadsheet import csv_chunks

QUOTED = re.compile(r'"(?:[^"]|"")*"')


def export(*rows: list[object]) -> str:
    return "".join(csv_chunks(["learner", "chosen", "score"], rows))  # type: ignore[arg-type]


def test_text_cells_are_quoted_so_no_separator_splits_them() -> None:
    """LibreOffice and Excel can split on ; (the default where a comma is the decimal mark),
    tab or space as well as comma; only a quoted cell is kept whole by all of them."""
    text = export(
        ["Ann", "Signal; WhatsApp", 3],
        ["  Bo  ", "tab\there", 1.5],
        ["Cy Lee", "", None],
    )
    for line in text.splitlines():
        outside_quotes = QUOTED.sub("", line)
        assert not re.search(r"[; \t]", outside_quotes), line
    assert text.splitlines()[1] == '"Ann","Signal; WhatsApp",3'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [
        ["Ann", "Signal; WhatsApp", "3"],
        ["  Bo  ", "tab\there", "1.5"],  # spaces and tabs inside kept
        ["Cy Lee", "", ""],
    ]


def test_numbers_stay_bare_and_formulas_stay_neutralised() -> None:
    text = export(
        ['=HYPERLINK("http://x")', "-1; +2", 66.666666],
        ["\tTabbed", "yes", True],
        ["Dee", datetime(2026, 1, 2, 3, 4, 5, 678), 0],
    )
    lines = text.splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x"")","\'-1; +2",66.6667'
    assert lines[2] == '"\'\tTabbed","yes","yes"'
    assert lines[3] == '"Dee","2026-01-02T03:04:05Z",0'
