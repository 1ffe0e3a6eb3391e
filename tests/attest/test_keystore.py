"""The chain's key: made beside a SQLite store (0600), given for PostgreSQL, never printed, and
refused when it is not the one the confirmations were made with."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.attest.evidencedata import SECRET, TODAY, sql, stocked
from tests.conftest import run_policy
from tools.attest.keystore import chain_secret, check_key, fingerprint, key_path
from tools.attest.store import transaction
from tools.base.errors import UsageError

OTHER = b"fedcba9876543210fedcba9876543210"


def test_a_sqlite_store_gets_a_private_key_file_beside_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'attest.db'}"
    assert key_path(url) == tmp_path / "data" / "attest.db.key"
    key = chain_secret(url, None, {})
    path = tmp_path / "data" / "attest.db.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) == 64
    assert chain_secret(url, None, {}) == key  # made once, then read
    assert chain_secret(f"sqlite:///file:{tmp_path / 'data' / 'attest.db'}?mode=ro&uri=true",
                        None, {}) == key  # fmt: skip
    assert chain_secret(url, None, {"POLICY_ACK_KEY": OTHER.decode()}) == OTHER
    os.chmod(path, 0o644)
    with pytest.raises(UsageError, match=r"can be read by others; .*chmod 600"):
        chain_secret(url, None, {})


def test_a_postgresql_store_needs_the_key_given(tmp_path: Path) -> None:
    url = "postgresql+psycopg://h/db"
    assert key_path(url) is None
    with pytest.raises(UsageError, match=r"needs the chain's key.*--key-file FILE or POLICY_ACK"):
        chain_secret(url, None, {})
    given = tmp_path / "ack.key"
    given.write_text(SECRET.decode() + "\n")
    given.chmod(0o400)
    assert chain_secret(url, given, {"POLICY_ACK_KEY": OTHER.decode()}) == SECRET  # file first
    with pytest.raises(UsageError, match="shorter than 32 characters"):
        chain_secret(url, None, {"POLICY_ACK_KEY": "short"})
    with pytest.raises(UsageError, match="cannot read --key-file"):
        chain_secret(url, tmp_path / "missing.key", {})


def test_the_first_key_is_remembered_and_another_refused(db_url: str) -> None:
    with transaction(db_url) as session:
        check_key(session, SECRET, remember=False)  # only compared: nothing stored
    with transaction(db_url) as session:
        check_key(session, SECRET)
    with transaction(db_url) as session:
        check_key(session, SECRET)
        with pytest.raises(UsageError) as refused:
            check_key(session, OTHER)
    message = str(refused.value)
    assert fingerprint(OTHER)[:16] in message and fingerprint(SECRET)[:16] in message
    assert SECRET.decode() not in message and OTHER.decode() not in message


def test_a_store_from_before_fingerprints_is_checked_against_a_confirmation(
    shipped_repo: Path, db_url: str
) -> None:
    stocked(shipped_repo, db_url)  # no fingerprint: confirmations appended by the library
    with transaction(db_url) as session, pytest.raises(UsageError, match="is not the one"):
        check_key(session, OTHER)
    with transaction(db_url) as session:
        check_key(session, SECRET)
    stored = sql(db_url, lambda c: c.execute(text("SELECT value FROM settings")).scalar_one())
    assert stored == fingerprint(SECRET)


def test_verify_refuses_a_key_that_is_not_the_chains(
    shipped_repo: Path, db_url: str, tmp_path: Path
) -> None:
    stocked(shipped_repo, db_url)
    wrong = tmp_path / "wrong.key"
    wrong.write_text(OTHER.decode())
    wrong.chmod(0o600)
    done = run_policy("ack", "verify", "--db", db_url, "--key-file", str(wrong),
                      cwd=shipped_repo, today=TODAY)  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "is not the one this database's confirmations were made with" in done.stderr
    assert OTHER.decode() not in done.stderr + done.stdout
    right = tmp_path / "right.key"
    right.write_text(SECRET.decode())
    right.chmod(0o600)
    done = run_policy("ack", "verify", "--db", db_url, "--key-file", str(right),
                      cwd=shipped_repo, today=TODAY)  # fmt: skip
    assert done.returncode == 0
