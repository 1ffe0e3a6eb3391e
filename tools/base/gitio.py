"""The git seam: the only modules that run git are this one and its helpers
(``gitrun.py`` runs a command, ``gitcat.py`` reads objects, ``gitsnapshot.py`` a commit's files).

The CLI opens the repository once (``GitRepository``) and passes it to the commands; everything
it hands out is plain data: commit, tree, blob and tag ids as hex ``str``, the facts of
``tools/base/gitlog.py``, bytes. A revision is read straight from git objects, without checking
anything out: commits, trees and blobs come from one long-lived ``git cat-file --batch``
(started on the first read), and a ``GitSnapshot`` lists a commit's tree and reads blobs on
demand; its blob ids come from the tree, so files equal on both sides of a diff are recognised
without reading them. Every other question is one plain git command (``gitrun.py``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.clock import git_date
from tools.base.errors import GitError, RevisionError
from tools.base.fileio import checkout_mode, remove_empty_folders, write_atomic
from tools.base.gitcat import CatFile, CommitObject
from tools.base.gitlog import (
    EMPTY_TREE,
    ChangedPath,
    CommitFacts,
    Contribution,
    commit_trailers,
    identities,
    parse_changed_paths,
    signing_failure,
    status_paths,
    tag_facts,
    tag_facts_args,
    tag_names_in,
    touched_paths,
    with_trailer,
)
from tools.base.gitrun import git_text, locate, run_git

if TYPE_CHECKING:
    from tools.base.gitsnapshot import GitSnapshot

_FILE_KINDS = (0o10, 0o12)
"""``mode >> 12`` of a file and of a symbolic link: what git stores as a blob."""


class GitRepository:
    """The git repository that contains ``root`` (the policy repository's folder), opened when
    first asked: a command that never reads git works outside a repository too."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._where: tuple[Path, Path] | None = None
        """(the working tree's top folder, git's own folder), once found."""
        self._cat: CatFile | None = None

    def _located(self) -> tuple[Path, Path]:
        if self._where is None:
            self._where = locate(self.root)
            if self._where is None:
                raise RevisionError(
                    f"{self.root} is not inside a git repository; use --base-dir/--head-dir "
                    "to compare folders"
                )
        return self._where

    def _git(
        self, *args: str, env: Mapping[str, str] | None = None, data: bytes | None = None
    ) -> str:
        """git's output of one command run at the top of the working tree."""
        return git_text(self._located()[0], *args, env=env, data=data)

    def _objects(self) -> CatFile:
        """The object reader (``git cat-file --batch``): for this module and the snapshot."""
        if self._cat is None:
            self._cat = CatFile(self._located()[0])
        return self._cat

    def close(self) -> None:
        """End the object reader (it ends at exit, or when the repository is collected, too)."""
        if self._cat is not None:
            self._cat.close()

    @classmethod
    def create(cls, root: Path, message: str, moment: dt.datetime) -> GitRepository:
        """A new repository in ``root`` (branch ``main``) whose first commit, dated ``moment``,
        holds every file in ``root``; git's own identity settings name its author."""
        root.mkdir(parents=True, exist_ok=True)
        run_git(root, "init", "--quiet", "--initial-branch=main")
        run_git(root, "add", "--all")
        run_git(root, "commit", "--quiet", "--no-verify", "-m", message, env=_dated(moment))
        return cls(root)

    def top_level(self) -> Path | None:
        """The working tree's top folder of the repository ``root`` is in; None outside one."""
        if not self.is_open():
            return None
        return self._worktree().resolve()

    def is_open(self) -> bool:
        """Whether ``root`` is inside a git repository."""
        try:
            return self._located() is not None
        except RevisionError:
            return False

    # --- Reading: commits, trees, tags ------------------------------------------------------

    def _commit(self, revision: str) -> CommitObject:
        """The commit a revision names: for this module and ``gitsnapshot.py`` only."""
        if revision.startswith("-"):
            # Never let a revision be read as an option by git.
            raise RevisionError(f"'{revision}' is not a revision")
        found = self._objects().commit(revision)
        if found is None:
            raise RevisionError(
                f"unknown revision '{revision}'; give a commit, branch, tag or release version"
            )
        return found

    def commit_id(self, revision: str) -> str:
        """The id of the commit a revision (sha, branch, tag, ``HEAD~3``) names."""
        return self._commit(revision).id

    def has_commit(self, revision: str) -> bool:
        try:
            self._commit(revision)
        except RevisionError:
            return False
        return True

    def snapshot(self, revision: str) -> GitSnapshot:
        from tools.base.gitsnapshot import GitSnapshot

        return GitSnapshot(self, revision)

    def head_id(self) -> str:
        return self.commit_id("HEAD")

    def parents(self, revision: str) -> list[str]:
        return list(self._commit(revision).parents)

    def parent_of(self, revision: str) -> str | None:
        """The only parent of a commit; None for a root commit or a merge."""
        parents = self.parents(revision)
        return parents[0] if len(parents) == 1 else None

    def tree_of(self, revision: str) -> str:
        return self._commit(revision).tree

    def root_commits(self, revision: str) -> list[str]:
        """The commits without parents that ``revision`` descends from."""
        output = self._git("rev-list", "--max-parents=0", self.commit_id(revision), "--")
        return sorted(line for line in output.split() if line)

    def merge_base(self, first: str, second: str) -> str | None:
        """The best common ancestor of two commits; None when they share no history here."""
        ids = self.commit_id(first), self.commit_id(second)
        status, out = run_git(self._worktree(), "merge-base", *ids, ok=(0, 1))
        found = out.decode("ascii").split()
        return found[0] if status == 0 and found else None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        ids = self.commit_id(ancestor), self.commit_id(descendant)
        status, _ = run_git(self._worktree(), "merge-base", "--is-ancestor", *ids, ok=(0, 1))
        return status == 0

    def tag_names(self, prefix: str) -> list[str]:
        """Names of the tags that start with ``prefix``."""
        output = self._git("for-each-ref", "--format=%(refname:strip=2)", "refs/tags/")
        return sorted(name for name in output.splitlines() if name.startswith(prefix))

    def tag_target(self, name: str) -> tuple[str, str] | None:
        """(tag object id, commit id) of a tag; None when it does not exist."""
        found = self._objects().read(f"refs/tags/{name}")
        commit = self._objects().commit(f"refs/tags/{name}")
        if found is None or commit is None:
            return None
        return found[0], commit.id

    def tagged_commit_facts(self, prefix: str) -> dict[str, CommitFacts]:
        """``commit_facts`` of each tag starting with ``prefix`` (by name), in one git call: a
        lookup per tag rescans packed-refs. A tag of a tag is left out (ask ``commit_facts``)."""
        return tag_facts(self._git("for-each-ref", *tag_facts_args(prefix)), prefix)

    def tag_listing(self) -> tuple[list[str], dict[str, CommitFacts]]:
        """Every tag's name, and ``tagged_commit_facts("")``, from one git call."""
        output = self._git("for-each-ref", *tag_facts_args(""))
        return tag_names_in(output), tag_facts(output, "")

    def commit_facts(self, revision: str) -> CommitFacts:
        """A commit's id, committer time (Unix seconds) and trailers."""
        commit = self._commit(revision)
        return commit.id, commit.committed, commit_trailers(commit.message)

    def commits_with_trailer(
        self, revision: str, key: str, value: str | None = None
    ) -> list[CommitFacts]:
        """Commits reachable from ``revision`` whose message has the trailer ``key: value``
        (None: any value), newest first: how releases are found where tags were not fetched."""
        try:
            output = self._git(
                "log", "-z", "--format=%H%x1f%ct%x1f%B", "--fixed-strings",
                f"--grep={key}: {value or ''}", "--end-of-options", revision, "--",
            )  # fmt: skip
        except GitError:
            return []
        return with_trailer(output, key, value)

    def blob_at(self, revision: str, path: str) -> bytes | None:
        """The content of ``path`` in a commit; None when the commit has no file there."""
        item = self._objects().entry(self._commit(revision).tree, path)
        if item is None or item.mode >> 12 not in _FILE_KINDS:
            return None
        return self._objects().blob(item.id)

    # --- What changed, and who changed it ---------------------------------------------------

    def changed_paths(self, base: str | None, head: str) -> list[ChangedPath]:
        """Every path that differs between the two commits (BASE None: the empty tree): added,
        deleted, modified, type or mode changed; a rename is its two sides. Paths come from
        git as bytes-exact UTF-8 (``-z``)."""
        start = self.commit_id(base) if base is not None else EMPTY_TREE
        # --ignore-submodules=none: a .gitmodules "ignore = all" on the branch must not hide a
        # submodule's changed commit from the gate.
        output = self._git(
            "diff-tree", "-r", "--no-renames", "--ignore-submodules=none", "--raw", "-z",
            start, self.commit_id(head), "--",
        )  # fmt: skip
        return parse_changed_paths(output)

    def changed_names(self, old: str, new: str) -> list[str]:
        """The paths whose file differs between commits ``old`` and ``new``."""
        ids = self.commit_id(old), self.commit_id(new)
        output = self._git(
            "diff-tree", "-r", "--no-renames", "--ignore-submodules=none", "--name-only", "-z",
            *ids, "--",
        )  # fmt: skip
        return sorted(path for path in output.split("\0") if path)

    def contributions(self, base: str | None, head: str) -> list[Contribution]:
        """Every commit reachable from HEAD and not from BASE (from HEAD's roots when BASE is
        None: the empty tree), merges and side branches included."""
        head_id = self.commit_id(head)
        span = f"{self.commit_id(base)}..{head_id}" if base is not None else head_id
        # -c lists, for a merge, the paths that differ from every parent: what the merge itself
        # wrote, not what it brought in from either side. --root: a root commit's files count.
        output = self._git(
            "log", "--format=%x01%H", "-c", "--raw", "-z", "--root", "--no-renames",
            "--ignore-submodules=none", "--no-color", "--no-ext-diff", span, "--",
        )  # fmt: skip
        found = []
        for sha, paths in touched_paths(output).items():
            commit = self._commit(sha)
            people = identities(commit.author_email, commit.committer_email, commit.message)
            found.append(Contribution(sha, people, frozenset(paths)))
        return found

    # --- The working tree, the index and git's settings -------------------------------------

    def tracked_paths(self) -> list[str]:
        """The files git tracks in the index (as git spells them)."""
        listing = self._git("ls-files", "-z", "--full-name")
        return sorted(path for path in listing.split("\0") if path)

    def dirty_paths(self, *, untracked: bool = False) -> list[str]:
        """Tracked files whose working-tree or staged content differs from HEAD (and, with
        ``untracked``, files git does not track and does not ignore)."""
        mode = "--untracked-files=all" if untracked else "--untracked-files=no"
        # No optional locks: asking must not write the index (a dry run writes nothing at all).
        env = {"GIT_OPTIONAL_LOCKS": "0"}
        return status_paths(self._git("status", "--porcelain=v1", "-z", mode, env=env))

    def worktree_file(self, path: str) -> bytes | None:
        """The content of ``path`` in the working tree; None when no file is there."""
        try:
            return (self._worktree() / path).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def _worktree(self) -> Path:
        return self._located()[0]

    def lock_file(self, name: str) -> Path:
        """A file ``name`` in git's own folder (where a lock for this repository lives)."""
        return self._located()[1] / name

    def index_tree(self) -> str:
        """The tree the index holds now (writes the tree object, changes nothing else); ''
        when the index cannot be a tree (a merge conflict)."""
        try:
            return self._git("write-tree").strip()
        except GitError:
            return ""

    def refresh_index(self) -> None:
        """Bring the index's cached file stats up to date, as ``git status`` does when optional
        locks are allowed (``GIT_OPTIONAL_LOCKS=0``, set by some IDEs, stops it): git refuses
        to touch files whose cached stats are stale ("not uptodate")."""
        self._git("update-index", "-q", "--refresh")

    def update_worktree(self, old: str, new: str) -> None:
        """Bring the files the commits ``old`` and ``new`` differ in, then the index, to ``new``.

        Each file is replaced atomically (a failure leaves it whole, old or new) and the index
        is written last, in one rename: a failure part way (disk full, a read-only folder)
        leaves the index at ``old`` and each of these files old, new or absent, which ``policy
        release`` recognises and finishes. Only these files are touched; git's own checkout
        would leave a half-written file behind on a full disk."""
        root = self._worktree()
        mode = checkout_mode()
        for path in self.changed_names(old, new):
            data = self.blob_at(new, path)
            target = root / path
            if data is None:
                target.unlink(missing_ok=True)
                remove_empty_folders(root, target.parent)
            else:
                write_atomic(target, data, mode=mode)
        # -i: the index only; the files were written above.
        self._git("read-tree", "-m", "-i", self.commit_id(old), self.commit_id(new))
        self.refresh_index()

    def user_email(self) -> str:
        """The e-mail address git would commit as now (config or environment), '' when
        unknown."""
        try:
            ident = self._git("var", "GIT_COMMITTER_IDENT")
        except GitError:
            return ""
        return ident.partition("<")[2].partition(">")[0].strip()

    def _setting(self, name: str, default: str = "") -> str:
        """git's setting ``name`` (config files and environment), ``default`` when unset or
        unreadable."""
        try:
            status, out = run_git(self._worktree(), "config", "--get", name, ok=(0, 1))
        except GitError:
            return default
        value = out.decode("utf-8", "surrogateescape").rstrip("\n")
        return value if status == 0 else default

    def signing_key_setting(self) -> str:
        """git's ``user.signingKey``, '' when not set or unreadable."""
        return self._setting("user.signingKey")

    def signing_problem(self, *, trial: bool = True) -> str | None:
        """Why git cannot sign a tag here (None: it can), checked before a release starts.

        The settings first (``gpg.format ssh`` needs ``user.signingKey``); then, with
        ``trial``, git signs a commit object of the empty tree, through the same signer a tag
        uses. That object is referenced by nothing (``git gc`` removes it); no ref changes.
        """
        kind = self._setting("gpg.format", "openpgp")
        key_command = self._setting("gpg.ssh.defaultKeyCommand")
        if kind == "ssh" and not self.signing_key_setting() and not key_command:
            return (
                "git has gpg.format ssh but no user.signingKey; set it "
                "(git config user.signingKey ~/.ssh/id_ed25519.pub), or leave out --sign"
            )
        if not trial:
            return None
        try:
            self._git("commit-tree", EMPTY_TREE, "-S", "-m", "policy release: can git sign?")
        except GitError as error:
            return (
                f"git cannot sign with gpg.format {kind}: {signing_failure(error.stderr)}; "
                "check gpg.format and user.signingKey (git config), or leave out --sign"
            )
        return None

    # --- Writing a release: objects first, then refs ----------------------------------------

    def write_blob(self, text: str | bytes) -> str:
        """Store ``text`` (UTF-8; bytes as they are) as a blob in the object database; nothing
        refers to it yet."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        return self._git("hash-object", "-w", "--stdin", data=data).strip()

    def write_commit(
        self,
        parent: str,
        blobs: dict[str, str],
        deletes: list[str],
        message: str,
        moment: dt.datetime,
    ) -> str:
        """A new commit on ``parent`` with ``blobs`` (path -> blob id) and ``deletes`` applied,
        dated ``moment``, made from objects only: no ref, index or working-tree file changes.
        Returns its id."""
        parent = self.commit_id(parent)
        handle, index = tempfile.mkstemp(prefix="policy-release-index.", dir=self._located()[1])
        os.close(handle)
        env = {"GIT_INDEX_FILE": index}
        try:
            self._git("read-tree", parent, env=env)
            for path, blob in sorted(blobs.items()):
                self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            for path in deletes:
                self._git("update-index", "--force-remove", "--", path, env=env)
            tree = self._git("write-tree", env=env).strip()
        finally:
            Path(index).unlink(missing_ok=True)
        return self._git(
            "commit-tree", tree, "-p", parent, "-m", message, env=_dated(moment)
        ).strip()

    def create_tag(
        self, name: str, commit: str, message: str, moment: dt.datetime, *, sign: bool
    ) -> str:
        """An annotated tag dated ``moment`` (signed when asked, or when git's ``tag.gpgSign``
        says so); git refuses a tag that exists. Returns the tag object's id."""
        flag = "-s" if sign else "-a"
        self._git("tag", flag, "-m", message, "--", name, commit, env=_dated(moment))
        return self._git("rev-parse", "--verify", f"refs/tags/{name}").strip()

    def delete_tag(self, name: str, expected: str) -> None:
        """Delete a tag only if it still points at ``expected``."""
        self._git("update-ref", "-d", f"refs/tags/{name}", expected)

    def move_head(self, new: str, old: str, reason: str) -> None:
        """Point HEAD (its branch, or HEAD itself when detached) at ``new``, only if it is
        still at ``old``: a concurrent commit makes this fail instead of being lost."""
        self._git("update-ref", "-m", reason, "HEAD", new, old)


def _dated(moment: dt.datetime) -> dict[str, str]:
    """git's environment for an author, committer and tagger date of ``moment``: the same
    instant gives the same commit and tag ids (reproducible releases)."""
    when = git_date(moment)
    return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def describe_error(error: BaseException) -> str:
    """One line for a failure at the git edge: git's own last words, or the OS error."""
    if isinstance(error, GitError):
        return str(error)
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror}"
    return str(error)
