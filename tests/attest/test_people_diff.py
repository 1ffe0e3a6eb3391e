"""The plan of an import: new hires added, changes updated, leavers ended, the rest kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tools.attest.people_csv import PersonRow
from tools.attest.people_diff import plan_import, summary, too_many_leavers

TODAY = date(2026, 11, 27)
AN = PersonRow("1", "An", "an@example.org", "hr", date(2020, 1, 1))
BO = PersonRow("2", "Bo", "bo@example.org", "hr", date(2021, 1, 1))
CY = PersonRow("3", "Cy", "cy@example.org", "hr", date(2022, 1, 1))
GONE = PersonRow("4", "Di", "di@example.org", "hr", date(2019, 1, 1), date(2025, 1, 1))


def test_the_export_against_the_store() -> None:
    moved = replace(BO, department="communicatie")
    plan = plan_import([AN, moved, CY], [AN, BO, GONE, replace(CY, employee="5")], TODAY)
    assert plan.added == [CY]
    assert plan.updated == [moved]
    assert plan.ended == [replace(CY, employee="5", end=TODAY)]
    assert plan.unchanged == 2  # AN, and GONE (ended before, kept for the retention period)
    assert summary(plan) == "1 added, 1 updated, 1 ended, 2 unchanged"


def test_the_same_export_twice_changes_nothing() -> None:
    assert plan_import([AN, BO], [AN, BO], TODAY).empty


def _staff(count: int) -> list[PersonRow]:
    return [replace(AN, employee=str(100 + n), email=f"p{n}@example.org") for n in range(count)]


def test_an_export_that_ends_more_than_a_fifth_is_too_many_leavers() -> None:
    staff, today = _staff(30), date(2026, 12, 1)
    assert not too_many_leavers(plan_import(staff[6:], staff, today))  # 6 of 30: a fifth
    assert too_many_leavers(plan_import(staff[7:], staff, today))  # 7 of 30
    assert not too_many_leavers(plan_import(staff[:1], staff[:6], today))  # five: a small team
