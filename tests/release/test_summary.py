"""The first screen of ``policy release --dry-run`` on the shipped policy in a real repository:
golden files for a blocked and a releasable change (regenerate with --update-golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.releasekit import (
    EPOCH,
    MONITORING,
    MUST_AFTER,
    MUST_BEFORE,
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    ShippedRepo,
    new_shipped_repo,
    note,
    repository_state,
    run_as,
)
from tools.gate.summary import LIMIT

GOLDEN = Path(__file__).parent / "cases" / "summary"


@pytest.fixture
def released(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    repo = new_shipped_repo(tmp_path / "shipped", keys)
    done = repo.release()
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def blocked(repo: ShippedRepo) -> None:
    """A must clause of monitoring reworded, approved by HR only: the works council and
    Communicatie (the change note) still have to approve."""
    repo.change(
        MONITORING,
        MUST_BEFORE,
        MUST_AFTER,
        notes={"monitoring": note("[sm-048]", "De organisatie kijkt *vooral* naar openbare info.")},
    )
    repo.approve("eva.visser")


def releasable(repo: ShippedRepo) -> None:
    """A should clause reworded, with its note, approved by HR and Communicatie."""
    repo.change(
        PROFESSIONAL,
        SHOULD_BEFORE,
        SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Gebruik sociale media onder werktijd *beperkt*.")},
    )
    repo.approve("eva.visser")
    repo.approve("sanne.devries")


CASES = {
    # On 5 January 2027, and too early besides: the fix names the first date the notice
    # period (30 days) allows.
    "blocked": (blocked, ("--effective-date", "2027-01-20"), 41, 1),
    "releasable": (releasable, (), 0, 0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_summary(name: str, released: ShippedRepo, update_golden: bool) -> None:
    """The dry run's whole output is the summary and one closing line."""
    make, args, days, code = CASES[name]
    make(released)
    done = released.release("--dry-run", *args, today=str(int(EPOCH) + days * 86400))
    assert done.returncode == code, done.stdout + done.stderr
    assert done.stderr == ""
    golden = GOLDEN / f"{name}.txt"
    if update_golden:
        golden.write_text(done.stdout, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == done.stdout, f"{golden} differs; --update-golden"
    assert len(done.stdout.splitlines()) <= LIMIT + 1


def test_verbose_adds_the_plan_the_blockers_and_the_notes(released: ShippedRepo) -> None:
    """--verbose: the summary first, then everything the dry run used to print."""
    blocked(released)
    short = released.release("--dry-run")
    done = released.release("--dry-run", "--verbose")
    assert done.returncode == 1
    summary = short.stdout.splitlines()[:-1]
    assert done.stdout.splitlines()[: len(summary)] == summary
    assert "release social-media 2.0.0 (previous: 1.0.0, impact: major)" in done.stdout
    assert "# Social-mediabeleid, versie 2.0.0" in done.stdout
    assert "error[not-approved]" in done.stderr


def test_the_report_starts_with_the_summary(released: ShippedRepo) -> None:
    """`policy report`: the summary in Markdown on top, the details folded below it."""
    blocked(released)
    done = run_as("anouk", released.root, "report")
    assert done.returncode == 0, done.stderr
    top, details = done.stdout.split("<details>\n<summary>Details</summary>", 1)
    assert "**Nog goedkeuren (2 afdelingen):**" in top
    assert "- Ondernemingsraad (Fatima Yilmaz of Joost Smit): 1 regel in 1 hoofdstuk" in top
    assert "sm-048: de tekst van een verplichte regel is gewijzigd" in top
    assert "## Approvals: ❌ incomplete" in details


def test_verbose_without_dry_run_is_refused_and_changes_nothing(released: ShippedRepo) -> None:
    """--verbose says how much a dry run prints; on a real release it is a mistake, said in one
    line before anything is done."""
    releasable(released)
    before = repository_state(released.root)
    done = released.release("--verbose")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "policy: error: --verbose is for --dry-run; a release prints its whole plan anyway\n"
    )
    assert repository_state(released.root) == before
