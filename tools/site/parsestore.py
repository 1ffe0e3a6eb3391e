"""The section files a site build parsed, kept beside its pages for the next build over the same
folder: a rebuild after a release that rewords one clause parses that one file, not the policy's
hundred.

The store is the folder ``.policy-site-parsed/`` of the output: one file per git blob of a
section file that a shown release holds, ``<blob id>.json``, the validated ``Section`` as
Pydantic writes it (``model_dump_json``). An entry is used only when the previous build's
manifest (``tools/site/writeio.py``) names it, for the same tool (``tools/site/reuseio.py``'s
fingerprint), with the SHA-256 its bytes still have, and when it validates again; anything else
(a corrupt, foreign or stale entry) is ignored and the file is parsed as always. The same blob
parses to the same model, so the pages are byte for byte those of a full build. The store is
written only by a build over a previous output (a first build into a new folder pays nothing for
it), is no page (neither in the manifest's ``files`` nor linked), and keeps only what the
manifest names: per policy the entries of the build that last made its pages.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from schema.models import Section
from tools.base.errors import SnapshotError
from tools.base.fileio import write_atomic
from tools.base.loader import POLICY_ROOT, LoadedFile, ParseCache, Policy, rereader
from tools.base.snapshot import Snapshot
from tools.base.yamlfile import YamlDocument
from tools.site.reuseio import PreviousSite, tool_fingerprint

FOLDER = ".policy-site-parsed"
MODE = 0o644
"""As the pages: whoever may read the site may read what it was made from."""


@dataclass
class ParsedStore:
    """The store of one output folder during a build (see the module)."""

    out: Path
    tool: str
    trusted: Mapping[str, Mapping[str, str]]
    """Per policy, entry name -> SHA-256, as the previous manifest names them for this tool."""
    used: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per policy whose pages this build made: the entries of its shown releases."""
    pending: dict[str, bytes] = field(default_factory=dict)
    """Entries to write: name -> bytes."""
    loaded: dict[str, str] = field(default_factory=dict)
    """Entries read from the store, intact: name -> SHA-256 (not written again)."""
    ours: frozenset[str] = frozenset()
    """Every entry the previous manifest names, for any tool: files a build wrote."""

    def preload(
        self, cache: ParseCache, snapshot: Snapshot, policy_id: str, skip: Collection[str] = ()
    ) -> None:
        """Put every section file of the policy in ``snapshot`` (but those in ``skip``) that the
        store holds, intact, into ``cache``, so that ``load_policy`` does not parse it."""
        known = self._known
        for path in snapshot.files(f"{POLICY_ROOT}/{policy_id}/sections"):
            if path in skip:
                continue
            try:
                blob_id = snapshot.blob_id(path)
            except (KeyError, SnapshotError):
                continue
            key = ParseCache.key(Section, path, blob_id)
            digest = known.get(f"{blob_id}.json")
            if digest is not None and key not in cache.entries:
                loaded = self._entry(snapshot, path, blob_id, digest)
                if loaded is not None:
                    cache.entries[key] = (loaded, [])
                    self.loaded[f"{blob_id}.json"] = digest

    @functools.cached_property
    def _known(self) -> dict[str, str]:
        """Every trusted entry, whichever policy's: name -> SHA-256 (a blob may be in several)."""
        return {name: sha for entries in self.trusted.values() for name, sha in entries.items()}

    def _entry(
        self, snapshot: Snapshot, path: str, blob_id: str, digest: str
    ) -> LoadedFile[Section] | None:
        folder = self.out / FOLDER
        try:
            data = b"" if folder.is_symlink() else (folder / f"{blob_id}.json").read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        try:
            model = Section.model_validate_json(data)
        except ValidationError:
            return None
        document = YamlDocument(path, None, rereader(snapshot, path, blob_id))
        return LoadedFile(path, document, model, blob_id)

    def record(self, policy: Policy) -> None:
        """The sections of a shown release of ``policy``, for the next build."""
        entries = self.used.setdefault(policy.id, {})
        for section in policy.sections:
            name = f"{section.blob_id}.json"
            if name in self.loaded:
                entries[name] = self.loaded[name]
            elif name not in entries:
                data = section.model.model_dump_json().encode("utf-8")
                entries[name] = hashlib.sha256(data).hexdigest()
                self.pending[name] = data

    def manifest(self, policies: Collection[str]) -> dict[str, object] | None:
        """What the manifest records: the tool and, per policy of the site (``policies``), its
        entries (a policy whose pages were kept keeps those the previous build named); None
        when the store holds nothing."""
        named = self._named(policies)
        if not any(named.values()):
            return None
        return {"tool": self.tool, "policies": {p: dict(sorted(named[p].items())) for p in named}}

    def _named(self, policies: Collection[str]) -> dict[str, Mapping[str, str]]:
        entries = {**self.trusted, **self.used}
        return {policy: entries[policy] for policy in sorted(policies) if policy in entries}

    def write(self) -> None:
        """The new entries (before the manifest that names them); an entry already there with
        these bytes stays untouched."""
        folder = self.out / FOLDER
        if folder.is_symlink():  # it could lead out of the site: keep nothing
            return
        for name, data in self.pending.items():
            target = folder / name
            if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                continue
            write_atomic(target, data, mode=MODE, durable=False)

    def prune(self, policies: Collection[str]) -> None:
        """The entries a build wrote that the manifest no longer names (after it is written);
        a file nobody's manifest named is not ours to delete."""
        folder = self.out / FOLDER
        if not folder.is_dir() or folder.is_symlink():
            return
        named = {name for entries in self._named(policies).values() for name in entries}
        for name in (self.ours | set(self.pending)) - named:
            entry = folder / name
            if entry.is_file() and not entry.is_symlink():
                entry.unlink()


def open_store(out: Path, previous: PreviousSite) -> ParsedStore:
    """The store of ``out``, a previous output; its entries are trusted only when its manifest
    names them for this very tool."""
    tool, parsed = tool_fingerprint(), previous.parsed or {}
    named: dict[str, dict[str, str]] = {}
    policies = parsed.get("policies")
    if isinstance(policies, dict):
        for policy, entries in policies.items():
            if isinstance(entries, dict):
                named[str(policy)] = {
                    str(name): str(digest)
                    for name, digest in entries.items()
                    if _is_entry_name(str(name))
                }
    ours = frozenset(name for entries in named.values() for name in entries)
    return ParsedStore(out, tool, named if parsed.get("tool") == tool else {}, ours=ours)


def _is_entry_name(name: str) -> bool:
    """``<40 or 64 hex digits>.json``: nothing else is ever read from the store."""
    stem = name.removesuffix(".json")
    return (
        name.endswith(".json")
        and len(stem) in (40, 64)
        and all(c in "0123456789abcdef" for c in stem)
    )
