"""HR's page and CSV files: counts, employee numbers, no formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace

import html5lib

from tools.serve.hrpage import CoverageRow, OverdueRow, coverage_csv, hr_page, overdue_csv

COVERAGE = [CoverageRow("Social-mediabeleid", "Communicatie", 3, 1, 0)]
LATE = [OverdueRow("Social-mediabeleid", "1.0.0", "=HYPERLINK(1)", "Marketing",
                   dt.date(2027, 1, 1))]  # fmt: skip


def test_the_page_parses_strictly_and_escapes() -> None:
    page = hr_page(COVERAGE, LATE)
    html5lib.HTMLParser(strict=True).parse(page)
    assert "<td>75 %</td>" in page and "<td>=HYPERLINK(1)</td>" in page
    empty = hr_page([], [])
    assert "Niemand is te laat." in empty and "geen beleid" in empty


def test_csv_files_hold_no_formulas() -> None:
    rows = list(csv.reader(io.StringIO(overdue_csv(LATE))))
    assert rows == [
        ["policy", "version", "employee_number", "department", "due"],
        ["Social-mediabeleid", "1.0.0", "'=HYPERLINK(1)", "Marketing", "2027-01-01"],
    ]
    assert coverage_csv(COVERAGE).splitlines()[1] == "Social-mediabeleid,Communicatie,3,1,0"
    hidden = [replace(LATE[0], employee="\t=1+1"), replace(LATE[0], employee="\r@SUM(A1)")]
    cells = [row[2] for row in csv.reader(io.StringIO(overdue_csv(hidden)))][1:]
    assert cells == ["'\t=1+1", "'\r@SUM(A1)"]
