"""The shell of the employees' site: gather its input from the repository, write it to a folder.

``gather_site`` reads the release history from git (``tools/release/gather_history.py``) and, for
the pure plan of ``tools/site/plan.py``, the text of the release in force today and of each release
that takes effect later, each from the snapshot at its tag (``tools/base/gitio.py``): the policy
with the registry and ``CODEOWNERS`` of that release. The working tree gives the list of policies,
the organisation, the committed release notes and changelogs, and the text only for a draft
(``--draft``) and ``policy render``. "Today" is ``tools/base/clock.py``'s, so a site built with
``SOURCE_DATE_EPOCH`` set is the same on any day. ``write_site`` (``tools/site/writeio.py``)
writes a plan into a new folder or over a previous site output. The build is incremental: the
manifest also records, per policy, the key of its pages' inputs (``tools/site/inputs.py``); the
next build over that folder keeps a policy's pages whose key is the same and whose files are
untouched (``tools/site/reuseio.py``), reading only its ``policy.yaml``, and rewrites no file
whose content is already right. Drafts keep nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from schema.models import PolicyMeta
from tools.base import clock
from tools.base.diagnostics import Diagnostic
from tools.base.errors import LoadError, RevisionError, SnapshotError
from tools.base.gitio import GitRepository
from tools.base.loader import (
    ParseCache,
    Policy,
    load_file,
    load_policy,
    load_registry,
    policy_ids,
)
from tools.base.snapshot import DirSnapshot, Snapshot
from tools.owners.codeowners import CODEOWNERS_PATH, parse_codeowners
from tools.owners.rules import compile_rules, owners_of
from tools.site.inputs import PolicyInputs, policy_key
from tools.site.parsestore import ParsedStore
from tools.site.plan import Edition, PolicySource, SiteSource, split_releases, unchanged_clauses
from tools.site.policypage import PolicyPage
from tools.site.reuseio import PreviousSite, tool_fingerprint
from tools.versions.releaseid import ReleaseRecord

if TYPE_CHECKING:
    from tools.release.gather_history import ReleaseFacts


def _read(snapshot: Snapshot, path: str) -> str | None:
    """A text file of the working tree; None when absent. The site publishes what it reads, so
    a symbolic link (which could point anywhere) is refused."""
    try:
        return snapshot.read(path).decode("utf-8")
    except KeyError:
        return None
    except (SnapshotError, UnicodeDecodeError) as error:
        problem = Diagnostic.at(path, "unsafe-file", str(error), "make it a UTF-8 text file")
        raise LoadError(f"{path} cannot be published", [problem]) from None


def _responsible(
    snapshot: Snapshot, policy_id: str, sections: list[str], handles: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Section id -> the names of the departments of every required CODEOWNERS section."""
    text = _read(snapshot, CODEOWNERS_PATH)
    if text is None:
        return {}
    rules, problems = parse_codeowners(CODEOWNERS_PATH, text)
    if problems:
        # The site names the departments responsible; from a file it cannot read it would
        # name the wrong ones.
        raise LoadError(
            f"{CODEOWNERS_PATH} at {_label(snapshot)} has errors; fix it first", problems
        )
    compiled = compile_rules(rules)
    found: dict[str, tuple[str, ...]] = {}
    for section in sections:
        ownership = owners_of(compiled, f"policy/{policy_id}/sections/{section}.yaml")
        names: list[str] = []
        for entry in ownership.sections:
            if not entry.section.optional:
                names += [handles.get(owner, owner) for owner in entry.owners]
        found[section] = tuple(dict.fromkeys(names))
    return found


def gather_site(
    repo: GitRepository,
    base_url: str | None = None,
    *,
    draft: bool = False,
    only: str | None = None,
    previous: PreviousSite | None = None,
    store: ParsedStore | None = None,
) -> SiteSource:
    """Everything the site shows (``only``: of that policy alone): per policy the release in
    force today (``tools/base/clock.py``) and the releases that take effect later, each read at its
    tag; with ``draft``, the working tree's text instead. A policy whose pages ``previous`` holds
    from the same inputs keeps them: only its ``policy.yaml`` is read (for the index). ``store``:
    the section files the previous build parsed (``tools/site/parsestore.py``)."""
    snapshot = DirSnapshot(repo.root, label="working tree")
    cache = ParseCache()
    registry, problems = load_registry(snapshot, cache)
    if registry is None or problems:
        raise LoadError("the departments registry does not load; fix it first", problems)
    ids = policy_ids(snapshot)
    if only is not None and only not in ids:
        raise RevisionError(f"no policy '{only}' in the working tree (policies: {', '.join(ids)})")
    from tools.release.gather_history import release_facts

    today = None if draft else clock.today()
    known = release_facts(repo)
    sources = tuple(
        _gather_policy(repo, snapshot, cache, policy_id, today, previous, known, store)
        for policy_id in ([only] if only is not None else ids)
    )
    return SiteSource(registry.model.organisation, sources, base_url, draft, clock.today())


def gather_working_page(repo: GitRepository, policy_id: str) -> PolicyPage:
    """The page of the policy as it is in the working tree (``policy render``)."""
    current = gather_site(repo, draft=True, only=policy_id).policies[0].current
    assert current is not None  # a draft always shows the working tree
    return current.page


