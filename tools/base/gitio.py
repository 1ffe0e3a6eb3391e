"""The git edge: the only module that imports GitPython.

A revision is read straight from git objects, without checking anything out: a
``GitSnapshot`` lists a commit's tree and reads blobs on demand, and its blob ids come from the
tree, so files equal on both sides of a diff are recognised without reading them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import git
from git.objects import Blob, Commit, Tree
from gitdb import IStream

from tools.base.clock import git_date
from tools.base.fileio import write_atomic
from tools.base.snapshot import RevisionError, SnapshotError
from tools.gate.rules import ChangedPath, Contribution

Repository = git.Repo
"""A repository, for modules that pass one along without importing GitPython."""

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's id of the empty tree: what a first release is judged from."""

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
    """The files of one commit, read from git objects.

    Folders are listed when first asked for, not the whole tree up front: a diff of one
    policy reads that policy's folder and the registry, whatever else the repository holds.
    """

    def __init__(self, repo: git.Repo, revision: str) -> None:
        self.repo = repo
        self.commit = resolve_commit(repo, revision)
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
        tree = self._item(folder) if folder else self.commit.tree
        if isinstance(tree, Tree):
            self._collect(tree, f"{folder}/" if folder else "")
        self._listed.add(folder)

    def _item(self, path: str) -> object | None:
        try:
            item: object = self.commit.tree / path
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


def tracked_paths(root: Path) -> list[str]:
    """The files git tracks in the index of the repository at ``root`` (as git spells them)."""
    repo = open_repo(root)
    listing = repo.git.ls_files("-z", "--full-name")
    return sorted(path for path in listing.split("\0") if path)


_COMMIT_HEADER = re.compile(r"\n*\x01([0-9a-f]{40}|[0-9a-f]{64})")
"""A commit header of ``--format=%x01%H`` (sha-1 or sha-256), after git's newline."""


def raw_entries(output: str) -> Iterator[tuple[str, str, str]]:
    """(commit, metadata, path) per entry of ``--raw -z --no-renames`` output, with commit ''
    where the output has no headers (``diff-tree`` of two trees); a commit without entries
    yields (commit, '', '').

    The parse consumes exactly the fields git writes: a header, then per entry a ``:``
    metadata field and the one path after it. A path is never looked at for anything else,
    so no file name (any byte but NUL) can pass for a header or an entry. Output of any other
    shape fails closed."""
    fields = output.split("\0")
    commit, listed, index = "", True, 0
    while index < len(fields):
        field = fields[index]
        index += 1
        if not field.strip("\n"):
            continue
        if field.lstrip("\n").startswith(":"):
            if index >= len(fields):
                raise RevisionError("git's --raw output ends inside an entry; run it again")
            yield commit, field.lstrip("\n"), fields[index]
            listed, index = True, index + 1
            continue
        header = _COMMIT_HEADER.fullmatch(field)
        if header is None:
            raise RevisionError(f"unexpected field in git's --raw output: {field[:60]!r}")
        if not listed:
            yield commit, "", ""
        commit, listed = header.group(1), False
    if not listed:
        yield commit, "", ""


def changed_paths(repo: git.Repo, base: Commit | None, head: Commit) -> list[ChangedPath]:
    """Every path that differs between the two trees (BASE None: the empty tree): added,
    deleted, modified, type or mode changed; a rename is its two sides. Paths come from git
    as bytes-exact UTF-8 (``-z``)."""
    start = base.hexsha if base is not None else EMPTY_TREE
    output = repo.git.diff_tree(
        "-r", "--no-renames", "--raw", "-z", start, head.hexsha, strip_newline_in_stdout=False
    )
    found = []
    for _, meta, path in raw_entries(output):
        old_mode, new_mode, _, _, status = meta[1:].split(" ")
        found.append(ChangedPath(path, int(old_mode, 8), int(new_mode, 8), status[0]))
    return sorted(found, key=lambda change: change.path)


_CO_AUTHOR = re.compile(r"^\s*co-authored-by:.*<([^<>]+)>\s*$", re.IGNORECASE | re.MULTILINE)


