"""The migrations on SQLite and PostgreSQL: an empty database, and one the first migration made
with rows in it, are both upgraded to the newest schema with their data kept."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from tests.attest.ackkit import index_names
from tests.attest.evidencedata import stocked
from tests.conftest import run_policy
from tools.attest.store import SCHEMA_HEAD, _alembic, migrate
from tools.attest.tables import Base


def _first_migration_only(url: str, revision: str = "0001") -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config = _alembic()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


PEOPLE = "INSERT INTO people (id, employee, name, email, department, start_date) VALUES "
CONFIRMATION = (
    "INSERT INTO confirmations (seq, person_id, person_key, policy, version, tag_object, "
    "text_sha256, confirmed_at, channel, prev_hash, row_hash) VALUES (1, 1, :key, 'privacy', "
    "'1.0.0', :tag, :text, '2026-12-01 09:30:00+00:00', 'web', :zero, :hash)"
)


def _dump(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            people = connection.execute(text("SELECT * FROM people ORDER BY id")).all()
            confirmations = connection.execute(text("SELECT * FROM confirmations")).all()
            return [tuple(r) for r in [*people, *confirmations]]
    finally:
        engine.dispose()


def test_a_database_of_the_first_migration_keeps_its_rows(db_url: str) -> None:
    _first_migration_only(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(PEOPLE + "(1, '101', 'An Eik', 'an@example.org', 'hr', "
                                    "'2020-01-01')"))  # fmt: skip
            connection.execute(
                text(CONFIRMATION),
                {"key": "k" * 64, "tag": "a" * 40, "text": "b" * 64, "zero": "0" * 64,
                 "hash": "c" * 64},
            )  # fmt: skip
        assert "settings" not in inspect(engine).get_table_names()
        before = _dump(db_url)
        assert migrate(engine) == SCHEMA_HEAD
        assert "settings" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    assert _dump(db_url) == before and len(before) == 2


def test_a_database_of_the_second_migration_gains_the_index_and_keeps_its_rows(
    db_url: str,
) -> None:
    _first_migration_only(db_url, "0002")
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(PEOPLE + "(1, '101', 'An Eik', 'an@example.org', 'hr', "
                                    "'2020-01-01')"))  # fmt: skip
            connection.execute(
                text(CONFIRMATION),
                {"key": "k" * 64, "tag": "a" * 40, "text": "b" * 64, "zero": "0" * 64,
                 "hash": "c" * 64},
            )  # fmt: skip
        indexes = {i["name"] for i in inspect(engine).get_indexes("confirmations")}
        assert "ix_confirmations_policy_version" not in indexes
        before = _dump(db_url)
        assert migrate(engine) == SCHEMA_HEAD
        indexes = {i["name"] for i in inspect(engine).get_indexes("confirmations")}
        assert "ix_confirmations_policy_version" in indexes
    finally:
        engine.dispose()
    assert _dump(db_url) == before and len(before) == 2


def test_a_database_of_the_third_migration_gains_the_email_index_and_keeps_its_rows(
    db_url: str,
) -> None:
    _first_migration_only(db_url, "0003")
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(PEOPLE + "(1, '101', 'An Eik', 'An@Example.org', 'hr', "
                                    "'2020-01-01')"))  # fmt: skip
        indexes = index_names(engine, "people")
        assert "ix_people_email_lower" not in indexes
        before = _dump(db_url)
        assert migrate(engine) == "0004"
        indexes = index_names(engine, "people")
        assert "ix_people_email_lower" in indexes
        with engine.connect() as connection:
            found = "SELECT id FROM people WHERE lower(email) = 'an@example.org'"
            assert connection.execute(text(found)).scalar() == 1
    finally:
        engine.dispose()
    assert _dump(db_url) == before and len(before) == 1


def test_the_schema_head_the_store_knows_is_alembics() -> None:
    """``transaction`` skips Alembic for a database at ``SCHEMA_HEAD``: a new migration must
    move it, or it would never run."""
    assert ScriptDirectory.from_config(_alembic()).get_current_head() == SCHEMA_HEAD


def test_a_command_upgrades_a_first_migration_database(shipped_repo: Path, db_url: str) -> None:
    _first_migration_only(db_url)
    stocked(shipped_repo, db_url)  # the import upgrades it, then writes
    done = run_policy("ack", "verify", "--db", db_url, cwd=shipped_repo)
    assert done.returncode == 0 and done.stdout.startswith("the chain holds: 3 confirmations")


def test_no_address_or_browser_is_stored() -> None:
    """Privacy by default: who, which version, when; a column for a client's address or
    browser needs a decision (and a setting that is off by default), not a quiet migration."""
    columns = {c.name for table in Base.metadata.tables.values() for c in table.columns}
    assert not {c for c in columns for word in ("ip", "addr", "agent", "browser") if word in c}
