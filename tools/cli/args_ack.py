"""The arguments of the attestation commands on rounds: ``ack confirm``, ``ack import``,
``ack status`` and ``ack overdue`` (``tools/cli/args_attest.py`` adds them to ``policy ack``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.cli import argtypes

if TYPE_CHECKING:
    Actions = argparse._SubParsersAction[Any]


def add_round_parsers(actions: Actions, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """``add_db``: the ``--db`` option every store command takes."""
    confirm = actions.add_parser(
        "confirm",
        help="record one confirmation collected elsewhere (channel import)",
        description="Record that a person confirmed a version of a policy (default: its latest "
        "release), with the release tag's object id and the digest of the text at the tag. "
        "Refused, in one line, for an unknown person, a leaver, a person the policy does not "
        "ask, or a version that is not released or that a later round replaced. Confirming "
        "twice changes nothing.",
    )
    confirm.add_argument("--person", required=True, metavar="ID", help="the employee number")
    confirm.add_argument(
        "--policy", required=True, type=argtypes.policy_id, metavar="POLICY", help="the policy id"
    )
    confirm.add_argument(
        "--version", type=argtypes.semver, metavar="X.Y.Z", help="default: the latest release"
    )
    add_db(confirm)
    imp = actions.add_parser(
        "import",
        help="record confirmations in bulk from a learning system's export (CSV)",
        description="Check every row of FILE.csv first (its form, then the rules of ack "
        "confirm, each problem as file:line:col), then record all of them or nothing. A row "
        "is a confirmation: employee number, policy, version, when (YYYY-MM-DD or an ISO "
        "8601 time, UTC unless a zone is given). Rows already recorded change nothing.",
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv", help="the learning system's export")
    imp.add_argument(
        "--columns",
        type=argtypes.ack_columns,
        default=None,
        metavar="MAP",
        help="the export's column names, e.g. employee=Personeelsnummer,policy=Beleid,"
        "version=Versie,confirmed=Datum (defaults: employee_number, policy, version, "
        "confirmed_at)",
    )
    add_db(imp)
    status = actions.add_parser(
        "status",
        help="coverage of each policy's current round per department: counts, never names",
        description="For each released policy (or POLICY), its current round and, per "
        "department, how many people confirmed it, are pending (before their deadline) and "
        "are overdue. People the policy does not ask, and leavers, are not counted.",
    )
    status.add_argument("policy", nargs="?", type=argtypes.policy_id, metavar="POLICY")
    status.add_argument("--department", metavar="D", help="only this department (its id)")
    status.add_argument("--format", choices=["text", "json", "csv"], default="text")
    add_db(status)
    overdue = actions.add_parser(
        "overdue",
        help="HR's list of who is overdue: policy, version, department, employee number, due",
        description="Everyone past their deadline for a policy's current round, by policy, "
        "department and employee number. It names people: it is HR's own output, keep it "
        "out of shared logs.",
    )
    overdue.add_argument("--format", choices=["text", "json", "csv"], default="text")
    add_db(overdue)