def contributions(repo: git.Repo, base: Commit | None, head: Commit) -> list[Contribution]:
    """Every commit reachable from HEAD and not from BASE (from HEAD's roots when BASE is None:
    the empty tree), merges and side branches included."""
    # -c lists, for a merge, the paths that differ from every parent: what the merge itself
    # wrote, not what it brought in from either side. --root: a root commit's files count.
    span = f"{base.hexsha}..{head.hexsha}" if base is not None else head.hexsha
    output = repo.git.log(
        "--format=%x01%H",
        "-c",
        "--raw",
        "-z",
        "--root",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        span,
        "--",
        strip_newline_in_stdout=False,
    )
    touched: dict[str, set[str]] = {}
    for sha, _, path in raw_entries(output):
        touched.setdefault(sha, set())
        if path:
            touched[sha].add(path)
    found = []
    for sha, paths in touched.items():
        commit = repo.commit(sha)
        message = commit.message if isinstance(commit.message, str) else commit.message.decode()
        people = {commit.author.email or "", commit.committer.email or ""}
        people.update(_CO_AUTHOR.findall(message))
        found.append(
            Contribution(
                sha,
                frozenset(p.strip().casefold() for p in people if p.strip()),
                frozenset(paths),
            )
        )
    return found


def merge_base(repo: git.Repo, first: Commit, second: Commit) -> Commit | None:
    """The best common ancestor of two commits; None when they share no history here."""
    found = repo.merge_base(first, second)
    return found[0] if found and isinstance(found[0], Commit) else None


def is_ancestor(repo: git.Repo, ancestor: Commit, descendant: Commit) -> bool:
    return bool(repo.is_ancestor(ancestor, descendant))


def dirty_paths(repo: git.Repo, *, untracked: bool = False) -> list[str]:
    """Tracked files whose working-tree or staged content differs from HEAD (and, with
    ``untracked``, files git does not track and does not ignore)."""
    mode = "--untracked-files=all" if untracked else "--untracked-files=no"
    # No optional locks: asking must not write the index (a dry run writes nothing at all).
    output = repo.git.status("--porcelain=v1", "-z", mode, env={"GIT_OPTIONAL_LOCKS": "0"})
    found = []
    fields = output.split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        found.append(entry[3:])
        if entry[0] in "RC":  # a rename or copy names its source in the next field
            found.append(fields[index])
            index += 1
    return sorted(found)


def signing_key_setting(repo: git.Repo) -> str:
    """git's ``user.signingKey``, '' when not set or unreadable."""
    try:
        value = repo.config_reader().get_value("user", "signingkey", "")
    except Exception:  # any trouble reading git config means: not configured
        return ""
    return value if isinstance(value, str) else ""


def signing_problem(repo: git.Repo, *, trial: bool = True) -> str | None:
    """Why git cannot sign a tag here (None: it can), checked before a release starts.

    The settings first (``gpg.format ssh`` needs ``user.signingKey``); then, with ``trial``,
    git signs a commit object of the empty tree, through the same signer a tag uses. That
    object is referenced by nothing (``git gc`` removes it); no ref changes.
    """
    reader = repo.config_reader()
    try:
        kind = str(reader.get_value("gpg", "format", "openpgp"))
        key_command = str(reader.get_value('gpg "ssh"', "defaultKeyCommand", ""))
    except Exception:  # unreadable config: let the trial signature tell
        kind, key_command = "openpgp", ""
    if kind == "ssh" and not signing_key_setting(repo) and not key_command:
        return (
            "git has gpg.format ssh but no user.signingKey; set it "
            "(git config user.signingKey ~/.ssh/id_ed25519.pub), or leave out --sign"
        )
    if not trial:
        return None
    try:
        repo.git.commit_tree(EMPTY_TREE, "-S", "-m", "policy release: can git sign?")
    except git.GitCommandError as error:
        lines = [
            line.strip().removeprefix("stderr: ").strip("'")
            for line in str(error.stderr).splitlines()
            if line.strip()
        ]
        # git's own verdict ("fatal:", "error:") says more than the signer's warnings before it.
        verdicts = [line for line in lines if line.startswith(("fatal:", "error:"))]
        detail = (verdicts or lines or ["the signer failed"])[0]
        return (
            f"git cannot sign with gpg.format {kind}: {detail}; check gpg.format and "
            "user.signingKey (git config), or leave out --sign"
        )
    return None


