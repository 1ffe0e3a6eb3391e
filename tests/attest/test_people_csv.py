"""Reading the HR export: every bad row located (file:line:col), no personal data in messages."""

from __future__ import annotations

from datetime import date

import pytest

from tools.attest.people_csv import DEFAULT_COLUMNS, PersonRow, parse_columns, read_people

DEPARTMENTS = frozenset({"hr", "communicatie"})
HEADER = "employee_number,name,email,department,start_date,end_date\n"


def _read(body: str, columns: dict[str, str] | None = None) -> tuple[list[PersonRow], list[str]]:
    rows, problems = read_people(HEADER + body, "hr.csv", DEPARTMENTS, columns or DEFAULT_COLUMNS)
    return rows, [f"{d.line}:{d.column}:{d.code}" for d in problems]


def test_good_rows_are_read_sorted() -> None:
    rows, problems = _read(
        "2,Bo Kok,bo@example.org,hr,2024-02-01,\n1,An Eik,an@example.org,communicatie,2020-01-01,"
        "2026-12-31\n\n"
    )
    assert problems == []
    assert rows == [
        PersonRow("1", "An Eik", "an@example.org", "communicatie", date(2020, 1, 1),
                  date(2026, 12, 31)),
        PersonRow("2", "Bo Kok", "bo@example.org", "hr", date(2024, 2, 1)),
    ]  # fmt: skip


def test_every_bad_row_is_located_and_nothing_is_returned() -> None:
    rows, problems = _read(
        "1,An,an@example.org,hr,2024-13-01,\n"
        "2,Bo,bo@example.org,sales,2024-01-01,\n"
        "1,Cy,cy@example.org,hr,2024-01-01,\n"
        '3,"Kok, Dé",,hr,2024-01-01,\n'
    )
    assert rows == []
    assert problems == [
        "2:24:people-date",
        "3:21:people-department",
        "4:1:people-duplicate",
        "5:13:people-missing",
    ]


def test_messages_hold_no_personal_data() -> None:
    _, problems = read_people(
        HEADER + "1,Geheim Naam,geheim@example.org,hr,1999-02-30,\n",
        "hr.csv", DEPARTMENTS, DEFAULT_COLUMNS,
    )  # fmt: skip
    assert problems
    assert all("Geheim" not in d.message and "1999" not in d.message for d in problems)


def test_columns_are_configurable() -> None:
    columns = parse_columns("employee=Nr, name=Naam,email=Mail,department=Afd,start=Begin")
    text = "Nr,Naam,Mail,Afd,Begin\n7,An,an@example.org,hr,2024-01-01\n"
    rows, problems = read_people(text, "hr.csv", DEPARTMENTS, columns)
    assert problems == [] and rows[0].employee == "7" and rows[0].end is None
    _, missing = read_people("Nr,Naam\n", "hr.csv", DEPARTMENTS, columns)
    assert [d.code for d in missing] == ["people-column"] * 3


@pytest.mark.parametrize("spec", ["employee", "boss=Chef", "name="])
def test_a_bad_column_map_is_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_columns(spec)
