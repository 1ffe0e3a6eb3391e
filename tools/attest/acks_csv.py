"""A learning system's export of confirmations read into rows: CSV text in, rows and located
diagnostics out (pure). Whether each row may be recorded is ``record.check``'s, with the
rows' places to locate a refusal.

One row per confirmation: employee number, policy id, version, and when it was confirmed
(``YYYY-MM-DD``, or an ISO 8601 time; without a zone it is UTC). Messages never quote a
value: an employee number is personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tools.attest.people_csv import csv_records, field_place
from tools.base.diagnostics import Diagnostic

FIELDS = ("employee", "policy", "version", "confirmed")

DEFAULT_COLUMNS: Mapping[str, str] = {
    "employee": "employee_number",
    "policy": "policy",
    "version": "version",
    "confirmed": "confirmed_at",
}
"""The export's column name for each field, unless ``--columns`` says otherwise."""

_VERSION = re.compile(r"v?(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class AckRow:
    """One confirmation of the export, and where each of its fields starts (line, column)."""

    employee: str
    policy: str
    version: str
    at: dt.datetime
    places: Mapping[str, tuple[int, int]] = field(compare=False)


def parse_columns(spec: str) -> dict[str, str]:
    """``employee=Personeelsnummer,confirmed=Datum`` over the defaults; ValueError says why."""
    columns = dict(DEFAULT_COLUMNS)
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, column = part.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"{part!r}: give FIELD=COLUMN")
        if name.strip() not in FIELDS:
            raise ValueError(f"{name.strip()!r}: not a field (fields: {', '.join(FIELDS)})")
        columns[name.strip()] = column.strip()
    return columns


def read_acks(
    text: str, file: str, columns: Mapping[str, str]
) -> tuple[list[AckRow], list[Diagnostic]]:
    """The rows whose form is right, in file order, and the diagnostics of the others (the
    caller checks the rules on the good rows too, so one round shows every problem)."""
    records = csv_records(text)
    if not records:
        return [], [Diagnostic.at(file, "ack-empty", "no header row", line=1, column=1)]
    header_line, header, _ = records[0]
    names = [h.strip() for h in header]
    missing = [f for f in FIELDS if columns[f] not in names]
    if missing:
        return [], [
            Diagnostic.at(
                file, "ack-column", f"no column {columns[f]!r} for {f}",
                "name the export's columns with --columns FIELD=COLUMN,...",
                line=header_line, column=1,
            )
            for f in missing
        ]  # fmt: skip
    index = {f: names.index(columns[f]) for f in FIELDS}
    rows: list[AckRow] = []
    problems: list[Diagnostic] = []
    for line, values, raw in records[1:]:
        places = {f: field_place(raw, i, line) for f, i in index.items()}
        got = {f: values[i].strip() if i < len(values) else "" for f, i in index.items()}
        row, found = _row(got, places, file)
        problems += found
        if row is not None:
            rows.append(row)
    return rows, problems


def _row(
    got: Mapping[str, str], places: Mapping[str, tuple[int, int]], file: str
) -> tuple[AckRow | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []

    def problem(name: str, code: str, message: str, hint: str = "") -> None:
        line, column = places[name]
        problems.append(Diagnostic.at(file, code, message, hint, line=line, column=column))

    for name in FIELDS:
        if not got[name]:
            problem(name, "ack-missing", f"{name} is missing")
    version = _VERSION.fullmatch(got["version"])
    if got["version"] and version is None:
        problem("version", "ack-version", "not a version", "write it as X.Y.Z, e.g. 1.0.0")
    at = confirmed_time(got["confirmed"])
    if got["confirmed"] and at is None:
        problem(
            "confirmed", "ack-time", "not a date or time",
            "write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC unless a zone is given)",
        )  # fmt: skip
    if problems or version is None or at is None:
        return None, problems
    return AckRow(got["employee"], got["policy"], version[1], at, places), []


def confirmed_time(value: str) -> dt.datetime | None:
    """A date (midnight UTC) or an ISO 8601 time (UTC unless it names a zone), whole
    seconds; None when it is neither."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).replace(microsecond=0)
