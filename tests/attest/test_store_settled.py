"""``ack status`` asks the database who settled each round (``store_acks.settled_people``),
not every confirmation: on a random population, on both databases, it counts what the
per-person rules (``obligations.obligation``) say one by one."""

from __future__ import annotations

import datetime as dt
import random
from datetime import date

from tools.attest.obligations import (
    PolicyFacts,
    ReleasedText,
    coverage,
    obligation,
    overdue,
    settled_from,
)
from tools.attest.people_csv import PersonRow
from tools.attest.people_diff import PeoplePlan
from tools.attest.record import Request
from tools.attest.rounds import Round
from tools.attest.store import apply_people, stored_people, transaction
from tools.attest.store_acks import (
    Accepted,
    confirmations_by_person,
    find_person,
    record_all,
    settled_people,
)

SECRET = b"0123456789abcdef0123456789abcdef"
AT = dt.datetime(2027, 1, 15, 9, 30, tzinfo=dt.UTC)
VERSIONS = ("1.0.0", "1.1.0", "2.0.0", "2.0.1", "2.1.0", "10.0.0")
DEPARTMENTS = ("hr", "it", "sales")


def _policy(policy_id: str, rounds: tuple[str, ...], departments: frozenset[str] | None) -> (
    PolicyFacts
):  # fmt: skip
    texts = tuple(
        ReleasedText(v, f"{policy_id}/v{v}", date(2027, 1, 1), v in rounds, "a" * 40, "b" * 64)
        for v in VERSIONS
    )
    opened = tuple(Round(policy_id, v, f"{policy_id}/v{v}", date(2027, 2, 1)) for v in rounds)
    return PolicyFacts(policy_id, policy_id, opened, departments, 30, texts)


POLICIES = [
    _policy("alpha", ("1.0.0", "2.0.0"), None),
    _policy("beta", ("1.0.0",), frozenset({"hr", "it"})),
    _policy("gamma", ("1.0.0", "2.0.0", "10.0.0"), None),  # 10 > 2: versions, not strings
    _policy("delta", (), None),  # asks no acknowledgement
]


def _population(chance: random.Random) -> list[PersonRow]:
    starts = [date(2020, 1, 1), date(2027, 1, 20), date(2027, 3, 1)]
    ends = [None, None, date(2027, 2, 10)]
    found = []
    for n in range(1, 121):
        department, start, end = (
            chance.choice(DEPARTMENTS),
            chance.choice(starts),
            chance.choice(ends),
        )
        found.append(PersonRow(f"{n:04d}", "Invented", f"p{n}@example.org", department, start, end))
    return found


def _stock(url: str, chance: random.Random, people: list[PersonRow]) -> None:
    with transaction(url) as session:
        apply_people(session, PeoplePlan(added=people, updated=[], ended=[], unchanged=0))
        ids = {p.employee: find_person(session, p.employee) for p in people}
        accepted: list[Accepted] = []
        for person in people:
            found = ids[person.employee]
            for policy in POLICIES:
                for version in chance.sample(VERSIONS, chance.randrange(4)):
                    request = Request(person.employee, policy.id, version, "import")
                    release = policy.release(version)
                    assert found is not None and release is not None
                    accepted.append((found[0], request, release, AT))
        record_all(session, SECRET, accepted)


def test_the_database_counts_what_each_persons_rules_say(db_url: str) -> None:
    chance = random.Random(21)
    _stock(db_url, chance, _population(chance))
    with transaction(db_url) as session:
        people = stored_people(session)
        settled = settled_people(session, POLICIES)
        by_person = confirmations_by_person(session)
    assert settled == settled_from(POLICIES, by_person)
    assert 0 < sum(len(v) for v in settled.values()) < len(people) * 3
    kinds: set[str] = set()  # the population has every state: the test could fail
    for today in (date(2027, 1, 25), date(2027, 2, 5), date(2027, 3, 20)):
        expected: dict[tuple[str, str], list[int]] = {}
        late = []
        for policy in POLICIES:
            for person in people:
                mine = by_person.get(person.employee, {}).get(policy.id, [])
                owed = obligation(policy, person, mine, today)
                if owed.state == "not_applicable":
                    continue
                row = expected.setdefault((policy.id, person.department), [0, 0, 0])
                row[("confirmed", "pending", "overdue").index(owed.state)] += 1
                kinds.add(owed.state)
                if owed.state == "overdue":
                    late.append((policy.id, person.department, person.employee, owed.due))
        counted = coverage(POLICIES, people, settled, today)
        assert {(c.policy, c.department): [c.confirmed, c.pending, c.overdue] for c in counted} == (
            expected
        )
        listed = overdue(POLICIES, people, settled, today)
        assert [(o.policy, o.department, o.employee, o.due) for o in listed] == sorted(late)
    assert kinds == {"confirmed", "pending", "overdue"}
