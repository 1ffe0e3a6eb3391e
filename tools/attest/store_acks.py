"""The store's side of rounds and confirmations (IO, in the session ``store.transaction``
opens): one person by employee number, who confirmed which version when, and recording a
confirmation that ``record.check`` accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.attest.obligations import Confirmed, ReleasedText
from tools.attest.people_csv import PersonRow
from tools.attest.record import Request, link
from tools.attest.store import append_confirmation
from tools.attest.tables import Confirmation, Person


def find_person(session: Session, employee: str) -> tuple[int, PersonRow] | None:
    """(row id, the person) for an employee number; None when not stored."""
    found = session.scalars(select(Person).where(Person.employee == employee)).first()
    if found is None:
        return None
    row = PersonRow(
        found.employee, found.name, found.email, found.department, found.start_date,
        found.end_date,
    )  # fmt: skip
    return found.id, row


def people_ids(session: Session, employees: Collection[str]) -> dict[str, tuple[int, PersonRow]]:
    """(row id, person) per employee number, for those of ``employees`` that are stored."""
    wanted = set(employees)
    return {
        p.employee: (
            p.id,
            PersonRow(p.employee, p.name, p.email, p.department, p.start_date, p.end_date),
        )
        for p in session.scalars(select(Person))
        if p.employee in wanted
    }


def confirmations_by_person(
    session: Session, policies: Collection[str] | None = None
) -> dict[str, dict[str, list[Confirmed]]]:
    """Per employee number, per policy, the versions they confirmed (chain order); a purged
    person's confirmations have no employee number left and are not here."""
    query = (
        select(Person.employee, Confirmation.policy, Confirmation.version)
        .add_columns(Confirmation.confirmed_at)
        .join(Person, Person.id == Confirmation.person_id)
        .order_by(Confirmation.seq)
    )
    if policies is not None:
        query = query.where(Confirmation.policy.in_(sorted(policies)))
    found: dict[str, dict[str, list[Confirmed]]] = {}
    for employee, policy, version, stored in session.execute(query):
        at = stored if stored.tzinfo else stored.replace(tzinfo=UTC)  # SQLite: naive, in UTC
        found.setdefault(employee, {}).setdefault(policy, []).append(Confirmed(version, at))
    return found


def record(
    session: Session, person_id: int, secret: bytes, request: Request, release: ReleasedText,
    at: dt.datetime,
) -> bool:  # fmt: skip
    """Append a confirmation ``record.check`` accepted (``release``: what it returned), at the
    chain's head; False when this person already confirmed this version (nothing written)."""
    return append_confirmation(session, person_id, link(secret, request, release, at))
