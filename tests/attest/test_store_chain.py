"""The confirmations' chain in the store, on SQLite and PostgreSQL: appended under a lock,
idempotent, and broken by any row edited, inserted, deleted or reordered with plain SQL."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from tests.conftest import run_policy
from tools.attest.chain import Link, link_hash, person_key
from tools.attest.store import append_confirmation, transaction, verify_chain


def _link(employee: str, version: str = "1.0.0") -> Link:
    return Link(
        0, person_key(b"test key", employee), "social-media", version, "a" * 40, "b" * 64,
        "2026-12-01T09:30:00Z", "import",
    )  # fmt: skip


def _four(db_url: str) -> None:
    with transaction(db_url) as session:
        for employee in "1234":
            assert append_confirmation(session, None, _link(employee))


def _sql(db_url: str, change: Callable[[Connection], None]) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            change(connection)
    finally:
        engine.dispose()


def test_an_intact_chain_verifies_and_confirming_twice_changes_nothing(db_url: str) -> None:
    _four(db_url)
    with transaction(db_url) as session:
        assert not append_confirmation(session, None, _link("2"))
        assert append_confirmation(session, None, _link("2", "2.0.0"))
        assert verify_chain(session)[0] is None


def _edit(c: Connection) -> None:
    c.execute(text("UPDATE confirmations SET channel = 'web' WHERE seq = 2"))


def _delete(c: Connection) -> None:
    c.execute(text("DELETE FROM confirmations WHERE seq = 2"))


def _reorder(c: Connection) -> None:
    for old, new in [(2, 100), (3, 2), (100, 3)]:
        c.execute(
            text("UPDATE confirmations SET seq = :new WHERE seq = :old"), {"old": old, "new": new}
        )


def _insert(c: Connection) -> None:
    """A row slipped in after seq 2 with a hash that is right for itself: the next row's link
    to its predecessor breaks (a forged row at the end needs the head kept elsewhere)."""
    c.execute(text("UPDATE confirmations SET seq = seq + 10 WHERE seq > 2"))
    previous = c.execute(text("SELECT row_hash FROM confirmations WHERE seq = 2")).scalar_one()
    forged = replace(_link("9"), seq=3)
    columns = "seq, person_key, policy, version, tag_object, text_sha256, confirmed_at, channel"
    c.execute(
        text(
            f"INSERT INTO confirmations ({columns}, prev_hash, row_hash) VALUES (:seq, "
            ":person_key, :policy, :version, :tag_object, :text_sha256, :at, :channel, "
            ":previous, :hash)"
        ),
        {**asdict(forged), "at": "2026-12-01 09:30:00+00:00", "previous": previous,
         "hash": link_hash(forged, previous)},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("tamper", "broken_at"),
    [(_edit, 2), (_delete, 3), (_reorder, 2), (_insert, 13)],
    ids=["edited", "deleted", "reordered", "inserted"],
)
def test_plain_sql_tampering_breaks_the_chain(
    db_url: str, tamper: Callable[[Connection], None], broken_at: int, shipped_repo: Path
) -> None:
    _four(db_url)
    intact = run_policy("ack", "verify", "--db", db_url, cwd=shipped_repo)
    with transaction(db_url) as session:
        head = verify_chain(session)[2]
    assert (intact.returncode, intact.stdout) == (
        0,
        f"the chain holds: 4 confirmations, head {head}\n",
    )
    _sql(db_url, tamper)
    with transaction(db_url) as session:
        assert verify_chain(session)[0] == broken_at
    broken = run_policy("ack", "verify", "--db", db_url, cwd=shipped_repo)
    assert broken.returncode == 1
    assert broken.stdout.startswith(f"the chain is broken at confirmation {broken_at}: ")


def test_an_empty_chain_holds(db_url: str, shipped_repo: Path) -> None:
    done = run_policy("ack", "verify", "--db", db_url, cwd=shipped_repo)
    assert (done.returncode, done.stdout) == (
        0,
        f"the chain holds: 0 confirmations, head {'0' * 64}\n",
    )


def test_concurrent_writers_keep_one_chain(db_url: str) -> None:
    with transaction(db_url):
        pass  # the schema, once

    def write(employee: str) -> bool:
        with transaction(db_url) as session:
            return append_confirmation(session, None, _link(employee))

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(write, [str(n % 12) for n in range(24)]))
    assert done.count(True) == 12
    with transaction(db_url) as session:
        assert verify_chain(session)[0] is None
