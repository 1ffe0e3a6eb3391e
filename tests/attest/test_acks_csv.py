"""A learning system's export read into rows: its form, located, never quoting a value."""

from __future__ import annotations

import datetime as dt

import pytest

from tools.attest.acks_csv import DEFAULT_COLUMNS, confirmed_time, parse_columns, read_acks

HEADER = "employee_number,policy,version,confirmed_at\n"


def test_rows_with_their_places() -> None:
    rows, problems = read_acks(
        HEADER + '1001,social-media,v1.2.0,2026-11-28\n"1002",social-media,1.0.0,'
        "2026-11-28T10:15:00+01:00\n",
        "lms.csv", DEFAULT_COLUMNS,
    )  # fmt: skip
    assert problems == []
    assert [(r.employee, r.policy, r.version) for r in rows] == [
        ("1001", "social-media", "1.2.0"), ("1002", "social-media", "1.0.0"),
    ]  # fmt: skip
    assert rows[1].at == dt.datetime(2026, 11, 28, 9, 15, tzinfo=dt.UTC)
    assert rows[1].places["version"] == (3, 21)


def test_every_bad_field_is_located_and_good_rows_are_kept() -> None:
    text = HEADER + "1001,,1.0,yesterday\n,social-media,1.0.0,2026-11-28\n1003,p,1.0.0,2026-11-28\n"
    rows, problems = read_acks(text, "lms.csv", DEFAULT_COLUMNS)
    assert [(p.line, p.column, p.code) for p in problems] == [
        (2, 6, "ack-missing"), (2, 7, "ack-version"), (2, 11, "ack-time"), (3, 1, "ack-missing"),
    ]  # fmt: skip
    assert [r.employee for r in rows] == ["1003"]
    assert all("1001" not in p.message and "yesterday" not in p.message for p in problems)


def test_the_header_and_the_columns() -> None:
    assert read_acks("", "x.csv", DEFAULT_COLUMNS)[1][0].code == "ack-empty"
    _, problems = read_acks("a,b\n", "x.csv", DEFAULT_COLUMNS)
    assert [p.code for p in problems] == ["ack-column"] * 4
    columns = parse_columns("employee=Nr, confirmed=Datum")
    assert columns == {**DEFAULT_COLUMNS, "employee": "Nr", "confirmed": "Datum"}
    with pytest.raises(ValueError, match="not a field"):
        parse_columns("name=Naam")
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        parse_columns("employee")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28", dt.datetime(2026, 11, 28, tzinfo=dt.UTC)),
        ("2026-11-28T10:15:30", dt.datetime(2026, 11, 28, 10, 15, 30, tzinfo=dt.UTC)),
        ("2026-11-28 10:15:30.9Z", dt.datetime(2026, 11, 28, 10, 15, 30, tzinfo=dt.UTC)),
        ("2026-11-28T01:00:00+02:00", dt.datetime(2026, 11, 27, 23, tzinfo=dt.UTC)),
        ("28-11-2026", None),
        ("2026-02-30", None),
    ],
)
def test_times(text: str, expected: dt.datetime | None) -> None:
    assert confirmed_time(text) == expected
