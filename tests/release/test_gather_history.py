"""The release history: from tags, from trailers where tags were not fetched, and per clause."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tests.conftest import git, run_policy, write_tree
from tools.base.gitio import GitRepository
from tools.compare.impact import Impact
from tools.release.gather_history import clause_versions, release_history
from tools.versions.releaseid import release_trailers

ALGEMEEN = "policy/mini/sections/algemeen.yaml"


def release(
    root: Path,
    version: str,
    impact: Impact,
    effective: str,
    *,
    trailers: bool = True,
    clauses: tuple[str, ...] | None = None,
) -> None:
    """Commit everything as a release of mini, tagged, the way `policy release` does."""
    message = f"Release mini {version}"
    if trailers:
        message += "\n\n" + release_trailers(
            "mini", version, impact, dt.date.fromisoformat(effective), clauses
        )
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    git(root, "tag", "-a", "-m", version, f"mini/v{version}")


def edit(root: Path, path: str, before: str, after: str) -> None:
    text = (root / path).read_text(encoding="utf-8")
    assert before in text
    write_tree(root, {path: text.replace(before, after, 1)})


def make_history(mini_repo: Callable[..., Path]) -> Path:
    """1.0.0 (first), 1.1.0 (mi-001 reworded), 1.2.0 (mi-003 reworded)."""
    root = mini_repo()
    git(root, "init", "-q", "-b", "main")
    release(root, "1.0.0", Impact.MAJOR, "2027-01-01")
    edit(root, ALGEMEEN, "Je bent beleefd", "Je bent altijd beleefd")
    release(root, "1.1.0", Impact.MAJOR, "2027-02-01", clauses=("mi-001",))
    edit(root, ALGEMEEN, "Dit is uitleg.", "Dit is meer uitleg.")
    release(root, "1.2.0", Impact.MINOR, "2027-03-01", clauses=("mi-003",))
    return root


def test_history_comes_from_tags_and_their_trailers(mini_repo: Callable[..., Path]) -> None:
    """Each release with its impact and effective date as its commit's trailers say."""
    root = make_history(mini_repo)
    found = [
        (r.version, r.impact, r.effective.isoformat(), r.tagged)
        for r in release_history(GitRepository(root), "mini")
    ]
    assert found == [
        ("1.0.0", Impact.MAJOR, "2027-01-01", True),
        ("1.1.0", Impact.MAJOR, "2027-02-01", True),
        ("1.2.0", Impact.MINOR, "2027-03-01", True),
    ]
    head = git(root, "rev-parse", "HEAD").strip()
    assert release_history(GitRepository(root), "mini")[-1].commit == head


def test_release_without_its_tag_is_found_by_its_trailers(mini_repo: Callable[..., Path]) -> None:
    """Where tags were not fetched, the trailers still tell the history (marked untagged)."""
    root = make_history(mini_repo)
    git(root, "tag", "-d", "mini/v1.2.0")
    last = release_history(GitRepository(root), "mini")[-1]
    assert (last.version, last.tagged, last.tag) == ("1.2.0", False, "mini/v1.2.0")


def test_tag_made_by_hand_gets_impact_and_date_from_the_policy(
    mini_repo: Callable[..., Path],
) -> None:
    """A tag without trailers: the impact from the diff with the release before (also when that
    one had trailers), the effective date from its policy.yaml."""
    root = mini_repo()
    git(root, "init", "-q", "-b", "main")
    release(root, "1.0.0", Impact.MAJOR, "2027-01-01", trailers=False)
    edit(root, ALGEMEEN, "Dit is uitleg.", "Dit is meer uitleg.")
    release(root, "1.1.0", Impact.MINOR, "2027-01-01", trailers=False)
    edit(root, ALGEMEEN, "Dit is meer uitleg.", "Dit is nog meer uitleg.")
    release(root, "1.2.0", Impact.MINOR, "2027-01-01", trailers=False)
    edit(root, ALGEMEEN, "Dit is nog meer uitleg.", "Dit is de uitleg.")
    release(root, "1.3.0", Impact.MINOR, "2027-02-01", clauses=("mi-003",))
    edit(root, ALGEMEEN, "Dit is de uitleg.", "Dit is uitleg.")
    release(root, "1.4.0", Impact.MINOR, "2027-02-01", trailers=False)
    found = [
        (r.version, r.impact, r.effective) for r in release_history(GitRepository(root), "mini")
    ]
    assert found == [
        ("1.0.0", Impact.MAJOR, dt.date(2027, 1, 1)),
        ("1.1.0", Impact.MINOR, dt.date(2027, 1, 1)),
        ("1.2.0", Impact.MINOR, dt.date(2027, 1, 1)),
        ("1.3.0", Impact.MINOR, dt.date(2027, 2, 1)),
        ("1.4.0", Impact.MINOR, dt.date(2027, 1, 1)),
    ]


