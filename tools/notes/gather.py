"""Comparing two versions of a policy: pick the versions, load them, diff them.

The thin shell around the pure diff: it resolves what the user asked for into snapshots
(``tools/versions/gather.py``), loads the policy from each with one shared parse cache (files equal
on both sides are parsed once), and refuses versions that do not load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.base.diagnostics import Diagnostic
from tools.base.errors import LoadError, RevisionError
from tools.base.gitio import GitRepository
from tools.base.loader import ParseCache, Policy, load_policy, policy_ids, same_sections
from tools.base.snapshot import Snapshot
from tools.compare.diff import PolicyDiff, diff_policies
from tools.notes.changenotes import Note, load_notes, unfinished_notes
from tools.notes.check import Versions
from tools.versions.gather import Release, folder, last_release, revision, working_tree


def choose_policy(requested: str | None, *snapshots: Snapshot | None) -> str:
    """The policy to compare: the one asked for, or the only one there is."""
    if requested is not None:
        return requested
    ids = sorted(
        {i for snapshot in snapshots if snapshot is not None for i in policy_ids(snapshot)}
    )
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise RevisionError(
            "no policy found under policy/; start one with: policy new ID --title TITLE"
        )
    raise RevisionError(f"several policies ({', '.join(ids)}); choose one with --policy")


def compare(
    repo: GitRepository,
    base_spec: str | None,
    head_spec: str | None,
    *,
    policy_id: str | None = None,
    base_dir: Path | None = None,
    head_dir: Path | None = None,
) -> PolicyDiff:
    """The diff of a policy between BASE (default: its last release, else the empty policy)
    and HEAD (default: the working tree)."""
    # The policy is chosen on the local files, so that a release version (1.2.0) can be
    # resolved to its tag before any revision is read.
    chosen = choose_policy(policy_id, folder(head_dir) if head_dir else working_tree(repo.root))
    head = _snapshot(repo, head_spec, head_dir, chosen) or working_tree(repo.root)
    base = _snapshot(repo, base_spec, base_dir, chosen)
    explicit_base = base is not None
    if not explicit_base:
        release = last_release(repo, chosen)
        if release is not None:
            base = revision(repo, release.tag, chosen)
            base.label = f"{release.version_text} ({release.tag})"
    cache = ParseCache()
    # Files equal on both sides are not read; a broken one is for policy validate to report.
    same = same_sections(base, head, chosen)
    base_policy = _load(base, chosen, cache, required=explicit_base, skip=same)
    head_policy = _load(head, chosen, cache, required=True, skip=same)
    base_label = base.label if base is not None else "empty (no release yet)"
    return diff_policies(base_policy, head_policy, base_label=base_label, head_label=head.label)


def _snapshot(
    repo: GitRepository, spec: str | None, directory: Path | None, policy_id: str
) -> Snapshot | None:
    if directory is not None:
        return folder(directory)
    if spec is not None:
        return revision(repo, spec, policy_id)
    return None


def _load(
    snapshot: Snapshot | None,
    policy_id: str,
    cache: ParseCache,
    *,
    required: bool,
    skip: frozenset[str] = frozenset(),
) -> Policy | None:
    if snapshot is None:
        return None
    if not snapshot.files(f"policy/{policy_id}"):
        if required:
            known = ", ".join(policy_ids(snapshot)) or "none"
            raise RevisionError(
                f"policy '{policy_id}' does not exist at {snapshot.label} (policies: {known}); "
                "choose one with --policy"
            )
        return None
    policy, problems = load_policy(snapshot, policy_id, cache, skip=skip)
    if policy is None or problems:
        raise LoadError(
            f"policy '{policy_id}' does not load at {snapshot.label}; "
            "fix the errors above or compare other versions",
            problems,
        )
    return policy


@dataclass(frozen=True)
class ChangeSet:
    """What the changelog commands look at: the change under review (BASE..HEAD), everything
    since the last release, and the unreleased notes at HEAD."""

    policy: str
    release: Release | None
    versions: Versions
    review: PolicyDiff
    since_release: PolicyDiff
    notes: list[Note]
    note_problems: list[Diagnostic]
    unfinished: dict[str, tuple[str, ...]]
    """Notes not written yet (empty, or still the template), by path, with their clauses."""


def head_policies(repo: GitRepository, head_spec: str | None) -> list[str]:
    """The policies at HEAD (default: the working tree)."""
    head = revision(repo, head_spec, None) if head_spec else working_tree(repo.root)
    return policy_ids(head)


def gather(
    repo: GitRepository,
    base_spec: str | None,
    head_spec: str | None,
    policy_id: str,
    cache: ParseCache | None = None,
) -> ChangeSet:
    """Load HEAD, BASE (default: the last release) and the last release of one policy
    (``cache``: files parsed already, e.g. by a validation of the same version)."""
    cache = cache if cache is not None else ParseCache()
    head_snapshot = _snapshot(repo, head_spec, None, policy_id) or working_tree(repo.root)
    head = _load(head_snapshot, policy_id, cache, required=True)
    assert head is not None  # required
    release = last_release(repo, policy_id)
    released_snapshot = revision(repo, release.tag, policy_id) if release else None
    if released_snapshot is not None and release is not None:
        released_snapshot.label = release.version_text
    released = _load(released_snapshot, policy_id, cache, required=False)
    if base_spec is None:
        base = released
        base_label = released_snapshot.label if released_snapshot else "empty (no release yet)"
    else:
        base_snapshot = revision(repo, base_spec, policy_id)
        base = _load(base_snapshot, policy_id, cache, required=False)
        base_label = base_snapshot.label
    label = head_snapshot.label
    since_label = released_snapshot.label if released_snapshot else "empty (no release yet)"
    notes, problems = load_notes(head_snapshot, policy_id)
    since_release = diff_policies(released, head, base_label=since_label, head_label=label)
    review = (
        since_release
        if base is released
        else diff_policies(base, head, base_label=base_label, head_label=label)
    )
    return ChangeSet(
        policy_id,
        release,
        Versions(head, base, released),
        review,
        since_release,
        notes,
        problems,
        unfinished_notes(head_snapshot, problems),
    )
