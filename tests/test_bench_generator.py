"""The benchmark's repository generator (tests/bench/generate.py), on a small repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.bench import doorstoptree, floors, strictdoctree
from tests.bench.generate import ONE_CLAUSE_BRANCH, ONE_PERCENT_BRANCH, Spec, build, ensure
from tests.bench.run import Result
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


def test_strictdoc_documents_have_one_requirement_per_clause(tmp_path: Path) -> None:
    """One .sdoc document per policy, a requirement per clause with its id and text, and each
    reference as a relation."""
    tree = strictdoctree.ensure(SPEC, tmp_path)
    documents = sorted((tree / "docs").glob("*.sdoc"))
    assert [path.stem for path in documents] == ["thuiswerken", "verlof"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in documents)
    assert text.count("[REQUIREMENT]") == 450
    assert "UID: VL-0001\n" in text and text.count("STATEMENT: >>>") == 450
    assert text.count("[[SECTION]]") == text.count("[[/SECTION]]") > 0
    assert "- TYPE: Parent\n  VALUE: VL-0" in text


def test_floor_ratios_in_cpu_time_with_memory_and_strictdoc() -> None:
    """validate / PyYAML's floor per size from 10,000 clauses, validate's peak at the largest
    size against 100 MiB, and validate / StrictDoc, each met or not."""
    results = [
        Result("validate", 10_000, cpu=[0.5, 0.6, 0.7], peak_kib=60 * 1024),
        Result("pyyaml floor", 10_000, cpu=[0.4, 0.5, 0.6]),
        Result("validate", 50_000, cpu=[2.0, 2.8, 2.9], peak_kib=120 * 1024),
        Result("pyyaml floor", 50_000, cpu=[2.0, 2.0, 2.1]),
        Result("validate", 1_000, cpu=[0.2]),
        Result("strictdoc export", 1_000, cpu=[8.0]),
    ]
    ratios = floors.ratios(results, [1_000, 10_000, 50_000], 1_000)
    assert ratios["validate_vs_pyyaml_10k"] == {"value": 1.2, "target": 1.3, "met": True}
    assert ratios["validate_vs_pyyaml_50k"] == {"value": 1.4, "target": 1.3, "met": False}
    assert ratios["validate_peak_mib_50k"]["met"] is False
    assert ratios["validate_vs_strictdoc_1k"]["value"] == 0.025
    assert "validate_vs_pyyaml_1k" not in ratios
