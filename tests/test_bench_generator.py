"""The benchmark's repository generator (tests/bench/generate.py), on a small repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.bench import doorstoptree
from tests.bench.generate import ONE_CLAUSE_BRANCH, ONE_PERCENT_BRANCH, Spec, build, ensure
from tests.conftest import git, run_policy

SPEC = Spec(clauses=450, releases=7, seed=3)


def test_same_seed_same_repository(tmp_path: Path) -> None:
    """Two builds from one seed are the same commits, byte for byte; another seed differs."""
    first = build(SPEC, tmp_path / "a")
    second = build(SPEC, tmp_path / "b")
    other = build(Spec(450, 7, seed=4), tmp_path / "c")
    assert git(first, "rev-parse", "main") == git(second, "rev-parse", "main")
    assert git(first, "rev-parse", "main") != git(other, "rev-parse", "main")


def test_valid_with_n_clauses_and_k_releases(tmp_path: Path) -> None:
    """policy validate accepts it, it holds N clauses in several policies, K tagged releases."""
    repo = ensure(SPEC, tmp_path)
    result = run_policy("validate", "--format", "json", cwd=repo)
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert sum(policy["clauses"] for policy in report["policies"]) == 450
    assert len(report["policies"]) == 2
    tags = git(repo, "tag", "--list").split()
    assert len(tags) == 7
    assert "verlof/v1.0.0" in tags
    message = git(repo, "log", "-1", "--format=%B", tags[-1])
    assert "Policy-Version: " in message
    assert "Policy-Impact: " in message
    assert git(repo, "cat-file", "-t", tags[-1]).strip() == "tag"  # annotated
    assert ensure(SPEC, tmp_path) == repo  # cached


def test_change_branches_differ_in_one_clause_and_one_percent(tmp_path: Path) -> None:
    """bench/one-clause rewords one clause of main, bench/one-percent 1% of all clauses."""
    repo = ensure(SPEC, tmp_path)
    for branch, count in ((ONE_CLAUSE_BRANCH, 1), (ONE_PERCENT_BRANCH, 4)):
        result = run_policy(
            "diff", "main", branch, "--policy", "verlof", "--format", "json", cwd=repo
        )
        changes = json.loads(result.stdout)["changes"]
        assert [c["kind"] for c in changes] == ["modified"] * count, branch


def test_doorstop_tree_has_one_item_per_clause(tmp_path: Path) -> None:
    """The Doorstop conversion writes an item per clause, a document per policy."""
    tree = doorstoptree.ensure(SPEC, tmp_path)
    items = [p for p in (tree / "reqs").rglob("*.yml") if p.name != ".doorstop.yml"]
    assert len(items) == 450 + 2  # the clauses and one root item per policy
    assert len(list((tree / "reqs").rglob(".doorstop.yml"))) == 3
    staged = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=tree, check=False)
    assert staged.returncode == 1  # items staged, so Doorstop does not add them while timed
