"""The evidence's commands when the database cannot serve them: unreachable, read-only, or of a
newer schema. One line, exit 2, nothing changed, no password."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.attest.evidencedata import sql, stocked
from tests.conftest import run_policy

COMMANDS = [("export",), ("export", "--person", "101"), ("verify",), ("purge",)]


def _ack(repo: Path, url: str, *args: str) -> tuple[int, str, str]:
    done = run_policy("ack", *args, "--db", url, cwd=repo, today="2030-01-01")
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_an_unreachable_database_is_one_line(shipped_repo: Path, args: tuple[str, ...]) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"  # a closed port
    code, out, err = _ack(shipped_repo, url, *args)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1 and "secret" not in err
    assert err.startswith("policy: error: database postgresql+psycopg://nobody:***@127.0.0.1:1/")


def _read_only(url: str) -> str:
    """The same database, now refusing writes: a SQLite file opened read-only (as root, a
    file's permissions would not stop a write), a PostgreSQL database whose transactions are
    read-only by default."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    with psycopg.connect(
        host=parsed.host, port=parsed.port, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(
            f'ALTER DATABASE "{parsed.database}" SET default_transaction_read_only = on'
        )
    return url


def _people(url: str) -> list[tuple[object, ...]]:
    found = sql(url, lambda c: c.execute(text("SELECT * FROM people ORDER BY id")).all())
    return [tuple(r) for r in found]  # type: ignore[attr-defined]


def test_a_read_only_database_refuses_the_purge_and_still_exports(
    shipped_repo: Path, db_url: str
) -> None:
    stocked(shipped_repo, db_url)
    before = _people(db_url)
    read_only = _read_only(db_url)
    code, out, err = _ack(shipped_repo, read_only, "purge")
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert "read" in err.lower() and "only" in err.lower()
    assert _people(db_url) == before
    code, out, _ = _ack(shipped_repo, read_only, "export")
    assert code == 0 and len(out.splitlines()) == 4  # an auditor may export from a replica
    assert _ack(shipped_repo, read_only, "verify")[0] == 0


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_schema_newer_than_the_code_is_refused(
    shipped_repo: Path, db_url: str, args: tuple[str, ...]
) -> None:
    stocked(shipped_repo, db_url)
    sql(db_url, lambda c: c.execute(text("UPDATE alembic_version SET version_num = '9999'")))
    code, out, err = _ack(shipped_repo, db_url, *args)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert "the database's schema (9999) is newer than this policy tool knows" in err
    assert len(_people(db_url)) == 3


def test_the_purge_erases_everyone_due_at_once(shipped_repo: Path, db_url: str) -> None:
    """Two leavers past the retention period: one command, one transaction, one count."""
    stocked(shipped_repo, db_url)
    code, out, _ = _ack(shipped_repo, db_url, "purge")  # 2030: Bo and Cy left > 730 days ago
    assert code == 0 and out.startswith("erased the personal data of 2 people ")
    assert [r[1] for r in _people(db_url)] == ["101"]
