"""A teacher's class list (CSV) read into pupils, or refused with every problem and its line.

Class lists come out of school systems and spreadsheets in whatever shape they were saved:
with or without a header row, columns in any order, separated by commas, semicolons (where
the decimal mark is a comma) or tabs, with or without Excel's byte-order mark. So the reader
accepts all of those, and names each problem by the line a teacher sees in their editor, so
the list can be fixed and uploaded again. No row is judged against the database here: that an
email already has an account is the service's business.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

MAX_ROWS = 500
# 500 pupils with long names and emails fit easily; anything larger is not a class list.
MAX_ROSTER_CHARS = 200_000
NAME_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254
USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 40
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]+")
# On a tie the first wins: tabs and semicolons are rarer inside a name ("Smith, John") than
# commas are.
_DELIMITERS = ("\t", ";", ",")

# Header cells (lower case, spaces, "-" and "_" removed) -> the column they name.
_HEADERS = {
    "name": "name",
    "fullname": "name",
    "pupilname": "name",
    "studentname": "name",
    "email": "email",
    "emailaddress": "email",
    "username": "username",
    "login": "username",
    "firstname": "first",
    "givenname": "first",
    "forename": "first",
    "lastname": "last",
    "surname": "last",
    "familyname": "last",
}


class RosterError(ValueError):
    """A file that cannot be read as a class list at all; the message is safe to show."""


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class Roster:
    rows: list[RosterRow]
    problems: list[RosterProblem]


def normalise_username(username: str) -> str:
    return username.strip().lower()


def username_problem(username: str) -> str | None:
    """Why this (normalised) username cannot be used, or None. Never an ``@``: that is how
    sign-in tells a username from an email."""
    if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
        return (
            f"A username has {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters; "
            f"“{username}” has {len(username)}."
        )
    if not USERNAME_PATTERN.fullmatch(username):
        return (
            f"“{username}” is not a username: use only letters a–z, digits and . - _ "
            "(no spaces, no @)."
        )
    return None


def username_base(name: str) -> str:
    """``first.last`` of a name in plain ASCII (Zoë Ångström -> zoe.angstrom), short enough
    to take a number after it; "pupil" when nothing of the name survives the folding."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w.strip("-.") for w in re.sub(r"[^a-z0-9\s-]", "", folded).split()]
    words = [w for w in words if w]
    base = ".".join([words[0], words[-1]] if len(words) > 1 else words) or "pupil"
    if len(base) < USERNAME_MIN_LENGTH:  # "A", "Ö": too short to be a username alone
        base = f"{base}.pupil"
    return base[: USERNAME_MAX_LENGTH - 4].strip(".-")


def username_candidates(base: str) -> list[str]:
    """What a new pupil's username may be, in order: the base, then base2, base3, ...,
    leaving out any the username rules refuse."""
    candidates = [base, *(f"{base}{n}" for n in range(2, 1000))]
    return [candidate for candidate in candidates if username_problem(candidate) is None]


def parse_roster(data: bytes | str) -> Roster:
    """The pupils of a class list and its per-line problems; RosterError when the file as a
    whole cannot be read (not UTF-8, empty, a header without a name, too many rows)."""
    if len(data) > MAX_ROSTER_CHARS:
        raise RosterError(
            f"That file is larger than {MAX_ROSTER_CHARS // 1000} KB: a class list is much "
            "smaller. Check it is the right file."
        )
    text = _decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise RosterError("The class list is empty: give one pupil per line.")
    # The separator most used over the first lines: a one-column header ("Name") says nothing.
    sample = "\n".join(line for _number, line in lines[:5])
    delimiter = max(_DELIMITERS, key=sample.count)
    records = _records(lines, delimiter)
    columns = _header_columns(records[0][1])
    if columns is not None:
        records = records[1:]
    if len(records) > MAX_ROWS:
        raise RosterError(
            f"The list has {len(records)} pupils; at most {MAX_ROWS} can be imported at once. "
            "Split it and import each part."
        )
    rows: list[RosterRow] = []
    problems: list[RosterProblem] = []
    for line, cells in records:
        try:
            rows.append(_row(line, cells, columns))
        except ValueError as exc:
            problems.append(RosterProblem(line, str(exc)))
    problems.extend(_repeats(rows))
    if not rows and not problems:
        raise RosterError("The class list has a header row but no pupils under it.")
    return Roster(rows, sorted(problems, key=lambda p: p.line))


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise RosterError("That file is not text (a spreadsheet file?); save it as CSV.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(
            f"That file is not UTF-8 text (unreadable byte at position {exc.start}); "
            "in the spreadsheet choose Save as “CSV UTF-8” and upload it again."
        ) from None


def _records(lines: list[tuple[int, str]], delimiter: str) -> list[tuple[int, list[str]]]:
    """Each non-blank line's cells, stripped, trailing empty ones dropped. Lines are read one
    by one so each keeps its own number (a class list has no multi-line cells)."""
    records = []
    for number, line in lines:
        try:
            row = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        except csv.Error as exc:  # a cell longer than the csv module's limit (128 KB)
            raise RosterError(f"Line {number} cannot be read as CSV ({exc}).") from None
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        records.append((number, cells))
    return records


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column -> index when the first line is a header (any cell a known column name)."""
    keys = [re.sub(r"[\s_-]+", "", cell.lower()) for cell in cells]
    if not any(key in _HEADERS for key in keys):
        return None
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key in _HEADERS:
            columns.setdefault(_HEADERS[key], index)
    if "name" not in columns and "first" not in columns:
        raise RosterError(
            "The header row has no name column: name one “name” (or “first name” and “last name”)."
        )
    return columns


def _row(line: int, cells: list[str], columns: dict[str, int] | None) -> RosterRow:
    """One pupil from one line; ValueError says what is wrong with it."""
    if columns is None:
        if len(cells) > 2:
            raise ValueError(
                f"it has {len(cells)} columns; without a header row a line holds a name and, "
                "optionally, an email."
            )
        name, email = [*cells, "", ""][:2]
        if email and "@" not in email:
            # "Smith, John" would otherwise become the pupil "Smith" with username "john".
            raise ValueError(
                f"“{email}” is not an email address; without a header row the second column "
                "holds an email. Add a header row (name, username) to give usernames, or put "
                "the whole name in one column."
            )
        username = ""
    else:

        def cell(column: str) -> str:
            index = columns.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        name = cell("name") or f"{cell('first')} {cell('last')}"
        email, username = cell("email"), cell("username")
    name = " ".join(name.split())
    if not name:
        raise ValueError("there is no name.")
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"the name is longer than {NAME_MAX_LENGTH} characters.")
    return RosterRow(line, name, _email(email), _username(username))


def _email(email: str) -> str | None:
    if not email:
        return None
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValueError(f"the email is longer than {EMAIL_MAX_LENGTH} characters.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"“{email}” is not a valid email address: {exc}") from None
    return email.lower()


def _username(username: str) -> str | None:
    if not username:
        return None
    username = normalise_username(username)
    problem = username_problem(username)
    if problem:
        raise ValueError(problem)
    return username


def _repeats(rows: list[RosterRow]) -> list[RosterProblem]:
    """The same email or username on two lines: one of them is a mistake."""
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for kind, value in (("email", row.email), ("username", row.username)):
            if value is None:
                continue
            first = seen.setdefault((kind, value), row.line)
            if first != row.line:
                message = f"the {kind} {value} is on line {first} too."
                problems.append(RosterProblem(row.line, message))
    return problems
