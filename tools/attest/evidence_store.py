"""The evidence's reads and the purge, in the store (IO): the rows of the auditor's export, one
person's record, and erasing the people past the retention period. Each runs in the caller's
``store.transaction``: a purge erases everyone due or no one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from tools.attest.chain import moment
from tools.attest.evidence import ExportRow, PersonRecord
from tools.attest.tables import Confirmation, Person

_C = Confirmation
_COLUMNS = (
    _C.seq, Person.employee, _C.person_key, _C.policy, _C.version, _C.tag_object,
    _C.text_sha256, _C.confirmed_at, _C.channel, _C.prev_hash, _C.row_hash,
)  # fmt: skip
"""The export's columns, in ``ExportRow``'s order: plain rows, not ORM objects (200,000)."""


def _rows(query: Select[Any], session: Session) -> list[ExportRow]:
    return [
        ExportRow(seq, employee or "", key, policy, version, tag, text, moment(at), channel,
                  previous, row_hash)
        for seq, employee, key, policy, version, tag, text, at, channel, previous, row_hash
        in session.execute(query)
    ]  # fmt: skip


def export_rows(session: Session) -> list[ExportRow]:
    """Every confirmation in chain order, with its person's employee number if still known."""
    query = (
        select(*_COLUMNS)
        .outerjoin(Person, Confirmation.person_id == Person.id)
        .order_by(Confirmation.seq)
    )
    return _rows(query, session)


def person_record(session: Session, employee: str) -> PersonRecord | None:
    """Everything stored about the person with this employee number; None when nothing is
    (never stored, or purged: then their confirmations carry only the keyed hash)."""
    person = session.scalars(select(Person).where(Person.employee == employee)).first()
    if person is None:
        return None
    query = (
        select(*_COLUMNS)
        .join(Person, Confirmation.person_id == Person.id)
        .where(Person.id == person.id)
        .order_by(Confirmation.seq)
    )
    return PersonRecord(
        person.employee, person.name, person.email, person.department,
        person.start_date.isoformat(),
        person.end_date.isoformat() if person.end_date else None,
        tuple(_rows(query, session)),
    )  # fmt: skip


@dataclass(frozen=True)
class Purge:
    """What a purge erased (or, dry, would erase): counts, never names."""

    people: int
    unlinked: int
    """Confirmations whose link to a purged person was cleared (the rows themselves stay)."""


def purge(session: Session, today: date, days: int, dry_run: bool) -> Purge:
    """Erase everyone who left more than ``days`` days before ``today``: their people row
    (name, e-mail, employee number, department, dates) and their confirmations' link to it.
    The chain covers the keyed hash, not these, so it still verifies."""
    cutoff = today - timedelta(days=days)  # evidence.past_retention, as a query
    due = (Person.end_date.is_not(None), Person.end_date < cutoff)
    ids = select(Person.id).where(*due)
    people = session.scalar(select(func.count()).select_from(Person).where(*due)) or 0
    linked = select(func.count()).select_from(Confirmation).where(Confirmation.person_id.in_(ids))
    result = Purge(people, (session.scalar(linked) or 0) if people else 0)
    if people and not dry_run:
        session.execute(
            update(Confirmation).where(Confirmation.person_id.in_(ids)).values(person_id=None)
        )
        session.execute(delete(Person).where(*due))
        session.flush()
    return result
