"""GitSnapshot lists folders on demand and answers exactly as a full listing would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, write_tree
from tools.base.gitio import GitRepository
from tools.base.gitsnapshot import GitSnapshot
from tools.base.snapshot import git_blob_id

FILES = {
    "CODEOWNERS": "* @a/b\n",
    "policy/departments.yaml": "organisation: X\n",
    "policy/p/policy.yaml": "id: p\n",
    "policy/p/sections/a.yaml": "id: a\n",
    "policy/q/sections/b.yaml": "id: b\n",
    "docs/readme.md": "hallo\n",
}


@pytest.fixture
def snapshot(tmp_path: Path) -> GitSnapshot:
    """A commit of FILES."""
    write_tree(tmp_path, FILES)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "files")
    return GitRepository(tmp_path).snapshot("HEAD")


def test_files_under_a_folder_only(snapshot: GitSnapshot) -> None:
    """files(prefix) lists that folder's files, sorted; '' lists everything."""
    assert snapshot.files("policy/p") == ["policy/p/policy.yaml", "policy/p/sections/a.yaml"]
    assert snapshot.files("policy/p/") == snapshot.files("policy/p")
    assert snapshot.files("policy") == sorted(p for p in FILES if p.startswith("policy/"))
    assert snapshot.files("") == sorted(FILES)
    assert snapshot.files("nowhere") == []
    assert snapshot.files("CODEOWNERS") == []  # a file is not a folder


def test_paths_read_without_listing(snapshot: GitSnapshot) -> None:
    """A file is found, read and identified without listing its folder first."""
    assert snapshot.read("policy/q/sections/b.yaml") == b"id: b\n"
    assert snapshot.blob_id("CODEOWNERS") == git_blob_id(b"* @a/b\n")
    assert snapshot.state("docs/readme.md") is not None


@pytest.mark.parametrize("path", ["policy/p/nope.yaml", "policy/p", "policy", "", "x/y/z"])
def test_missing_paths(snapshot: GitSnapshot, path: str) -> None:
    """A path that is no file (absent, or a folder) is a KeyError, and has no state."""
    with pytest.raises(KeyError):
        snapshot.blob_id(path)
    assert snapshot.state(path) is None


def test_missing_after_listing(snapshot: GitSnapshot) -> None:
    """Once a folder is listed, an absent file in it is known absent."""
    snapshot.files("policy/p")
    with pytest.raises(KeyError):
        snapshot.read("policy/p/sections/zz.yaml")
