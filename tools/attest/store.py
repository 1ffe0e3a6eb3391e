"""The attestation store's IO: where the database is, its migrations, one transaction per
command. The only module that opens a database (SQLite on one machine, PostgreSQL for several).

A command runs in ``transaction(url)``: the schema is brought up to date first (Alembic, the
migrations shipped in ``migrations/``), then everything the command writes commits at once or
not at all, so an error or a killed process leaves the database as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, bindparam, create_engine, event, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from tools.attest.chain import GENESIS, Link, first_break, link_hash, moment, parse_moment
from tools.attest.people_csv import PersonRow
from tools.attest.people_diff import PeoplePlan
from tools.attest.tables import Confirmation, Person
from tools.base.errors import UsageError

if TYPE_CHECKING:
    from alembic.config import Config

DB_FILE = "attest.db"
SCHEMA_HEAD = "0004"
"""The newest migration (a test holds it to Alembic's head): a database at it needs no
Alembic, whose import is a fifth of a small command's time."""


def default_database(env: Mapping[str, str]) -> Path:
    """The SQLite file in the user's data folder (XDG_DATA_HOME, else ~/.local/share)."""
    data = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "policy" / DB_FILE


def database_url(option: str | None, env: Mapping[str, str], repository: Path) -> str:
    """``--db``, else ``POLICY_DB``, else the default file; a plain path is a SQLite file. A
    SQLite file inside the repository is refused: personal data never goes into git."""
    given = option or env.get("POLICY_DB") or str(default_database(env))
    url = given if "://" in given else f"sqlite:///{Path(given).expanduser().resolve()}"
    try:
        make_url(url)
    except ArgumentError:
        raise UsageError(f"{given}: not a database URL or file") from None
    if (path := _sqlite_file(url)) is not None:
        if path.is_relative_to(repository.resolve()):
            raise UsageError(
                f"{path}: the database is inside the repository; personal data never goes "
                "into git: keep it elsewhere (--db, POLICY_DB, default in the user's data folder)"
            )
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return url


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or one in memory."""
    parsed = make_url(url)
    database = (parsed.database or "").removeprefix("file:")  # a URI: sqlite:///file:PATH?uri=true
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    return Path(database).resolve()


def _create_private(path: Path) -> None:
    """A new SQLite file readable by its owner only: it holds personal data (SQLite gives its
    -wal and -shm files the database file's mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # an existing store keeps the mode its owner gave it
    except OSError as error:
        raise UsageError(f"{path}: cannot create the database: {error.strerror}") from None


def shown(url: str) -> str:
    """The URL as messages show it: never the password."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """A session in one transaction on an up-to-date schema; commits when the block ends."""
    engine = _engine(url)
    try:
        if _revision(engine) != SCHEMA_HEAD:
            migrate(engine)
        with Session(engine) as session, session.begin():
            yield session
    except DBAPIError as error:
        first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise UsageError(f"database {shown(url)}: {first}") from None
    finally:
        engine.dispose()


def _engine(url: str) -> Engine:
    sqlite = url.startswith("sqlite")
    if sqlite and "mode=ro" not in url and (path := _sqlite_file(url)) is not None:
        _create_private(path)
    try:
        # SQLite: a writer waits for another's lock up to 30 s (5 s by default) before failing.
        engine = create_engine(url, connect_args={"timeout": 30} if sqlite else {})
    except (ArgumentError, NoSuchModuleError, ImportError) as error:  # ImportError: no driver
        raise UsageError(f"{shown(url)}: {error}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(connection: Any, _record: object) -> None:
    # pysqlite's own BEGIN is deferred: take the write lock up front (BEGIN IMMEDIATE) instead,
    # and WAL lets readers go on while one writer works. synchronous=NORMAL under WAL: a commit
    # is in the WAL file before it returns (a killed process loses nothing), and the WAL is
    # synced at checkpoints, not at every commit; a power cut can lose the last commits,
    # never corrupt the file (docs/serve.md, "Durability").
    connection.isolation_level = None
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _revision(engine: Engine) -> str | None:
    """The database's migration; None when it has none yet (or cannot say)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no table yet: an empty database
        return None


def _alembic() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def migrate(engine: Engine) -> str:
    """Upgrade the schema to the newest migration; a schema newer than this code is refused.
    Returns the revision the database is at."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _alembic()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head() or ""
    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        known = {revision.revision for revision in script.walk_revisions()}
        if current is not None and current not in known:
            raise UsageError(
                f"the database's schema ({current}) is newer than this policy tool knows "
                f"(up to {head}); upgrade the tool"
            )
        if current != head:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    return head


def stored_people(session: Session) -> list[PersonRow]:
    """Everyone stored, as plain rows (columns, not ORM objects: 10,000 of those cost 0.3 s)."""
    columns = (Person.employee, Person.name, Person.email, Person.department)
    query = select(*columns, Person.start_date, Person.end_date).order_by(Person.employee)
    return [PersonRow(*row) for row in session.connection().execute(query)]


def apply_people(session: Session, plan: PeoplePlan) -> None:
    """Write an import's plan in the session's transaction (committed by ``transaction``).
    The added are one bulk insert: 10,000 ORM objects flushed one by one took a second."""
    if plan.added:
        session.execute(
            insert(Person),
            [
                {"employee": row.employee, "name": row.name, "email": row.email,
                 "department": row.department, "start_date": row.start, "end_date": row.end}
                for row in plan.added
            ],
        )  # fmt: skip
    changed = [*plan.updated, *plan.ended]
    by_employee = {p.employee: p for p in session.scalars(select(Person))} if changed else {}
    for row in changed:
        person = by_employee[row.employee]
        person.name, person.email, person.department = row.name, row.email, row.department
        person.start_date, person.end_date = row.start, row.end
    session.flush()


_CHAIN_LOCK = 18  # PostgreSQL advisory lock key of the chain head (the number)
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_SAME = select(Confirmation.seq, Confirmation.person_id).where(
    Confirmation.person_key == bindparam("key"),
    Confirmation.policy == bindparam("policy"),
    Confirmation.version == bindparam("version"),
)
_HEAD = select(Confirmation.seq, Confirmation.row_hash).order_by(Confirmation.seq.desc()).limit(1)
_INSERT = insert(Confirmation)  # on a Connection: a plain INSERT, no unit of work
_RELINK = (
    update(Confirmation)
    .where(Confirmation.seq == bindparam("row"))
    .values(person_id=bindparam("person"))
)


def append_confirmation(session: Session, person_id: int | None, link: Link) -> bool:
    """Append one confirmation at the chain's head; ``link.seq`` is ignored and assigned here.
    False when this person already confirmed this version (nothing is written).

    The head is read and extended under one lock, so two writers never fork the chain: SQLite's
    transaction holds the write lock from its start (BEGIN IMMEDIATE), PostgreSQL takes a
    transaction-scoped advisory lock. The unique constraint backs up the idempotence check."""
    session.flush()  # rows the caller added through the ORM are in the head read below
    connection = session.connection()  # Core rows and insert: the ORM's units of work cost
    if connection.dialect.name == "postgresql":  # more than the queries (policy serve's post)
        connection.execute(_ADVISORY_LOCK, {"key": _CHAIN_LOCK})
    same = {"key": link.person_key, "policy": link.policy, "version": link.version}
    if (found := connection.execute(_SAME, same).first()) is not None:
        if found.person_id is None and person_id is not None:
            # Purged, then back under the same employee number: the same keyed hash, so the
            # same person. The link is outside the chain; restoring it changes no hash.
            connection.execute(_RELINK, {"row": found.seq, "person": person_id})
        return False
    head = connection.execute(_HEAD).first()
    seq, previous = (head.seq + 1, head.row_hash) if head else (1, GENESIS)
    link = replace(link, seq=seq)
    connection.execute(
        _INSERT,
        {
            "seq": seq, "person_id": person_id, "person_key": link.person_key,
            "policy": link.policy, "version": link.version, "tag_object": link.tag_object,
            "text_sha256": link.text_sha256, "confirmed_at": parse_moment(link.confirmed_at),
            "channel": link.channel, "prev_hash": previous, "row_hash": link_hash(link, previous),
        },
    )  # fmt: skip
    return True


_CHAIN_QUERY = (
    "SELECT seq, person_key, policy, version, tag_object, text_sha256, confirmed_at, channel, "
    "prev_hash, row_hash FROM confirmations ORDER BY seq"
)
"""Plain SQL on the driver's own cursor: 200,000 rows load in a third of the time of
SQLAlchemy's result rows (and half of that again of the ORM's query)."""


def chain_links(session: Session) -> list[tuple[Link, str, str]]:
    """Every confirmation in chain order, as (link, stored previous hash, stored hash)."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(_CHAIN_QUERY)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [
        (Link(seq, key, policy, version, tag, text, _spelled(at), channel), previous, stored)
        for seq, key, policy, version, tag, text, at, channel, previous, stored in rows
    ]


