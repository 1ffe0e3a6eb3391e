"""Snapshots: one version of the repository's files as plain data.

Every engine reads a version through this small interface, whether it comes from a directory, a git
revision (``tools/base/gitsnapshot.py``) or a dict literal in a test. A file's ``blob_id`` is its
git blob hash, so parsed results can be cached and files equal on both sides of a diff are parsed
once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from tools.base.errors import SnapshotError


class Snapshot(Protocol):
    """Read-only view of a version: repository-relative POSIX paths to bytes."""

    label: str

    def files(self, prefix: str) -> list[str]:
        """Sorted paths of the files under the folder ``prefix`` ('' for all)."""
        ...

    def read(self, path: str) -> bytes:
        """The file's bytes; KeyError when absent, SnapshotError when unsafe."""
        ...

    def blob_id(self, path: str) -> str:
        """The git blob id of the file's content."""
        ...


def git_blob_id(data: bytes) -> str:
    """The id git gives a blob with this content (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def _under(path: str, prefix: str) -> bool:
    return not prefix or path.startswith(prefix.rstrip("/") + "/")


class MemorySnapshot:
    """A snapshot held in a dict: for tests and for versions assembled in memory."""

    def __init__(self, files: Mapping[str, bytes | str], label: str = "memory") -> None:
        self.label = label
        self._files = {
            path: data.encode() if isinstance(data, str) else data for path, data in files.items()
        }

    def files(self, prefix: str) -> list[str]:
        return sorted(path for path in self._files if _under(path, prefix))

    def read(self, path: str) -> bytes:
        return self._files[path]

    def blob_id(self, path: str) -> str:
        return git_blob_id(self._files[path])


class DirSnapshot:
    """The files of a folder on disk (the working tree or a plain directory)."""

    def __init__(self, root: Path, label: str | None = None) -> None:
        self.root = root.resolve()
        self.label = label if label is not None else str(root)

    def files(self, prefix: str) -> list[str]:
        base = self.root / prefix if prefix else self.root
        found: list[str] = []
        for folder, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != ".git")
            for name in names:
                found.append(Path(folder, name).relative_to(self.root).as_posix())
            # A symlinked folder is listed as a file so that reading it fails closed.
            found.extend(
                Path(folder, d).relative_to(self.root).as_posix()
                for d in dirs
                if Path(folder, d).is_symlink()
            )
        return sorted(found)

    def read(self, path: str) -> bytes:
        full = self.root / path
        if full.is_symlink():
            raise SnapshotError(f"{path} is a symbolic link; policy files must be regular files")
        if not full.is_file():
            raise KeyError(path)
        try:
            return full.read_bytes()
        except OSError as error:
            raise SnapshotError(f"{path} cannot be read: {error.strerror}") from error

    def blob_id(self, path: str) -> str:
        return git_blob_id(self.read(path))