def commit_trailers(message: str) -> dict[str, str]:
    """The ``Key: value`` trailers of a commit message's last paragraph (the last value wins)."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return {}
    found: dict[str, str] = {}
    for line in paragraphs[-1].splitlines():
        key, colon, value = line.partition(":")
        if colon and key and " " not in key.strip():
            found[key.strip()] = value.strip()
    return found


def commit_facts(repo: git.Repo, revision: str) -> tuple[str, int, dict[str, str]]:
    """A commit's id, committer time (Unix seconds) and trailers."""
    commit = resolve_commit(repo, revision)
    message = commit.message if isinstance(commit.message, str) else commit.message.decode()
    return commit.hexsha, int(commit.committed_date), commit_trailers(message)


def commits_with_trailer(
    repo: git.Repo, revision: str, key: str, value: str
) -> list[tuple[str, int, dict[str, str]]]:
    """Commits reachable from ``revision`` whose message has the trailer ``key: value``, newest
    first: how releases are found where their tags were not fetched."""
    try:
        output = repo.git.log(
            "-z",
            "--format=%H%x1f%ct%x1f%B",
            "--fixed-strings",
            f"--grep={key}: {value}",
            revision,
            "--",
        )
    except git.GitCommandError:
        return []
    found = []
    for entry in output.split("\0"):
        if not entry.strip():
            continue
        sha, time, message = entry.strip("\n").split("\x1f", 2)
        trailers = commit_trailers(message)
        if trailers.get(key) == value:
            found.append((sha, int(time), trailers))
    return found


# --- Writing a release: objects first, then refs, then the working tree --------------------------


def head_commit(repo: git.Repo) -> str:
    return resolve_commit(repo, "HEAD").hexsha


def user_email(repo: git.Repo) -> str:
    """The e-mail address git would commit as now (config or environment), '' when unknown."""
    try:
        ident = str(repo.git.var("GIT_COMMITTER_IDENT"))
    except git.GitCommandError:
        return ""
    return ident.partition("<")[2].partition(">")[0].strip()


def write_blob(repo: git.Repo, text: str | bytes) -> str:
    """Store ``text`` (UTF-8; bytes as they are) as a blob in the object database; nothing
    refers to it yet."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return str(repo.odb.store(IStream(Blob.type, len(data), io.BytesIO(data))).hexsha.decode())


def _dated(moment: dt.datetime) -> dict[str, str]:
    """git's environment for an author, committer and tagger date of ``moment``: the same
    instant gives the same commit and tag ids (reproducible releases)."""
    when = git_date(moment)
    return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def write_commit(
    repo: git.Repo,
    parent: str,
    blobs: dict[str, str],
    deletes: list[str],
    message: str,
    moment: dt.datetime,
) -> str:
    """A new commit on ``parent`` with ``blobs`` (path -> blob id) and ``deletes`` applied,
    dated ``moment``, made from objects only: no ref, index or working-tree file changes.
    Returns its id."""
    handle, index = tempfile.mkstemp(prefix="policy-release-index.", dir=repo.git_dir)
    os.close(handle)
    env = {"GIT_INDEX_FILE": index}
    try:
        repo.git.read_tree(parent, env=env)
        for path, blob in sorted(blobs.items()):
            repo.git.update_index("--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        for path in deletes:
            repo.git.update_index("--force-remove", "--", path, env=env)
        tree = repo.git.write_tree(env=env)
    finally:
        Path(index).unlink(missing_ok=True)
    sha: str = repo.git.commit_tree(tree, "-p", parent, "-m", message, env=_dated(moment))
    return sha.strip()


def create_tag(
    repo: git.Repo, name: str, commit: str, message: str, moment: dt.datetime, *, sign: bool
) -> str:
    """An annotated tag dated ``moment`` (signed when asked, or when git's ``tag.gpgSign`` says
    so); git refuses a tag that exists. Returns the tag object's id."""
    flags = ["-s"] if sign else ["-a"]
    repo.git.tag(*flags, "-m", message, "--", name, commit, env=_dated(moment))
    return str(repo.git.rev_parse(f"refs/tags/{name}")).strip()


def tag_target(repo: git.Repo, name: str) -> tuple[str, str] | None:
    """(tag object id, commit id) of a tag; None when it does not exist."""
    try:
        obj = repo.git.rev_parse("--verify", "--quiet", f"refs/tags/{name}")
        commit = repo.git.rev_parse("--verify", "--quiet", f"refs/tags/{name}^{{commit}}")
    except git.GitCommandError:
        return None
    return str(obj).strip(), str(commit).strip()


