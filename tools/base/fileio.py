"""Writing files atomically: a reader sees the old content or the new, never half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(
    path: Path, text: str | bytes, mode: int | None = None, *, durable: bool = True
) -> None:
    """Write ``text`` as UTF-8 (bytes as they are) to a temporary file beside ``path``, then
    rename it into place. ``mode``: the file's permissions (a temporary file is private to its
    owner: 0600). ``durable=False`` skips the ``fsync`` before the rename: only for a file whose
    content a later, durable record (a manifest of digests) vouches for and checks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_new(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """Write ``text`` to ``folder/stem + suffix``, or ``stem-2``, ``stem-3``... when taken: never
    overwrites a file, and a reader never sees it half written (a hard link of a complete file).
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{stem}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        for number in range(1, 1000):
            target = folder / f"{stem}{'' if number == 1 else f'-{number}'}{suffix}"
            try:
                os.link(temporary, target)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"{folder}: no free name for {stem}{suffix}")
    finally:
        Path(temporary).unlink(missing_ok=True)


def checkout_mode() -> int:
    """The permissions git gives a checked-out file: 0666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def remove_empty_folders(root: Path, folder: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty, as git does."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
