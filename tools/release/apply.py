"""Cutting a release: gather the facts from git, plan it (``tools/release/plan.py``), apply the
plan.

All or nothing. The plan is applied in an order where every step before the last is invisible
or undoable:

1. ``notes-written``, ``changelog-written``, ``policy-written``: the new files are written as
   blobs to git's object database, where nothing refers to them yet;
   ``commit-made``: the release commit is made from those objects; no ref, index or file
   changes yet;
2. ``tag-made``: the annotated tag on that commit (signed when asked or configured);
3. ``branch-moved``: HEAD's branch moves to the commit, only if it is still where it was;
4. ``files-written``: the working tree and the index follow (notes, changelog, ``policy.yaml``),
   each file replaced whole, the index last; then the files are checked against the commit.

A failure before the branch moved undoes the steps before it, so the repository is as it was.
Once the branch moved the release is made: a failure after that (disk full, a read-only
folder) is reported as such, and the next ``policy release`` writes the files. A process killed
between steps leaves a tag on a commit whose parent is HEAD, or a HEAD whose files were not
(all) written; the next ``policy release`` recognises both and finishes the release
(``recover``); each file of the release is then as before, absent, partly or fully written, and
nothing else is touched. One release at a time: a lock in the git folder (held by the process,
so a killed process never leaves it held).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from filelock import FileLock, Timeout

from tools.base.errors import InvalidRepositoryError, ReleaseError, RevisionError, SshKeygenError
from tools.base.gitio import GitRepository, describe_error
from tools.base.gitsnapshot import GitSnapshot
from tools.base.loader import ParseCache, policy_ids
from tools.gate.gather import Range, first_release_range, judge_with_records
from tools.gate.judge import Records
from tools.notes.changelog import changelog_path
from tools.notes.check import check_notes
from tools.notes.gather import gather
from tools.release.gather_history import release_history
from tools.release.plan import Facts, ReleasePlan, plan
from tools.validate.repository import validate_policies
from tools.versions.gather import last_release
from tools.versions.releaseid import TRAILER_POLICY, TRAILER_VERSION, release_tag

LOCK_NAME = "policy-release.lock"

Step = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    policy: str
    moment: dt.datetime
    """When the release is cut (``tools/base/clock.py``): its commit and tag date, and "today"."""
    version: str | None = None
    effective: dt.date | None = None
    trust_root: str | None = None
    """Where a first release's rules are read (default: the repository's root commit)."""
    sign: bool = False
    archive: Callable[[str, dt.date], bytes] | None = None
    """Makes the archive PDF (``Facts.archive``): given by the CLI, which may use documents."""

    @property
    def today(self) -> dt.date:
        return self.moment.date()


@contextmanager
def release_lock(repo: GitRepository) -> Iterator[None]:
    """Hold the repository's release lock, or fail at once when another release holds it."""
    path = repo.lock_file(LOCK_NAME)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ReleaseError(
            f"another 'policy release' is running in this repository (lock {path}); wait for "
            "it to finish, then run 'policy release' again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def gather_facts(repo: GitRepository, request: Request) -> tuple[Facts, str]:
    """What the plan needs, read from the HEAD commit (the working tree must equal it), and
    that commit's id."""
    policy = request.policy
    head = repo.snapshot("HEAD")
    if policy not in policy_ids(head):
        raise RevisionError(
            f"policy '{policy}' does not exist at HEAD (policies: {', '.join(policy_ids(head))})"
        )
    cache = ParseCache()  # validation and the diff read HEAD's files once
    report = validate_policies(head, {policy}, cache=cache)
    if not report.valid:
        raise InvalidRepositoryError(list(report.diagnostics))
    found = gather(repo, None, "HEAD", policy, cache)
    release = last_release(repo, policy)
    if release is not None and request.trust_root is not None:
        raise RevisionError(
            f"--trust-root is for a first release only; '{policy}' is judged from its last "
            f"release {release.version_text}"
        )
    note_problems = list(found.note_problems) + check_notes(
        found.since_release, found.since_release, found.notes, found.versions, found.unfinished
    )
    verdict, gate_error, judged = None, None, None
    records: Records = {}
    try:
        span = (
            Range.between(repo.snapshot(release.tag), head)
            if release
            else first_release_range(repo, head, request.trust_root)
        )
        # The same pair as the notes' diff (the last release..HEAD): diffed once, parsed once.
        diffs = {policy: found.since_release}
        verdict, records = judge_with_records(
            span, excluded=_releaser(repo), cache=cache, diffs=diffs
        )
        judged = (span.base_id, span.trust.commit_id, span.head.commit_id)
    except (SshKeygenError, RevisionError) as error:
        gate_error = f"the approval gate cannot run: {error}"
    facts = Facts(
        policy=policy,
        today=request.today,
        head=found.versions.head,
        released=found.versions.released,
        previous=release.version_text if release else None,
        since_release=found.since_release,
        notes=found.notes,
        policy_text=head.read(found.versions.head.meta.path).decode("utf-8"),
        changelog_text=_read_text(head, changelog_path(policy)),
        tags=frozenset(repo.tag_names(f"{policy}/v")),
        history=release_history(repo, policy, cache),
        dirty=repo.dirty_paths(untracked=True),
        problems=report.diagnostics,
        note_problems=note_problems,
        verdict=verdict,
        gate_error=gate_error,
        version=request.version,
        effective=request.effective,
        judged=judged,
        records=records,
        archive=request.archive,
    )
    return facts, head.commit_id


def _releaser(repo: GitRepository) -> frozenset[str]:
    """Who cuts the release may not count as an approver of it."""
    email = repo.user_email()
    return frozenset({email}) if email else frozenset()


def _read_text(snapshot: GitSnapshot, path: str) -> str | None:
    try:
        return snapshot.read(path).decode("utf-8")
    except KeyError:
        return None


def cut(
    repo: GitRepository, request: Request, *, on_step: Step | None = None
) -> tuple[ReleasePlan | None, str]:
    """Finish an interrupted release (then the plan is None), or plan the release and, when
    nothing blocks it, apply it; returns the plan and what was done. Call inside
    ``release_lock``."""
    finished = recover(repo, request.policy)
    if finished:
        return None, finished
    facts, head = gather_facts(repo, request)
    release = plan(facts)
    if not release.ready:
        return release, ""
    commit = apply(repo, release, head, request, on_step)
    return release, f"released {release.tag} as commit {commit[:12]}\n"


def apply(
    repo: GitRepository,
    release: ReleasePlan,
    old: str,
    request: Request,
    on_step: Step | None = None,
) -> str:
    """Write the release's commit, tag, branch and files; undo them all on a failure before the
    branch moved, report the release as made (and how to finish it) on one after."""
    step = on_step or (lambda name: None)
    done: list[str] = []
    commit, tag_object = "", ""
    try:
        blobs: dict[str, str] = {}
        for kind, paths in _kinds(release).items():
            blobs.update({path: repo.write_blob(text) for path, text in paths})
            step(f"{kind}-written")
        commit = repo.write_commit(
            old, blobs, list(release.deletes), release.message, request.moment
        )
        step("commit-made")
        tag_object = repo.create_tag(
            release.tag, commit, release.tag_message, request.moment, sign=request.sign
        )
        done.append("tag")
        step("tag-made")
        repo.move_head(commit, old, f"policy release: {release.tag}")
        done.append("head")
        step("branch-moved")
        _write_files(repo, old, commit, release.tag)
        step("files-written")
    except ReleaseError:
        raise
    except Exception as error:
        if "head" in done:
            raise ReleaseError(_unfinished(release.tag, commit, describe_error(error))) from error
        try:
            _undo(repo, done, old, commit, release.tag, tag_object)
        except Exception as undo_error:
            raise ReleaseError(
                f"the release failed: {describe_error(error)}; undoing it failed too: "
                f"{describe_error(undo_error)}; fix that, then run 'policy release' again: "
                f"it finishes the release {release.tag}"
            ) from error
        raise ReleaseError(
            f"the release failed and was undone, nothing changed: {describe_error(error)}"
        ) from error
    except BaseException:  # interrupted (Ctrl-C): undo all the same, unless already made
        if "head" not in done:
            _undo(repo, done, old, commit, release.tag, tag_object)
        raise
    return commit


def _unfinished(tag: str, commit: str, reason: str) -> str:
    return (
        f"{tag} is released (commit {commit[:12]}), but its files are not all in the working "
        f"tree: {reason}; fix that (free disk space, make the folder writable), then run "
        "'policy release' again: it writes the release's files and nothing else"
    )


def _write_files(repo: GitRepository, old: str, new: str, tag: str) -> None:
    """Bring the release's files and the index from ``old`` to ``new``, then check that they
    are there: git may leave a file it could not remove (a read-only folder) and succeed."""
    repo.update_worktree(old, new)
    wrong = _unwritten(repo, old, new)
    if wrong:
        raise ReleaseError(_unfinished(tag, new, f"{', '.join(wrong)} not as released"))


def _unwritten(repo: GitRepository, old: str, new: str) -> list[str]:
    """The release's files that are not as in its commit (and 'the index' when it differs)."""
    wrong = [
        path
        for path in repo.changed_names(old, new)
        if repo.worktree_file(path) != repo.blob_at(new, path)
    ]
    if repo.index_tree() != repo.tree_of(new):
        wrong.append("the index")
    return wrong


def _kinds(release: ReleasePlan) -> dict[str, list[tuple[str, str | bytes]]]:
    """The release's files by kind, in the order they are written: the notes (and the archive
    PDF), the changelog, the policy."""
    found: dict[str, list[tuple[str, str | bytes]]] = {"notes": [], "changelog": [], "policy": []}
    for path, text in release.writes:
        kind = "policy" if path.startswith("policy/") else "changelog"
        if path.endswith(tuple(f"/{release.version}.{suffix}" for suffix in ("md", "html", "pdf"))):
            kind = "notes"
        found[kind].append((path, text))
    return found


def _undo(
    repo: GitRepository, done: list[str], old: str, commit: str, tag: str, tag_object: str
) -> None:
    if "tag" in done:
        repo.delete_tag(tag, tag_object)


def recover(repo: GitRepository, policy: str) -> str:
    """Finish a release of ``policy`` that a killed or failed process left half done; '' when
    none. A failure to finish is a ``ReleaseError`` saying what to do."""
    head = repo.head_id()
    done = ""
    for name in reversed(repo.tag_names(f"{policy}/v")):
        target = repo.tag_target(name)
        if target is None or not _is_release(repo, target[1], policy, name):
            continue
        if target[1] != head and repo.parent_of(target[1]) == head:
            try:
                repo.move_head(target[1], head, f"policy release: finish {name}")
            except Exception as error:
                raise ReleaseError(
                    f"the interrupted release {name} cannot be finished: "
                    f"{describe_error(error)}; fix that and run 'policy release' again"
                ) from error
            done = f"finished the interrupted release {name}\n"
        break
    head = repo.head_id()
    parent = repo.parent_of(head)
    facts = repo.commit_facts(head)[2]
    if parent is None or facts.get(TRAILER_POLICY) != policy:
        return done
    tag = release_tag(policy, facts.get(TRAILER_VERSION, ""))
    if not _is_unfinished(repo, parent, head, tag):
        return done
    try:
        _write_files(repo, parent, head, tag)
    except ReleaseError:
        raise
    except Exception as error:
        raise ReleaseError(_unfinished(tag, head, describe_error(error))) from error
    return done or f"wrote the files of the interrupted release {facts.get(TRAILER_VERSION)}\n"


def _is_unfinished(repo: GitRepository, parent: str, head: str, tag: str) -> bool:
    """Whether HEAD is a release commit whose files were not (all) written. With the index
    still at the parent (it is written last), each file of the release must be as before,
    absent, or partly or fully written: anything else was changed by someone since. With the
    index at the release, only a file the release removes may be left over (a read-only folder)."""
    index = repo.index_tree()
    paths = repo.changed_names(parent, head)
    if index == repo.tree_of(head):
        return any(
            repo.blob_at(head, path) is None
            and (current := repo.worktree_file(path)) is not None
            and current == repo.blob_at(parent, path)
            for path in paths
        )
    if index != repo.tree_of(parent):
        return False
    changed = [path for path in paths if not _is_ours(repo, parent, head, path)]
    if changed:
        raise ReleaseError(
            f"the files of the release {tag} were not all written, and {', '.join(changed)} "
            "changed since; save your changes to them elsewhere, then run 'git reset --hard' "
            "(it writes the release's files) and 'policy release' again"
        )
    return True


def _is_ours(repo: GitRepository, parent: str, head: str, path: str) -> bool:
    """A file of the release as before, absent, or partly or fully written (a full disk)."""
    current = repo.worktree_file(path)
    if current is None or current == repo.blob_at(parent, path):
        return True
    released = repo.blob_at(head, path)
    return released is not None and released.startswith(current)


def _is_release(repo: GitRepository, commit: str, policy: str, tag: str) -> bool:
    trailers = repo.commit_facts(commit)[2]
    version = trailers.get(TRAILER_VERSION, "")
    return trailers.get(TRAILER_POLICY) == policy and release_tag(policy, version) == tag
