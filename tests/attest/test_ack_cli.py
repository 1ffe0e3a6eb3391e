"""``policy ack confirm``, ``import``, ``status`` and ``overdue`` through the CLI, on a real
repository released with the release tooling, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.attest.ackkit import KEY, released
from tests.conftest import day_epoch, run_cli
from tests.gatekit import git_as
from tests.releasekit import ShippedRepo

HR = (
    "employee_number,name,email,department,start_date,end_date\n"
    "1001,Anna Invented,anna@example.org,hr,2019-03-01,\n"
    "1002,Bas Invented,bas@example.org,communicatie,2021-06-15,\n"
    "1003,Chris Invented,chris@example.org,marketing,2022-01-10,\n"
    "1004,Dewi Invented,dewi@example.org,hr,2020-09-01,2026-11-30\n"
)
NUMBERS = ("1001", "1002", "1003", "1004", "9999")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> ShippedRepo:
    """The shipped policy released as 1.0.0 (effective 2027-01-01); never changed after."""
    return released(tmp_path_factory.mktemp("ack") / "shipped", keys)


def policy(root: Path, db: str, *args: str, day: str = "2026-12-01",
           key: str | None = KEY) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """The CLI on ``day`` with the chain's key, the database last (every action takes --db)."""
    env = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": day_epoch(day)}
    env.pop("POLICY_ACK_KEY", None)
    if key is not None:
        env["POLICY_ACK_KEY"] = key
    return run_cli([*args, "--db", db], cwd=root, env=env)


def people(root: Path, db: str, text: str = HR) -> None:
    (root.parent / "hr.csv").write_text(text, encoding="utf-8")
    done = policy(root, db, "people", "import", "../hr.csv")
    assert done.returncode == 0, done.stderr


def _private(text: str) -> bool:
    return any(number in text for number in NUMBERS) or "Invented" in text


def test_confirm_records_once_with_the_release_evidence(shipped: ShippedRepo, db_url: str) -> None:
    root = shipped.root
    people(root, db_url)
    first = policy(root, db_url, "ack", "confirm", "--person", "1001", "--policy", "social-media")
    assert first.returncode == 0, first.stderr
    tag = git_as(root, "anouk", "rev-parse", "refs/tags/social-media/v1.0.0").strip()
    assert first.stdout.startswith("social-media 1.0.0: confirmation recorded (text ")
    again = policy(root, db_url, "ack", "confirm", "--person", "1001", "--policy", "social-media",
                   "--version", "1.0.0")  # fmt: skip
    assert (
        again.stdout
        == "social-media 1.0.0: this person had already confirmed it; nothing changed\n"
    )
    verify = policy(root, db_url, "ack", "verify")
    assert verify.stdout.startswith("the chain holds: 1 confirmation, head ")
    export = _confirmations(db_url)
    assert export == [("social-media", "1.0.0", tag, "import")]


