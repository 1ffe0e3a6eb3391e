"""Git objects read by one long-lived ``git cat-file --batch``: part of the git seam.

A repository (``gitio.py``) starts the process on its first read and asks it for one object
at a time: a name on a line in, a header line and exactly the object's bytes out. Commits,
trees and blobs cost a pipe round trip each, not a process each, and nothing is parsed in
Python but the few objects a command reads. Only hex ids and revisions checked here ever go
down the pipe, so no path (any byte but NUL) can change what git is asked.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import weakref
from pathlib import Path
from typing import IO

from tools.base.errors import GitError
from tools.base.gitrun import git_environment

TREE_MODE = 0o040000
SUBMODULE_MODE = 0o160000
_KINDS = {"commit", "tree", "blob", "tag"}
_TREES_KEPT = 256
"""At most this many parsed trees are kept (then forgotten at once): memory stays flat."""


class CommitObject:
    """The parts of a commit the seam reads. A plain class, not a dataclass: this module is
    imported by every command that reads git, and a dataclass costs a millisecond to build."""

    __slots__ = ("author_email", "committed", "committer_email", "id", "message", "parents", "tree")

    def __init__(
        self,
        id: str,
        tree: str,
        parents: tuple[str, ...],
        author_email: str,
        committer_email: str,
        committed: int,
        message: str,
    ) -> None:
        self.id, self.tree, self.parents = id, tree, parents
        self.author_email, self.committer_email = author_email, committer_email
        self.committed, self.message = committed, message  # committed: Unix seconds


class TreeEntry:
    """One entry of a tree: a name, its mode and the id of its object."""

    __slots__ = ("id", "mode", "name")

    def __init__(self, name: str, mode: int, id: str) -> None:
        self.name, self.mode, self.id = name, mode, id


class CatFile:
    """One ``git cat-file --batch`` process for the repository at ``where``: started on the
    first read (again in a forked child), ended by ``close``, when collected, or at exit."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0
        self._lock = threading.Lock()
        self._trees: dict[str, list[TreeEntry]] = {}
        """Trees read (an id names one content forever): both sides of a diff share most."""

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._owner != os.getpid():
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.where,
                env=git_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._owner = os.getpid()
            weakref.finalize(self, _stop, self._process)
        return self._process

    def close(self) -> None:
        if self._process is not None and self._owner == os.getpid():
            _stop(self._process)
        self._process = None

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """(id, type, content) of the object ``name`` (an id or a revision such as
        ``main^{commit}``); None when git has no such object or the name is ambiguous."""
        if not name or "\n" in name or "\0" in name or name.startswith("-"):
            return None
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
                process.stdin.flush()
                return _answer(process.stdout)
            except BaseException as error:
                # git exits on some revisions (HEAD@{999}); an interrupt could leave an answer
                # in the pipe for the next question: either way this process is done.
                self._process = None
                _stop(process)
                if not isinstance(error, (OSError, ValueError)):
                    raise
                raise GitError(
                    ["git", "cat-file"], -1, f"git could not read '{name}' ({error})"
                ) from None

    def commit(self, revision: str) -> CommitObject | None:
        """The commit ``revision`` names; None when there is none (git may end the process on
        a revision it cannot resolve, such as ``HEAD@{999}``: the next read starts another)."""
        try:
            found = self.read(f"{revision}^{{commit}}")
        except GitError:
            return None
        if found is None or found[1] != "commit":
            return None
        return parse_commit(found[0], found[2])

    def tree(self, tree_id: str) -> list[TreeEntry]:
        known = self._trees.get(tree_id)
        if known is not None:
            return known
        found = self.read(tree_id)
        if found is None or found[1] != "tree":
            raise GitError(["git", "cat-file"], -1, f"{tree_id} is not a tree here")
        if len(self._trees) >= _TREES_KEPT:
            self._trees.clear()
        self._trees[tree_id] = parse_tree(found[2], len(tree_id) // 2)
        return self._trees[tree_id]

    def blob(self, blob_id: str) -> bytes:
        found = self.read(blob_id)
        if found is None or found[1] != "blob":
            raise GitError(["git", "cat-file"], -1, f"{blob_id} is not a blob here")
        return found[2]

    def entry(self, tree_id: str, path: str) -> TreeEntry | None:
        """The entry at ``path`` (a/b/c) under a tree, walked one folder at a time."""
        current = TreeEntry("", TREE_MODE, tree_id)
        for name in path.split("/"):
            if current.mode != TREE_MODE or not name:
                return None
            found = [item for item in self.tree(current.id) if item.name == name]
            if not found:
                return None
            current = found[0]
        return current


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End cat-file: closing its input is its signal to exit."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _answer(stdout: IO[bytes]) -> tuple[str, str, bytes] | None:
    """One answer of ``cat-file --batch``: ``<id> <type> <size>`` then exactly size bytes and
    a newline; ``<name> missing`` (or ``ambiguous``) otherwise."""
    header = stdout.readline()
    if not header.endswith(b"\n"):
        raise OSError("no answer")
    fields = header.decode("utf-8", "surrogateescape").rstrip("\n").split(" ")
    if len(fields) != 3 or fields[1] not in _KINDS or not fields[2].isdigit():
        return None  # "<name> missing", "<name> ambiguous"
    size = int(fields[2])
    data = stdout.read(size + 1)
    if len(data) != size + 1:
        raise OSError("the answer ended early")
    return fields[0], fields[1], data[:size]


def parse_tree(data: bytes, id_bytes: int) -> list[TreeEntry]:
    """The entries of a tree object: ``<mode> <name>\\0<id>`` each, the id binary.

    Modes are made canonical as git does (``canon_mode``): any folder mode is a folder (a
    folder stored as 40755 must not hide its files), any file mode a file, anything else a
    submodule (read as such, it fails closed). A malformed tree (a short id, a mode that is not
    octal, an empty, dotted or repeated name, a name with a slash) is refused."""
    entries = []
    names: set[bytes] = set()
    index = 0
    try:
        while index < len(data):
            space = data.index(b" ", index)
            nul = data.index(b"\0", space)
            start = nul + 1
            raw_name = data[space + 1 : nul]
            if start + id_bytes > len(data) or raw_name in names or not _valid_name(raw_name):
                raise ValueError(raw_name)
            names.add(raw_name)
            mode = _canonical_mode(int(data[index:space], 8))
            name = raw_name.decode("utf-8", "surrogateescape")
            entries.append(TreeEntry(name, mode, data[start : start + id_bytes].hex()))
            index = start + id_bytes
    except ValueError:
        raise GitError(
            ["git", "cat-file"], -1, "a tree object in the repository is malformed"
        ) from None
    return entries


def _valid_name(name: bytes) -> bool:
    return bool(name) and b"/" not in name and name not in (b".", b"..")


def _canonical_mode(mode: int) -> int:
    kind = mode & 0o170000
    if kind == 0o100000:
        return 0o100755 if mode & 0o100 else 0o100644
    if kind in (0o120000, TREE_MODE):
        return kind
    return SUBMODULE_MODE


def parse_commit(commit_id: str, data: bytes) -> CommitObject:
    """A commit object's headers (tree, parents, author, committer) and its message."""
    head, _, body = data.partition(b"\n\n")
    fields: dict[str, list[str]] = {}
    previous = ""
    for line in head.decode("utf-8", "replace").split("\n"):
        if line and not line.startswith(" "):  # " ...": a multi-line header (gpgsig)
            key, _, value = line.partition(" ")
            # git reads parents only right after the tree; a "parent" line further down is
            # not one (a crafted commit could otherwise claim another history).
            if key != "parent" or previous in ("tree", "parent"):
                fields.setdefault(key, []).append(value)
            previous = key
    encoding = (fields.get("encoding") or ["utf-8"])[0]
    try:
        message = body.decode(encoding, "replace")
    except LookupError:
        message = body.decode("utf-8", "replace")
    committer = (fields.get("committer") or [""])[0]
    return CommitObject(
        commit_id,
        (fields.get("tree") or [""])[0],
        tuple(fields.get("parent", [])),
        _email((fields.get("author") or [""])[0]),
        _email(committer),
        _time(committer),
        message,
    )


def _email(identity: str) -> str:
    """``Name <email> time zone`` -> email (the last ``<...>``, as git writes it)."""
    start = identity.rfind("<")
    end = identity.find(">", start)
    return identity[start + 1 : end] if 0 <= start < end else ""


def _time(identity: str) -> int:
    fields = identity[identity.rfind(">") + 1 :].split()
    return int(fields[0]) if fields and fields[0].lstrip("-").isdigit() else 0
