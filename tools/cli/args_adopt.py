"""The arguments of the commands that bring an organisation in: ``init`` and ``new`` (a
repository, a policy) and ``import`` (a Word policy). ``tools/cli/args.py`` adds them to
the parser."""

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
