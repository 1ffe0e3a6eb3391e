"""Rounds and released texts read from a real repository released with the release tooling."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.attest.ackkit import release_major, release_minor, released
from tests.conftest import day_epoch
from tests.releasekit import ShippedRepo
from tools.attest.gather_rounds import gather_policies, gather_policy, released_policy_ids
from tools.attest.textdigest import text_digest
from tools.base.gitio import GitRepository


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> ShippedRepo:
    """1.0.0, then a minor and a major release."""
    repo = released(tmp_path_factory.mktemp("rounds") / "shipped", keys)
    release_minor(repo, day_epoch("2026-12-01"))
    release_major(repo, day_epoch("2026-12-02"))
    return repo


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout


def _auditor_digest(root: Path, tag: str) -> str:
    """The digest as docs/attestation.md tells an auditor to recompute it, from git alone."""
    names = _git(root, "ls-tree", "-r", "--name-only", "-z", tag, "--", "policy/social-media/")
    files = {
        name.decode(): _git(root, "cat-file", "blob", f"{tag}:{name.decode()}")
        for name in names.split(b"\0") if name
    }  # fmt: skip
    return text_digest(files)


def test_the_first_and_the_major_release_open_rounds(history: ShippedRepo) -> None:
    repo = GitRepository(history.root)
    assert released_policy_ids(repo) == ["social-media"]
    facts = gather_policy(repo, "social-media")
    assert facts.title == "Social-mediabeleid"
    assert [r.version for r in facts.rounds] == ["1.0.0", "2.0.0"]
    assert [(r.version, r.opens_round) for r in facts.releases] == [
        ("1.0.0", True), ("1.1.0", False), ("2.0.0", True),
    ]  # fmt: skip
    assert (facts.departments, facts.days) == (None, 30)
    assert facts.releases[0].digest is None  # counting needs no evidence
    assert gather_policies(repo) == [facts]


def test_each_release_carries_its_tag_object_and_text_digest(history: ShippedRepo) -> None:
    facts = gather_policy(GitRepository(history.root), "social-media", evidence=True)
    for text in facts.releases:
        tag_object = _git(history.root, "rev-parse", f"refs/tags/{text.tag}").decode().strip()
        assert text.tag_object == tag_object
        assert text.digest == _auditor_digest(history.root, text.tag)
    assert len({text.digest for text in facts.releases}) == 3


def test_no_release_no_rounds(tmp_path: Path) -> None:
    outside = GitRepository(tmp_path)
    assert released_policy_ids(outside) == []
    assert gather_policy(outside, "social-media").rounds == ()
