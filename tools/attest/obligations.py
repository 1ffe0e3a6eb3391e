"""Who owes which confirmation: each person's state per policy, coverage per department and
the overdue list. Pure: a policy's facts (from git, ``gather_rounds.py``), people and their
stored confirmations in, plain rows out.

A person owes the policy's latest round: a confirmation of its version or any later one
settles it (a minor release opens no round). They owe nothing when the policy has no round,
when they are not employed today (not started, or left), or when their department is not in
the policy's ``acknowledgement_departments``. The deadline is the round's effective date, or
for a later joiner their start plus the policy's ``acknowledgement_days``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from tools.attest.people_csv import PersonRow
from tools.attest.rounds import Round, deadline, employed
from tools.notes.releasenotes import version_key

State = Literal["confirmed", "pending", "overdue", "not_applicable"]
STATES: tuple[State, ...] = ("confirmed", "pending", "overdue", "not_applicable")


@dataclass(frozen=True)
class ReleasedText:
    """A tagged release as people confirm it: the tag's object id and the digest of the text
    (``textdigest.text_digest``) are None when the gathering was not asked for them."""

    version: str
    tag: str
    effective: dt.date
    opens_round: bool
    tag_object: str | None = None
    digest: str | None = None
    released: dt.date | None = None
    """The release commit's date (UTC): nobody confirms a text before it existed."""


@dataclass(frozen=True)
class PolicyFacts:
    """What attestation knows of one policy, as its last release says it."""

    id: str
    title: str
    rounds: tuple[Round, ...]
    """Oldest first; none when the policy asks no acknowledgement or was never released."""
    departments: frozenset[str] | None
    """``acknowledgement_departments``; None: everyone."""
    days: int
    """``acknowledgement_days``: a later joiner's period."""
    releases: tuple[ReleasedText, ...] = ()
    """Every tagged release, oldest first."""

    def release(self, version: str) -> ReleasedText | None:
        return next((r for r in self.releases if r.version == version), None)

    @property
    def latest(self) -> ReleasedText | None:
        return self.releases[-1] if self.releases else None


@dataclass(frozen=True)
class Confirmed:
    """A stored confirmation: which version, when (UTC)."""

    version: str
    at: dt.datetime


@dataclass(frozen=True)
class Obligation:
    """A person's state for one policy. ``version``: the version confirmed, else the round's
    version owed (None when not applicable); ``due``: the deadline of a pending or overdue
    round; ``confirmed_at``: when a confirmed one was confirmed."""

    policy: str
    state: State
    version: str | None = None
    due: dt.date | None = None
    confirmed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Coverage:
    """Counts (never names) for one policy and department."""

    policy: str
    department: str
    confirmed: int
    pending: int
    overdue: int


@dataclass(frozen=True)
class Overdue:
    """One overdue person, for HR's own list."""

    policy: str
    version: str
    employee: str
    department: str
    due: dt.date


ByPerson = Mapping[str, Mapping[str, Sequence[Confirmed]]]
"""Confirmations per employee number, then per policy id."""


def in_audience(policy: PolicyFacts, department: str) -> bool:
    return policy.departments is None or department in policy.departments


def obligation(
    policy: PolicyFacts, person: PersonRow, confirmed: Sequence[Confirmed], today: dt.date
) -> Obligation:
    """The person's state for the policy's latest round."""
    if not policy.rounds or not in_audience(policy, person.department):
        return Obligation(policy.id, "not_applicable")
    if not employed(person.start, person.end, today):
        return Obligation(policy.id, "not_applicable")
    current = policy.rounds[-1]
    settled = _settling(current, confirmed)
    if settled is not None:
        return Obligation(policy.id, "confirmed", settled.version, None, settled.at)
    due = deadline(current, person.start, policy.days)
    state: State = "overdue" if today > due else "pending"
    return Obligation(policy.id, state, current.version, due)


