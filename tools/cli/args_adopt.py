"""The arguments of the commands that bring an organisation in: ``init`` and ``new`` (a
repository, a policy), ``import`` (a Word policy), and the attestation store's ``people`` and
``ack``. ``tools/cli/args.py`` adds them to the parser."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.cli import argtypes

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[Any]
    """The parser's subcommands, to which each function here adds its own."""


def add_import_parser(commands: Commands) -> None:
    imp = commands.add_parser(
        "import",
        help="turn a Word policy (.docx) into a draft policy folder",
        description="Read FILE.docx and write policy/ID/: a section per heading, a clause per "
        "paragraph or list item, each guessed level marked '# review:' (policy validate lists "
        "the markers left as warnings). Reports what it could not place (tables, images, "
        "footnotes, text boxes).",
    )
    imp.add_argument("file", metavar="FILE.docx", help="the Word document to import")
    imp.add_argument("--policy", required=True, metavar="ID", help="the new policy's id")
    imp.add_argument(
        "--prefix", metavar="XX", help="the clause id prefix (default: the id's initials)"
    )
    imp.add_argument(
        "--owner",
        type=argtypes.handle,
        metavar="@ORG/TEAM",
        help="the department that owns it in CODEOWNERS (default: the owner of its folder now)",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="print the files and the report, write nothing"
    )


def add_adopt_parsers(commands: Commands) -> None:
    init = commands.add_parser(
        "init",
        help="start a new policy repository: registry, CODEOWNERS, CI, schema, README",
        description="Create a new policy repository in DIR (default: the current folder): the "
        "departments registry with examples to fill in, CODEOWNERS with a catch-all governance "
        "owner, the CI workflows, the pre-commit config, the JSON Schema files, a noxfile and a "
        "README; then git init and a first commit. DIR must be new or empty; a repository "
        "policy init made is left as it is.",
    )
    init.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the new repository")
    init.add_argument(
        "--org", required=True, type=argtypes.one_line, help="the organisation's name"
    )
    init.add_argument(
        "--tool",
        metavar="REQUIREMENT",
        help="the pip requirement that installs this tool in CI (requirements-policy.txt; "
        "default: policy-as-code==<this version>)",
    )
    new = commands.add_parser(
        "new",
        help="start a new policy: policy.yaml, a first section, change notes, CODEOWNERS",
        description="Add policy ID to this repository: policy/ID/policy.yaml and a first "
        "section with text to replace (VERVANG:), changelog/ID/unreleased/, and CODEOWNERS "
        "lines for both, owned by --owner (default: the owner of policy/ID/ now).",
    )
    new.add_argument("id", type=argtypes.policy_id, metavar="ID", help="the policy's id")
    new.add_argument("--title", required=True, type=argtypes.one_line, help="its title")
    new.add_argument(
        "--prefix",
        type=argtypes.clause_prefix,
        help="the clause id prefix (default: the id's initials, e.g. tw for thuis-werken)",
    )
    new.add_argument(
        "--owner",
        type=argtypes.handle,
        metavar="@ORG/TEAM",
        help="the department that owns it, by its handle",
    )


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


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the database: a SQLite file or a URL such as postgresql+psycopg://host/db "
        "(default: $POLICY_DB, else policy/attest.db in the user's data folder)",
    )
