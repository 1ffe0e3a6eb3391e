"""The shell of the employees' site: gather its input from the repository, write it to a folder.

``gather_site`` reads the release history from git (``tools/release/gather_history.py``) and, for
the pure plan of ``tools/site/plan.py``, the text of the release in force today and of each release
that takes effect later, each from the snapshot at its tag (``tools/base/gitio.py``): the policy
with the registry and ``CODEOWNERS`` of that release. The working tree gives the list of policies,
the organisation, the committed release notes and changelogs, and the text only for a draft
(``--draft``) and ``policy render``. "Today" is ``tools/base/clock.py``'s, so a site built with
``SOURCE_DATE_EPOCH`` set is the same on any day. ``write_site`` writes a plan: into a new or empty
folder, or over a previous site output, which it recognises by the manifest it left there
(``.policy-site.json``: every file it wrote, with its SHA-256). It never touches another folder, and
it never deletes a file it did not write: a page of the previous output that the new plan lacks is
removed only while its content is still what was written. Each file is written atomically
(``tools/base/fileio.py``). Before the first file, the manifest is written with the files about to
be written under ``writing``; after the last, without: a run killed or failed part way leaves a
folder the next run recognises as its own (each file old or new, and perhaps a temporary file of
``write_atomic``, which it removes). The build is incremental: the manifest also records, per
policy, the key of its pages' inputs (``tools/site/inputs.py``); the next build over that folder
keeps a policy's pages whose key is the same and whose files are untouched
(``tools/site/reuseio.py``), reading only its ``policy.yaml``, and rewrites no file whose content
is already right. Drafts keep nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from schema.models import PolicyMeta
from tools.base import clock
from tools.base.diagnostics import Diagnostic
from tools.base.errors import LoadError, RevisionError, SiteOutputError, SnapshotError
from tools.base.fileio import write_atomic
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
from tools.site.plan import Edition, PolicySource, SiteSource, split_releases, unchanged_clauses
from tools.site.policypage import PolicyPage
from tools.site.reuseio import GENERATOR, MANIFEST, PreviousSite, tool_fingerprint
from tools.versions.releaseid import ReleaseRecord

if TYPE_CHECKING:
    from tools.release.gather_history import ReleaseFacts

PUBLISHED = 0o644
"""Files of the site are for everyone to read: a web server runs as another user."""


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    """Files of the previous output that the site no longer has."""
    kept: tuple[str, ...]
    """Files of the previous output that the site no longer has but someone changed: left."""
    unchanged: tuple[str, ...] = ()
    """Files of the site that the previous output already holds as they are: not rewritten."""


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
) -> SiteSource:
    """Everything the site shows (``only``: of that policy alone): per policy the release in
    force today (``tools/base/clock.py``) and the releases that take effect later, each read at its
    tag; with ``draft``, the working tree's text instead. A policy whose pages ``previous`` holds
    from the same inputs keeps them: only its ``policy.yaml`` is read (for the index)."""
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
        _gather_policy(repo, snapshot, cache, policy_id, today, previous, known)
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
        edition = release_edition if kept is None else _meta_edition
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
    repo: GitRepository, cache: ParseCache, release: ReleaseRecord, history: Sequence[ReleaseRecord]
) -> Edition:
    """A release's text, read at its tag, with the version in which each of its clauses last
    changed."""
    from tools.release.gather_history import clause_versions

    snapshot = _tagged(repo, release)
    policy, problems = load_policy(snapshot, release.policy, cache)
    if policy is None or problems:
        raise LoadError(f"{release.tag}: the released policy does not load", problems)
    until = history[: list(history).index(release) + 1]
    clauses = [clause.id for _, _, clause in policy.clauses()]
    versions = clause_versions(repo, release.policy, clauses, until, cache)
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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _previous_files(out: Path) -> dict[str, set[str]] | None:
    """The files of the previous output (path -> the SHA-256 each may have: a run that did not
    finish leaves a file old or new), or None when ``out`` is no output of ours (and not
    empty). A folder holding only temporary files of the manifest is empty: a run killed while
    writing it left them."""
    if not out.exists():
        return {}
    if not out.is_dir():
        raise SiteOutputError(f"{out} exists and is not a folder")
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        if isinstance(data, dict) and data.get("generator") == GENERATOR:
            found: dict[str, set[str]] = {}
            for key in ("files", "writing"):
                files = data.get(key, {})
                if not isinstance(files, dict):
                    return None
                for path, value in files.items():
                    known = value if isinstance(value, list) else [value]
                    found.setdefault(str(path), set()).update(str(digest) for digest in known)
            return found
        return None
    return {} if all(_is_temporary(entry, MANIFEST) for entry in out.iterdir()) else None


def _is_temporary(path: Path, name: str) -> bool:
    """A temporary file ``write_atomic`` made for ``name`` (``.name.`` and 8 random
    characters), left by a process killed while writing it."""
    pattern = rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}"
    return path.is_file() and not path.is_symlink() and re.fullmatch(pattern, path.name) is not None


def _remove_temporaries(out: Path, relatives: Sequence[str]) -> None:
    """The temporary files a killed run left beside the files of the site and its manifest:
    each folder is listed once (not globbed once per file: a site has thousands)."""
    folders: dict[Path, set[str]] = {}
    for relative in (*relatives, MANIFEST):
        target = _inside(out, relative)
        folders.setdefault(target.parent, set()).add(target.name)
    for folder, names in folders.items():
        if not folder.is_dir() or folder.is_symlink():
            continue
        for entry in folder.iterdir():
            name = entry.name
            # ``.NAME.`` and 8 characters: NAME is what is left between the dots.
            if name.startswith(".") and name[1:-9] in names and _is_temporary(entry, name[1:-9]):
                entry.unlink()


def _inside(out: Path, relative: str) -> Path:
    """``out / relative``, refusing paths and symbolic links that lead out of ``out``."""
    parts = Path(relative).parts
    if ".." in parts or Path(relative).is_absolute():
        raise SiteOutputError(f"{relative}: not a path inside the site")
    for depth in range(1, len(parts)):
        if (out.joinpath(*parts[:depth])).is_symlink():
            raise SiteOutputError(f"{out / Path(*parts[:depth])} is a symbolic link; remove it")
    return out / relative


def _write_manifest(
    out: Path,
    files: Mapping[str, str],
    writing: Mapping[str, set[str]] | None = None,
    inputs: Mapping[str, str] | None = None,
) -> None:
    """The manifest: the files written and (``inputs``) the key each policy's pages were made
    from, or (``writing``) every content each file of the folder may have while a run is under
    way."""
    manifest: dict[str, object] = {"generator": GENERATOR, "files": dict(sorted(files.items()))}
    if inputs:
        manifest["inputs"] = dict(sorted(inputs.items()))
    if writing is not None:
        manifest["writing"] = {path: sorted(known) for path, known in sorted(writing.items())}
    write_atomic(
        out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n", mode=PUBLISHED
    )


def _holds(path: Path, digest: str) -> bool:
    """Whether ``path`` is a published plain file with exactly this content already."""
    try:
        status = path.lstat()
        same = stat.S_ISREG(status.st_mode) and stat.S_IMODE(status.st_mode) == PUBLISHED
        return same and _digest(path.read_bytes()) == digest
    except OSError:
        return False


def write_site(
    out: Path,
    files: Mapping[str, str],
    *,
    inputs: Mapping[str, str] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> WriteResult:
    """Write the site into ``out``: new, empty, or a previous site output (see the module); a
    file the previous output already holds as it is stays untouched. ``inputs`` (policy id ->
    key) goes into the manifest, for the next build to keep those pages. ``on_step`` is told
    each step done (``started``, ``written:PATH``, ``files-written``, ``old-removed``,
    ``finished``)."""
    step = on_step or (lambda name: None)
    previous = _previous_files(out)
    if previous is None:
        raise SiteOutputError(
            f"{out} holds files that are not a previous site output (no {MANIFEST}); "
            "give an empty or new folder with --out"
        )
    encoded = {relative: text.encode("utf-8") for relative, text in files.items()}  # once
    digests = {relative: _digest(data) for relative, data in encoded.items()}
    _remove_temporaries(out, [*previous, *files])
    # Every file the folder may hold from now on is in the manifest before it is written.
    writing = {relative: set(known) for relative, known in previous.items()}
    for relative, digest in digests.items():
        writing.setdefault(relative, set()).add(digest)
    _write_manifest(out, {}, writing)
    step("started")
    written, unchanged = [], []
    for relative, data in encoded.items():
        target = _inside(out, relative)
        if relative in previous and _holds(target, digests[relative]):
            unchanged.append(relative)
            continue
        # No fsync per page (a site has thousands): the manifest, written last and durably,
        # holds each page's digest, and nothing trusts a page without checking it against
        # that digest, so a page lost to a crash is written again by the next build.
        write_atomic(target, data, mode=PUBLISHED, durable=False)
        written.append(relative)
        step(f"written:{relative}")
    step("files-written")
    removed, kept = [], []
    for relative, known in sorted(previous.items()):
        if relative in files:
            continue
        path = _inside(out, relative)
        if path.is_file() and _digest(path.read_bytes()) in known:
            path.unlink()
            removed.append(relative)
        elif path.exists():
            kept.append(relative)
    step("old-removed")
    _write_manifest(out, digests, inputs=inputs)
    step("finished")
    return WriteResult(tuple(written), tuple(removed), tuple(kept), tuple(unchanged))
