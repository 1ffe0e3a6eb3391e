"""Attestation commands: ``people import`` (the HR export), and ``ack``, which dispatches to
its actions (``commands_ack.py``: rounds; ``commands_evidence.py``: verify, export, purge).
Personal data is never printed: diagnostics locate a problem by file, line and column, the
summaries give counts and hashes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.errors import LoadError, UsageError
from tools.cli.output import EXIT_OK, EXIT_PROBLEMS, plural, print_diagnostics

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def people(repo: GitRepository, args: argparse.Namespace) -> int:
    return _people_import(repo, args)  # the only action so far


def ack(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.cli.commands_ack import ack_confirm, ack_import, ack_overdue, ack_status
    from tools.cli.commands_evidence import ack_export, ack_purge, ack_verify

    actions = {
        "verify": ack_verify,
        "confirm": ack_confirm,
        "import": ack_import,
        "status": ack_status,
        "overdue": ack_overdue,
        "export": ack_export,
        "purge": ack_purge,
    }
    return actions[args.action](repo, args)


def _people_import(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.people_csv import DEFAULT_COLUMNS, read_people
    from tools.attest.people_diff import plan_import, summary, too_many_leavers
    from tools.attest.store import (
        apply_people,
        database_url,
        environment,
        stored_people,
        transaction,
    )
    from tools.base.clock import today

    url = database_url(args.db, environment(), repo.root)
    file: Path = args.file
    rows, problems = read_people(
        read_text(args.start / file), str(file), departments(repo.root),
        args.columns or DEFAULT_COLUMNS,
    )  # fmt: skip
    if problems:
        print_diagnostics(problems)
        print(f"policy: {file}: {plural(len(problems), 'problem')}; nothing was changed")
        return EXIT_PROBLEMS
    with transaction(url) as session:
        plan = plan_import(rows, stored_people(session), today())
        if too_many_leavers(plan) and not args.many_leavers:
            print(f"policy: {file}: would end {len(plan.ended)} people at once, more "
                  "than a fifth of those employed: is it the whole export, not one department's? "
                  "Nothing was changed; check it, or give --many-leavers to apply it")  # fmt: skip
            return EXIT_PROBLEMS
        apply_people(session, plan)
    print(f"{file}: {summary(plan)}")
    return EXIT_OK


def read_text(path: Path) -> str:
    """A UTF-8 file (a CSV export); unreadable or not UTF-8: one line, exit 2."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; export the CSV as UTF-8") from None


def departments(root: Path) -> frozenset[str]:
    """The department ids of ``policy/departments.yaml`` in the working tree."""
    from tools.base.loader import load_registry
    from tools.base.snapshot import DirSnapshot

    registry, problems = load_registry(DirSnapshot(root))
    if registry is None:
        raise LoadError("policy/departments.yaml does not load; fix it first", problems)
    return frozenset(d.id for d in registry.model.departments)