def _gather_policy(
    repo: GitRepository,
    snapshot: Snapshot,
    cache: ParseCache,
    policy_id: str,
    today: dt.date | None,
    previous: PreviousSite | None = None,
    known: ReleaseFacts | None = None,
    store: ParsedStore | None = None,
) -> PolicySource:
    """One policy: with ``today``, the releases to show; without, the working tree (a draft)."""
    from tools.release.gather_history import release_history

    history = release_history(repo, policy_id, cache, facts=known)
    notes = {
        r.version: text
        for r in history
        if (text := _read(snapshot, f"changelog/{policy_id}/{r.version}.md")) is not None
    }
    changelog = _read(snapshot, f"changelog/{policy_id}/CHANGELOG.md")
    inputs, kept = None, None
    if today is None:
        current: Edition | None = Edition(_working_page(repo, snapshot, cache, policy_id, history))
        later: tuple[Edition, ...] = ()
    else:
        in_force, coming = split_releases(history, today)
        shown = in_force is not None or bool(coming)
        working = None if shown else _bytes(snapshot, f"policy/{policy_id}/policy.yaml")
        facts = PolicyInputs(policy_id, history, in_force, coming, notes, changelog, working)
        inputs = policy_key(tool_fingerprint(), facts)
        kept = previous.kept(policy_id, inputs) if previous is not None else None
        edition = partial(release_edition, store=store) if kept is None else _meta_edition
        current = edition(repo, cache, in_force, history) if in_force else None
        later = tuple(edition(repo, cache, release, history) for release in coming)
    shown_meta = [e.page.policy.meta.model for e in (current, *later) if e is not None]
    meta = shown_meta[0] if shown_meta else _working_meta(snapshot, cache, policy_id)
    return PolicySource(
        policy_id, " ".join(meta.title.split()), meta.language, current, later, tuple(history),
        notes, changelog, inputs, kept,
    )  # fmt: skip


def _bytes(snapshot: Snapshot, path: str) -> bytes | None:
    try:
        return snapshot.read(path)
    except (KeyError, SnapshotError):
        return None


def _page(
    snapshot: Snapshot, cache: ParseCache, policy: Policy, versions: Mapping[str, str]
) -> PolicyPage:
    """A policy's page with the departments and CODEOWNERS of the same snapshot."""
    registry, problems = load_registry(snapshot, cache)
    if registry is None or problems:
        raise LoadError(f"the departments registry at {_label(snapshot)} does not load", problems)
    departments = registry.model.departments
    handles = {d.handle: d.name for d in departments}
    sections = [s.model.id for s in policy.sections]
    return PolicyPage(
        policy,
        _responsible(snapshot, policy.id, sections, handles),
        {d.id: d.name for d in departments},
        versions,
    )


def _label(snapshot: Snapshot) -> str:
    return str(getattr(snapshot, "label", "the snapshot"))


def _working_page(
    repo: GitRepository,
    snapshot: Snapshot,
    cache: ParseCache,
    policy_id: str,
    history: Sequence[ReleaseRecord],
) -> PolicyPage:
    """The working tree's text; a clause changed since the last release has no version."""
    from tools.notes.gather import compare
    from tools.release.gather_history import clause_versions

    policy, problems = load_policy(snapshot, policy_id, cache)
    if policy is None or problems:
        raise LoadError(f"policy '{policy_id}' does not load; fix it first", problems)
    versions: dict[str, str] = {}
    if history:
        since_release = compare(repo, None, None, policy_id=policy_id)
        unchanged = unchanged_clauses((c.id for _, _, c in policy.clauses()), since_release)
        versions = clause_versions(repo, policy_id, unchanged, history, cache)
    return _page(snapshot, cache, policy, versions)


def _tagged(repo: GitRepository, release: ReleaseRecord) -> Snapshot:
    """The files at a release's tag (never at a commit only its trailers name: anybody can
    write a trailer)."""
    if not release.tagged:
        raise RevisionError(
            f"{release.policy} {release.version} is released (commit {release.commit[:12]}) "
            f"but its tag {release.tag} is not here; fetch the tags: git fetch --tags"
        )
    return repo.snapshot(release.tag)


def release_edition(
    repo: GitRepository,
    cache: ParseCache,
    release: ReleaseRecord,
    history: Sequence[ReleaseRecord],
    *,
    store: ParsedStore | None = None,
) -> Edition:
    """A release's text, read at its tag, with the version in which each of its clauses last
    changed; ``store``: the section files parsed by the previous build over the same folder."""
    from tools.release.gather_history import clause_versions

    snapshot = _tagged(repo, release)
    if store is not None:
        store.preload(cache, snapshot, release.policy)
    policy, problems = load_policy(snapshot, release.policy, cache)
    if policy is None or problems:
        raise LoadError(f"{release.tag}: the released policy does not load", problems)
    if store is not None:
        store.record(policy)
    until = history[: list(history).index(release) + 1]
    clauses = [clause.id for _, _, clause in policy.clauses()]
    versions = clause_versions(repo, release.policy, clauses, until, cache, store)
    return Edition(_page(snapshot, cache, policy, versions), release)


def _meta_edition(
    repo: GitRepository, cache: ParseCache, release: ReleaseRecord, _: Sequence[ReleaseRecord]
) -> Edition:
    """A release whose pages are kept: only its ``policy.yaml``, which the index shows."""
    folder = f"policy/{release.policy}"
    meta, problems = load_file(_tagged(repo, release), f"{folder}/policy.yaml", PolicyMeta, cache)
    if meta is None or problems:
        raise LoadError(f"{release.tag}: the released policy does not load", problems)
    policy = Policy(release.policy, folder, meta, (), complete=True)
    return Edition(PolicyPage(policy, {}, {}, {}), release)


def _working_meta(snapshot: Snapshot, cache: ParseCache, policy_id: str) -> PolicyMeta:
    """The working tree's ``policy.yaml``: the name of a policy that has no release to show."""
    meta, problems = load_file(snapshot, f"policy/{policy_id}/policy.yaml", PolicyMeta, cache)
    if meta is None or problems:
        raise LoadError(f"policy '{policy_id}' does not load; fix it first", problems)
    return meta.model