def _confirmations(url: str) -> list[tuple[str, str, str, str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = "SELECT policy, version, tag_object, channel FROM confirmations ORDER BY seq"
            return [tuple(r) for r in connection.execute(text(query))]  # type: ignore[misc]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("person", "extra", "code"),
    [
        ("9999", (), "ack-person"),
        ("1004", (), "ack-leaver"),  # ended 2026-11-30
        ("1001", ("--version", "3.0.0"), "ack-version"),
    ],
)
def test_confirm_refusals_are_one_line_and_name_nobody(
    shipped: ShippedRepo, db_url: str, person: str, extra: tuple[str, ...], code: str
) -> None:
    people(shipped.root, db_url)
    done = policy(shipped.root, db_url, "ack", "confirm", "--person", person, "--policy",
                  "social-media", *extra)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith(f"policy: error[{code}]: ")
    assert len(done.stderr.splitlines()) == 1 and not _private(done.stderr)
    assert _confirmations(db_url) == []


def test_confirm_without_the_key_or_for_an_unreleased_policy(
    shipped: ShippedRepo, tmp_path: Path
) -> None:
    db = str(tmp_path / "attest.db")
    people(shipped.root, db)
    args = ("ack", "confirm", "--person", "1001", "--policy", "social-media")
    closed = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # asked for before connecting
    done = policy(shipped.root, closed, *args, key=None)
    assert done.returncode == 2 and "POLICY_ACK_KEY" in done.stderr
    done = policy(shipped.root, db, "ack", "confirm", "--person", "1001", "--policy", "thuiswerken")
    assert done.returncode == 1
    assert done.stderr == "policy: error[ack-policy]: no released policy 'thuiswerken'\n"


LMS = (
    "\ufeffPersoneelsnummer,Beleid,Versie,Datum\n"
    "1001,social-media,1.0.0,2026-11-28T10:15:00+01:00\n"
    "1002,social-media,v1.0.0,2026-11-29\n"
)
COLUMNS = "employee=Personeelsnummer,policy=Beleid,version=Versie,confirmed=Datum"


def _import(root: Path, db: str, text: str) -> subprocess.CompletedProcess[str]:
    (root.parent / "lms.csv").write_text(text, encoding="utf-8")
    return policy(root, db, "ack", "import", "../lms.csv", "--columns", COLUMNS)


def test_import_checks_every_row_first_then_records_all_or_nothing(
    shipped: ShippedRepo, db_url: str
) -> None:
    root = shipped.root
    people(root, db_url)
    bad = LMS + (
        "9999,social-media,1.0.0,2026-11-29\n"  # unknown
        "1004,social-media,1.0.0,2026-11-30\n"  # ended that day: a leaver
        "1003,social-media,2.0.0,2026-11-29\n"  # not released
        "1003,social-media,1.0.0,2026-12-02\n"  # after today
        "1003,social-media,1.0,gisteren\n"  # neither a version nor a time
        "1003,thuiswerken,1.0.0,2026-11-29\n"  # no such policy
        "1003,social-media,1.0.0,2026-11-24\n"  # before the release (2026-11-25)
    )
    done = _import(root, db_url, bad)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if not line.startswith(" ")] == [
        "../lms.csv:4:1: error[ack-person]: unknown employee number",
        "../lms.csv:5:25: error[ack-leaver]: the person is not employed on the day of the "
        "confirmation",
        "../lms.csv:6:19: error[ack-version]: social-media 2.0.0 is not released",
        "../lms.csv:7:25: error[ack-future]: confirmed after today",
        "../lms.csv:8:19: error[ack-version]: not a version",
        "../lms.csv:8:23: error[ack-time]: not a date or time",
        "../lms.csv:9:6: error[ack-policy]: no released policy 'thuiswerken'",
        "../lms.csv:10:19: error[ack-before-release]: confirmed before social-media 1.0.0 was "
        "released",
    ]
    assert done.stdout == "policy: ../lms.csv: 8 problems; nothing was recorded\n"
    assert not _private(done.stderr) and _confirmations(db_url) == []
    done = _import(root, db_url, LMS)
    assert (done.returncode, done.stdout) == (
        0,
        "../lms.csv: 2 confirmations recorded, 0 already\n",
    )
    done = _import(root, db_url, LMS)
    assert done.stdout == "../lms.csv: 0 confirmations recorded, 2 already\n"
    assert [c[3] for c in _confirmations(db_url)] == ["import", "import"]


def test_an_import_without_its_columns_is_located(shipped: ShippedRepo, tmp_path: Path) -> None:
    db = str(tmp_path / "attest.db")
    done = _import(shipped.root, db, "employee_number,policy,version\n1001,social-media,1.0.0\n")
    assert done.returncode == 1
    assert "../lms.csv:1:1: error[ack-column]: no column 'Personeelsnummer' for employee" in (
        done.stderr
    )


def test_status_counts_per_department_and_overdue_lists_hr(
    shipped: ShippedRepo, db_url: str
) -> None:
    root = shipped.root
    people(root, db_url)
    assert _import(root, db_url, LMS).returncode == 0
    done = policy(root, db_url, "ack", "status")
    assert done.stdout == (
        "social-media 1.0.0 (effective 2027-01-01): 2 confirmed, 1 pending, 0 overdue\n"
        "  communicatie: 1 confirmed, 0 pending, 0 overdue\n"
        "  hr: 1 confirmed, 0 pending, 0 overdue\n"
        "  marketing: 0 confirmed, 1 pending, 0 overdue\n"
    )
    assert not _private(done.stdout)
    later = policy(root, db_url, "ack", "status", "social-media", "--department", "marketing",
                   "--format", "csv", day="2027-01-02")  # fmt: skip
    assert later.stdout == (
        "policy,round,department,confirmed,pending,overdue\nsocial-media,1.0.0,marketing,0,0,1\n"
    )
    data = json.loads(policy(root, db_url, "ack", "status", "--format", "json").stdout)
    assert data["policies"][0]["round"] == "1.0.0"
    assert data["policies"][0]["departments"][0] == {
        "department": "communicatie", "confirmed": 1, "pending": 0, "overdue": 0,
    }  # fmt: skip
    assert policy(root, db_url, "ack", "overdue").stdout == "nobody is overdue\n"
    overdue = policy(root, db_url, "ack", "overdue", "--format", "csv", day="2027-01-02")
    assert overdue.stdout == (
        "policy,version,department,employee_number,due\n"
        "social-media,1.0.0,marketing,1003,2027-01-01\n"
    )
    data = json.loads(
        policy(root, db_url, "ack", "overdue", "--format", "json", day="2027-01-02").stdout
    )
    assert data == {
        "date": "2027-01-02",
        "overdue": [
            {"policy": "social-media", "version": "1.0.0", "department": "marketing",
             "employee_number": "1003", "due": "2027-01-01"}
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("thuiswerken",), "no released policy 'thuiswerken' (released: social-media)"),
        (("--department", "verkoop"), "--department verkoop: not a department id"),
    ],
)
def test_status_of_what_does_not_exist(
    shipped: ShippedRepo, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = policy(shipped.root, str(tmp_path / "attest.db"), "ack", "status", *args)
    assert done.returncode == 2 and message in done.stderr
