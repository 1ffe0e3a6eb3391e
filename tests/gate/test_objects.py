"""The gate reads what git's ids name: objects a branch author crafts (a folder stored with an
odd mode, a replace ref, a submodule setting) cannot hide a change from it. Real repositories,
real SSH keys; each scenario would let the change through without its fix."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import git
from tests.gatekit import MONITORING, GateRepo, missing, monitoring, new_gate_repo
from tools.base.gitio import GitRepository


@pytest.fixture
def gate(tmp_path: Path, keys: dict[str, Path]) -> GateRepo:
    return new_gate_repo(tmp_path / "repo", keys)


def _object(root: Path, kind: str, data: bytes) -> str:
    done = subprocess.run(
        ["git", "hash-object", "--literally", "-t", kind, "-w", "--stdin"],
        cwd=root,
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip()


def _with_mode(root: Path, tree: str, path: list[str], mode: bytes) -> str:
    """``tree`` with the folder at ``path`` stored under ``mode`` (its ancestors as 40000)."""
    raw = subprocess.run(
        ["git", "cat-file", "tree", tree], cwd=root, capture_output=True, check=True
    ).stdout
    entries, index = [], 0
    while index < len(raw):
        nul = raw.index(b"\0", index)
        entry_mode, name = raw[index:nul].split(b" ", 1)
        entries.append([entry_mode, name, raw[nul + 1 : nul + 21]])
        index = nul + 21
    for entry in entries:
        if entry[1] == path[0].encode():
            inner = entry[2].hex()
            if len(path) > 1:
                entry[2] = bytes.fromhex(_with_mode(root, inner, path[1:], mode))
            else:
                entry[0] = mode
    return _object(root, "tree", b"".join(m + b" " + n + b"\0" + i for m, n, i in entries))


def test_a_folder_stored_as_40755_does_not_hide_its_files(gate: GateRepo) -> None:
    """The deletion of a section is approved; then the file comes back with other text inside
    a folder whose mode is 40755 (git reads it as a folder; fsck only warns)."""
    gate.commit({MONITORING: None})
    gate.approve("eva")
    gate.approve("fatima")
    assert gate.verdict().complete
    gate.commit({MONITORING: monitoring("We lezen alle mail.")})
    tree = _with_mode(gate.root, git(gate.root, "rev-parse", "HEAD^{tree}").strip(),
                      MONITORING.split("/")[:-1], b"40755")  # fmt: skip
    sneaked = git(gate.root, "commit-tree", tree, "-p", "HEAD~1", "-m", "sneak").strip()
    git(gate.root, "update-ref", "refs/heads/main", sneaked)
    assert "We lezen alle mail." in git(gate.root, "show", f"HEAD:{MONITORING}")
    verdict = gate.verdict()
    assert not verdict.complete
    assert missing(verdict)


def test_a_replace_ref_does_not_change_what_the_base_is(gate: GateRepo) -> None:
    """refs/replace/<base> pointing at a commit with HEAD's tree would make the change vanish."""
    gate.commit({MONITORING: monitoring("We lezen alle mail.")})
    base = git(gate.root, "rev-parse", "base").strip()
    tree = git(gate.root, "rev-parse", "HEAD^{tree}").strip()
    forged = git(gate.root, "commit-tree", tree, "-m", "base").strip()
    git(gate.root, "update-ref", f"refs/replace/{base}", forged)
    assert git(gate.root, "diff", "--stat", "base", "HEAD") == ""  # git itself is fooled
    verdict = gate.verdict()
    assert not verdict.complete
    assert missing(verdict)


def test_a_submodule_setting_does_not_hide_a_changed_pin(tmp_path: Path) -> None:
    """A .gitmodules "ignore = all" on the branch must not hide a submodule's new commit."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / ".gitmodules").write_text('[submodule "sub"]\n\tpath = sub\n\tignore = all\n')
    git(root, "add", ".gitmodules")
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},sub")
    git(root, "commit", "-q", "-m", "pin")
    git(root, "update-index", "--cacheinfo", f"160000,{'2' * 40},sub")
    git(root, "commit", "-q", "-m", "move the pin")
    repo = GitRepository(root)
    assert [change.path for change in repo.changed_paths("HEAD~1", "HEAD")] == ["sub"]
    assert repo.changed_names("HEAD~1", "HEAD") == ["sub"]