def _settling(round_: Round, confirmed: Sequence[Confirmed]) -> Confirmed | None:
    """The highest confirmed version at or after the round's, if any."""
    best, best_key = None, _key(round_.version)
    for confirmation in confirmed:
        key = _key(confirmation.version)
        if key >= best_key and (best is None or key > best_key):
            best, best_key = confirmation, key
    return best


@lru_cache(maxsize=1024)
def _key(version: str) -> tuple[int, ...]:
    # Counting 10,000 people over 20 policies compares the same few versions a million times.
    return version_key(version)


def obligations(
    policies: Sequence[PolicyFacts],
    person: PersonRow,
    confirmed: Mapping[str, Sequence[Confirmed]],
    today: dt.date,
) -> list[Obligation]:
    """The person's state for each policy (``confirmed``: theirs, per policy id)."""
    return [obligation(p, person, confirmed.get(p.id, ()), today) for p in policies]


Settled = Mapping[str, AbstractSet[str]]
"""Per policy id, the employee numbers with a confirmation of its latest round's version or
a later one: all ``coverage`` and ``overdue`` need to know of the confirmations. A set, so
that a mapping per person (``ByPerson``, whose keys are also strings) is a type error here."""


def settling_versions(policy: PolicyFacts, versions: Iterable[str]) -> set[str]:
    """Those of ``versions`` that settle the policy's latest round (at or after its version);
    none when it has no round."""
    if not policy.rounds:
        return set()
    floor = _key(policy.rounds[-1].version)
    return {v for v in versions if _key(v) >= floor}


def settled_from(policies: Sequence[PolicyFacts], by_person: ByPerson) -> dict[str, set[str]]:
    """``Settled`` from each person's confirmations (the store asks its database instead)."""
    found: dict[str, set[str]] = {p.id: set() for p in policies}
    for policy in policies:
        for employee, mine in by_person.items():
            if settling_versions(policy, (c.version for c in mine.get(policy.id, ()))):
                found[policy.id].add(employee)
    return found


def _states(
    policies: Sequence[PolicyFacts], people: Iterable[PersonRow], settled: Settled,
    today: dt.date,
) -> Iterator[tuple[str, PersonRow, State, dt.date | None]]:  # fmt: skip
    """(policy id, person, state, due) for everyone each policy's round asks. The same rules
    as ``obligation``, inlined: 10,000 people over 20 policies must count in well under 1 s."""
    everyone = [p for p in people if employed(p.start, p.end, today)]
    for policy in policies:
        if not policy.rounds:
            continue
        current, confirmed = policy.rounds[-1], settled.get(policy.id, ())
        period = dt.timedelta(days=policy.days)
        for person in everyone:
            if policy.departments is not None and person.department not in policy.departments:
                continue
            if person.employee in confirmed:
                yield policy.id, person, "confirmed", None
                continue
            due = max(current.effective, person.start + period)
            yield policy.id, person, "overdue" if today > due else "pending", due


def coverage(
    policies: Sequence[PolicyFacts], people: Iterable[PersonRow], settled: Settled,
    today: dt.date,
) -> list[Coverage]:  # fmt: skip
    """Per policy and department (people who owe nothing are not counted), sorted."""
    counts = Counter(
        (policy, person.department, state)
        for policy, person, state, _ in _states(policies, people, settled, today)
    )
    return [
        Coverage(p, d, counts[p, d, "confirmed"], counts[p, d, "pending"], counts[p, d, "overdue"])
        for p, d in sorted({(p, d) for p, d, _ in counts})
    ]


def overdue(
    policies: Sequence[PolicyFacts], people: Iterable[PersonRow], settled: Settled,
    today: dt.date,
) -> list[Overdue]:  # fmt: skip
    """Everyone overdue, by policy, department and employee number."""
    version = {p.id: p.rounds[-1].version for p in policies if p.rounds}
    found = [
        Overdue(policy, version[policy], person.employee, person.department, due)
        for policy, person, state, due in _states(policies, people, settled, today)
        if state == "overdue" and due is not None
    ]
    return sorted(found, key=lambda o: (o.policy, o.department, o.employee))
