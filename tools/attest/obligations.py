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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
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
    floor = version_key(round_.version)
    found = [(version_key(c.version), c) for c in confirmed]
    later = [(key, c) for key, c in found if key >= floor]
    return max(later, key=lambda pair: pair[0])[1] if later else None


def obligations(
    policies: Sequence[PolicyFacts],
    person: PersonRow,
    confirmed: Mapping[str, Sequence[Confirmed]],
    today: dt.date,
) -> list[Obligation]:
    """The person's state for each policy (``confirmed``: theirs, per policy id)."""
    return [obligation(p, person, confirmed.get(p.id, ()), today) for p in policies]


def _states(
    policies: Sequence[PolicyFacts], people: Iterable[PersonRow], by_person: ByPerson,
    today: dt.date,
) -> Iterator[tuple[PolicyFacts, PersonRow, Obligation]]:  # fmt: skip
    everyone = list(people)
    for policy in policies:
        if not policy.rounds:
            continue
        for person in everyone:
            mine = by_person.get(person.employee, {}).get(policy.id, ())
            yield policy, person, obligation(policy, person, mine, today)


def coverage(
    policies: Sequence[PolicyFacts], people: Iterable[PersonRow], by_person: ByPerson,
    today: dt.date,
) -> list[Coverage]:  # fmt: skip
    """Per policy and department (people who owe nothing are not counted), sorted."""
    counts: dict[tuple[str, str], dict[State, int]] = {}
    for policy, person, owed in _states(policies, people, by_person, today):
        if owed.state == "not_applicable":
            continue
        row = counts.setdefault((policy.id, person.department), dict.fromkeys(STATES, 0))
        row[owed.state] += 1
    return [
        Coverage(policy, department, row["confirmed"], row["pending"], row["overdue"])
        for (policy, department), row in sorted(counts.items())
    ]


def overdue(
    policies: Sequence[PolicyFacts], people: Iterable[PersonRow], by_person: ByPerson,
    today: dt.date,
) -> list[Overdue]:  # fmt: skip
    """Everyone overdue, by policy, department and employee number."""
    found = [
        Overdue(policy.id, owed.version or "", person.employee, person.department, owed.due)
        for policy, person, owed in _states(policies, people, by_person, today)
        if owed.state == "overdue" and owed.due is not None
    ]
    return sorted(found, key=lambda o: (o.policy, o.department, o.employee))
