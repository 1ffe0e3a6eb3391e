"""Obligations: each person's state per policy, coverage per department, the overdue list."""

from __future__ import annotations

import datetime as dt
from datetime import date

from tools.attest.obligations import (
    Confirmed,
    Coverage,
    Obligation,
    Overdue,
    PolicyFacts,
    ReleasedText,
    coverage,
    obligation,
    obligations,
    overdue,
    settled_from,
)
from tools.attest.people_csv import PersonRow
from tools.attest.rounds import Round

FIRST = Round("social-media", "1.0.0", "social-media/v1.0.0", date(2027, 1, 1))
SECOND = Round("social-media", "2.0.0", "social-media/v2.0.0", date(2027, 6, 1))
RELEASES = (
    ReleasedText("1.0.0", "social-media/v1.0.0", date(2027, 1, 1), True),
    ReleasedText("1.1.0", "social-media/v1.1.0", date(2027, 3, 1), False),
)
POLICY = PolicyFacts("social-media", "Social-mediabeleid", (FIRST,), None, 30, RELEASES)
HR_ONLY = PolicyFacts("verzuim", "Verzuimbeleid", (FIRST,), frozenset({"hr"}), 14, RELEASES)
NO_ROUND = PolicyFacts("werkplek", "Werkplekbeleid", (), None, 30, RELEASES)
AT = dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC)


def _person(employee: str, department: str = "hr", start: date = date(2020, 1, 1),
            end: date | None = None) -> PersonRow:  # fmt: skip
    return PersonRow(employee, "Invented Name", "x@example.org", department, start, end)


def test_a_person_owes_the_round_until_the_effective_date_then_is_overdue() -> None:
    anna = _person("1001")
    assert obligation(POLICY, anna, [], date(2026, 12, 1)) == Obligation(
        "social-media", "pending", "1.0.0", date(2027, 1, 1)
    )
    assert obligation(POLICY, anna, [], date(2027, 1, 1)).state == "pending"  # the day itself
    assert obligation(POLICY, anna, [], date(2027, 1, 2)).state == "overdue"


def test_a_confirmation_of_the_round_or_a_later_version_settles_it() -> None:
    anna = _person("1001")
    done = obligation(POLICY, anna, [Confirmed("1.0.0", AT)], date(2027, 2, 1))
    assert done == Obligation("social-media", "confirmed", "1.0.0", None, AT)
    later = [Confirmed("1.0.0", AT), Confirmed("1.1.0", AT + dt.timedelta(days=90))]
    assert obligation(POLICY, anna, later, date(2027, 4, 1)).version == "1.1.0"
    second = PolicyFacts("social-media", "S", (FIRST, SECOND), None, 30, RELEASES)
    # A new round: what was confirmed before it does not count.
    assert obligation(second, anna, later, date(2027, 5, 1)).state == "pending"
    assert obligation(second, anna, later, date(2027, 6, 2)).due == date(2027, 6, 1)


def test_a_later_joiner_gets_their_start_plus_the_policys_days() -> None:
    bas = _person("1002", start=date(2027, 3, 1))
    assert obligation(POLICY, bas, [], date(2027, 3, 2)).due == date(2027, 3, 31)
    assert obligation(POLICY, bas, [], date(2027, 4, 1)).state == "overdue"
    assert obligation(HR_ONLY, bas, [], date(2027, 3, 2)).due == date(2027, 3, 15)


def test_who_owes_nothing() -> None:
    today = date(2027, 2, 1)
    sales = _person("1003", department="sales")
    assert obligation(HR_ONLY, sales, [], today).state == "not_applicable"  # not the audience
    left = _person("1004", end=date(2027, 1, 15))
    assert obligation(POLICY, left, [], today) == Obligation("social-media", "not_applicable")
    future = _person("1005", start=date(2027, 3, 1))
    assert obligation(POLICY, future, [], today).state == "not_applicable"  # not started
    assert obligation(NO_ROUND, _person("1001"), [], today).state == "not_applicable"
    states = obligations([POLICY, HR_ONLY], sales, {}, today)
    assert [o.state for o in states] == ["overdue", "not_applicable"]


