"""Writing what ``policy init`` and ``policy new`` built: all or nothing.

``policy init`` builds the repository in a temporary folder beside DIR (files, ``git init``, the
first commit) and renames it into place, so a failed run leaves nothing behind. ``policy new``
writes its new folders the same way and CODEOWNERS last, atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tools.base.errors import RefusalError, UsageError
from tools.base.fileio import write_atomic
from tools.base.gitio import GitRepository, describe_error


def made_by_init(target: Path, trailer: str) -> str | None:
    """The first commit's id when ``target`` is the top of a git repository whose first commit
    ``policy init`` made (its message has ``trailer``); else None."""
    repo = GitRepository(target)
    if repo.top_level() != target.resolve() or not repo.has_commit("HEAD"):
        return None
    roots = repo.root_commits("HEAD")
    if len(roots) != 1 or trailer not in repo.commit_facts(roots[0])[2]:
        return None
    return roots[0]


def _write_files(folder: Path, files: Mapping[str, str]) -> None:
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


def create_repository(
    target: Path, files: Mapping[str, str], message: str, moment: dt.datetime
) -> str:
    """Build the repository beside ``target`` and rename it into place; returns the first
    commit's id. ``target`` must not exist or be an empty folder."""
    target = target.absolute()
    missing = [folder for folder in target.parents if not folder.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    except OSError as error:
        _remove_empty(missing)
        raise UsageError(f"cannot create {target}: {error.strerror or error}") from None
    done = False
    try:
        os.chmod(building, 0o777 & ~_umask())
        _write_files(building, files)
        try:
            commit = GitRepository.create(building, message, moment).head_id()
        except Exception as error:  # git's failure, in one line (e.g. no user.email set)
            message = f"git could not make the first commit: {describe_error(error)}"
            raise UsageError(message) from None
        if target.is_dir():
            target.rmdir()  # empty (checked by the caller): rename needs the name free
        os.rename(building, target)
        done = True
    except OSError as error:
        raise UsageError(f"cannot create {target}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(building, ignore_errors=True)
        if not done:
            _remove_empty(missing)
    return commit


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders this run made (deepest first), so a failed run leaves nothing."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def add_policy(root: Path, files: Mapping[str, str], codeowners: str) -> None:
    """Write a new policy's folders (each built beside its place, then renamed) and CODEOWNERS
    last; on a failure the folders made so far are removed again."""
    tops = sorted({Path(*Path(path).parts[:2]) for path in files})
    made: list[Path] = []
    try:
        for top in tops:
            target = root / top
            if target.exists():
                raise RefusalError(f"{top.as_posix()} exists already; nothing was written")
            target.parent.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
            try:
                os.chmod(building, 0o777 & ~_umask())
                inside = {
                    Path(path).relative_to(top).as_posix(): text
                    for path, text in files.items()
                    if Path(path).parts[:2] == top.parts
                }
                _write_files(building, inside)
                os.rename(building, target)
            finally:
                shutil.rmtree(building, ignore_errors=True)
            made.append(target)
        write_atomic(root / "CODEOWNERS", codeowners, mode=0o644)
    except OSError as error:
        _remove(made)
        raise UsageError(f"cannot write the policy: {error.strerror or error}") from None
    except BaseException:
        _remove(made)
        raise


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
