"""The store as a long-running server uses it (``policy serve``): one engine for the process,
a transaction per request, and the reads a signed-in person needs. IO.

``store.transaction`` opens and upgrades the database per command; a server does that once at
start (``open_database``) and then opens one short transaction per request on the same
engine's pool, so a request costs a few queries, not a connection and a migration check.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tools.attest.obligations import Confirmed
from tools.attest.people_csv import PersonRow
from tools.attest.store import _engine, _sqlite_connect, migrate, shown
from tools.attest.tables import Confirmation, Person
from tools.base.errors import UsageError


@dataclass(frozen=True)
class Database:
    """An open, migrated database: ``transaction()`` per request that writes, ``reading()``
    per request that only reads."""

    url: str
    engine: Engine
    reader: Engine
    """SQLite: an engine whose transactions start deferred (``BEGIN``), so page views read
    beside the one writer (WAL) instead of queueing for its lock; else the same engine."""
    writers: threading.Lock = field(default_factory=threading.Lock)
    """SQLite: this process's writers queue here, in order, rather than in SQLite's busy
    handler, which polls with growing sleeps (a burst's slowest writer waited seconds)."""

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an error."""
        sqlite = self.engine.dialect.name == "sqlite"
        with self.writers if sqlite else nullcontext(), _session(self.url, self.engine) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One transaction that reads a consistent snapshot and writes nothing."""
        with _session(self.url, self.reader) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        self.reader.dispose()


@contextmanager
def _session(url: str, engine: Engine) -> Iterator[Session]:
    try:
        with Session(engine) as session, session.begin():
            yield session
    except DBAPIError as error:
        first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise UsageError(f"database {shown(url)}: {first}") from None


def _deferred_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _reader(url: str, engine: Engine) -> Engine:
    if engine.dialect.name != "sqlite":
        return engine
    reader = create_engine(url, connect_args={"timeout": 30})
    event.listen(reader, "connect", _sqlite_connect)
    event.listen(reader, "begin", _deferred_begin)
    return reader


def open_database(url: str) -> Database:
    """The engine for ``url`` with its schema brought up to date."""
    engine = _engine(url)
    try:
        migrate(engine)
    except DBAPIError as error:
        engine.dispose()
        first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise UsageError(f"database {shown(url)}: {first}") from None
    return Database(url, engine, _reader(url, engine))


_PERSON = (
    select(Person.id, Person.employee, Person.name, Person.email, Person.department,
           Person.start_date, Person.end_date)
    .where(func.lower(Person.email) == bindparam("email"))  # migration 0004's index
    .limit(2)
)  # fmt: skip
_CONFIRMED = (
    select(Confirmation.policy, Confirmation.version, Confirmation.confirmed_at)
    .where(Confirmation.person_id == bindparam("person"))
    .order_by(Confirmation.seq)
)


def person_by_email(session: Session, email: str) -> tuple[int, PersonRow] | None:
    """(row id, the person) whose e-mail is ``email``, case-insensitive; None when there is
    none or more than one (an ambiguous sign-in is no sign-in). Core rows on the session's
    connection, no ORM: it runs on every page a signed-in person opens."""
    found = session.connection().execute(_PERSON, {"email": email.lower()}).all()
    if len(found) != 1:
        return None
    row_id, employee, name, address, department, start, end = found[0]
    return row_id, PersonRow(employee, name, address, department, start, end)


def confirmations_of(session: Session, person_id: int) -> dict[str, list[Confirmed]]:
    """The person's confirmations per policy, in chain order."""
    found: dict[str, list[Confirmed]] = {}
    for policy, version, stored in session.connection().execute(_CONFIRMED, {"person": person_id}):
        at = stored if stored.tzinfo else stored.replace(tzinfo=UTC)  # SQLite: naive, in UTC
        found.setdefault(policy, []).append(Confirmed(version, at))
    return found
