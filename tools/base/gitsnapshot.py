"""The files of one commit, read from git objects: the reading half of the git seam
(``tools/base/gitio.py``), and like it a module that sees GitPython objects."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from git.objects import Blob, Tree

from tools.base.errors import SnapshotError

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository

_SYMLINK_MODE = 0o120000
_SUBMODULE_MODE = 0o160000


class GitSnapshot:
    """The files of one commit, read from git objects.

    Folders are listed when first asked for, not the whole tree up front: a diff of one
    policy reads that policy's folder and the registry, whatever else the repository holds.
    """

    def __init__(self, repo: GitRepository, revision: str) -> None:
        self.repo = repo
        self._at = repo._commit(revision)
        self.commit_id: str = self._at.hexsha
        self.label = revision
        self._entries: dict[str, tuple[str, int, Blob | None]] = {}
        self._listed: set[str] = set()
        """Folders whose every file is in ``_entries`` ('' for the whole tree)."""

    def _collect(self, tree: Tree, prefix: str) -> None:
        for item in tree:
            path = f"{prefix}{item.name}"
            if isinstance(item, Tree):
                self._collect(item, f"{path}/")
            else:
                self._entries[path] = _entry_of(item)

    def _is_listed(self, folder: str) -> bool:
        parts = folder.split("/") if folder else []
        return any("/".join(parts[:depth]) in self._listed for depth in range(len(parts) + 1))

    def _list(self, folder: str) -> None:
        if self._is_listed(folder):
            return
        tree = self._item(folder) if folder else self._at.tree
        if isinstance(tree, Tree):
            self._collect(tree, f"{folder}/" if folder else "")
        self._listed.add(folder)

    def _item(self, path: str) -> object | None:
        try:
            item: object = self._at.tree / path
        except KeyError:
            return None
        return item

    def files(self, prefix: str) -> list[str]:
        folder = prefix.rstrip("/")
        self._list(folder)
        start = f"{folder}/" if folder else ""
        return sorted(path for path in self._entries if path.startswith(start))

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

    def state(self, path: str) -> str | None:
        """``"<mode> sha256:<hex>"`` of a file as it is in this commit; None when absent.
        Symbolic links and submodules have a state too: what they point at."""
        try:
            sha, mode, blob = self._entry(path)
        except KeyError:
            return None
        data = blob.data_stream.read() if blob is not None else sha.encode()
        return f"{mode:06o} sha256:{hashlib.sha256(data).hexdigest()}"

    def _entry(self, path: str) -> tuple[str, int, Blob | None]:
        found = self._entries.get(path)
        if found is not None:
            return found
        if not path or self._is_listed(path.rpartition("/")[0]):
            raise KeyError(path)
        item = self._item(path)
        if item is None or isinstance(item, Tree):
            raise KeyError(path)
        self._entries[path] = _entry_of(item)
        return self._entries[path]


def _entry_of(item: object) -> tuple[str, int, Blob | None]:
    if isinstance(item, Blob):
        return item.hexsha, item.mode, item
    # A submodule: listed so that reading it fails closed.
    return getattr(item, "hexsha", ""), _SUBMODULE_MODE, None
