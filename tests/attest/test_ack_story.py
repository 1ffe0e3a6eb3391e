"""The story end to end, through the CLI, on both databases: an HR export of invented people,
release 1.0.0, pending, confirmations by hand and from a learning system, a later joiner's
deadline, a minor release that opens no round and a major one that does; and a policy that
asks one department only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attest.ackkit import release_major, release_minor, released
from tests.attest.test_ack_cli import HR, people, policy
from tests.conftest import day_epoch
from tests.releasekit import ShippedRepo

POLICY_YAML = "policy/social-media/policy.yaml"


def status(root: Path, db: str, day: str) -> str:
    done = policy(root, db, "ack", "status", "--format", "csv", day=day)
    assert done.returncode == 0, done.stderr
    return done.stdout.removeprefix("policy,round,department,confirmed,pending,overdue\n")


def confirm(root: Path, db: str, person: str, day: str, *extra: str) -> tuple[int, str]:
    done = policy(root, db, "ack", "confirm", "--person", person, "--policy", "social-media",
                  *extra, day=day)  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_a_round_from_release_to_the_next_major(
    tmp_path: Path, keys: dict[str, Path], db_url: str
) -> None:
    repo = released(tmp_path / "shipped", keys)
    root = repo.root
    people(root, db_url)  # 1004 left on 2026-11-30
    assert status(root, db_url, "2026-12-01") == (
        "social-media,1.0.0,communicatie,0,1,0\n"
        "social-media,1.0.0,hr,0,1,0\n"
        "social-media,1.0.0,marketing,0,1,0\n"
    )
    assert confirm(root, db_url, "1001", "2026-12-02")[0] == 0
    (root.parent / "lms.csv").write_text(
        "employee_number,policy,version,confirmed_at\n1002,social-media,1.0.0,2026-12-03\n",
        encoding="utf-8",
    )
    assert policy(root, db_url, "ack", "import", "../lms.csv", day="2026-12-04").returncode == 0
    assert status(root, db_url, "2027-01-02") == (
        "social-media,1.0.0,communicatie,1,0,0\n"
        "social-media,1.0.0,hr,1,0,0\n"
        "social-media,1.0.0,marketing,0,0,1\n"
    )
    # A later joiner: their start plus the policy's 30 days.
    people(root, db_url, HR + "1005,Eva Invented,eva@example.org,hr,2027-02-01,\n")
    assert status(root, db_url, "2027-02-10").startswith("social-media,1.0.0,communicatie,1,0,0\n")
    assert "social-media,1.0.0,hr,1,1,0\n" in status(root, db_url, "2027-03-03")
    overdue = policy(root, db_url, "ack", "overdue", "--format", "csv", day="2027-03-04").stdout
    assert "social-media,1.0.0,hr,1005,2027-03-03\n" in overdue

    # A minor release opens no round: 1.0.0's confirmations still count, 1.1.0's too.
    release_minor(repo, day_epoch("2027-03-10"))
    assert confirm(root, db_url, "1003", "2027-03-11", "--version", "1.1.0")[0] == 0
    assert status(root, db_url, "2027-03-11") == (
        "social-media,1.0.0,communicatie,1,0,0\n"
        "social-media,1.0.0,hr,1,0,1\n"
        "social-media,1.0.0,marketing,1,0,0\n"
    )
    # A major release opens a new round, due on its effective date (the notice period on).
    release_major(repo, day_epoch("2027-03-12"))
    after = policy(root, db_url, "ack", "status", day="2027-03-12").stdout
    assert after.startswith("social-media 2.0.0 (effective 2027-04-11): 0 confirmed, 4 pending")
    code, said = confirm(root, db_url, "1003", "2027-03-12", "--version", "1.1.0")
    assert (code, said) == (
        1,
        "policy: error[ack-no-round]: social-media 1.1.0 opened no round and round 2.0.0 came "
        "after it; confirm 2.0.0 or later\n",
    )
    assert confirm(root, db_url, "1003", "2027-03-12")[0] == 0  # the latest: 2.0.0
    assert "social-media,2.0.0,marketing,1,0,0\n" in status(root, db_url, "2027-03-12")
    assert "social-media,2.0.0,hr,0,0,2\n" in status(root, db_url, "2027-04-12")
    verify = policy(root, db_url, "ack", "verify", day="2027-04-12")
    assert verify.stdout.startswith("the chain holds: 4 confirmations, head ")


@pytest.fixture
def hr_only(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    """1.0.0, then a release that asks HR only (acknowledgement_departments: [hr])."""
    repo = released(tmp_path / "shipped", keys)
    days = "acknowledgement_days: 30\n"
    text = repo.edit(POLICY_YAML, days, f"{days}acknowledgement_departments:\n  - hr\n")
    repo.commit({POLICY_YAML: text}, author="mallory", message="HR only")
    repo.approve("sanne.devries")  # communicatie owns policy.yaml
    done = repo.release(today=day_epoch("2026-12-01"))
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def test_a_policy_that_asks_one_department(hr_only: ShippedRepo, tmp_path: Path) -> None:
    db = str(tmp_path / "attest.db")
    root = hr_only.root
    people(root, db)
    assert status(root, db, "2026-12-02") == "social-media,1.0.0,hr,0,1,0\n"
    code, said = confirm(root, db, "1002", "2026-12-02")
    assert (code, said) == (
        1,
        "policy: error[ack-audience]: department 'communicatie' need not confirm social-media; "
        "see the policy's acknowledgement_departments\n",
    )
    assert confirm(root, db, "1001", "2026-12-02")[0] == 0
    assert status(root, db, "2026-12-02") == "social-media,1.0.0,hr,1,0,0\n"
