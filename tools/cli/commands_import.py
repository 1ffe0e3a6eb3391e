"""Adopting a Word policy: ``import`` (the function ``import_``: ``import`` is Python's)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base import clock
from tools.base.errors import LoadError, RefusalError, UsageError
from tools.base.snapshot import DirSnapshot
from tools.cli import argtypes
from tools.cli.output import EXIT_OK, plural

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def import_(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.adopt.importer import import_policy
    from tools.adopt.scaffold import default_prefix
    from tools.adopt.word_read import read_word
    from tools.adopt.write import add_policy
    from tools.notes.changenotes import notes_folder

    root, policy_id = repo.root, args.policy
    if not argtypes.is_policy_id(policy_id):
        raise UsageError(
            f"--policy {policy_id!r}: lower-case words joined by hyphens, e.g. privacy"
        )
    if (root / "policy" / policy_id).exists():
        raise RefusalError(f"policy {policy_id!r} exists already; give another --policy")
    prefix = args.prefix or default_prefix(policy_id)
    if not argtypes.CLAUSE_PREFIX.fullmatch(prefix):
        raise UsageError(f"--prefix {prefix!r}: 2 to 10 lower-case letters and digits, e.g. pr")
    snapshot = DirSnapshot(root)
    _check_prefix_free(snapshot, prefix)
    source = Path(args.file)
    try:
        data = (args.start / source).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror or error}") from None
    document = read_word(source.name, data)
    result = import_policy(
        document,
        policy_id=policy_id,
        prefix=prefix,
        contact=_first_department(snapshot),
        today=clock.today(),
        source=source.name,
    )
    files = {**dict(result.files), f"{notes_folder(policy_id)}/.gitkeep": ""}
    codeowners = _codeowners(snapshot, policy_id, args.owner, document.title or policy_id)
    if args.dry_run:
        for path, text in files.items():
            print(f"--- {path} (would be written)\n{text}")
        print(f"--- CODEOWNERS (would be written)\n{codeowners}")
    else:
        # As policy new writes a policy: each folder built beside its place, CODEOWNERS last.
        add_policy(root, files, codeowners)
        print(f"wrote {plural(len(result.files), 'file')} to policy/{policy_id}/, its change")
        print(f"notes' folder changelog/{policy_id}/unreleased/ and its lines in CODEOWNERS")
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


def _codeowners(snapshot: DirSnapshot, policy_id: str, owner: str | None, title: str) -> str:
    """CODEOWNERS with the new policy's lines, as ``policy new`` adds them: ``owner``, or
    whoever owns its folder now."""
    from tools.adopt.codeowners_edit import add_policy as with_policy
    from tools.adopt.newpolicy import owning_handle
    from tools.base.loader import load_registry
    from tools.owners.codeowners import CODEOWNERS_PATH

    registry, problems = load_registry(snapshot)
    if registry is None:
        raise LoadError("policy/departments.yaml does not load; fix it first", problems)
    text = snapshot.read(CODEOWNERS_PATH).decode("utf-8")
    handle = owning_handle(registry.model, text, policy_id, owner)
    return with_policy(text, policy_id, handle, title)
