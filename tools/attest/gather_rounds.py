"""A policy's rounds and released texts, read from git every time: git is the one truth, the
database holds no rounds. IO through the seam (``GitRepository``).

Only tagged releases count: a confirmation names the release tag's object id, and a release
known only from a commit's trailers (its tag not fetched) has none. The policy's
acknowledgement fields (``acknowledgement``, ``acknowledgement_departments``,
``acknowledgement_days``) are read from its last release, not the working tree: the released
text says who must confirm it.
"""

from __future__ import annotations

from dataclasses import replace

from schema.models import PolicyMeta
from tools.attest.obligations import PolicyFacts, ReleasedText
from tools.attest.rounds import rounds
from tools.attest.textdigest import text_digest
from tools.base.errors import LoadError
from tools.base.gitio import GitRepository
from tools.base.loader import POLICY_ROOT, ParseCache, load_file
from tools.release.gather_history import release_history
from tools.versions.gather import releases
from tools.versions.releaseid import ReleaseRecord


def released_policy_ids(repo: GitRepository) -> list[str]:
    """Every policy with at least one release tag (``<id>/v<version>``), sorted."""
    if not repo.is_open():
        return []
    names = {tag.split("/v", 1)[0] for tag in repo.tag_names("") if "/v" in tag}
    return sorted(name for name in names if releases(repo, name))


def gather_policy(
    repo: GitRepository, policy_id: str, cache: ParseCache | None = None, *, evidence: bool = False
) -> PolicyFacts:
    """The policy's facts; with ``evidence``, each release's tag object id and text digest
    too (they read every file of the policy at every tag: for confirming, not for counting)."""
    history = [r for r in release_history(repo, policy_id, cache) if r.tagged]
    if not history:
        return PolicyFacts(policy_id, policy_id, (), None, 30)
    meta = _meta(repo, history[-1], cache)
    opened = rounds(history, meta.acknowledgement)
    opening = {r.version for r in opened}
    texts = tuple(
        _released(repo, record, record.version in opening, evidence) for record in history
    )
    departments = meta.acknowledgement_departments
    return PolicyFacts(
        policy_id, meta.title, tuple(opened),
        None if departments is None else frozenset(departments),
        meta.acknowledgement_days, texts,
    )  # fmt: skip


def gather_policies(repo: GitRepository, *, evidence: bool = False) -> list[PolicyFacts]:
    """Every released policy's facts, sorted by id."""
    cache = ParseCache()
    return [gather_policy(repo, p, cache, evidence=evidence) for p in released_policy_ids(repo)]


def _meta(repo: GitRepository, record: ReleaseRecord, cache: ParseCache | None) -> PolicyMeta:
    path = f"{POLICY_ROOT}/{record.policy}/policy.yaml"
    loaded, problems = load_file(repo.snapshot(record.commit), path, PolicyMeta, cache)
    if loaded is None or problems:
        raise LoadError(f"{record.tag}: {path} does not load at the release", problems)
    return loaded.model


def _released(
    repo: GitRepository, record: ReleaseRecord, opens: bool, evidence: bool
) -> ReleasedText:
    released = ReleasedText(
        record.version, record.tag, record.effective, opens, released=record.date
    )
    if not evidence:
        return released
    target = repo.tag_target(record.tag)
    snapshot = repo.snapshot(record.commit)
    files = {path: snapshot.read(path) for path in snapshot.files(policy_folder(record.policy))}
    return replace(released, tag_object=target[0] if target else None, digest=text_digest(files))


def policy_folder(policy_id: str) -> str:
    """The folder whose files the text digest covers."""
    return f"{POLICY_ROOT}/{policy_id}"
