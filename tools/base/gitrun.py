"""Running git: the one place the seam starts a git command (``gitio.py``, ``gitcat.py``).

Every command gets the same environment (this process's, with git's messages in English),
no terminal input (stdin closed or given) and no pager, so none can wait for a person. A
failure is a ``GitError`` whose message is git's own last line.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tools.base.errors import GitError


def git_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for git: messages in English (they are parsed, and shown),
    nothing that could stop to ask (no pager, no terminal prompt), no replace objects."""
    env = dict(os.environ)
    env.update(LANGUAGE="C", LC_ALL="C", GIT_PAGER="cat", PAGER="cat", GIT_TERMINAL_PROMPT="0")
    # A replace ref (refs/replace/<id>, which a branch author can push) would make git read
    # another commit or tree for the base than the one it names: the gate reads what ids name.
    env["GIT_NO_REPLACE_OBJECTS"] = "1"
    env.update(extra or {})
    return env


def run_git(
    where: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    data: bytes | None = None,
    ok: tuple[int, ...] = (0,),
) -> tuple[int, bytes]:
    """(exit status, stdout) of ``git ARGS`` run in ``where``; ``GitError`` for any status
    not in ``ok``. Callers put ``--end-of-options`` (or ``--``) before what a user typed."""
    command = ["git", *args]
    done = subprocess.run(
        command,
        cwd=where,
        env=git_environment(env),
        input=data if data is not None else b"",
        capture_output=True,
        check=False,
    )
    if done.returncode not in ok:
        stderr = done.stderr.decode("utf-8", "replace")
        raise GitError(command, done.returncode, stderr)
    return done.returncode, done.stdout


def git_text(
    where: Path, *args: str, env: Mapping[str, str] | None = None, data: bytes | None = None
) -> str:
    """The stdout of ``git ARGS`` as text (paths as the file system spells them: bytes that
    are not UTF-8 surrogate-escaped, as ``os.fsdecode`` does)."""
    return run_git(where, *args, env=env, data=data)[1].decode("utf-8", "surrogateescape")


def locate(start: Path) -> tuple[Path, Path] | None:
    """(working tree's top folder, git's own folder) of the repository ``start`` is in (git's
    own search, upwards); None outside one, in a bare repository or when ``start`` is gone."""
    try:
        status, out = run_git(
            start, "rev-parse", "--show-toplevel", "--absolute-git-dir", ok=(0, 128)
        )
    except OSError:  # the folder does not exist (or git is missing)
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if status != 0 or len(lines) != 2:
        return None
    return Path(lines[0]), Path(lines[1])
