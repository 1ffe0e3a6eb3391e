"""What an HR export changes in the stored people: pure, rows in, a plan out.

The export is the truth for everyone it lists. Someone stored and still employed but missing
from it has left: they are ended on the day of the import. Someone already ended who is missing
stays as stored (kept for the retention period, erased by ``policy ack purge``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tools.attest.people_csv import PersonRow


@dataclass(frozen=True)
class PeoplePlan:
    """The changes, each list sorted by employee number; ``unchanged`` counts the rest."""

    added: list[PersonRow]
    updated: list[PersonRow]
    ended: list[PersonRow]
    unchanged: int

    @property
    def empty(self) -> bool:
        return not (self.added or self.updated or self.ended)


def plan_import(
    export: Iterable[PersonRow], stored: Iterable[PersonRow], today: date
) -> PeoplePlan:
    """The export against the store; leavers get ``today`` as their end date."""
    known = {p.employee: p for p in stored}
    listed = {p.employee: p for p in export}
    added = [p for e, p in listed.items() if e not in known]
    updated = [p for e, p in listed.items() if e in known and known[e] != p]
    ended = [
        replace(p, end=today)
        for e, p in known.items()
        if e not in listed and (p.end is None or p.end > today)
    ]
    unchanged = len(known) - len(updated) - len(ended)
    return PeoplePlan(sorted(added), sorted(updated), sorted(ended), unchanged)


MANY_LEAVERS = 0.2
"""The share of the people employed before an import that may leave in one import; more is
more likely a partial or cut-short export (one department's, say) than a wave of leavers."""


def too_many_leavers(plan: PeoplePlan) -> bool:
    """More than ``MANY_LEAVERS`` of those employed before, and more than five, would leave."""
    employed = len(plan.ended) + len(plan.updated) + plan.unchanged
    return len(plan.ended) > 5 and len(plan.ended) > MANY_LEAVERS * employed


def summary(plan: PeoplePlan) -> str:
    """One line of counts: never a name (the summary may land in a log)."""
    return (
        f"{len(plan.added)} added, {len(plan.updated)} updated, {len(plan.ended)} ended, "
        f"{plan.unchanged} unchanged"
    )
