"""Faults acted from outside the process: a small tmpfs mounted over a folder (full or
read-only), and a disk filled to a given free space."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs_over(folder: Path, options: str) -> Iterator[None]:
    """A small tmpfs mounted over ``folder``, holding a copy of what it held (CI runs as root;
    elsewhere the test is skipped). Root writes through chmod; not through a full or
    read-only file system."""
    saved = folder.with_name(f".{folder.name}.saved")
    shutil.copytree(folder, saved, symlinks=True)
    mount = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)]
    done = subprocess.run(mount, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(saved)
        pytest.skip(f"mounting a tmpfs is not permitted here ({done.stderr.strip()})")
    try:
        shutil.copytree(saved, folder, symlinks=True, dirs_exist_ok=True)
        shutil.rmtree(saved)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(root: Path | None, folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` up to ``leave`` bytes of free space, with a file the
    git repository at ``root`` ignores (something else fills the disk)."""
    filler = folder / "filler"
    if root is not None:
        with (root / ".git/info/exclude").open("a", encoding="utf-8") as stream:
            stream.write("filler\n")
    with filler.open("wb") as stream:
        try:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            stream.write(b"\0" * max(free - leave, 0))
            stream.flush()
        except OSError:  # full before the end: full is what we want
            pass
    return filler
