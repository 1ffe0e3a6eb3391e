"""The store as a long-running server uses it (``policy serve``): one engine for the process,
a transaction per request, and the reads a signed-in person needs. IO.

``store.transaction`` opens and upgrades the database per command; a server does that once at
start (``open_database``) and then opens one short transaction per request on the same
engine's pool, so a request costs a few queries, not a connection and a migration check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tools.attest.obligations import Confirmed
from tools.attest.people_csv import PersonRow
from tools.attest.store import _engine, migrate, shown
from tools.attest.tables import Confirmation, Person
from tools.base.errors import UsageError


class DatabaseError(UsageError):
    """The database failed during a request (unreachable, locked too long): the server answers
    503 and the request changed nothing."""


@dataclass(frozen=True)
class Database:
    """An open, migrated database: ``transaction()`` per request."""

    url: str
    engine: Engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an error."""
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except DBAPIError as error:
            first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise DatabaseError(f"database {shown(self.url)}: {first}") from None

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> Database:
    """The engine for ``url`` with its schema brought up to date."""
    engine = _engine(url)
    try:
        migrate(engine)
    except DBAPIError as error:
        engine.dispose()
        first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise UsageError(f"database {shown(url)}: {first}") from None
    return Database(url, engine)


def person_by_email(session: Session, email: str) -> tuple[int, PersonRow] | None:
    """(row id, the person) whose e-mail is ``email``, case-insensitive; None when there is
    none or more than one (an ambiguous sign-in is no sign-in)."""
    found = session.scalars(
        select(Person).where(func.lower(Person.email) == email.lower()).limit(2)
    ).all()
    if len(found) != 1:
        return None
    p = found[0]
    return p.id, PersonRow(p.employee, p.name, p.email, p.department, p.start_date, p.end_date)


def confirmations_of(session: Session, person_id: int) -> dict[str, list[Confirmed]]:
    """The person's confirmations per policy, in chain order."""
    query = (
        select(Confirmation.policy, Confirmation.version, Confirmation.confirmed_at)
        .where(Confirmation.person_id == person_id)
        .order_by(Confirmation.seq)
    )
    found: dict[str, list[Confirmed]] = {}
    for policy, version, stored in session.execute(query):
        at = stored if stored.tzinfo else stored.replace(tzinfo=UTC)  # SQLite: naive, in UTC
        found.setdefault(policy, []).append(Confirmed(version, at))
    return found


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database; None for PostgreSQL and SQLite in memory."""
    parsed = make_url(url)
    database = (parsed.database or "").removeprefix("file:")
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    return Path(database).resolve()
