"""A policy's release history: which versions were released, when, how material, from when.

A release is an annotated tag ``<policy-id>/v<version>`` on a release commit whose message ends
with trailers (``Policy``, ``Policy-Version``, ``Policy-Impact``, ``Policy-Effective``), so the
history is found from the tags, and from the commits where the tags were not fetched. A tag
without trailers (made by hand) gets its impact from the diff with the release before it and
its effective date from its ``policy.yaml``.

Only tags are trusted as the BASE of a review (``tools/versions/gather.py``): anybody can write a
trailer into a commit message, so a release known only from its trailers is for reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tools.base.errors import SnapshotError
from tools.base.gitio import GitRepository
from tools.base.gitlog import CommitFacts
from tools.base.loader import ParseCache, Policy, load_policy, same_sections
from tools.compare.diff import diff_policies
from tools.compare.impact import Impact
from tools.notes.releasenotes import version_key
from tools.versions.gather import releases, releases_named
from tools.versions.releaseid import (
    ALL_CLAUSES,
    CHANGED_KINDS,
    TRAILER_CLAUSES,
    TRAILER_EFFECTIVE,
    TRAILER_IMPACT,
    TRAILER_POLICY,
    TRAILER_VERSION,
    ReleaseRecord,
    parse_clauses,
    release_tag,
)

if TYPE_CHECKING:
    from tools.base.gitsnapshot import GitSnapshot
    from tools.base.snapshot import Snapshot


@dataclass(frozen=True)
class ReleaseFacts:
    """What git says of every policy's releases, read once for all (``release_facts``)."""

    tagged: Mapping[str, CommitFacts]
    """Tag name -> the facts of its commit."""
    trailered: Sequence[CommitFacts]
    """The commits of HEAD with a ``Policy`` trailer, newest first."""
    tag_names: Sequence[str]
    """Every tag's name (also a tag that names no commit, which ``tagged`` leaves out)."""


def release_facts(repo: GitRepository) -> ReleaseFacts | None:
    """Two git calls for every policy's ``release_history`` (a command that reads them all,
    instead of three per policy); None outside git."""
    if not repo.is_open():
        return None
    names, tagged = repo.tag_listing()
    return ReleaseFacts(tagged, repo.commits_with_trailer("HEAD", TRAILER_POLICY), names)


def release_history(
    repo: GitRepository,
    policy_id: str,
    cache: ParseCache | None = None,
    *,
    facts: ReleaseFacts | None = None,
) -> list[ReleaseRecord]:
    """Every release of the policy, oldest first; none outside git (``cache``: the command's,
    for the tags made by hand, whose policy is read; ``facts``: read before for all policies)."""
    if not repo.is_open():
        return []
    found: dict[str, tuple[str, str, int, dict[str, str], bool]] = {}
    by_tag = facts.tagged if facts else repo.tagged_commit_facts(f"{policy_id}/v")
    named = releases_named(facts.tag_names, policy_id) if facts else releases(repo, policy_id)
    for release in named:
        sha, time, trailers = by_tag.get(release.tag) or repo.commit_facts(release.tag)
        found[release.version_text] = (release.tag, sha, time, trailers, True)
    trailered = (
        facts.trailered if facts else repo.commits_with_trailer("HEAD", TRAILER_POLICY, policy_id)
    )
    for sha, time, trailers in trailered:
        version = trailers.get(TRAILER_VERSION, "")
        if trailers.get(TRAILER_POLICY) != policy_id:
            continue
        if version and version not in found and _is_version(version):
            found[version] = (release_tag(policy_id, version), sha, time, trailers, False)
    records: list[ReleaseRecord] = []
    cache = cache if cache is not None else ParseCache()
    for version in sorted(found, key=version_key):
        tag, sha, time, trailers, tagged = found[version]
        impact = _impact(trailers.get(TRAILER_IMPACT, ""))
        effective = _date(trailers.get(TRAILER_EFFECTIVE, ""))
        if impact is None or effective is None:  # a tag made by hand: read its policy
            current = _load(repo.snapshot(sha), policy_id, cache)
            if impact is None:
                before = records[-1].commit if records else None
                previous = _load(repo.snapshot(before), policy_id, cache) if before else None
                impact = diff_policies(previous, current).impact if current else Impact.NONE
            if effective is None:
                effective = current.meta.model.effective if current else _utc_date(time)
        clauses = parse_clauses(trailers.get(TRAILER_CLAUSES))
        records.append(
            ReleaseRecord(
                policy_id,
                version,
                tag,
                sha,
                _utc_date(time),
                impact,
                effective,
                tagged,
                clauses,
                dt.datetime.fromtimestamp(time, dt.UTC),
            )
        )
    return records