def test_each_clause_knows_the_version_it_last_changed_in(mini_repo: Callable[..., Path]) -> None:
    """Each clause maps to the release that added it or last reworded it."""
    root = make_history(mini_repo)
    assert clause_versions(GitRepository(root), "mini") == {
        "mi-001": "1.1.0",
        "mi-002": "1.0.0",
        "mi-003": "1.2.0",
    }


def test_clause_versions_from_the_trailers_equal_the_diffed_ones(
    mini_repo: Callable[..., Path],
) -> None:
    """With Policy-Clauses on every release no old file is read, and the answer is the same as
    diffing the releases; a history without them falls back to diffing."""
    root = make_history(mini_repo)
    history = release_history(GitRepository(root), "mini")
    assert [r.clauses for r in history] == [("all",), ("mi-001",), ("mi-003",)]
    ids = ["mi-001", "mi-002", "mi-003"]
    assert clause_versions(GitRepository(root), "mini", ids, history) == clause_versions(
        GitRepository(root), "mini"
    )
    unsaid = [replace(r, clauses=None) if r.version == "1.1.0" else r for r in history]
    assert clause_versions(GitRepository(root), "mini", ids, unsaid) == clause_versions(
        GitRepository(root), "mini"
    )
    assert clause_versions(GitRepository(root), "mini", ["mi-002"], history) == {"mi-002": "1.0.0"}


def test_no_history_outside_git(mini_repo: Callable[..., Path]) -> None:
    """A plain folder has no releases, and that is not an error."""
    assert release_history(GitRepository(mini_repo()), "mini") == []
    assert clause_versions(GitRepository(mini_repo()), "mini") == {}


def test_cli_history_text_and_json(mini_repo: Callable[..., Path]) -> None:
    """`policy history` lists the releases oldest first, as text and as JSON."""
    root = make_history(mini_repo)
    text = run_policy("history", cwd=root)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["version", "released", "impact", "effective", "tag"]
    assert lines[1].split()[0] == "1.0.0" and lines[-1].split()[2:] == [
        "minor",
        "2027-03-01",
        "mini/v1.2.0",
    ]
    data = json.loads(run_policy("history", "--format", "json", cwd=root).stdout)
    assert [r["version"] for r in data["releases"]] == ["1.0.0", "1.1.0", "1.2.0"]
    assert set(data["releases"][0]) == {
        "policy",
        "version",
        "tag",
        "tagged",
        "commit",
        "date",
        "impact",
        "effective",
        "approved_by",
    }
    assert data["releases"][0]["approved_by"] == []  # tagged by hand: no archived evidence
    empty = run_policy("history", cwd=git_free(root))
    assert empty.stdout == "mini: no releases yet\n"


def git_free(root: Path) -> Path:
    """The same files without their history."""
    target = root.parent / "plain"
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".git"))
    return target


def test_clause_versions_same_as_diffing_whole_releases(tmp_path: Path) -> None:
    """Reading only the files that changed between releases gives the versions that diffing
    every release whole gives (a synthetic history of 12 releases over 3 policies)."""
    from tests.bench.generate import Spec, ensure
    from tools.base.loader import load_policy
    from tools.compare.diff import diff_policies

    root = ensure(Spec(clauses=600, releases=12, seed=2), tmp_path)
    repo = GitRepository(root)
    for policy_id in ("verlof", "thuiswerken", "integriteit"):
        expected: dict[str, str] = {}
        previous = None
        for record in release_history(GitRepository(root), policy_id):
            current, _ = load_policy(repo.snapshot(record.commit), policy_id)
            for change in diff_policies(previous, current).changes:
                if change.clause and change.kind in ("added", "modified", "id-changed"):
                    expected[change.clause] = record.version
            kept = {clause.id for _, _, clause in current.clauses()} if current else set()
            expected = {c: v for c, v in expected.items() if c in kept}
            previous = current
        assert clause_versions(GitRepository(root), policy_id) == dict(sorted(expected.items()))
        assert len(set(expected.values())) > 1  # clauses changed in later releases too
