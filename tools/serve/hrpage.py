"""HR's page: coverage per policy and department, the overdue list, and both as CSV. Pure.

Coverage is counts, never names. The overdue list names people by employee number and
department only (HR looks them up in its own system): no name or e-mail on a page that may be
printed or forwarded.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

from tools.notes.htmlpage import html_page
from tools.notes.wording import dutch_date
from tools.serve.fragments import nav

COVERAGE_CSV = "/hr/dekking.csv"
OVERDUE_CSV = "/hr/te-laat.csv"


@dataclass(frozen=True)
class CoverageRow:
    policy: str
    department: str
    confirmed: int
    pending: int
    overdue: int


@dataclass(frozen=True)
class OverdueRow:
    policy: str
    version: str
    employee: str
    department: str
    due: dt.date


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>\n" for row in rows)
    return (
        f"<table>\n<caption>{_e(caption)}</caption>\n<thead><tr>{cells}</tr></thead>\n"
        f"<tbody>\n{body}</tbody>\n</table>\n"
    )


def _percent(row: CoverageRow) -> str:
    total = row.confirmed + row.pending + row.overdue
    return f"{100 * row.confirmed // total} %" if total else "-"


def hr_page(coverage: Sequence[CoverageRow], overdue: Sequence[OverdueRow]) -> str:
    """The page: coverage, then the overdue list, each with its CSV."""
    parts = [
        nav(hr=True),
        "<h1>Dekking van de bevestigingen</h1>\n",
        "<p>Per beleid en afdeling: hoeveel mensen het beleid hebben bevestigd, hoeveel het "
        "nog moeten doen, en hoeveel te laat zijn.</p>\n",
    ]
    if coverage:
        head = ("Beleid", "Afdeling", "Bevestigd", "Nog te doen", "Te laat", "Bevestigd (%)")
        counts: list[tuple[object, ...]] = [
            (r.policy, r.department, r.confirmed, r.pending, r.overdue, _percent(r))
            for r in coverage
        ]
        parts.append(_table("Dekking per beleid en afdeling", head, counts))
    else:
        parts.append("<p>Er is nu geen beleid dat mensen moeten bevestigen.</p>\n")
    parts.append(f'<p><a href="{COVERAGE_CSV}">Dekking downloaden (CSV)</a></p>\n')
    parts.append("<h2>Te laat</h2>\n")
    if overdue:
        late: list[tuple[object, ...]] = [
            (r.policy, r.version, r.employee, r.department, dutch_date(r.due)) for r in overdue
        ]
        parts.append(
            _table(
                "Mensen die te laat zijn",
                ("Beleid", "Versie", "Personeelsnummer", "Afdeling", "Uiterlijk"),
                late,
            )
        )
    else:
        parts.append("<p>Niemand is te laat.</p>\n")
    parts.append(f'<p><a href="{OVERDUE_CSV}">Lijst downloaden (CSV)</a></p>\n')
    return html_page("".join(parts), title="Dekking van de bevestigingen", lang="nl")


def _cell(value: object) -> object:
    """A text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, or a tab or
    carriage return before one) gets a quote first: employee numbers come from another system."""
    text = str(value)
    return (
        f"'{text}"
        if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r")
        else value
    )


def _csv(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows([_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def coverage_csv(coverage: Sequence[CoverageRow]) -> str:
    return _csv(
        ("policy", "department", "confirmed", "pending", "overdue"),
        [(r.policy, r.department, r.confirmed, r.pending, r.overdue) for r in coverage],
    )


def overdue_csv(overdue: Sequence[OverdueRow]) -> str:
    return _csv(
        ("policy", "version", "employee_number", "department", "due"),
        [(r.policy, r.version, r.employee, r.department, r.due.isoformat()) for r in overdue],
    )