def test_coverage_counts_per_policy_and_department_and_the_overdue_list() -> None:
    people = [
        _person("1001", "hr"),
        _person("1002", "hr"),
        _person("1003", "sales"),
        _person("1004", "sales", start=date(2027, 1, 20)),
        _person("1005", "sales", end=date(2026, 12, 31)),
    ]
    confirmed = {"1001": {"social-media": [Confirmed("1.0.0", AT)]}}
    today = date(2027, 2, 1)
    policies = [POLICY, HR_ONLY, NO_ROUND]
    assert coverage(policies, people, settled_from(policies, confirmed), today) == [
        Coverage("social-media", "hr", 1, 0, 1),
        Coverage("social-media", "sales", 0, 1, 1),
        Coverage("verzuim", "hr", 0, 0, 2),
    ]
    assert overdue(policies, people, settled_from(policies, confirmed), today) == [
        Overdue("social-media", "1.0.0", "1002", "hr", date(2027, 1, 1)),
        Overdue("social-media", "1.0.0", "1003", "sales", date(2027, 1, 1)),
        Overdue("verzuim", "1.0.0", "1001", "hr", date(2027, 1, 1)),
        Overdue("verzuim", "1.0.0", "1002", "hr", date(2027, 1, 1)),
    ]


def test_the_facts_find_a_release() -> None:
    assert POLICY.release("1.1.0") == RELEASES[1]
    assert POLICY.release("9.0.0") is None
    assert POLICY.latest == RELEASES[1]
    assert PolicyFacts("x", "x", (), None, 30).latest is None


def test_the_counts_agree_with_each_persons_obligation() -> None:
    """``coverage`` and ``overdue`` inline the rules of ``obligation``: over every kind of
    person, confirmation and policy, they count what it says one by one."""
    second = PolicyFacts("tweede", "T", (FIRST, SECOND), frozenset({"hr", "sales"}), 10, RELEASES)
    policies = [POLICY, HR_ONLY, NO_ROUND, second]
    starts = [date(2020, 1, 1), date(2027, 1, 25), date(2027, 3, 1), date(2027, 6, 20)]
    ends = [None, date(2027, 1, 31), date(2027, 12, 31)]
    versions = [(), ("1.0.0",), ("1.1.0",), ("2.0.0",), ("1.0.0", "2.1.0")]
    people, confirmed = [], {}
    for number, (department, start, end, mine) in enumerate(
        (d, s, e, v) for d in ("hr", "sales", "it") for s in starts for e in ends for v in versions
    ):
        employee = str(2000 + number)
        people.append(_person(employee, department, start, end))
        for p in policies:
            confirmed.setdefault(employee, {})[p.id] = [Confirmed(v, AT) for v in mine]
    for today in (date(2027, 1, 1), date(2027, 2, 10), date(2027, 6, 2), date(2027, 7, 5)):
        expected: dict[tuple[str, str], list[int]] = {}
        late = []
        for p in policies:
            for person in people:
                owed = obligation(p, person, confirmed[person.employee][p.id], today)
                if owed.state == "not_applicable":
                    continue
                row = expected.setdefault((p.id, person.department), [0, 0, 0])
                row[("confirmed", "pending", "overdue").index(owed.state)] += 1
                if owed.state == "overdue":
                    late.append((p.id, person.department, person.employee, owed.due))
        counted = coverage(policies, people, settled_from(policies, confirmed), today)
        assert {(c.policy, c.department): [c.confirmed, c.pending, c.overdue] for c in counted} == (
            expected
        )
        listed = overdue(policies, people, settled_from(policies, confirmed), today)
        assert [(o.policy, o.department, o.employee, o.due) for o in listed] == sorted(late)
