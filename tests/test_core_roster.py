"""Reading class lists: shapes schools save them in, and every problem named by its line."""

from __future__ import annotations

import pytest

from quizapp.core.formats.roster import (
    MAX_ROWS,
    RosterError,
    RosterRow,
    parse_roster,
    username_base,
    username_candidates,
    username_problem,
)


def test_a_header_names_columns_in_any_order_and_case_with_a_bom() -> None:
    data = "\ufeffEmail;USERNAME;Full Name\r\nann@school.org;;Ann Lee\r\n;bo_k;Bo Karlsson\r\n"
    roster = parse_roster(data.encode("utf-8"))
    assert roster.problems == []
    assert roster.rows == [
        RosterRow(2, "Ann Lee", email="ann@school.org"),
        RosterRow(3, "Bo Karlsson", username="bo_k"),
    ]


def test_first_and_last_name_columns_make_the_name_and_tabs_separate() -> None:
    roster = parse_roster("first name\tlast name\temail\nZoë\tÅngström\t\n\nCy\tDo\tCY@X.org\n")
    assert [(r.line, r.name, r.email) for r in roster.rows] == [
        (2, "Zoë Ångström", None),
        (4, "Cy Do", "cy@x.org"),
    ]


def test_without_a_header_the_second_column_is_an_email() -> None:
    roster = parse_roster("Ann Lee\nBo Karlsson, bo@school.org\n  \n")
    assert roster.rows == [
        RosterRow(1, "Ann Lee"),
        RosterRow(2, "Bo Karlsson", email="bo@school.org"),
    ]


def test_a_surname_first_list_without_a_header_is_a_problem_not_a_username() -> None:
    """ "Smith, John" is how school systems often export names: reading "John" as the
    username would make the wrong account, or find someone else's."""
    (problem,) = parse_roster("Ann Lee\nSmith, John\n").problems
    assert problem.line == 2 and "Add a header row" in problem.message


def test_a_tie_between_separators_goes_to_the_tab() -> None:
    roster = parse_roster("Name\tEmail\nSmith, John\tjs@school.org\n")
    assert roster.rows == [RosterRow(2, "Smith, John", email="js@school.org")]


def test_a_cell_too_long_for_csv_is_a_refusal_not_an_error() -> None:
    with pytest.raises(RosterError, match="Line 1 cannot be read as CSV"):
        parse_roster("x" * 140_000)


def test_problems_are_named_by_line() -> None:
    data = (
        "name,email,username\n"
        ",ann@school.org,\n"
        "Bo,not-an-email,\n"
        "Cy,,c y\n"
        "Di,di@school.org,\n"
        "Ed,DI@school.org,\n"
        "Fay,,ab\n"
        "Gus,,gus@home\n"
    )
    problems = {p.line: p.message for p in parse_roster(data).problems}
    assert set(problems) == {2, 3, 4, 6, 7, 8}
    assert problems[2] == "there is no name."
    assert "not a valid email" in problems[3]
    assert "not a username" in problems[4] and "not a username" in problems[8]
    assert problems[6] == "the email di@school.org is on line 5 too."
    assert "3 to 40 characters" in problems[7]
    assert str(parse_roster(data).problems[0]) == "Line 2: there is no name."


def test_a_repeated_username_is_a_problem() -> None:
    roster = parse_roster("name,username\nAnn,ann.l\nAnna,ANN.L\n")
    assert [(p.line, p.message) for p in roster.problems] == [
        (3, "the username ann.l is on line 2 too.")
    ]


def test_three_columns_without_a_header_are_a_problem() -> None:
    (problem,) = parse_roster("Ann Lee,ann@school.org,extra\n").problems
    assert problem.line == 1 and "header row" in problem.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Name\u00e9".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04\x00\x00", "not text"),
        ("\n  \n", "empty"),
        ("email,class\na@b.org,7A\n", "no name column"),
        ("name,email\n", "no pupils"),
        ("\n".join(f"Pupil {n}" for n in range(MAX_ROWS + 1)), f"at most {MAX_ROWS}"),
        ("x" * 200_001, "larger than"),
    ],
)
def test_whole_file_refusals(data: bytes | str, message: str) -> None:
    with pytest.raises(RosterError, match=message):
        parse_roster(data)


def test_the_row_limit_counts_pupils_not_the_header() -> None:
    data = "name\n" + "\n".join(f"Pupil {n}" for n in range(MAX_ROWS))
    assert len(parse_roster(data).rows) == MAX_ROWS


def test_usernames_are_made_from_names_in_plain_ascii() -> None:
    assert username_base("Zoë Ångström") == "zoe.angstrom"
    assert username_base("Mary Ann  O'Brien-Smith") == "mary.obrien-smith"
    assert username_base("Björk") == "bjork"
    assert username_base("李雷") == "pupil"
    assert len(username_base("A" * 60 + " " + "B" * 60)) <= 36
    assert username_candidates("ann.lee")[:3] == ["ann.lee", "ann.lee2", "ann.lee3"]
    assert username_candidates("al")[0] == "al2"  # "al" alone is too short
    assert username_base("A") == "a.pupil" and username_base("Ö") == "o.pupil"
    assert all(username_problem(c) is None for c in username_candidates(username_base("A")))


def test_username_rules() -> None:
    assert username_problem("ann.lee_2-b") is None
    assert username_problem("ann@lee") is not None
    assert username_problem("Ann") is not None  # stored lower case: callers normalise first
    assert username_problem("a" * 41) is not None


def test_the_separator_is_found_past_a_one_column_header() -> None:
    # Columns the header does not name are ignored, but the separator still splits them off.
    assert parse_roster("Name\nAnn Lee;ann@school.org\n").rows == [RosterRow(2, "Ann Lee")]
    assert parse_roster("Ann Lee\nBo Karlsson;bo@school.org\n").rows[1].email == "bo@school.org"
