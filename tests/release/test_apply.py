"""`policy release` end to end: the shipped policy through changes, notes, signed approvals and
releases in a real repository; every precondition refused; every write step failing or killed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import policy_command
from tests.faults import fill, tmpfs_over
from tests.gatekit import git_as
from tests.releasekit import (
    EPOCH,
    FIRST_APPROVERS,
    MOMENT,
    MONITORING,
    MUST_AFTER,
    MUST_BEFORE,
    NOTES,
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    ShippedRepo,
    new_shipped_repo,
    note,
    repository_state,
    run_as,
)
from tools.base.errors import ReleaseError
from tools.base.gitio import GitRepository
from tools.base.gitlog import EMPTY_TREE
from tools.gate.records import APPROVALS_FOLDER
from tools.release.apply import Request, cut, gather_facts, release_lock

POLICY_YAML = "policy/social-media/policy.yaml"


@pytest.fixture
def shipped(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    return new_shipped_repo(tmp_path / "shipped", keys)


@pytest.fixture
def released(shipped: ShippedRepo) -> ShippedRepo:
    """The shipped policy after its first release, 1.0.0."""
    done = shipped.release()
    assert done.returncode == 0, done.stdout + done.stderr
    return shipped


def history(repo: ShippedRepo) -> list[tuple[str, str, str]]:
    done = run_as("anouk", repo.root, "history", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["releases"]
    return [(r["version"], r["impact"], r["effective"]) for r in rows]


def head_message(repo: ShippedRepo) -> str:
    return git_as(repo.root, "anouk", "log", "-1", "--format=%B")


def tags(repo: ShippedRepo) -> list[str]:
    return git_as(repo.root, "anouk", "tag", "--list").split()


def minor_change(repo: ShippedRepo) -> None:
    """A should clause (sm-016, HR's) reworded, with its note; HR and Communicatie approve."""
    repo.change(
        PROFESSIONAL,
        SHOULD_BEFORE,
        SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Gebruik sociale media onder werktijd *beperkt*.")},
    )
    repo.approve("eva.visser")
    repo.approve("sanne.devries")


def major_change(repo: ShippedRepo) -> None:
    """A must clause of the monitoring section reworded: HR and the works council approve."""
    repo.change(
        MONITORING,
        MUST_BEFORE,
        MUST_AFTER,
        notes={"monitoring": note("[sm-048]", "De organisatie kijkt *vooral* naar openbare info.")},
    )
    for person in ("eva.visser", "fatima.yilmaz", "sanne.devries"):
        repo.approve(person)


# --- End to end ----------------------------------------------------------------------------------


def test_a_release_parses_each_file_once_and_diffs_its_change_once(
    released: ShippedRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation, the notes, the gate and the history share one parse cache, and the gate
    takes the notes' diff of the same pair (the last release..HEAD) instead of its own."""
    import tools.gate.gather as gate_gather
    import tools.notes.gather as notes_gather
    from tools.base import loader
    from tools.release import gather_history as history

    minor_change(released)
    parsed: Counter[tuple[str, str, str]] = Counter()
    parse = loader._load_uncached

    def counted_parse(snapshot: Any, path: str, model: Any, blob_id: str) -> Any:
        parsed[(path, blob_id, model.__name__)] += 1
        return parse(snapshot, path, model, blob_id)

    diffed: list[str] = []
    monkeypatch.setattr(loader, "_load_uncached", counted_parse)
    for module in (gate_gather, notes_gather, history):
        diff = module.diff_policies

        def counted_diff(*args: Any, diff: Any = diff, **kwargs: Any) -> Any:
            diffed.append("diff")
            return diff(*args, **kwargs)

        monkeypatch.setattr(module, "diff_policies", counted_diff)
    facts, _ = gather_facts(GitRepository(released.root), _request())
    assert facts.verdict is not None and facts.verdict.complete
    assert "policy/departments.yaml" in {path for path, _, _ in parsed}
    assert set(parsed.values()) == {1}, [key for key, n in parsed.items() if n > 1]
    assert len(diffed) == 1


def test_first_minor_and_major_release_of_the_shipped_policy(shipped: ShippedRepo) -> None:
    """A newcomer's path: first release, a minor and a major change with notes and signed
    approvals, each released and tagged, with the history after each."""
    plan = shipped.release("--dry-run", "--verbose")
    assert plan.returncode == 0, plan.stderr
    assert "release social-media 1.0.0 (previous: none (first release), impact: major)" in (
        plan.stdout
    )
    assert "# Social-mediabeleid, versie 1.0.0" in plan.stdout
    assert tags(shipped) == ["base"]

    first = shipped.release()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "social-media/v1.0.0" in tags(shipped)
    assert history(shipped) == [("1.0.0", "major", "2027-01-01")]
    assert (shipped.root / "changelog/social-media/1.0.0.md").is_file()
    assert (shipped.root / "changelog/social-media/1.0.0.html").is_file()

    minor_change(shipped)
    second = shipped.release()
    assert second.returncode == 0, second.stdout + second.stderr
    assert history(shipped)[-1] == ("1.1.0", "minor", "2027-01-01")
    assert "Policy-Version: 1.1.0" in head_message(shipped)
    assert "Policy-Impact: minor" in head_message(shipped)
    assert "Policy-Clauses: sm-016" in head_message(shipped)
    assert not list((shipped.root / NOTES).glob("*.md")), "the notes were consumed"
    notes = (shipped.root / "changelog/social-media/1.1.0.md").read_text(encoding="utf-8")
    assert "Gebruik sociale media onder werktijd *beperkt*." in notes

    major_change(shipped)
    early = shipped.release("--effective-date", "2026-12-10")
    assert early.returncode == 1
    assert "error[notice-period]" in early.stderr
    assert "no sooner than 30 days after today (2026-12-25)" in early.stderr
    assert "social-media/v2.0.0" not in tags(shipped)

    third = shipped.release("--effective-date", "2027-02-01")
    assert third.returncode == 0, third.stdout + third.stderr
    assert history(shipped) == [
        ("1.0.0", "major", "2027-01-01"),
        ("1.1.0", "minor", "2027-01-01"),
        ("2.0.0", "major", "2027-02-01"),
    ]
    policy = (shipped.root / POLICY_YAML).read_text(encoding="utf-8")
    assert "version: 2.0.0\n" in policy and "effective: 2027-02-01\n" in policy
    notes = (shipped.root / "changelog/social-media/2.0.0.md").read_text(encoding="utf-8")
    assert "**Geldt vanaf:** 1 februari 2027" in notes
    assert "**Opnieuw lezen en bevestigen.**" in notes
    changelog = (shipped.root / "changelog/social-media/CHANGELOG.md").read_text(encoding="utf-8")
    assert (
        changelog.index("## [2.0.0]")
        < changelog.index("## [1.1.0]")
        < changelog.index("## [1.0.0]")
    )
    assert git_as(shipped.root, "anouk", "status", "--porcelain") == ""
    text = run_as("anouk", shipped.root, "history").stdout.splitlines()
    assert text[-2].startswith("2.0.0      2026-11-25  major   2027-02-01")
    assert text[-1].split() == [
        "approved",
        "by",
        "eva.visser@voorbeeld.nl",
        "(hr),",
        "fatima.yilmaz@voorbeeld.nl",
        "(ondernemingsraad),",
        "sanne.devries@voorbeeld.nl",
        "(communicatie)",
    ]


# --- Each release keeps the evidence it relied on ------------------------------------------------


def evidence(repo: ShippedRepo, version: str) -> dict[str, Any]:
    path = repo.root / f"changelog/social-media/{version}.approvals.json"
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found


def test_a_release_archives_the_approvals_it_relied_on(released: ShippedRepo) -> None:
    """The records that counted move into the release commit, with approver, department, key
    fingerprint and the signed content; the folder keeps only records not used yet."""
    first = evidence(released, "1.0.0")
    assert {(a["approver"].split("@")[0], a["department"]) for a in first["approvals"]} == {
        (person, department)
        for person, department in zip(
            FIRST_APPROVERS,
            ("beleidsbeheer", "communicatie", "marketing", "hr", "juridisch", "ondernemingsraad"),
            strict=True,
        )
    }
    assert (
        first["base"] == EMPTY_TREE
        and first["trust_root"] == git_as(released.root, "anouk", "rev-parse", "base").strip()
    )
    assert first["verdict"]["complete"] is True
    hr_files = next(r for r in first["verdict"]["required"] if r["departments"] == ["hr"])
    assert (
        hr_files["approved_by"] == ["eva.visser@voorbeeld.nl"] and PROFESSIONAL in hr_files["paths"]
    )
    assert not list((released.root / APPROVALS_FOLDER).glob("*.json"))
    minor_change(released)
    released.approve("pieter.vandijk", department="juridisch")  # not needed: nothing of theirs
    assert released.release().returncode == 0
    second = evidence(released, "1.1.0")
    hr = next(a for a in second["approvals"] if a["department"] == "hr")
    assert hr["key"].startswith("SHA256:")
    assert hr["counted_for"] == [PROFESSIONAL]
    assert hr["record"]["approval"]["files"][PROFESSIONAL].startswith("100644 sha256:")
    left = sorted(p.name for p in (released.root / APPROVALS_FOLDER).glob("*.json"))
    assert len(left) == 1 and left[0].startswith("juridisch--pieter")  # kept: not used yet
    report = run_as("anouk", released.root, "approvals").stdout
    assert "juridisch--pieter" in report  # not needed yet
    assert ".approvals.json#" not in report  # earlier releases' evidence does not pile up
    notes = (released.root / "changelog/social-media/1.1.0.md").read_text(encoding="utf-8")
    assert notes.endswith(
        "## Goedgekeurd door\n\n- Eva Visser (hr)\n- Sanne de Vries (communicatie)\n"
    )


def test_an_auditor_reverifies_a_release_offline(released: ShippedRepo) -> None:
    """`policy approvals --release` judges the archived records again: exit 0 while they
    verify, 1 once the archive no longer matches what was signed."""
    minor_change(released)
    assert released.release().returncode == 0
    for version in ("1.0.0", "1.1.0"):
        check = run_as("anouk", released.root, "approvals", "--release", version)
        assert check.returncode == 0, check.stdout + check.stderr
        assert ": complete" in check.stdout
    path = released.root / "changelog/social-media/1.1.0.approvals.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["approvals"][0]["record"]["approval"]["files"][PROFESSIONAL] = "100644 sha256:" + "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    git_as(released.root, "anouk", "commit", "-qa", "--amend", "--no-edit")
    git_as(released.root, "anouk", "tag", "-f", "social-media/v1.1.0")
    tampered = run_as("anouk", released.root, "approvals", "--release", "1.1.0")
    assert tampered.returncode == 1
    assert "bad signature" in tampered.stdout and "INCOMPLETE" in tampered.stdout
    for args, message in (
        (["--release", "9.9.9"], "has no release 9.9.9 (releases: 1.0.0, 1.1.0)"),
        (["--release", "1.x"], "is not a version"),
        (["base", "--release", "1.0.0"], "--release takes no BASE"),
    ):
        done = run_as("anouk", released.root, "approvals", *args)
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_an_old_approval_cannot_undo_a_later_approved_change(released: ShippedRepo) -> None:
    """Issue 13's attack end to end: Piet (Mallory here) changes a clause to v1, approved, 1.1.0;
    to v2, approved by others, 1.2.0; then puts v1 back with the old records restored from
    history. The gate stays closed: those records approved an earlier change."""
    minor_change(released)  # v1, approved by Eva (hr) and Sanne (communicatie)
    assert released.release().returncode == 0
    v1_records = {
        name: git_as(released.root, "anouk", "show", f"HEAD^:{APPROVALS_FOLDER}/{name}")
        for name in git_as(
            released.root, "anouk", "ls-tree", "--name-only", f"HEAD^:{APPROVALS_FOLDER}"
        ).split()
    }
    v1 = (released.root / PROFESSIONAL).read_text(encoding="utf-8")
    note_v1 = git_as(released.root, "anouk", "show", f"HEAD^:{NOTES}/werktijd.md")
    released.change(
        PROFESSIONAL,
        SHOULD_AFTER,
        SHOULD_AFTER.replace("beperkt", "zelden"),
        notes={"zelden": note("[sm-016]", "Gebruik sociale media onder werktijd *zelden*.")},
    )
    released.approve("mohamed.elamrani")
    released.approve("daan.jansen")
    assert released.release().returncode == 0
    revert = {PROFESSIONAL: v1, f"{NOTES}/werktijd.md": note_v1}
    revert.update({f"{APPROVALS_FOLDER}/{name}": text for name, text in v1_records.items()})
    released.commit(revert, author="mallory", message="terug naar v1")
    gate = run_as("anouk", released.root, "approvals")
    assert gate.returncode == 1, gate.stdout
    assert "replayed" in gate.stdout
    assert released.release().returncode == 1


def test_a_release_version_works_where_a_revision_does(released: ShippedRepo) -> None:
    """After a release, `policy diff 1.0.0` and `policy approvals 1.0.0` read its tag."""
    minor_change(released)
    diff = run_as("anouk", released.root, "diff", "1.0.0", "HEAD", "--format", "json")
    assert diff.returncode == 0, diff.stderr
    assert [c["clause"] for c in json.loads(diff.stdout)["changes"]] == ["sm-016"]
    approvals = run_as("anouk", released.root, "approvals", "1.0.0", "--format", "json")
    assert approvals.returncode == 0, approvals.stdout + approvals.stderr
    assert json.loads(approvals.stdout)["complete"] is True


def test_default_effective_date_of_a_major_release_is_after_the_notice(
    released: ShippedRepo,
) -> None:
    """Without --effective-date, a material change takes effect after the notice period, and
    never before the release it follows."""
    major_change(released)
    done = released.release("--dry-run", "--verbose", today=str(int(EPOCH) + 60 * 86400))
    assert done.returncode == 0, done.stderr
    assert "takes effect: 2027-02-23" in done.stdout  # 2027-01-24 + 30 days


def test_explicit_version_may_go_higher_never_lower(released: ShippedRepo) -> None:
    """--version above the computed bump is taken; below it is refused."""
    minor_change(released)
    low = released.release("--version", "1.0.1")
    assert low.returncode == 1
    assert "error[version-too-low]" in low.stderr and "lower than 1.1.0" in low.stderr
    high = released.release("--version", "1.5.0")
    assert high.returncode == 0, high.stderr
    assert history(released)[-1][0] == "1.5.0"


# --- Preconditions -----------------------------------------------------------------------------


def refused(repo: ShippedRepo, code: str, *args: str) -> str:
    before = repository_state(repo.root)
    done = repo.release(*args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"error[{code}]" in done.stderr, done.stderr
    assert repository_state(repo.root) == before
    return done.stderr


def test_refuses_uncommitted_changes(released: ShippedRepo) -> None:
    """A modified tracked file blocks the release."""
    minor_change(released)
    path = released.root / PROFESSIONAL
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert PROFESSIONAL in refused(released, "dirty-tree")


def test_refuses_untracked_files(released: ShippedRepo) -> None:
    """An untracked note (forgotten `git add`) blocks the release."""
    minor_change(released)
    (released.root / NOTES / "vergeten.md").write_text(note("[sm-016]", "x"), encoding="utf-8")
    assert "vergeten.md" in refused(released, "dirty-tree")


def test_refuses_a_note_with_an_active_link(released: ShippedRepo) -> None:
    """A note whose link would run script in the published notes blocks the release, located
    as `policy changelog check` locates it."""
    released.change(
        PROFESSIONAL,
        SHOULD_BEFORE,
        SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Lees [de uitleg](javascript:alert(1)) eerst.")},
    )
    released.approve("eva.visser")
    released.approve("sanne.devries")
    assert f"{NOTES}/werktijd.md:4:6: error[unsafe-link]" in refused(released, "unsafe-link")


def test_refuses_an_invalid_policy(released: ShippedRepo) -> None:
    """A policy that does not validate is not released."""
    minor_change(released)
    released.commit({PROFESSIONAL: released.edit(PROFESSIONAL, "level: should", "level: often")})
    refused(released, "bad-value")


def test_refuses_a_change_without_its_note(released: ShippedRepo) -> None:
    """`changelog check` must pass: a reworded clause without a note is refused."""
    released.commit({PROFESSIONAL: released.edit(PROFESSIONAL, SHOULD_BEFORE, SHOULD_AFTER)})
    released.approve("eva.visser")
    assert "sm-016" in refused(released, "missing-note")


def test_refuses_without_the_approvals(released: ShippedRepo) -> None:
    """HR approved, the works council did not: the monitoring change is not released."""
    released.change(
        MONITORING, MUST_BEFORE, MUST_AFTER, notes={"m": note("[sm-048]", "Vooral openbaar.")}
    )
    released.approve("eva.visser")
    released.approve("sanne.devries")
    stderr = refused(released, "not-approved", "--effective-date", "2027-02-01")
    assert "ondernemingsraad (1 more)" in stderr


def test_approval_by_the_releaser_does_not_count(released: ShippedRepo) -> None:
    """Who cuts the release cannot also be its approver: Eva's HR approval does not count
    when Eva releases."""
    minor_change(released)
    done = run_as(
        "eva.visser",
        released.root,
        "release",
        "--dry-run",
        "--verbose",
        address="eva.visser@voorbeeld.nl",
    )
    assert done.returncode == 1, done.stdout
    assert "error[not-approved]" in done.stderr and "hr (1 more)" in done.stderr


def test_refuses_a_material_change_inside_the_notice_period(released: ShippedRepo) -> None:
    """A major release cannot take effect sooner than notice_days after today."""
    major_change(released)
    refused(released, "notice-period", "--effective-date", "2026-12-24")


def test_refuses_a_date_in_the_past_or_after_the_next_review(released: ShippedRepo) -> None:
    """No release takes effect in the past, or on or after the next review."""
    minor_change(released)
    refused(released, "bad-effective-date", "--effective-date", "2026-11-01")
    refused(released, "bad-effective-date", "--effective-date", "2028-01-01")


def test_refuses_when_there_is_nothing_to_release(released: ShippedRepo) -> None:
    """Right after a release there is nothing to release; --if-changed makes that exit 0."""
    assert "nothing changed in 'social-media' since 1.0.0" in refused(
        released, "nothing-to-release"
    )
    quiet = released.release("--if-changed")
    assert quiet.returncode == 0
    assert "nothing to release since 1.0.0" in quiet.stdout


def test_refuses_an_existing_version(released: ShippedRepo) -> None:
    """Versions only go up: 1.0.0 again is refused."""
    minor_change(released)
    stderr = refused(released, "tag-exists", "--version", "1.0.0")
    assert "the tag social-media/v1.0.0 exists already" in stderr


def test_refuses_when_tags_were_not_fetched(released: ShippedRepo) -> None:
    """A release found by its trailers but without its tag stops a release that would clash."""
    minor_change(released)
    git_as(released.root, "anouk", "tag", "-d", "social-media/v1.0.0")
    stderr = refused(released, "tags-not-fetched")
    assert "git fetch --tags" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--version", "1.2"], "'1.2' is not a version"),
        (["--effective-date", "1-3-2027"], "'1-3-2027' is not a date"),
        (["--version", "1.2.0", "--bump", "auto"], "not allowed with argument"),
        (["nope"], "policy 'nope' does not exist"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    released: ShippedRepo, args: list[str], message: str
) -> None:
    """A malformed version, date or policy ends with a message and exit 2, no traceback."""
    done = released.release(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_trust_root_is_for_the_first_release_only(released: ShippedRepo) -> None:
    """--trust-root (or its old name --base) cannot pick an easier BASE once a release exists."""
    minor_change(released)
    for option in ("--trust-root", "--base"):
        done = released.release(option, "HEAD")
        assert done.returncode == 2
        assert "--trust-root is for a first release only" in done.stderr


@pytest.fixture
def unapproved(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    """The shipped policy before its first release, approved by nobody."""
    return new_shipped_repo(tmp_path / "unapproved", keys, first_approved=False)


def test_the_first_release_needs_every_owner_whatever_the_trust_root(
    unapproved: ShippedRepo,
) -> None:
    """The attack: with the trust root at HEAD (the old README recipe), root..HEAD is empty and
    1.0.0 was "approved" by nobody. A first release is judged from nothing: every file needs
    its owners, read from the trust root."""
    for args in ((), ("--trust-root", "HEAD"), ("--base", "HEAD")):
        done = unapproved.release("--dry-run", "--verbose", *args)
        assert done.returncode == 1, done.stdout
        assert "error[not-approved]" in done.stderr
        for department in ("beleidsbeheer", "communicatie", "hr", "juridisch", "marketing"):
            assert f"{department} (1 more)" in done.stderr
        assert "ondernemingsraad (1 more)" in done.stderr
    assert unapproved.release().returncode == 1
    assert tags(unapproved) == ["base"]


def test_departments_approve_the_first_release_through_the_cli(unapproved: ShippedRepo) -> None:
    """The README's recipe: each department's member runs `policy approve` (no BASE: the first
    release), commits the record, and `policy release` then cuts 1.0.0."""
    for person in FIRST_APPROVERS:
        key = unapproved.keys[person]
        done = run_as(person, unapproved.root, "approve", "--key", str(key))
        assert done.returncode == 0, done.stderr
        git_as(unapproved.root, person, "add", "-A")
        git_as(unapproved.root, person, "commit", "-q", "-m", f"approval by {person}")
    report = run_as("anouk", unapproved.root, "approvals")
    assert report.returncode == 0, report.stdout
    assert "first release" in report.stdout
    done = unapproved.release()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "social-media/v1.0.0" in tags(unapproved)


def test_an_edit_after_the_first_release_was_approved_makes_it_stale(
    unapproved: ShippedRepo,
) -> None:
    unapproved.approve_first_release()
    unapproved.commit({PROFESSIONAL: unapproved.edit(PROFESSIONAL, SHOULD_BEFORE, SHOULD_AFTER)})
    done = unapproved.release("--dry-run", "--verbose")
    assert done.returncode == 1
    assert "still to approve: hr (1 more)" in done.stderr
    report = run_as("anouk", unapproved.root, "approvals")
    assert report.returncode == 1 and "stale: the file changed after the approval" in report.stdout


def test_the_first_release_is_judged_by_the_trust_roots_rules(unapproved: ShippedRepo) -> None:
    """Making yourself owner of everything after the trust root changes nothing."""
    unapproved.commit({"CODEOWNERS": "* @voorbeeld/marketing\n"}, author="lotte.bakker")
    unapproved.approve("lotte.bakker", department="marketing")
    done = unapproved.release("--dry-run", "--verbose")
    assert done.returncode == 1
    assert "hr (1 more)" in done.stderr and "juridisch (1 more)" in done.stderr


def test_a_second_release_at_the_same_time_fails_cleanly(released: ShippedRepo) -> None:
    """While one release holds the lock, another exits 2 and changes nothing."""
    minor_change(released)
    before = repository_state(released.root)
    with release_lock(GitRepository(released.root)):
        done = released.release()
    assert done.returncode == 2
    assert "another 'policy release' is running" in done.stderr
    assert repository_state(released.root) == before


def test_two_releases_started_together_make_one(released: ShippedRepo) -> None:
    """Two processes started at once: exactly one release is made."""
    minor_change(released)
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "anouk",
        "GIT_AUTHOR_EMAIL": "anouk@t.nl",
        "GIT_COMMITTER_NAME": "anouk",
        "GIT_COMMITTER_EMAIL": "anouk@t.nl",
    }
    command = [sys.executable, "-m", "tools", "release"]
    runs = [
        subprocess.Popen(
            command, cwd=released.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    codes = sorted(run.wait(timeout=120) for run in runs)
    assert codes[0] == 0 and codes[1] != 0
    assert [t for t in tags(released) if t.startswith("social-media/")] == [
        "social-media/v1.0.0",
        "social-media/v1.1.0",
    ]


# --- All or nothing ------------------------------------------------------------------------------

STEPS = (
    "notes-written",
    "changelog-written",
    "policy-written",
    "commit-made",
    "tag-made",
    "branch-moved",
    "files-written",
)


def _request() -> Request:
    return Request(policy="social-media", moment=MOMENT)


UNDONE = STEPS[: STEPS.index("branch-moved")]
"""The steps a failure after which undoes the release; after the others it is made."""


def _anouk(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("GIT_COMMITTER", "GIT_AUTHOR"):
        monkeypatch.setenv(f"{variable}_NAME", "anouk")
        monkeypatch.setenv(f"{variable}_EMAIL", "anouk@t.nl")


@pytest.mark.parametrize("step", UNDONE)
def test_a_failure_before_the_branch_moves_leaves_the_repository_as_it_was(
    released: ShippedRepo, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error after each write step before the branch moves undoes them all: refs, tags,
    index and files unchanged; the release then succeeds when run again."""
    minor_change(released)
    _anouk(monkeypatch)
    before = repository_state(released.root)

    def fail(name: str) -> None:
        if name == step:
            raise OSError(f"disk full at {name}")

    failed = f"undone, nothing changed: disk full at {step}"
    with pytest.raises(ReleaseError, match=failed), release_lock(GitRepository(released.root)):
        cut(GitRepository(released.root), _request(), on_step=fail)
    assert repository_state(released.root) == before
    again = released.release()
    assert again.returncode == 0, again.stderr
    assert "social-media/v1.1.0" in tags(released)


def reference_release(repo: ShippedRepo, folder: Path) -> dict[str, str]:
    """The state of a copy of ``repo`` after an uninterrupted release."""
    shutil.copytree(repo.root, folder)
    done = ShippedRepo(folder, repo.keys).release()
    assert done.returncode == 0, done.stdout + done.stderr
    return repository_state(folder)


def assert_finished_like(repo: ShippedRepo, expected: dict[str, str]) -> None:
    """Run `policy release` again unless the release is complete; then the repository equals
    the uninterrupted release's: files, index, refs, commit and tag ids."""
    if repository_state(repo.root) != expected:
        again = repo.release()
        assert again.returncode == 0, again.stdout + again.stderr
        assert again.stdout.startswith(("finished the interrupted", "wrote the files of")), (
            again.stdout
        )
    assert repository_state(repo.root) == expected


@pytest.mark.parametrize("step", ("branch-moved", "files-written"))
def test_a_failure_after_the_branch_moved_is_finished_by_running_it_again(
    released: ShippedRepo, step: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Once the branch moved the release is made: an error then says so and what to do, and
    `policy release` run again finishes it, identical to an uninterrupted release."""
    minor_change(released)
    _anouk(monkeypatch)
    expected = reference_release(released, tmp_path / "reference")

    def fail(name: str) -> None:
        if name == step:
            raise OSError(f"disk full at {name}")

    made = "social-media/v1.1.0 is released .* disk full at .* run 'policy release' again"
    with pytest.raises(ReleaseError, match=made), release_lock(GitRepository(released.root)):
        cut(GitRepository(released.root), _request(), on_step=fail)
    assert_finished_like(released, expected)


KILL = """
import os, sys
from pathlib import Path
from tools.base.gitio import GitRepository
from tools.release.apply import Request, cut, release_lock
import datetime as dt
step = sys.argv[1]
def die(name):
    if name == step:
        os._exit(9)
repo = GitRepository(Path.cwd())
with release_lock(repo):
    moment = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    cut(repo, Request(policy="social-media", moment=moment), on_step=die)
"""


@pytest.mark.parametrize("step", STEPS)
def test_a_killed_release_is_finished_by_running_it_again(
    released: ShippedRepo, tmp_path: Path, step: str
) -> None:
    """A process killed after any step leaves the repository as before, or in a state that
    `policy release` finishes: the result equals an uninterrupted release."""
    minor_change(released)
    reference = tmp_path / "reference"
    shutil.copytree(released.root, reference)
    assert ShippedRepo(reference, released.keys).release().returncode == 0

    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "anouk",
        "GIT_AUTHOR_EMAIL": "anouk@t.nl",
        "GIT_COMMITTER_NAME": "anouk",
        "GIT_COMMITTER_EMAIL": "anouk@t.nl",
    }
    killed = subprocess.run(
        [sys.executable, "-c", KILL, step], cwd=released.root, env=env, check=False
    )
    assert killed.returncode == 9
    expected = repository_state(reference)
    if repository_state(released.root)["files"] != expected["files"]:
        again = released.release()
        assert again.returncode == 0, again.stdout + again.stderr
    state = repository_state(released.root)
    assert state["files"] == expected["files"]
    assert state["status"] == "" and state["index"] == expected["index"]
    assert "social-media/v1.1.0" in tags(released)
    tree = git_as(released.root, "anouk", "rev-parse", "HEAD^{tree}")
    assert tree == git_as(reference, "anouk", "rev-parse", "HEAD^{tree}")
    assert git_as(released.root, "anouk", "rev-parse", "social-media/v1.1.0^{commit}") == (
        git_as(released.root, "anouk", "rev-parse", "HEAD")
    )
    # Same inputs, same instant: the same commit and tag ids as the uninterrupted release.
    for ref in ("HEAD", "social-media/v1.1.0"):
        assert git_as(released.root, "anouk", "rev-parse", ref) == git_as(
            reference, "anouk", "rev-parse", ref
        )


# --- Reproducible: the release's dates come from SOURCE_DATE_EPOCH, not the clock ----------------


def release_ids(repo: ShippedRepo, tag: str) -> tuple[str, str, str]:
    """The release commit, the tag object, and the author, committer and tagger times."""
    times = git_as(repo.root, "anouk", "log", "-1", "--format=%at %ct", tag)
    tagger = git_as(
        repo.root, "anouk", "for-each-ref", "--format=%(taggerdate:raw)", f"refs/tags/{tag}"
    )
    commit = git_as(repo.root, "anouk", "rev-parse", f"{tag}^{{commit}}")
    tag_object = git_as(repo.root, "anouk", "rev-parse", f"refs/tags/{tag}")
    return commit, tag_object, " ".join(f"{times} {tagger}".split())


@pytest.mark.skipif(shutil.which("faketime") is None, reason="apt-get install faketime")
def test_a_release_is_reproducible_whatever_the_clock_says(released: ShippedRepo) -> None:
    """With SOURCE_DATE_EPOCH set, the commit, author and tag dates are that instant: the same
    repository cut again with the system clock in 2031 or on 29 February 2028 (faketime) gives
    the same commit and tag ids."""
    minor_change(released)
    head = git_as(released.root, "anouk", "rev-parse", "HEAD").strip()
    first = released.release()
    assert first.returncode == 0, first.stderr
    ids = release_ids(released, "social-media/v1.1.0")
    assert ids[2] == f"{EPOCH} {EPOCH} {EPOCH} +0000"
    for fake in ("2031-06-15 08:30:00", "2028-02-29 23:59:00"):
        # env -u: a fresh fake clock even when the whole suite already runs under faketime.
        wrapper = ("env", "-u", "LD_PRELOAD", "-u", "FAKETIME", "-u", "FAKETIME_SHARED")
        wrapper += ("faketime", fake)
        clock = [*wrapper, "date", "+%Y"]
        year = subprocess.run(clock, capture_output=True, text=True, check=True)
        assert year.stdout.strip() == fake[:4]  # the fake clock is in force for the children
        git_as(released.root, "anouk", "tag", "-d", "social-media/v1.1.0")
        git_as(released.root, "anouk", "reset", "-q", "--hard", head)
        again = released.release(wrapper=wrapper)
        assert again.returncode == 0, again.stderr
        assert release_ids(released, "social-media/v1.1.0") == ids


# --- policy.yaml keeps its author's formatting ---------------------------------------------------

ODD = """\
# yaml-language-server: $schema=../../schema/policy.schema.json
# Het sociale-mediabeleid.   Opmaak van de auteur, met opzet vreemd.

id:   social-media     # de map
title: 'Social-mediabeleid'
version: "1.0.0"   # wordt gezet door policy release


language: nl
effective:    2027-01-01
next_review: '2028-01-01'
"""


def test_release_changes_only_version_and_effective_in_policy_yaml(
    released: ShippedRepo,
) -> None:
    """A policy.yaml full of comments and odd formatting changes in exactly two lines."""
    path = released.root / POLICY_YAML
    text = path.read_text(encoding="utf-8")
    _, _, rest = text.partition("clause_prefix:")
    odd = ODD + "clause_prefix:" + rest.replace("notice_days: 30", "notice_days:    30  # dagen")
    released.commit({POLICY_YAML: odd}, author="anouk")
    minor_change(released)  # Sanne's approval covers policy.yaml too (Communicatie's)
    done = released.release("--effective-date", "2027-03-01")
    assert done.returncode == 0, done.stdout + done.stderr
    after = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(odd.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        (
            'version: "1.0.0"   # wordt gezet door policy release',
            'version: "1.1.0"   # wordt gezet door policy release',
        ),
        ("effective:    2027-01-01", "effective:    2027-03-01"),
    ]


# --- Faults from outside: a full disk, a read-only folder, stale index stats -------------------


@pytest.mark.parametrize("leave", (0, 6000))
def test_a_full_disk_while_writing_the_files_is_finished_by_running_it_again(
    released: ShippedRepo, tmp_path: Path, leave: int
) -> None:
    """The disk fills while the release writes its files (a full tmpfs under the changelog):
    the release is made and says so, with what to do; nothing escapes as a traceback. Once
    there is room, `policy release` finishes it: the same files, index, commit and tag ids as
    a release that never failed."""
    minor_change(released)
    expected = reference_release(released, tmp_path / "reference")
    changelog = released.root / "changelog/social-media"
    with tmpfs_over(changelog, "size=256k"):
        filler = fill(released.root, changelog, leave)
        failed = released.release()
        assert failed.returncode == 2, failed.stdout + failed.stderr
        assert "Traceback" not in failed.stderr
        assert "social-media/v1.1.0 is released" in failed.stderr
        assert "No space left on device" in failed.stderr
        assert "run 'policy release' again" in failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
        still_full = released.release()
        assert still_full.returncode == 2 and "is released" in still_full.stderr
        filler.unlink()
        assert_finished_like(released, expected)


def test_a_read_only_notes_folder_is_reported_and_finished_by_running_it_again(
    released: ShippedRepo, tmp_path: Path
) -> None:
    """A read-only `unreleased/` (a read-only tmpfs) keeps the consumed note: the release
    does not claim success, says what is left to do, and once the folder is writable
    `policy release` finishes it exactly like a release that never failed."""
    minor_change(released)
    expected = reference_release(released, tmp_path / "reference")
    notes = released.root / NOTES
    with tmpfs_over(notes, "size=64k"):
        subprocess.run(["mount", "-o", "remount,ro", str(notes)], check=True)
        failed = released.release()
        assert failed.returncode == 2, failed.stdout + failed.stderr
        assert "social-media/v1.1.0 is released" in failed.stderr
        assert "Read-only file system" in failed.stderr
        assert "Traceback" not in failed.stderr
        subprocess.run(["mount", "-o", "remount,rw", str(notes)], check=True)
        assert_finished_like(released, expected)


def make_stats_stale(root: Path) -> None:
    """Every tracked file touched: same content, newer times (as a checkout tool or a copy
    leaves them), so the index's cached stats are stale."""
    later = os.stat(root / POLICY_YAML).st_mtime + 100
    for path in git_as(root, "anouk", "ls-files").split():
        os.utime(root / path, (later, later))


def test_a_release_works_with_optional_locks_off(
    released: ShippedRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_OPTIONAL_LOCKS=0 (some IDEs set it) leaves stale index stats; the release refreshes
    them itself instead of failing with git's 'not uptodate'."""
    minor_change(released)
    expected = reference_release(released, tmp_path / "reference")
    make_stats_stale(released.root)
    monkeypatch.setenv("GIT_OPTIONAL_LOCKS", "0")
    done = released.release()
    assert done.returncode == 0, done.stdout + done.stderr
    assert repository_state(released.root) == expected


def git_folder(root: Path) -> dict[str, tuple[int, str]]:
    """Every file of the git folder with its modification time and content hash."""
    found = {}
    for path in sorted((root / ".git").rglob("*")):
        if path.is_file():
            data = hashlib.sha256(path.read_bytes()).hexdigest()
            found[path.relative_to(root).as_posix()] = (path.stat().st_mtime_ns, data)
    return found


def test_a_dry_run_writes_nothing_not_even_the_index(released: ShippedRepo) -> None:
    """`policy release --dry-run` with stale index stats leaves the git folder as it was:
    no index refresh, no object, no ref."""
    minor_change(released)
    make_stats_stale(released.root)
    before = git_folder(released.root)
    done = released.release("--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git_folder(released.root) == before


# --- Closed pipes: `policy owners | head -1`, `policy release 2>&1 | head -5` --------------------


def closed_pipe() -> int:
    """The writing end of a pipe whose reader, a real process, closed it and ended before the
    command writes a byte (as `head -1` does once it has its line): deterministic."""
    read, write = os.pipe()
    reader = subprocess.Popen(["sh", "-c", "exec 0<&-"], stdin=read)
    os.close(read)
    assert reader.wait(timeout=30) == 0
    return write


def run_into(repo: ShippedRepo, *args: str, stdout: int, stderr: int) -> int:
    """The CLI run by Anouk with its output going where it is told; its exit code."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "SOURCE_DATE_EPOCH": EPOCH,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"], env[f"GIT_{who}_EMAIL"] = "anouk", "anouk@t.nl"
    command = [*policy_command(), *args]
    done = subprocess.run(
        command, cwd=repo.root, env=env, stdout=stdout, stderr=stderr, check=False
    )
    return done.returncode


def test_output_to_a_closed_pipe_stops_quietly(released: ShippedRepo, tmp_path: Path) -> None:
    """`policy owners | head -1`: no BrokenPipeError traceback, the command's own exit code."""
    errors = tmp_path / "stderr"
    pipe = closed_pipe()
    with errors.open("wb") as stream:
        code = run_into(released, "owners", stdout=pipe, stderr=stream.fileno())
    os.close(pipe)
    assert errors.read_text(encoding="utf-8") == ""
    assert code == run_into(
        released, "owners", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@pytest.mark.parametrize("both", (False, True), ids=("stdout", "stdout-and-stderr"))
def test_a_release_into_a_closed_pipe_is_not_reported_as_failed(
    released: ShippedRepo, tmp_path: Path, both: bool
) -> None:
    """`policy release | head -1` and `policy release 2>&1 | head -5`: the release happens,
    exits 0, and nothing complains about the pipe."""
    minor_change(released)
    expected = reference_release(released, tmp_path / "reference")
    errors = tmp_path / "stderr"
    pipe = closed_pipe()
    with errors.open("wb") as stream:
        code = run_into(released, "release", stdout=pipe, stderr=pipe if both else stream.fileno())
    os.close(pipe)
    assert code == 0
    assert errors.read_text(encoding="utf-8") == ""
    assert repository_state(released.root) == expected


def test_an_unfinished_release_whose_file_was_edited_since_is_left_alone(
    released: ShippedRepo,
) -> None:
    """Killed once the branch moved, then `policy.yaml` edited by hand: the next `policy
    release` does not overwrite the edit; it says which file and what to do, exit 2."""
    minor_change(released)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"], env[f"GIT_{who}_EMAIL"] = "anouk", "anouk@t.nl"
    killed = subprocess.run(
        [sys.executable, "-c", KILL, "branch-moved"], cwd=released.root, env=env, check=False
    )
    assert killed.returncode == 9
    path = released.root / POLICY_YAML
    path.write_text(path.read_text(encoding="utf-8") + "# mijn aantekening\n", encoding="utf-8")
    before = repository_state(released.root)
    done = released.release()
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{POLICY_YAML} changed since" in done.stderr
    assert "git reset --hard" in done.stderr
    assert repository_state(released.root) == before
