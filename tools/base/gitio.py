"""The git seam: the only module that imports GitPython.

The CLI opens the repository once (``GitRepository``) and passes it to the commands; everything
it hands out is plain data: commit, tree, blob and tag ids as hex ``str``, the facts of
``tools/base/gitlog.py``, bytes. A revision is read straight from git objects, without checking
anything out: a ``GitSnapshot`` lists a commit's tree and reads blobs on demand, and its blob ids
come from the tree, so files equal on both sides of a diff are recognised without reading them.
GitPython is imported when the repository is first opened: a command that never reads git
(``policy validate``) does not pay for importing it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.clock import git_date
from tools.base.errors import RevisionError
from tools.base.fileio import checkout_mode, remove_empty_folders, write_atomic
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
    touched_paths,
    with_trailer,
)

if TYPE_CHECKING:
    import git
    from git.objects import Commit

    from tools.base.gitsnapshot import GitSnapshot


class GitRepository:
    """The git repository that contains ``root`` (the policy repository's folder), opened when
    first asked: a command that never reads git works outside a repository too."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._opened: git.Repo | None = None

    @property
    def _repo(self) -> git.Repo:
        import git

        if self._opened is None:
            try:
                self._opened = git.Repo(self.root, search_parent_directories=True)
            except (git.InvalidGitRepositoryError, git.NoSuchPathError):
                raise RevisionError(
                    f"{self.root} is not inside a git repository; use --base-dir/--head-dir "
                    "to compare folders"
                ) from None
        return self._opened

    @classmethod
    def create(cls, root: Path, message: str, moment: dt.datetime) -> GitRepository:
        """A new repository in ``root`` (branch ``main``) whose first commit, dated ``moment``,
        holds every file in ``root``; git's own identity settings name its author."""
        import git

        repo = git.Repo.init(root, initial_branch="main")
        repo.git.add("--all")
        repo.git.commit("--quiet", "--no-verify", "-m", message, env=_dated(moment))
        opened = cls(root)
        opened._opened = repo
        return opened

    def top_level(self) -> Path | None:
        """The working tree's top folder of the repository ``root`` is in; None outside one."""
        if not self.is_open():
            return None
        return self._worktree().resolve()

    def is_open(self) -> bool:
        """Whether ``root`` is inside a git repository."""
        try:
            return self._repo is not None
        except RevisionError:
            return False

    # --- Reading: commits, trees, tags ------------------------------------------------------

    def _commit(self, revision: str) -> Commit:
        """The GitPython commit: for this module and ``gitsnapshot.py`` only."""
        import git

        if revision.startswith("-"):
            # Never let a revision be read as an option by git.
            raise RevisionError(f"'{revision}' is not a revision")
        try:
            commit = self._repo.commit(revision)
        except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
            raise RevisionError(
                f"unknown revision '{revision}'; give a commit, branch, tag or release version"
            ) from None
        return commit

    def commit_id(self, revision: str) -> str:
        """The id of the commit a revision (sha, branch, tag, ``HEAD~3``) names."""
        return self._commit(revision).hexsha

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
        return [parent.hexsha for parent in self._commit(revision).parents]

    def parent_of(self, revision: str) -> str | None:
        """The only parent of a commit; None for a root commit or a merge."""
        parents = self.parents(revision)
        return parents[0] if len(parents) == 1 else None

    def tree_of(self, revision: str) -> str:
        return self._commit(revision).tree.hexsha

    def root_commits(self, revision: str) -> list[str]:
        """The commits without parents that ``revision`` descends from."""
        output = self._repo.git.rev_list("--max-parents=0", self.commit_id(revision))
        return sorted(line for line in str(output).split() if line)

    def merge_base(self, first: str, second: str) -> str | None:
        """The best common ancestor of two commits; None when they share no history here."""
        from git.objects import Commit

        found = self._repo.merge_base(self._commit(first), self._commit(second))
        return found[0].hexsha if found and isinstance(found[0], Commit) else None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return bool(self._repo.is_ancestor(self._commit(ancestor), self._commit(descendant)))

    def tag_names(self, prefix: str) -> list[str]:
        """Names of the tags that start with ``prefix``."""
        return sorted(tag.name for tag in self._repo.tags if tag.name.startswith(prefix))

    def tag_target(self, name: str) -> tuple[str, str] | None:
        """(tag object id, commit id) of a tag; None when it does not exist."""
        import git

        try:
            obj = self._repo.git.rev_parse("--verify", "--quiet", f"refs/tags/{name}")
            commit = self._repo.git.rev_parse("--verify", "--quiet", f"refs/tags/{name}^{{commit}}")
        except git.GitCommandError:
            return None
        return str(obj).strip(), str(commit).strip()

    def tagged_commit_facts(self, prefix: str) -> dict[str, CommitFacts]:
        """``commit_facts`` of each tag starting with ``prefix`` (by name), in one git call: a
        lookup per tag rescans packed-refs. A tag of a tag is left out (ask ``commit_facts``)."""
        return tag_facts(str(self._repo.git.for_each_ref(*tag_facts_args(prefix))), prefix)

    def commit_facts(self, revision: str) -> CommitFacts:
        """A commit's id, committer time (Unix seconds) and trailers."""
        commit = self._commit(revision)
        return commit.hexsha, int(commit.committed_date), commit_trailers(_message(commit))

    def commits_with_trailer(
        self, revision: str, key: str, value: str | None = None
    ) -> list[CommitFacts]:
        """Commits reachable from ``revision`` whose message has the trailer ``key: value``
        (None: any value), newest first: how releases are found where tags were not fetched."""
        import git

        try:
            output = self._repo.git.log(
                "-z",
                "--format=%H%x1f%ct%x1f%B",
                "--fixed-strings",
                f"--grep={key}: {value or ''}",
                revision,
                "--",
            )
        except git.GitCommandError:
            return []
        return with_trailer(output, key, value)

    def blob_at(self, revision: str, path: str) -> bytes | None:
        """The content of ``path`` in a commit; None when the commit has no file there."""
        from git.objects import Blob

        try:
            item = self._commit(revision).tree / path
        except KeyError:
            return None
        if not isinstance(item, Blob):
            return None
        data: bytes = item.data_stream.read()
        return data

    # --- What changed, and who changed it ---------------------------------------------------

    def changed_paths(self, base: str | None, head: str) -> list[ChangedPath]:
        """Every path that differs between the two commits (BASE None: the empty tree): added,
        deleted, modified, type or mode changed; a rename is its two sides. Paths come from
        git as bytes-exact UTF-8 (``-z``)."""
        start = self.commit_id(base) if base is not None else EMPTY_TREE
        output = self._repo.git.diff_tree(
            "-r", "--no-renames", "--raw", "-z", start, self.commit_id(head),
            strip_newline_in_stdout=False,
        )  # fmt: skip
        return parse_changed_paths(output)

    def changed_names(self, old: str, new: str) -> list[str]:
        """The paths whose file differs between commits ``old`` and ``new``."""
        output = self._repo.git.diff_tree("-r", "--no-renames", "--name-only", "-z", old, new, "--")
        return sorted(path for path in str(output).split("\0") if path)

    def contributions(self, base: str | None, head: str) -> list[Contribution]:
        """Every commit reachable from HEAD and not from BASE (from HEAD's roots when BASE is
        None: the empty tree), merges and side branches included."""
        head_id = self.commit_id(head)
        span = f"{self.commit_id(base)}..{head_id}" if base is not None else head_id
        # -c lists, for a merge, the paths that differ from every parent: what the merge itself
        # wrote, not what it brought in from either side. --root: a root commit's files count.
        output = self._repo.git.log(
            "--format=%x01%H", "-c", "--raw", "-z", "--root", "--no-renames", "--no-color",
            "--no-ext-diff", span, "--", strip_newline_in_stdout=False,
        )  # fmt: skip
        found = []
        for sha, paths in touched_paths(output).items():
            commit = self._repo.commit(sha)
            people = identities(
                commit.author.email or "", commit.committer.email or "", _message(commit)
            )
            found.append(Contribution(sha, people, frozenset(paths)))
        return found

    # --- The working tree, the index and git's settings -------------------------------------

    def tracked_paths(self) -> list[str]:
        """The files git tracks in the index (as git spells them)."""
        listing = self._repo.git.ls_files("-z", "--full-name")
        return sorted(path for path in listing.split("\0") if path)

    def dirty_paths(self, *, untracked: bool = False) -> list[str]:
        """Tracked files whose working-tree or staged content differs from HEAD (and, with
        ``untracked``, files git does not track and does not ignore)."""
        mode = "--untracked-files=all" if untracked else "--untracked-files=no"
        # No optional locks: asking must not write the index (a dry run writes nothing at all).
        env = {"GIT_OPTIONAL_LOCKS": "0"}
        return status_paths(self._repo.git.status("--porcelain=v1", "-z", mode, env=env))

    def worktree_file(self, path: str) -> bytes | None:
        """The content of ``path`` in the working tree; None when no file is there."""
        try:
            return (self._worktree() / path).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def _worktree(self) -> Path:
        return Path(str(self._repo.working_tree_dir))

    def lock_file(self, name: str) -> Path:
        """A file ``name`` in git's own folder (where a lock for this repository lives)."""
        return Path(self._repo.git_dir) / name

    def index_tree(self) -> str:
        """The tree the index holds now (writes the tree object, changes nothing else); ''
        when the index cannot be a tree (a merge conflict)."""
        import git

        try:
            return str(self._repo.git.write_tree()).strip()
        except git.GitCommandError:
            return ""

    def refresh_index(self) -> None:
        """Bring the index's cached file stats up to date, as ``git status`` does when optional
        locks are allowed (``GIT_OPTIONAL_LOCKS=0``, set by some IDEs, stops it): git refuses
        to touch files whose cached stats are stale ("not uptodate")."""
        self._repo.git.update_index("-q", "--refresh")

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
        self._repo.git.read_tree("-m", "-i", old, new)
        self.refresh_index()

    def user_email(self) -> str:
        """The e-mail address git would commit as now (config or environment), '' when
        unknown."""
        import git

        try:
            ident = str(self._repo.git.var("GIT_COMMITTER_IDENT"))
        except git.GitCommandError:
            return ""
        return ident.partition("<")[2].partition(">")[0].strip()

    def signing_key_setting(self) -> str:
        """git's ``user.signingKey``, '' when not set or unreadable."""
        try:
            value = self._repo.config_reader().get_value("user", "signingkey", "")
        except Exception:  # any trouble reading git config means: not configured
            return ""
        return value if isinstance(value, str) else ""

    def signing_problem(self, *, trial: bool = True) -> str | None:
        """Why git cannot sign a tag here (None: it can), checked before a release starts.

        The settings first (``gpg.format ssh`` needs ``user.signingKey``); then, with
        ``trial``, git signs a commit object of the empty tree, through the same signer a tag
        uses. That object is referenced by nothing (``git gc`` removes it); no ref changes.
        """
        import git

        reader = self._repo.config_reader()
        try:
            kind = str(reader.get_value("gpg", "format", "openpgp"))
            key_command = str(reader.get_value('gpg "ssh"', "defaultKeyCommand", ""))
        except Exception:  # unreadable config: let the trial signature tell
            kind, key_command = "openpgp", ""
        if kind == "ssh" and not self.signing_key_setting() and not key_command:
            return (
                "git has gpg.format ssh but no user.signingKey; set it "
                "(git config user.signingKey ~/.ssh/id_ed25519.pub), or leave out --sign"
            )
        if not trial:
            return None
        try:
            self._repo.git.commit_tree(EMPTY_TREE, "-S", "-m", "policy release: can git sign?")
        except git.GitCommandError as error:
            return (
                f"git cannot sign with gpg.format {kind}: {signing_failure(str(error.stderr))}; "
                "check gpg.format and user.signingKey (git config), or leave out --sign"
            )
        return None

    # --- Writing a release: objects first, then refs ----------------------------------------

    def write_blob(self, text: str | bytes) -> str:
        """Store ``text`` (UTF-8; bytes as they are) as a blob in the object database; nothing
        refers to it yet."""
        from git.objects import Blob
        from gitdb import IStream

        data = text.encode("utf-8") if isinstance(text, str) else text
        stream = IStream(Blob.type, len(data), io.BytesIO(data))
        return str(self._repo.odb.store(stream).hexsha.decode())

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
        handle, index = tempfile.mkstemp(prefix="policy-release-index.", dir=self._repo.git_dir)
        os.close(handle)
        env = {"GIT_INDEX_FILE": index}
        run = self._repo.git
        try:
            run.read_tree(parent, env=env)
            for path, blob in sorted(blobs.items()):
                run.update_index("--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            for path in deletes:
                run.update_index("--force-remove", "--", path, env=env)
            tree = run.write_tree(env=env)
        finally:
            Path(index).unlink(missing_ok=True)
        sha: str = run.commit_tree(tree, "-p", parent, "-m", message, env=_dated(moment))
        return sha.strip()

    def create_tag(
        self, name: str, commit: str, message: str, moment: dt.datetime, *, sign: bool
    ) -> str:
        """An annotated tag dated ``moment`` (signed when asked, or when git's ``tag.gpgSign``
        says so); git refuses a tag that exists. Returns the tag object's id."""
        flags = ["-s"] if sign else ["-a"]
        self._repo.git.tag(*flags, "-m", message, "--", name, commit, env=_dated(moment))
        return str(self._repo.git.rev_parse(f"refs/tags/{name}")).strip()

    def delete_tag(self, name: str, expected: str) -> None:
        """Delete a tag only if it still points at ``expected``."""
        self._repo.git.update_ref("-d", f"refs/tags/{name}", expected)

    def move_head(self, new: str, old: str, reason: str) -> None:
        """Point HEAD (its branch, or HEAD itself when detached) at ``new``, only if it is
        still at ``old``: a concurrent commit makes this fail instead of being lost."""
        self._repo.git.update_ref("-m", reason, "HEAD", new, old)


def _message(commit: Commit) -> str:
    return commit.message if isinstance(commit.message, str) else commit.message.decode()


def _dated(moment: dt.datetime) -> dict[str, str]:
    """git's environment for an author, committer and tagger date of ``moment``: the same
    instant gives the same commit and tag ids (reproducible releases)."""
    when = git_date(moment)
    return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def describe_error(error: BaseException) -> str:
    """One line for a failure at the git edge: git's own last words, or the OS error."""
    import git

    if isinstance(error, git.GitCommandError):
        lines = [line.strip() for line in str(error.stderr).strip().strip("'").splitlines()]
        said = [line for line in lines if line and not line.startswith("stderr:")] or lines
        verb = error.command[1] if len(error.command) > 1 else "git"
        return f"git {verb} failed: {said[-1] if said else error.status}"
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror}"
    return str(error)
