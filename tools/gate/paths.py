"""Which changed paths the approval gate can judge at all.

Pure. A path that is not canonical, that collides with another in case or Unicode
normalisation, that is a symbolic link or a submodule, or that no department owns at BASE,
makes the verdict incomplete (``tools/gate/rules.py``): what the owners would approve is not
what the file system or git would hold.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from tools.base.diagnostics import Diagnostic
from tools.base.gitlog import ChangedPath
from tools.owners.rules import path_problem

SYMLINK_MODE = 0o120000
SUBMODULE_MODE = 0o160000


def hygiene_problems(paths: Sequence[ChangedPath], head_files: Sequence[str]) -> list[Diagnostic]:
    """Changed paths the gate cannot judge safely: non-canonical, colliding (with any file at
    HEAD), links and submodules."""
    problems = []
    for changed in paths:
        problem = path_problem(changed.path)
        if problem:
            problems.append(_path_diagnostic(changed.path, "bad-path", f"the path {problem}"))
        if changed.new_mode in (SYMLINK_MODE, SUBMODULE_MODE):
            kind = "a symbolic link" if changed.new_mode == SYMLINK_MODE else "a submodule"
            problems.append(
                _path_diagnostic(
                    changed.path,
                    "link-or-submodule",
                    f"is {kind}: what it points to is not what the owners approve",
                    "commit the file itself",
                )
            )
    changed_names = {c.path for c in paths}
    for first, second in _colliding_names(head_files):
        if _touches(first, changed_names) or _touches(second, changed_names):
            problems.append(
                _path_diagnostic(
                    second,
                    "colliding-paths",
                    f"differs from {first} only in case or Unicode normalisation",
                    "rename it; on some systems both names are one file",
                )
            )
    return problems


def _touches(name: str, changed: set[str]) -> bool:
    return name in changed or any(path.startswith(name + "/") for path in changed)


def _colliding_names(files: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of file or folder names that are equal after case folding and NFC."""
    names = set(files)
    for path in files:
        parts = path.split("/")
        names.update("/".join(parts[:i]) for i in range(1, len(parts)))
    seen: dict[str, str] = {}
    pairs = []
    for name in sorted(names):
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            pairs.append((seen[key], name))
        else:
            seen[key] = name
    return pairs


def _path_diagnostic(path: str, code: str, message: str, hint: str = "rename it") -> Diagnostic:
    return Diagnostic.at(path, code, message, hint)


def unowned_path(path: str) -> Diagnostic:
    return Diagnostic.at(
        path,
        "unowned-path",
        "no department owns this path at BASE, so nobody could approve the change",
        "add an owner for it to CODEOWNERS first, in a change of its own",
    )


def bad_owner(path: str, line: int, unknown: Sequence[str]) -> Diagnostic:
    what = f"unknown owner {', '.join(unknown)}" if unknown else "a line without owners"
    return Diagnostic.at(
        path,
        "unowned-path",
        f"CODEOWNERS line {line} at BASE gives this path {what}",
        "name a department of the registry on that line, in a change of its own",
    )
