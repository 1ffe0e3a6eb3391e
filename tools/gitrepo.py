"""The git edge: the only module that imports GitPython.

A revision is read straight from git objects, without checking anything out: a
``GitSnapshot`` lists a commit's tree and reads blobs on demand, and its blob ids come from the
tree, so files equal on both sides of a diff are recognised without reading them.
"""

from __future__ import annotations

from pathlib import Path

import git
from git.objects import Blob, Commit, Tree

from tools.snapshot import RevisionError, SnapshotError

_SYMLINK_MODE = 0o120000
_SUBMODULE_MODE = 0o160000


def open_repo(path: Path) -> git.Repo:
    """The git repository that contains ``path``."""
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RevisionError(
            f"{path} is not inside a git repository; use --base-dir/--head-dir to compare folders"
        ) from None


def resolve_commit(repo: git.Repo, revision: str) -> Commit:
    """The commit a revision (sha, branch, tag, ``HEAD~3``) names."""
    if revision.startswith("-"):
        # Never let a revision be read as an option by git.
        raise RevisionError(f"'{revision}' is not a revision")
    try:
        commit = repo.commit(revision)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        raise RevisionError(
            f"unknown revision '{revision}'; give a commit, branch, tag or release version"
        ) from None
    return commit


def tag_names(repo: git.Repo, prefix: str) -> list[str]:
    """Names of the tags that start with ``prefix``."""
    return sorted(tag.name for tag in repo.tags if tag.name.startswith(prefix))


class GitSnapshot:
    """The files of one commit, read from git objects."""

    def __init__(self, repo: git.Repo, revision: str) -> None:
        self.commit = resolve_commit(repo, revision)
        self.label = revision
        self._entries: dict[str, tuple[str, int, Blob | None]] = {}
        self._collect(self.commit.tree, "")

    def _collect(self, tree: Tree, prefix: str) -> None:
        for item in tree:
            path = f"{prefix}{item.name}"
            if isinstance(item, Tree):
                self._collect(item, f"{path}/")
            elif isinstance(item, Blob):
                self._entries[path] = (item.hexsha, item.mode, item)
            else:  # a submodule: listed so that reading it fails closed
                self._entries[path] = (item.hexsha, _SUBMODULE_MODE, None)

    def files(self, prefix: str) -> list[str]:
        folder = prefix.rstrip("/") + "/" if prefix else ""
        return sorted(path for path in self._entries if path.startswith(folder))

    def read(self, path: str) -> bytes:
        _, mode, blob = self._entry(path)
        if blob is None or mode == _SUBMODULE_MODE:
            raise SnapshotError(
                f"{path} is a submodule at {self.label}; policy files must be files"
            )
        if mode == _SYMLINK_MODE:
            raise SnapshotError(f"{path} is a symbolic link at {self.label}")
        data: bytes = blob.data_stream.read()
        return data

    def blob_id(self, path: str) -> str:
        return self._entry(path)[0]

    def _entry(self, path: str) -> tuple[str, int, Blob | None]:
        try:
            return self._entries[path]
        except KeyError:
            raise KeyError(path) from None


def tracked_paths(root: Path) -> list[str]:
    """The files git tracks in the index of the repository at ``root`` (as git spells them)."""
    repo = open_repo(root)
    listing = repo.git.ls_files("-z", "--full-name")
    return sorted(path for path in listing.split("\0") if path)
