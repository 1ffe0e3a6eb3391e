"""An HR export read into validated people: CSV text in, rows and located diagnostics out.

Every row is checked before anything is applied, so a user fixes all problems in one round.
Messages never quote a name, an e-mail address or a date of a row: diagnostics end up in CI
logs and terminals, personal data must not (a department id is not personal).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tools.base.diagnostics import Diagnostic

FIELDS = ("employee", "name", "email", "department", "start", "end")
"""What the tool knows of a person; ``end`` is the only optional one."""

DEFAULT_COLUMNS: Mapping[str, str] = {
    "employee": "employee_number",
    "name": "name",
    "email": "email",
    "department": "department",
    "start": "start_date",
    "end": "end_date",
}
"""The export's column name for each field, unless ``--columns`` says otherwise."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class _Problem(Protocol):
    """How a row's check reports a problem of one of its fields."""

    def __call__(self, field: str, code: str, message: str, hint: str = "") -> None: ...


@dataclass(frozen=True, order=True)
class PersonRow:
    """One person as the HR export (or the store) has them."""

    employee: str
    name: str
    email: str
    department: str
    start: date
    end: date | None = None


def parse_columns(spec: str) -> dict[str, str]:
    """``employee=Personeelsnummer,name=Naam`` over the defaults; ValueError names what is wrong."""
    columns = dict(DEFAULT_COLUMNS)
    for part in filter(None, (p.strip() for p in spec.split(","))):
        field, sep, column = part.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"{part!r}: give FIELD=COLUMN")
        if field.strip() not in FIELDS:
            raise ValueError(f"{field.strip()!r}: not a field (fields: {', '.join(FIELDS)})")
        columns[field.strip()] = column.strip()
    return columns


def field_starts(record: str) -> list[tuple[int, int]]:
    """The (line offset, 1-based column) where each field of one raw CSV record starts."""
    starts, line, column, quoted = [(0, 1)], 0, 1, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append((line, column + 1))
        if char == "\n":
            line, column = line + 1, 0
        column += 1
    return starts


def read_people(
    text: str, file: str, departments: frozenset[str], columns: Mapping[str, str]
) -> tuple[list[PersonRow], list[Diagnostic]]:
    """Rows of the export, or (with any error) the diagnostics of every bad row."""
    records = csv_records(text)
    if not records:
        return [], [Diagnostic.at(file, "people-empty", "no header row", line=1, column=1)]
    header_line, header, _ = records[0]
    index, problems = _header(header, columns, file, header_line)
    if problems:
        return [], problems
    rows: list[PersonRow] = []
    first_line: dict[str, int] = {}
    for line, values, raw in records[1:]:
        row, found = _row(values, raw, index, departments, file, line)
        problems += found
        employee = values[index["employee"]].strip() if index["employee"] < len(values) else ""
        if employee in first_line:  # a bad row still holds its number: report both problems
            where = field_place(raw, index["employee"], line)
            problems.append(
                Diagnostic.at(
                    file,
                    "people-duplicate",
                    f"duplicate employee number (also on line {first_line[employee]})",
                    line=where[0],
                    column=where[1],
                )
            )
        elif employee:
            first_line[employee] = line
        if row is not None:
            rows.append(row)
    return (sorted(rows), []) if not problems else ([], problems)


def csv_records(text: str) -> list[tuple[int, list[str], str]]:
    """(first line, values, raw text) of each non-blank record; csv knows quoted newlines."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    reader = csv.reader(io.StringIO("".join(lines)))
    records, done = [], 0
    for values in reader:
        start, done = done + 1, reader.line_num
        if any(v.strip() for v in values):
            records.append((start, values, "".join(lines[start - 1 : done])))
    return records


def _header(
    header: list[str], columns: Mapping[str, str], file: str, line: int
) -> tuple[dict[str, int], list[Diagnostic]]:
    names = [h.strip() for h in header]
    index, problems = {}, []
    for field in FIELDS:
        column = columns.get(field, DEFAULT_COLUMNS[field])
        if column in names:
            index[field] = names.index(column)
        elif field != "end":
            problems.append(
                Diagnostic.at(
                    file,
                    "people-column",
                    f"no column {column!r} for {field}",
                    "name the export's columns with --columns FIELD=COLUMN,...",
                    line=line,
                    column=1,
                )
            )
    return index, problems


def field_place(raw: str, field: int, line: int) -> tuple[int, int]:
    """(line, column) where field number ``field`` of a record starting on ``line`` starts."""
    starts = field_starts(raw)
    offset, column = starts[field] if field < len(starts) else starts[-1]
    return line + offset, column


def _row(
    values: list[str],
    raw: str,
    index: Mapping[str, int],
    departments: frozenset[str],
    file: str,
    line: int,
) -> tuple[PersonRow | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []

    def problem(field: str, code: str, message: str, hint: str = "") -> None:
        where = field_place(raw, index[field], line)
        problems.append(Diagnostic.at(file, code, message, hint, line=where[0], column=where[1]))

    got = {f: values[i].strip() if i < len(values) else "" for f, i in index.items()}
    for field in FIELDS[:5]:
        if not got[field]:
            problem(field, "people-missing", f"{field} is missing")
    if got["email"] and not _EMAIL.fullmatch(got["email"]):
        problem("email", "people-email", "not an e-mail address")
    if got["department"] and got["department"] not in departments:
        problem(
            "department", "people-department",
            f"unknown department {got['department']!r}",
            "use a department id of policy/departments.yaml",
        )  # fmt: skip
    start = _date(got["start"], "start", problem)
    end = _date(got.get("end", ""), "end", problem)
    if start and end and end < start:
        problem("end", "people-end", "the end date is before the start date")
    if problems or start is None:
        return None, problems
    fields = (got["employee"], got["name"], got["email"], got["department"])
    return PersonRow(*fields, start=start, end=end), []


def _date(value: str, field: str, problem: _Problem) -> date | None:
    if not value:
        return None
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    problem(field, "people-date", f"{field} date is not a date", "write it as YYYY-MM-DD")
    return None
