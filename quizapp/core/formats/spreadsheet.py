"""CSV that spreadsheets open safely and correctly, produced a row at a time.

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so a learner named ``=HYPERLINK(...)`` could act on the
teacher's computer (OWASP's "CSV injection"). Such cells get a leading apostrophe, which the
spreadsheet shows as plain text. Numbers are written as numbers and are never touched.

Every text cell is quoted, not only those holding a comma, quote or newline: a spreadsheet
told to split on ``;`` (the default where the decimal mark is a comma), on tabs or on spaces,
or trimming spaces, otherwise cuts "Signal; WhatsApp" in two or shifts every later column.
Inside quotes no separator splits. Numbers stay bare so they are read as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

Cell = str | int | float | bool | datetime | None


def safe_cell(value: Cell) -> str | int | float:
    """A cell's value as it should reach the file: times ISO-8601 UTC, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return round(value, 4) if isinstance(value, float) else value
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, bom: bool = False, batch: int = 500
) -> Iterator[str]:
    """The CSV text in chunks of ``batch`` rows: memory stays flat however many rows come."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    if bom:
        buffer.write(BOM)
    writer.writerow([safe_cell(h) for h in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(value) for value in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def duration_seconds(started: datetime | None, ended: datetime | None) -> int | None:
    if started is None or ended is None:
        return None
    return max(0, round((ended - started).total_seconds()))
