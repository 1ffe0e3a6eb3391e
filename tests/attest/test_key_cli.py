"""The chain's key and the evidence with confirmations recorded by ``ack confirm`` on a real
released repository: the key file made beside a SQLite store, a different key refused, and the
export, purge and verify of what was recorded, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.attest.ackkit import KEY, released
from tests.conftest import day_epoch, run_cli
from tests.releasekit import ShippedRepo

HR = (
    "employee_number,name,email,department,start_date,end_date\n"
    "1001,Anna Invented,anna@example.org,hr,2019-03-01,\n"
    "1002,Bas Invented,bas@example.org,communicatie,2021-06-15,\n"
)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> ShippedRepo:
    return released(tmp_path_factory.mktemp("key") / "shipped", keys)


def _policy(
    root: Path, *args: str, key: str | None = None, day: str = "2026-12-01"
) -> tuple[int, str, str]:
    env = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": day_epoch(day)}
    env.pop("POLICY_ACK_KEY", None)
    if key is not None:
        env["POLICY_ACK_KEY"] = key
    done = run_cli(list(args), cwd=root, env=env)
    return done.returncode, done.stdout, done.stderr


def _confirm(
    root: Path, db: str, person: str, *extra: str, key: str | None = None
) -> tuple[int, str, str]:
    args = ("ack", "confirm", "--person", person, "--policy", "social-media", "--db", db)
    return _policy(root, *args, *extra, key=key)


def test_a_sqlite_store_makes_its_key_and_refuses_another(
    shipped: ShippedRepo, tmp_path: Path
) -> None:
    db = str(tmp_path / "data" / "attest.db")
    (tmp_path / "hr.csv").write_text(HR, encoding="utf-8")
    assert _policy(shipped.root, "people", "import", str(tmp_path / "hr.csv"), "--db", db)[0] == 0
    assert _confirm(shipped.root, db, "1001")[0] == 0  # no key given: the file beside is made
    made = tmp_path / "data" / "attest.db.key"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    code, out, err = _confirm(shipped.root, db, "1002", key=KEY)
    assert (code, out) == (2, "") and "is not the one this database's confirmations" in err
    assert KEY not in err and made.read_text().strip() not in err
    assert _confirm(shipped.root, db, "1002", "--key-file", str(made), key=KEY)[0] == 0
    code, out, _ = _policy(shipped.root, "ack", "verify", "--db", db)
    assert code == 0 and out.startswith("the chain holds: 2 confirmations")


def test_confirmations_recorded_are_exported_and_survive_a_purge(
    shipped: ShippedRepo, db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "hr.csv").write_text(HR, encoding="utf-8")
    _policy(shipped.root, "people", "import", str(tmp_path / "hr.csv"), "--db", db_url)
    for person in ("1001", "1002"):
        assert _confirm(shipped.root, db_url, person, key=KEY)[0] == 0
    code, out, _ = _policy(shipped.root, "ack", "export", "--format", "json", "--db", db_url)
    exported = json.loads(out)
    assert code == 0 and [c["employee"] for c in exported["confirmations"]] == ["1001", "1002"]
    assert {c["version"] for c in exported["confirmations"]} == {"1.0.0"}
    leaver = HR.replace("2021-06-15,", "2021-06-15,2027-01-31")
    (tmp_path / "hr.csv").write_text(leaver, encoding="utf-8")
    _policy(shipped.root, "people", "import", str(tmp_path / "hr.csv"), "--db", db_url)
    code, out, _ = _policy(shipped.root, "ack", "purge", "--db", db_url, day="2029-02-01")
    assert out.startswith("erased the personal data of 1 person who left more than 730 days")
    code, out, _ = _policy(shipped.root, "ack", "verify", "--head", exported["head"],
                           "--db", db_url, key=KEY)  # fmt: skip
    assert (code, out) == (0, f"the chain holds: 2 confirmations, head {exported['head']}\n")
    code, _, _ = _policy(shipped.root, "ack", "export", "--person", "1002", "--db", db_url)
    assert code == 1