def release_approvers(
    repo: GitRepository, records: Sequence[ReleaseRecord]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per version, (e-mail address, department) of who approved the release, from the evidence
    archived in its release commit; none for a release made before releases kept their
    evidence."""
    if not records:
        return {}
    from tools.gate.evidence import evidence_path
    from tools.gate.evidence import read as read_evidence

    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for record in records:
        snapshot = repo.snapshot(record.commit)
        try:
            evidence = read_evidence(snapshot.read(evidence_path(record.policy, record.version)))
        except (KeyError, SnapshotError):
            evidence = "none"
        found[record.version] = () if isinstance(evidence, str) else evidence.approvers
    return found


def clause_versions(
    repo: GitRepository,
    policy_id: str,
    clauses: Iterable[str] | None = None,
    history: Sequence[ReleaseRecord] | None = None,
    cache: ParseCache | None = None,
    store: SectionStore | None = None,
) -> dict[str, str]:
    """For each clause of the last release (or each of ``clauses``, which must stand unchanged
    in the last release), the version in which it last changed: was added, reworded or
    renumbered. Read from the releases' ``Policy-Clauses`` trailers when every release has one
    (no old file is parsed); else by diffing the releases one after the other (``store``: the
    section files parsed before, put into ``cache`` first; those parsed now are added)."""
    history = release_history(repo, policy_id, cache) if history is None else history
    if not history:
        return {}
    if clauses is not None and all(r.clauses is not None for r in history):
        told = _told_versions(history, clauses)
        if told is not None:
            return told
    found = _diffed_versions(repo, policy_id, history, cache or ParseCache(), store)
    if clauses is None:
        return found
    wanted = set(clauses)
    return {clause: version for clause, version in found.items() if clause in wanted}


def _told_versions(
    history: Sequence[ReleaseRecord], clauses: Iterable[str]
) -> dict[str, str] | None:
    """The versions as the release commits tell them; None when the first release does not
    say it holds every clause."""
    first: str | None = None
    found: dict[str, str] = {}
    for record in history:
        if record.clauses == (ALL_CLAUSES,):
            first, found = record.version, {}
        else:
            found.update(dict.fromkeys(record.clauses or (), record.version))
    if first is None:
        return None
    return {clause: found.get(clause, first) for clause in sorted(clauses)}


class SectionStore(Protocol):
    """Section files parsed by an earlier run (``tools/site/parsestore.py``)."""

    def preload(
        self, cache: ParseCache, snapshot: Snapshot, policy_id: str, skip: Collection[str] = ()
    ) -> None: ...

    def record(self, policy: Policy) -> None: ...


def _diffed_versions(
    repo: GitRepository,
    policy_id: str,
    history: Sequence[ReleaseRecord],
    cache: ParseCache,
    store: SectionStore | None = None,
) -> dict[str, str]:
    found: dict[str, str] = {}
    previous: GitSnapshot | None = None
    for record in history:
        snapshot = repo.snapshot(record.commit)
        # Only the section files that differ from the release before are read and diffed: a
        # release that rewords three clauses costs three files, not the whole policy.
        same = same_sections(previous, snapshot, policy_id)
        if store is not None:
            store.preload(cache, snapshot, policy_id, skip=same)
        current = _load(snapshot, policy_id, cache, skip=same)
        if store is not None and current is not None:
            store.record(current)
        if current is None:
            continue
        before = _load(previous, policy_id, cache, skip=same) if previous else None
        for change in diff_policies(before, current).changes:
            if change.clause and change.kind in CHANGED_KINDS:
                found[change.clause] = record.version
            # Every clause of the release before is here unless the diff says it went.
            if change.kind == "removed" and change.clause:
                found.pop(change.clause, None)
            if change.kind == "id-changed" and change.previous_id:
                found.pop(change.previous_id, None)
        previous = snapshot
    return dict(sorted(found.items()))


def _load(
    snapshot: GitSnapshot, policy_id: str, cache: ParseCache, *, skip: frozenset[str] = frozenset()
) -> Policy | None:
    policy, problems = load_policy(snapshot, policy_id, cache, skip=skip)
    return policy if policy is not None and not problems else None


def _is_version(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 3 and all(part.isdigit() for part in parts)


def _impact(text: str) -> Impact | None:
    try:
        return Impact[text.upper()]
    except KeyError:
        return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _utc_date(timestamp: int) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date()