def delete_tag(repo: git.Repo, name: str, expected: str) -> None:
    """Delete a tag only if it still points at ``expected``."""
    repo.git.update_ref("-d", f"refs/tags/{name}", expected)


def move_head(repo: git.Repo, new: str, old: str, reason: str) -> None:
    """Point HEAD (its branch, or HEAD itself when detached) at ``new``, only if it is still at
    ``old``: a concurrent commit makes this fail instead of being lost."""
    repo.git.update_ref("-m", reason, "HEAD", new, old)


def changed_names(repo: git.Repo, old: str, new: str) -> list[str]:
    """The paths whose file differs between commits ``old`` and ``new``."""
    output = repo.git.diff_tree("-r", "--no-renames", "--name-only", "-z", old, new, "--")
    return sorted(path for path in str(output).split("\0") if path)


def blob_at(repo: git.Repo, revision: str, path: str) -> bytes | None:
    """The content of ``path`` in a commit; None when the commit has no file there."""
    try:
        item = resolve_commit(repo, revision).tree / path
    except KeyError:
        return None
    if not isinstance(item, Blob):
        return None
    data: bytes = item.data_stream.read()
    return data


def worktree_file(repo: git.Repo, path: str) -> bytes | None:
    """The content of ``path`` in the working tree; None when no file is there."""
    try:
        return (Path(str(repo.working_tree_dir)) / path).read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def refresh_index(repo: git.Repo) -> None:
    """Bring the index's cached file stats up to date, as ``git status`` does when optional
    locks are allowed (``GIT_OPTIONAL_LOCKS=0``, set by some IDEs, stops it): git refuses to
    touch files whose cached stats are stale ("not uptodate")."""
    repo.git.update_index("-q", "--refresh")


def update_worktree(repo: git.Repo, old: str, new: str) -> None:
    """Bring the files the commits ``old`` and ``new`` differ in, then the index, to ``new``.

    Each file is replaced atomically (a failure leaves it whole, old or new) and the index is
    written last, in one rename: a failure part way (disk full, a read-only folder) leaves the
    index at ``old`` and each of these files old, new or absent, which ``policy release``
    recognises and finishes. Only these files are touched; git's own checkout would leave a
    half-written file behind on a full disk."""
    root = Path(str(repo.working_tree_dir))
    mode = _checkout_mode()
    for path in changed_names(repo, old, new):
        data = blob_at(repo, new, path)
        target = root / path
        if data is None:
            target.unlink(missing_ok=True)
            _remove_empty_folders(root, target.parent)
        else:
            write_atomic(target, data, mode=mode)
    # -i: the index only; the files were written above.
    repo.git.read_tree("-m", "-i", old, new)
    refresh_index(repo)


def _checkout_mode() -> int:
    """The permissions git gives a checked-out file: 0666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _remove_empty_folders(root: Path, folder: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty, as git does."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def describe_error(error: BaseException) -> str:
    """One line for a failure at the git edge: git's own last words, or the OS error."""
    if isinstance(error, git.GitCommandError):
        lines = [line.strip() for line in str(error.stderr).strip().strip("'").splitlines()]
        said = [line for line in lines if line and not line.startswith("stderr:")] or lines
        verb = error.command[1] if len(error.command) > 1 else "git"
        return f"git {verb} failed: {said[-1] if said else error.status}"
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror}"
    return str(error)


def index_tree(repo: git.Repo) -> str:
    """The tree the index holds now (writes the tree object, changes nothing else); '' when
    the index cannot be a tree (a merge conflict)."""
    try:
        return str(repo.git.write_tree()).strip()
    except git.GitCommandError:
        return ""


def tree_of(repo: git.Repo, revision: str) -> str:
    return resolve_commit(repo, revision).tree.hexsha


def parent_of(repo: git.Repo, revision: str) -> str | None:
    parents = resolve_commit(repo, revision).parents
    return parents[0].hexsha if len(parents) == 1 else None


def root_commits(repo: git.Repo, revision: str) -> list[str]:
    """The commits without parents that ``revision`` descends from."""
    output = repo.git.rev_list("--max-parents=0", resolve_commit(repo, revision).hexsha)
    return sorted(line for line in str(output).split() if line)
