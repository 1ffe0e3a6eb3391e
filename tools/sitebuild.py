"""The shell of the employees' site: gather its input from the repository, write it to a folder.

``gather_site`` reads the working tree (the policies, the registry, ``CODEOWNERS``, the
committed release notes and changelogs) and the release history from git
(``tools/history.py``), for the pure plan of ``tools/site.py``. ``write_site`` writes a plan:
into a new or empty folder, or over a previous site output, which it recognises by the
manifest it left there (``.policy-site.json``: every file it wrote, with its SHA-256). It never
touches another folder, and it never deletes a file it did not write: a page of the previous
output that the new plan lacks is removed only while its content is still what was written.
Each file is written atomically (``tools/files.py``); the manifest is written last.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from schema.models import Registry
from tools.codeowners import CODEOWNERS_PATH, parse_codeowners
from tools.comparison import compare
from tools.diagnostics import Diagnostic, LoadError
from tools.files import write_atomic
from tools.loader import ParseCache, load_policy, load_registry, policy_ids
from tools.owners import compile_rules, owners_of
from tools.policypage import PolicyPage
from tools.site import PolicySource, SiteSource, unchanged_clauses
from tools.snapshot import DirSnapshot, RevisionError, Snapshot, SnapshotError

MANIFEST = ".policy-site.json"
GENERATOR = "policy site"
PUBLISHED = 0o644
"""Files of the site are for everyone to read: a web server runs as another user."""


class SiteOutputError(Exception):
    """The output folder cannot take the site (it holds other files, or is not a folder)."""


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    """Files of the previous output that the site no longer has."""
    kept: tuple[str, ...]
    """Files of the previous output that the site no longer has but someone changed: left."""


def _read(snapshot: Snapshot, path: str) -> str | None:
    """A text file of the working tree; None when absent. The site publishes what it reads, so
    a symbolic link (which could point anywhere) is refused."""
    try:
        return snapshot.read(path).decode("utf-8")
    except KeyError:
        return None
    except (SnapshotError, UnicodeDecodeError) as error:
        problem = Diagnostic(path, 0, 0, "unsafe-file", str(error), "make it a UTF-8 text file")
        raise LoadError(f"{path} cannot be published", [problem]) from None


def _responsible(
    snapshot: Snapshot, policy_id: str, sections: list[str], handles: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Section id -> the names of the departments of every required CODEOWNERS section."""
    text = _read(snapshot, CODEOWNERS_PATH)
    if text is None:
        return {}
    rules, _ = parse_codeowners(CODEOWNERS_PATH, text)  # its errors are `owners --check`'s
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


def gather_site(root: Path, base_url: str | None = None, *, only: str | None = None) -> SiteSource:
    """Everything the site shows, from the working tree and the release history (``only``:
    of that policy alone)."""
    snapshot = DirSnapshot(root, label="working tree")
    cache = ParseCache()
    registry, problems = load_registry(snapshot, cache)
    if registry is None or problems:
        raise LoadError("the departments registry does not load; fix it first", problems)
    ids = policy_ids(snapshot)
    if only is not None and only not in ids:
        raise RevisionError(f"no policy '{only}' in the working tree (policies: {', '.join(ids)})")
    sources = tuple(
        _gather_policy(root, snapshot, cache, policy_id, registry.model)
        for policy_id in ([only] if only is not None else ids)
    )
    return SiteSource(registry.model.organisation, sources, base_url)


def _gather_policy(
    root: Path, snapshot: Snapshot, cache: ParseCache, policy_id: str, registry: Registry
) -> PolicySource:
    from tools.history import clause_versions, release_history

    policy, problems = load_policy(snapshot, policy_id, cache)
    if policy is None or problems:
        raise LoadError(f"policy '{policy_id}' does not load; fix it first", problems)
    history = release_history(root, policy_id)
    versions: dict[str, str] = {}
    if history:
        since_release = compare(root, None, None, policy_id=policy_id)
        unchanged = unchanged_clauses((c.id for _, _, c in policy.clauses()), since_release)
        versions = clause_versions(root, policy_id, unchanged, history)
    handles = {d.handle: d.name for d in registry.departments}
    page = PolicyPage(
        policy,
        _responsible(snapshot, policy_id, [s.model.id for s in policy.sections], handles),
        {d.id: d.name for d in registry.departments},
        versions,
        tuple(record.version for record in history),
    )
    releases = tuple(history)
    notes = {
        r.version: text
        for r in releases
        if (text := _read(snapshot, f"changelog/{policy_id}/{r.version}.md")) is not None
    }
    changelog = _read(snapshot, f"changelog/{policy_id}/CHANGELOG.md")
    return PolicySource(page, releases, notes, changelog)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _previous_files(out: Path) -> dict[str, str] | None:
    """The files of the previous output (path -> SHA-256), or None when ``out`` is no output
    of ours (and not empty)."""
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
            files = data.get("files")
            if isinstance(files, dict):
                return {str(path): str(digest) for path, digest in files.items()}
        return None
    return {} if not any(out.iterdir()) else None


def _inside(out: Path, relative: str) -> Path:
    """``out / relative``, refusing paths and symbolic links that lead out of ``out``."""
    parts = Path(relative).parts
    if ".." in parts or Path(relative).is_absolute():
        raise SiteOutputError(f"{relative}: not a path inside the site")
    for depth in range(1, len(parts)):
        if (out.joinpath(*parts[:depth])).is_symlink():
            raise SiteOutputError(f"{out / Path(*parts[:depth])} is a symbolic link; remove it")
    return out / relative


def write_site(out: Path, files: Mapping[str, str]) -> WriteResult:
    """Write the site into ``out``: new, empty, or a previous site output (see the module)."""
    previous = _previous_files(out)
    if previous is None:
        raise SiteOutputError(
            f"{out} holds files that are not a previous site output (no {MANIFEST}); "
            "give an empty or new folder with --out"
        )
    written = []
    for relative, text in files.items():
        write_atomic(_inside(out, relative), text, mode=PUBLISHED)
        written.append(relative)
    removed, kept = [], []
    for relative, digest in sorted(previous.items()):
        if relative in files:
            continue
        path = _inside(out, relative)
        if path.is_file() and _digest(path.read_bytes()) == digest:
            path.unlink()
            removed.append(relative)
        elif path.exists():
            kept.append(relative)
    manifest = {
        "generator": GENERATOR,
        "files": {rel: _digest(text.encode("utf-8")) for rel, text in sorted(files.items())},
    }
    write_atomic(
        out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n", mode=PUBLISHED
    )
    return WriteResult(tuple(written), tuple(removed), tuple(kept))
