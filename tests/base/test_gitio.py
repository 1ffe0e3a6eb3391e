"""The git edge's readers on hostile file names: authorship and changed paths come from a parse
that consumes exactly the fields git writes, so no name can pass for a commit header."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.gatekit import GateRepo, email, git_as
from tools.base.errors import RevisionError
from tools.base.gitio import GitRepository
from tools.base.gitlog import raw_entries

# Every byte a file name may hold (not NUL, not '/'), each in a name of its own.
EVERY_BYTE = [b"n" + bytes([byte]) for byte in range(1, 256) if byte != ord("/")]


def write_names(root: Path, names: list[bytes], text: str = "x\n") -> set[str]:
    """Files with these names (bytes, as the file system takes them); their paths as git
    spells them (surrogate-escaped where not UTF-8)."""
    for name in names:
        (root / os.fsdecode(name)).write_text(text, encoding="utf-8")
    return {os.fsdecode(name) for name in names}


def commit_all(root: Path, author: str) -> str:
    git_as(root, author, "add", "-A")
    git_as(root, author, "commit", "-q", "--allow-empty", "-m", "change")
    return git_as(root, author, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git_as(root, "anouk", "init", "-q", "-b", "main")
    (root / "README.md").write_text("start\n", encoding="utf-8")
    commit_all(root, "anouk")
    git_as(root, "anouk", "tag", "base")
    return root


def authorship(root: Path, base: str | None = "base") -> dict[str, frozenset[str]]:
    """Commit -> the paths it is credited with."""
    found = GitRepository(root).contributions(base, "HEAD")
    return {c.commit: c.paths for c in found}


def test_every_byte_in_a_name_is_read_as_a_path(repo: Path) -> None:
    expected = write_names(repo, EVERY_BYTE)
    sha = commit_all(repo, "eva")
    assert authorship(repo) == {sha: frozenset(expected)}
    changed = GitRepository(repo).changed_paths("base", "HEAD")
    assert {c.path for c in changed} == expected


def test_names_that_look_like_git_output_are_paths(repo: Path) -> None:
    """Headers, entries, commit ids, newlines, tabs, quotes and a leading '-'."""
    old = git_as(repo, "anouk", "rev-parse", "base").strip()
    names = [
        b"\x01" + old.encode(),
        b"\n\x01" + old.encode(),
        old.encode(),
        b":100644 100644 " + old.encode() + b" " + old.encode() + b" M",
        b"::100644",
        b"\n",
        b"\t\"quoted\" 'name'",
        b"-rf",
        b"--all",
        b"caf\xc3\xa9",
    ]
    expected = write_names(repo, names)
    sha = commit_all(repo, "eva")
    assert authorship(repo) == {sha: frozenset(expected)}


def test_ten_thousand_files_in_one_commit(repo: Path) -> None:
    folder = repo / "many"
    folder.mkdir()
    for number in range(10_000):
        (folder / f"{number:05d}.txt").write_text(f"{number}\n", encoding="utf-8")
    sha = commit_all(repo, "eva")
    credited = authorship(repo)
    assert list(credited) == [sha]
    assert len(credited[sha]) == 10_000


def test_merges_and_root_commits(repo: Path) -> None:
    """A merge is credited with what it wrote itself; with no BASE, the root commit counts."""
    git_as(repo, "anouk", "checkout", "-q", "-b", "side")
    (repo / "side.txt").write_text("side\n", encoding="utf-8")
    side = commit_all(repo, "sanne")
    git_as(repo, "anouk", "checkout", "-q", "main")
    (repo / "main.txt").write_text("main\n", encoding="utf-8")
    main = commit_all(repo, "eva")
    git_as(repo, "joost", "merge", "-q", "--no-ff", "--no-commit", "side")
    (repo / "side.txt").write_text("evil merge\n", encoding="utf-8")
    merge = commit_all(repo, "joost")
    credited = authorship(repo)
    assert credited == {
        side: frozenset({"side.txt"}),
        main: frozenset({"main.txt"}),
        merge: frozenset({"side.txt"}),
    }
    root = git_as(repo, "anouk", "rev-list", "--max-parents=0", "HEAD").strip()
    assert authorship(repo, None)[root] == frozenset({"README.md"})


def test_output_of_another_shape_fails_closed() -> None:
    sha = "a" * 40
    entry = ":100644 100644 " + "b" * 40 + " " + "c" * 40 + " M"
    assert list(raw_entries(f"\x01{sha}\0\n{entry}\0p\0")) == [(sha, entry, "p")]
    assert list(raw_entries(f"\x01{sha}\0")) == [(sha, "", "")]
    with pytest.raises(RevisionError, match="unexpected field"):
        list(raw_entries(f"\x01{sha}\0\nnot a header\0"))
    with pytest.raises(RevisionError, match="ends inside an entry"):
        list(raw_entries(f"\x01{sha}\0\n{entry}"))


def test_a_file_named_like_a_header_does_not_make_an_author_approve_herself(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    """The attack: Eva (HR) commits her monitoring change together with a file named "\\x01" +
    an older commit id, then deletes that file. The gate must still see her as the author."""
    from tests.gatekit import MONITORING, monitoring, new_gate_repo

    gate: GateRepo = new_gate_repo(tmp_path / "gate", keys)
    older = git_as(gate.root, "anouk", "rev-parse", "base").strip()
    hostile = os.fsdecode(b"\x01" + older.encode())
    gate.commit({MONITORING: monitoring("We kijken soms mee."), hostile: "x\n"}, author="eva")
    gate.commit({hostile: None}, author="eva")
    gate.approve("eva")
    gate.approve("fatima")
    verdict = gate.verdict()
    assert not verdict.complete
    assert any(
        i.approver == email("eva") and i.reason.startswith("self-approval") for i in verdict.ignored
    )


def test_tagged_commit_facts_are_each_tags_commit_facts(repo: Path) -> None:
    """One git call gives what a lookup per tag gives: annotated, lightweight and packed tags;
    a tag of a tag is left out (asked one by one); another prefix's tags are not listed."""
    git_as(repo, "anouk", "commit", "-q", "--allow-empty", "-m", "Release\n\nPolicy: x\nA: 1")
    git_as(repo, "anouk", "tag", "-a", "-m", "x 1.0.0", "x/v1.0.0")
    git_as(repo, "anouk", "tag", "x/v1.0.1", "base")
    git_as(repo, "anouk", "pack-refs", "--all")
    git_as(repo, "anouk", "tag", "-a", "-m", "Note: no trailer", "x/v2.0.0", "x/v1.0.0")
    git_as(repo, "anouk", "tag", "-a", "-m", "y", "xy/v1.0.0")
    git_as(repo, "anouk", "tag", "-a", "-m", "z", "y/v1.0.0")
    git = GitRepository(repo)
    found = git.tagged_commit_facts("x/v")
    assert sorted(found) == ["x/v1.0.0", "x/v1.0.1"]
    assert all(facts == git.commit_facts(name) for name, facts in found.items())
    assert found["x/v1.0.0"][2] == {"Policy": "x", "A": "1"}
    assert sorted(git.tagged_commit_facts("x")) == ["x/v1.0.0", "x/v1.0.1", "xy/v1.0.0"]
    assert git.tagged_commit_facts("x*/v") == {}
