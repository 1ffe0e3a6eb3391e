"""The incremental site build's reading side: the tool's fingerprint, and the pages of the
previous output that can be kept.

A policy's pages are kept when the key of their inputs (``tools/site/inputs.py``, with this
fingerprint) is the one the previous output's manifest recorded for that policy, and every one
of its files is still, byte for byte, what that build wrote (a file changed by hand is made
again). The fingerprint covers the tool's version, the source of ``tools/`` and ``schema/``
and the libraries that shape the pages, so a changed tool never keeps a page it would now
write differently.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import schema
import tools

MANIFEST = ".policy-site.json"
"""The output's manifest (``tools/site/writeio.py``): every file written, with its SHA-256."""
GENERATOR = "policy site"
PUBLISHED = 0o644
"""Files of the site are for everyone to read: a web server runs as another user."""

_LIBRARIES = (
    ("markdown_it", "__init__.py"),
    ("mdit_py_plugins", "__init__.py"),
    ("pydantic", "version.py"),
    ("ruamel.yaml", "__init__.py"),
    ("yaml", "__init__.py"),
)
"""The libraries whose version can change a page (Markdown, the models, YAML: ruamel's and
PyYAML's), each by the file of its package that states its version: reading it costs less
than ``importlib.metadata``, whose import (the ``email`` package) was 3% of a rebuild."""


def _library_source(module: str, name: str) -> bytes:
    """The file ``name`` of the package ``module``, found without importing it; b"-" if none."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return b"-"
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    try:
        return Path(folders[0], name).read_bytes() if folders else b"-"
    except OSError:
        return b"-"


@functools.cache
def tool_fingerprint() -> str:
    """The SHA-256 of the tool's version, its libraries' versions and its source files."""
    digest = hashlib.sha256(f"policy {tools.__version__}\n".encode())
    for module, name in _LIBRARIES:
        digest.update(f"{module}/{name}\n".encode())
        digest.update(hashlib.sha256(_library_source(module, name)).digest())
    for package in (tools, schema):
        folder = Path(package.__file__ or "").parent
        for path in sorted(folder.rglob("*.py")):
            digest.update(f"{path.relative_to(folder.parent).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def kept_files(out: Path, files: Mapping[str, str]) -> dict[str, str] | None:
    """The text of each of ``files`` (path in ``out`` -> the SHA-256 it was written with), or
    None when one of them is missing, is not a plain file, or was changed since, or a folder
    on its way is a symbolic link (each folder is looked at once, not once per file)."""
    folders = {relative.rsplit("/", 1)[0] for relative in files if "/" in relative}
    on_the_way = {
        "/".join(parts[:depth])
        for folder in folders
        for parts in [folder.split("/")]
        for depth in range(1, len(parts) + 1)
    }
    if any(os.path.islink(os.path.join(out, folder)) for folder in on_the_way):
        return None
    found: dict[str, str] = {}
    for relative, digest in files.items():
        text = _kept_text(os.path.join(out, relative), digest)
        if text is None:
            return None
        found[relative] = text
    return found


def _kept_text(path: str, digest: str) -> str | None:
    """The file's text when it is a plain file everyone may read with this SHA-256."""
    try:
        status = os.lstat(path)
        # A page must also be readable by everyone still, or it is written again.
        if not stat.S_ISREG(status.st_mode) or stat.S_IMODE(status.st_mode) != PUBLISHED:
            return None
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class PreviousSite:
    """What a finished previous output was made from (its manifest): the pages it may keep."""

    out: Path
    inputs: Mapping[str, str]
    """Policy id -> the key of its pages' inputs (``tools/site/inputs.py``)."""
    files: Mapping[str, str]
    """Path -> the SHA-256 it was written with."""
    parsed: Mapping[str, object] | None = None
    """The manifest's record of the parsed store (``tools/site/parsestore.py``)."""

    def kept(self, policy_id: str, inputs: str | None) -> dict[str, str] | None:
        """The policy's files as written, when made from ``inputs`` and untouched since."""
        if inputs is None or self.inputs.get(policy_id) != inputs:
            return None
        mine = {
            path: digest
            for path, digest in self.files.items()
            if path.startswith(f"{policy_id}/") and ".." not in Path(path).parts
        }
        return kept_files(self.out, mine) if mine else None


def previous_site(out: Path) -> PreviousSite | None:
    """What the previous output in ``out`` was made from; None when there is none, or its
    build did not finish (nothing of it is kept then)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR or "writing" in data:
        return None
    inputs, files = data.get("inputs", {}), data.get("files", {})
    if not isinstance(inputs, dict) or not isinstance(files, dict):
        return None
    return PreviousSite(
        out,
        {str(policy): str(key) for policy, key in inputs.items()},
        {str(path): str(digest) for path, digest in files.items()},
        parsed if isinstance(parsed := data.get("parsed"), dict) else None,
    )
