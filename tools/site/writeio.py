"""Writing the site into a folder: ``write_site`` (and ``verified_pages``, what it need not read
again), for ``tools/site/build.py``.

Into a new or empty folder, or over a previous site output, which it recognises by the manifest
it left there (``.policy-site.json``: every file it wrote, with its SHA-256). It never touches
another folder, and it never deletes a file it did not write: a page of the previous output that
the new plan lacks is removed only while its content is still what was written. Each file is
written atomically (``tools/base/fileio.py``). Before the first file, the manifest is written
with the files about to be written under ``writing``; after the last, without: a run killed or
failed part way leaves a folder the next run recognises as its own (each file old or new, and
perhaps a temporary file of ``write_atomic``, which it removes). No file whose content is
already right is rewritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.base.errors import SiteOutputError
from tools.base.fileio import write_atomic
from tools.site.parsestore import ParsedStore
from tools.site.plan import SiteSource
from tools.site.reuseio import GENERATOR, MANIFEST, PUBLISHED, PreviousSite


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    """Files of the previous output that the site no longer has."""
    kept: tuple[str, ...]
    """Files of the previous output that the site no longer has but someone changed: left."""
    unchanged: tuple[str, ...] = ()
    """Files of the site that the previous output already holds as they are: not rewritten."""


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


def _inside(out: Path, relative: str, safe: set[Path] | None = None) -> Path:
    """``out / relative``, refusing paths and symbolic links that lead out of ``out``;
    ``safe``: folders already found to be no symbolic link in this run (each looked at once)."""
    parts = Path(relative).parts
    if ".." in parts or Path(relative).is_absolute():
        raise SiteOutputError(f"{relative}: not a path inside the site")
    for depth in range(1, len(parts)):
        folder = out.joinpath(*parts[:depth])
        if safe is not None and folder in safe:
            continue
        if folder.is_symlink():
            raise SiteOutputError(f"{folder} is a symbolic link; remove it")
        if safe is not None:
            safe.add(folder)
    return out / relative


def _write_manifest(
    out: Path,
    files: Mapping[str, str],
    writing: Mapping[str, set[str]] | None = None,
    inputs: Mapping[str, str] | None = None,
    parsed: Mapping[str, object] | None = None,
) -> None:
    """The manifest: the files written and (``inputs``) the key each policy's pages were made
    from, or (``writing``) every content each file of the folder may have while a run is under
    way."""
    manifest: dict[str, object] = {"generator": GENERATOR, "files": dict(sorted(files.items()))}
    if inputs:
        manifest["inputs"] = dict(sorted(inputs.items()))
    if parsed:
        manifest["parsed"] = parsed
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


def verified_pages(source: SiteSource, previous: PreviousSite | None) -> dict[str, tuple[str, str]]:
    """The pages ``gather_site`` kept (read from the previous output, each checked against the
    SHA-256 its manifest records): path -> (text, SHA-256), for ``write_site``."""
    if previous is None:
        return {}
    return {
        path: (text, previous.files[path])
        for policy in source.policies
        for path, text in (policy.kept or {}).items()
    }


def _encoded(
    files: Mapping[str, str], verified: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, str], dict[str, bytes]]:
    """Each file's SHA-256, and its bytes unless ``verified`` says the folder holds exactly
    this text already (the same string, not only an equal one)."""
    digests: dict[str, str] = {}
    encoded: dict[str, bytes] = {}
    for relative, text in files.items():
        known = verified.get(relative)
        if known is not None and known[0] is text:
            digests[relative] = known[1]
        else:
            encoded[relative] = data = text.encode("utf-8")  # once: hashed and written
            digests[relative] = _digest(data)
    return digests, encoded


def write_site(
    out: Path,
    files: Mapping[str, str],
    *,
    inputs: Mapping[str, str] | None = None,
    on_step: Callable[[str], None] | None = None,
    verified: Mapping[str, tuple[str, str]] | None = None,
    store: ParsedStore | None = None,
) -> WriteResult:
    """Write the site into ``out``: new, empty, or a previous site output (see the module); a
    file the previous output already holds as it is stays untouched. ``inputs`` (policy id ->
    key) goes into the manifest, for the next build to keep those pages. ``on_step`` is told
    each step done (``started``, ``written:PATH``, ``files-written``, ``old-removed``,
    ``finished``). ``verified``: files this run read from ``out`` and found as the previous
    manifest records them (path -> their text and SHA-256, ``verified_pages``): such a file,
    when the site has that very text, is neither hashed nor read again. ``store``: the parsed
    section files to keep for the next build, written after the pages and named by the
    manifest."""
    step = on_step or (lambda name: None)
    previous = _previous_files(out)
    if previous is None:
        raise SiteOutputError(
            f"{out} holds files that are not a previous site output (no {MANIFEST}); "
            "give an empty or new folder with --out"
        )
    digests, encoded = _encoded(files, verified or {})
    _remove_temporaries(out, [*previous, *files])
    # Every file the folder may hold from now on is in the manifest before it is written.
    writing = {relative: set(known) for relative, known in previous.items()}
    for relative, digest in digests.items():
        writing.setdefault(relative, set()).add(digest)
    _write_manifest(out, {}, writing)
    step("started")
    written, unchanged = [], []
    safe: set[Path] = set()
    for relative in files:
        target = _inside(out, relative, safe)
        data = encoded.get(relative)
        if data is None or (relative in previous and _holds(target, digests[relative])):
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
    policies = list(inputs or {})
    if store is not None:
        store.write()
    parsed = store.manifest(policies) if store is not None else None
    _write_manifest(out, digests, inputs=inputs, parsed=parsed)
    if store is not None:
        store.prune(policies)
    step("finished")
    return WriteResult(tuple(written), tuple(removed), tuple(kept), tuple(unchanged))
