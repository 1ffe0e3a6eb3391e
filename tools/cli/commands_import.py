"""Adopting a Word policy: ``import`` (the function ``import_``: ``import`` is Python's)."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base import clock
from tools.base.errors import RefusalError, UsageError
from tools.base.fileio import write_atomic
from tools.base.snapshot import DirSnapshot
from tools.cli.output import EXIT_OK, plural

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository

_SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_PREFIX = re.compile(r"[a-z][a-z0-9]{1,9}")


def import_(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.adopt.importer import default_prefix, import_policy
    from tools.adopt.word_read import read_word

    root, policy_id = repo.root, args.policy
    if not _SLUG.fullmatch(policy_id) or not 2 <= len(policy_id) <= 60:
        raise UsageError(
            f"--policy {policy_id!r}: lower-case words joined by hyphens, e.g. privacy"
        )
    if (root / "policy" / policy_id).exists():
        raise RefusalError(f"policy {policy_id!r} exists already; give another --policy")
    prefix = args.prefix or default_prefix(policy_id)
    if not _PREFIX.fullmatch(prefix):
        raise UsageError(f"--prefix {prefix!r}: 2 to 10 lower-case letters and digits, e.g. pr")
    snapshot = DirSnapshot(root)
    _check_prefix_free(snapshot, prefix)
    source = Path(args.file)
    try:
        data = (args.start / source).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror or error}") from None
    result = import_policy(
        read_word(source.name, data),
        policy_id=policy_id,
        prefix=prefix,
        contact=_first_department(snapshot),
        today=clock.today(),
        source=source.name,
    )
    if args.dry_run:
        for path, text in result.files:
            print(f"--- {path} (would be written)\n{text}")
    else:
        _write_folder(root, policy_id, result.files)
        print(f"wrote {plural(len(result.files), 'file')} to policy/{policy_id}/")
    print("\n".join(result.report))
    return EXIT_OK


def _check_prefix_free(snapshot: DirSnapshot, prefix: str) -> None:
    from tools.base.loader import load_policy, policy_ids

    for other in policy_ids(snapshot):
        policy, _ = load_policy(snapshot, other)
        if policy is not None and policy.meta.model.clause_prefix == prefix:
            raise UsageError(
                f"clause prefix {prefix!r} is policy {other!r}'s; give another with --prefix"
            )


def _first_department(snapshot: DirSnapshot) -> str:
    """The contact the draft names until its author picks one: the registry's first department."""
    from tools.base.loader import load_registry

    registry, _ = load_registry(snapshot)
    if registry is None or not registry.model.departments:
        raise UsageError(
            "policy/departments.yaml is missing or invalid: the import needs a department to "
            "name as the contact (policy validate says what is wrong)"
        )
    return registry.model.departments[0].id


def _write_folder(root: Path, policy_id: str, files: tuple[tuple[str, str], ...]) -> None:
    """All or nothing: the files go to a hidden folder beside the new one, which is renamed
    into place at the end; a failure leaves no half-made policy."""
    parent = root / "policy"
    target = parent / policy_id
    staging = Path(tempfile.mkdtemp(prefix=f".import-{policy_id}-", dir=parent))
    try:
        for path, text in files:
            relative = Path(path).relative_to(f"policy/{policy_id}")
            write_atomic(staging / relative, text, mode=0o644)
        os.chmod(staging, 0o755)  # mkdtemp makes it private to its owner
        if target.exists():  # made while we read the document
            raise RefusalError(f"policy {policy_id!r} exists already; give another --policy")
        os.rename(staging, target)
    except OSError as error:
        raise UsageError(f"cannot write policy/{policy_id}/: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
