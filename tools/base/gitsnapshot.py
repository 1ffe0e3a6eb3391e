"""The files of one commit, read from git objects: the reading half of the git seam
(``tools/base/gitio.py``), through its ``git cat-file --batch`` (``tools/base/gitcat.py``)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from tools.base.errors import SnapshotError
from tools.base.gitcat import SUBMODULE_MODE, TREE_MODE

if TYPE_CHECKING:
    from tools.base.gitcat import CatFile
    from tools.base.gitio import GitRepository

_SYMLINK_MODE = 0o120000


class GitSnapshot:
    """The files of one commit, read from git objects.

    Folders are listed when first asked for, not the whole tree up front: a diff of one
    policy reads that policy's folder and the registry, whatever else the repository holds.
    """

    def __init__(self, repo: GitRepository, revision: str) -> None:
        self.repo = repo
        at = repo._commit(revision)
        self._objects: CatFile = repo._objects()
        self._tree = at.tree
        self.commit_id: str = at.id
        self.label = revision
        self._entries: dict[str, tuple[str, int]] = {}
        """Path -> (blob id, mode) of every file seen (a submodule: its commit id)."""
        self._listed: set[str] = set()
        """Folders whose every file is in ``_entries`` ('' for the whole tree)."""

    def _collect(self, tree: str, prefix: str) -> None:
        for item in self._objects.tree(tree):
            path = f"{prefix}{item.name}"
            if item.mode == TREE_MODE:
                self._collect(item.id, f"{path}/")
            else:
                self._entries[path] = item.id, item.mode

    def _is_listed(self, folder: str) -> bool:
        parts = folder.split("/") if folder else []
        return any("/".join(parts[:depth]) in self._listed for depth in range(len(parts) + 1))

    def _list(self, folder: str) -> None:
        if self._is_listed(folder):
            return
        tree = self._objects.entry(self._tree, folder) if folder else None
        if not folder or (tree is not None and tree.mode == TREE_MODE):
            self._collect(
                tree.id if tree is not None else self._tree, f"{folder}/" if folder else ""
            )
        self._listed.add(folder)

    def files(self, prefix: str) -> list[str]:
        folder = prefix.rstrip("/")
        self._list(folder)
        start = f"{folder}/" if folder else ""
        return sorted(path for path in self._entries if path.startswith(start))

    def read(self, path: str) -> bytes:
        sha, mode = self._entry(path)
        if mode == SUBMODULE_MODE:
            raise SnapshotError(
                f"{path} is a submodule at {self.label}; policy files must be files"
            )
        if mode == _SYMLINK_MODE:
            raise SnapshotError(f"{path} is a symbolic link at {self.label}")
        return self._objects.blob(sha)

    def blob_id(self, path: str) -> str:
        return self._entry(path)[0]

    def state(self, path: str) -> str | None:
        """``"<mode> sha256:<hex>"`` of a file as it is in this commit; None when absent.
        Symbolic links and submodules have a state too: what they point at."""
        try:
            sha, mode = self._entry(path)
        except KeyError:
            return None
        data = self._objects.blob(sha) if mode != SUBMODULE_MODE else sha.encode()
        return f"{mode:06o} sha256:{hashlib.sha256(data).hexdigest()}"

    def _entry(self, path: str) -> tuple[str, int]:
        found = self._entries.get(path)
        if found is not None:
            return found
        if not path or self._is_listed(path.rpartition("/")[0]):
            raise KeyError(path)
        item = self._objects.entry(self._tree, path)
        if item is None or item.mode == TREE_MODE:
            raise KeyError(path)
        # Modes are canonical (gitcat.parse_tree): a file, a link or a submodule, whose
        # reading fails closed.
        self._entries[path] = item.id, item.mode
        return self._entries[path]
