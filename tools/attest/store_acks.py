"""The store's side of rounds and confirmations (IO, in the session ``store.transaction``
opens): one person by employee number, who confirmed which version when, and recording a
confirmation that ``record.check`` accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC

from sqlalchemy import and_, false, or_, select, text
from sqlalchemy.orm import Session

from tools.attest.chain import GENESIS, link_hash, parse_moment
from tools.attest.obligations import Confirmed, PolicyFacts, ReleasedText, settling_versions
from tools.attest.people_csv import PersonRow
from tools.attest.record import Request, link
from tools.attest.store import _CHAIN_LOCK, append_confirmation
from tools.attest.tables import Confirmation, Person

Accepted = tuple[int | None, Request, ReleasedText, dt.datetime]
"""A confirmation ``record.check`` accepted: (the person's row id, the request, the release,
the time)."""


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


def settled_people(session: Session, policies: Sequence[PolicyFacts]) -> dict[str, set[str]]:
    """Per policy, the employee numbers with a confirmation of its latest round's version or
    a later one (``obligations.Settled``). Two indexed queries: the versions confirmed, then
    the people who confirmed a settling one; not every confirmation (200,000 rows)."""
    ids = sorted(p.id for p in policies)
    stored = select(Confirmation.policy, Confirmation.version).distinct()
    confirmed: dict[str, list[str]] = {}
    connection = session.connection()  # Core rows: the ORM's loading layer costs a third more
    for policy_id, version in connection.execute(stored.where(Confirmation.policy.in_(ids))):
        confirmed.setdefault(policy_id, []).append(version)
    settling = {p.id: settling_versions(p, confirmed.get(p.id, ())) for p in policies}
    wanted = [
        and_(Confirmation.policy == policy_id, Confirmation.version.in_(sorted(versions)))
        for policy_id, versions in sorted(settling.items())
        if versions
    ]
    query = (
        select(Confirmation.policy, Person.employee)
        .join(Person, Person.id == Confirmation.person_id)
        .where(or_(false(), *wanted))
        .distinct()  # one row per person and policy, not per settling version
    )
    found: dict[str, set[str]] = {p.id: set() for p in policies}
    for policy_id, employee in connection.execute(query) if wanted else ():
        found[policy_id].add(employee)
    return found


def record(
    session: Session, person_id: int | None, secret: bytes, request: Request,
    release: ReleasedText, at: dt.datetime,
) -> bool:  # fmt: skip
    """Append a confirmation ``record.check`` accepted (``release``: what it returned), at the
    chain's head; False when this person already confirmed this version (nothing written)."""
    return append_confirmation(session, person_id, link(secret, request, release, at))


def record_all(
    session: Session, secret: bytes,
    accepted: Sequence[Accepted],
) -> int:  # fmt: skip
    """Append many accepted confirmations (person id, request, release, time) under one lock,
    reading the head and the stored ones once: an import of 10,000 rows is one pass, not
    10,000 round trips. Returns how many were new (the rest were already recorded)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    policies = sorted({request.policy for _, request, _, _ in accepted})
    stored = select(Confirmation.person_key, Confirmation.policy, Confirmation.version).where(
        Confirmation.policy.in_(policies)
    )
    seen = {tuple(row) for row in session.execute(stored)}
    head = session.scalars(select(Confirmation).order_by(Confirmation.seq.desc()).limit(1)).first()
    seq, previous = (head.seq, head.row_hash) if head else (0, GENESIS)
    written = 0
    for person_id, request, release, at in accepted:
        made = link(secret, request, release, at)
        if (made.person_key, made.policy, made.version) in seen:
            continue
        seen.add((made.person_key, made.policy, made.version))
        seq += 1
        made = replace(made, seq=seq)
        row_hash = link_hash(made, previous)
        session.add(
            Confirmation(
                seq=seq, person_id=person_id, person_key=made.person_key, policy=made.policy,
                version=made.version, tag_object=made.tag_object, text_sha256=made.text_sha256,
                confirmed_at=parse_moment(made.confirmed_at), channel=made.channel,
                prev_hash=previous, row_hash=row_hash,
            )
        )  # fmt: skip
        previous, written = row_hash, written + 1
    session.flush()
    return written
