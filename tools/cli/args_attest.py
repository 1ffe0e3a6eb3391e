"""The arguments of the attestation store's commands: ``people`` (the HR export) and ``ack``
(confirmations and their evidence). ``tools/cli/args.py`` adds them to the parser; each ``ack``
action is dispatched by ``tools/cli/commands_attest.py``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.cli import argtypes
from tools.cli.args_ack import add_round_parsers

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[Any]
    """The parser's subcommands, to which each function here adds its own."""


def add_attest_parsers(commands: Commands) -> None:
    people = commands.add_parser(
        "people",
        help="the people who attest policies (personal data, kept in a database, never in git)",
        description="Keep the people who must attest policies, from the HR system's export.",
    )
    actions = people.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = actions.add_parser(
        "import",
        help="apply an HR export (CSV): new hires added, leavers ended, changes updated",
        description="Check every row of FILE.csv first (file:line:col), then apply all of it or "
        "nothing: people new in the export are added, people missing from it are ended today, "
        "changed people are updated. Prints counts, never names.",
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv", help="the HR export")
    imp.add_argument(
        "--columns",
        type=argtypes.people_columns,
        default=None,
        metavar="MAP",
        help="the export's column names, e.g. employee=Personeelsnummer,name=Naam,email=Email,"
        "department=Afdeling,start=Indienst,end=Uitdienst (defaults: employee_number, name, "
        "email, department, start_date, end_date)",
    )
    imp.add_argument(
        "--many-leavers",
        action="store_true",
        help="apply an export that ends more than a fifth of the people employed (refused "
        "without it: a partial export would end everyone it leaves out)",
    )
    _add_db(imp)
    ack = commands.add_parser(
        "ack",
        help="attestation: who confirmed which version of a policy, and its evidence",
        description="Attestation records (confirmations) and their evidence.",
    )
    ack_actions = ack.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = ack_actions.add_parser(
        "verify",
        help="check the confirmations' hash chain: no row edited, inserted, deleted or moved",
        description="Recompute the hash chain over every confirmation and print its length and "
        "head hash; compare the head with one kept elsewhere (an earlier export) to also catch "
        "rows appended or cut at the end.",
    )
    _add_db(verify)
    add_round_parsers(ack_actions, _add_db)
    add_evidence_parsers(ack_actions)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the database: a SQLite file or a URL such as postgresql+psycopg://host/db "
        "(default: $POLICY_DB, else policy/attest.db in the user's data folder)",
    )


def add_evidence_parsers(ack_actions: Commands) -> None:
    """``ack verify --head``, ``ack export`` and ``ack purge`` (the evidence and retention)."""
    verify = ack_actions.choices["verify"]
    verify.add_argument(
        "--head",
        metavar="HASH",
        help="the head hash kept elsewhere (an earlier export): fail unless the chain ends there",
    )
    for name in ("verify", "confirm", "import"):  # the commands that use the chain's key
        add_key_file(ack_actions.choices[name])
    export = ack_actions.add_parser(
        "export",
        help="the auditor's file: every confirmation and the chain's head hash",
        description="Write every confirmation in chain order (seq, employee number, person key, "
        "policy, version, tag object, text digest, time UTC, channel, both hashes) and the head "
        "hash; no names or e-mail addresses. --person ID: everything stored about one person "
        "(right of access).",
    )
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE (atomically, mode 0600)"
    )
    export.add_argument(
        "--person", metavar="ID", help="one person's record, by employee number (JSON)"
    )
    _add_db(export)
    purge = ack_actions.add_parser(
        "purge",
        help="erase the personal data of people who left longer ago than the retention period",
        description="Erase the people row (name, e-mail, employee number, department, dates) "
        "of everyone who left more than --retention-days ago, and their confirmations' link "
        "to it; the confirmations stay, and the chain still verifies. Prints counts.",
    )
    purge.add_argument(
        "--retention-days",
        type=argtypes.day_count,
        default=730,
        metavar="N",
        help="the retention period after leaving, in days (default: 730, two years)",
    )
    purge.add_argument("--dry-run", action="store_true", help="count, change nothing")
    _add_db(purge)


def add_key_file(parser: argparse.ArgumentParser) -> None:
    """``--key-file``: the chain's key (HMAC secret) for commands that compute or check it."""
    parser.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help="the chain's key (default: $POLICY_ACK_KEY, else, for SQLite, the file "
        "DATABASE.key beside the database, made on first use)",
    )