def linked_people(session: Session) -> list[tuple[int, str, str]]:
    """(seq, person_key, employee number) of every confirmation still linked to a person."""
    rows = session.execute(
        select(Confirmation.seq, Confirmation.person_key, Person.employee)
        .join(Person, Person.id == Confirmation.person_id)
        .order_by(Confirmation.seq)
    )
    return [(seq, key, employee) for seq, key, employee in rows]


def _spelled(value: datetime | str) -> str:
    """A stored time as the chain spells it: PostgreSQL's driver gives a datetime, SQLite the
    text SQLAlchemy wrote (``2026-12-01 09:30:00.000000``: naive, in UTC, cut to the second
    without parsing, as ``moment`` would spell it)."""
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == ".":
        return f"{value[:10]}T{value[11:19]}Z"
    return moment(value if isinstance(value, datetime) else datetime.fromisoformat(value))


def verify_chain(session: Session) -> tuple[int | None, int, str]:
    """(the ``seq`` of the first confirmation where the chain breaks or None, the number of
    confirmations, the head hash: the last row's, or the genesis for an empty chain)."""
    links = chain_links(session)
    broken = first_break(links)
    head = links[-1][2] if links else GENESIS
    return (None if broken is None else links[broken][0].seq), len(links), head


def environment() -> Mapping[str, str]:
    """The process environment (``POLICY_DB``, ``XDG_DATA_HOME``)."""
    return os.environ
