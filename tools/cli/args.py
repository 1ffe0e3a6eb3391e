"""The ``policy`` command's arguments: every command, option and its help. Parsing only;
``tools/cli/main.py`` runs the commands, ``tools/cli/argtypes.py`` checks option values and
``tools/cli/helptext.py`` writes what each ``--help`` ends with.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tools import __version__
from tools.base.errors import UsageError
from tools.cli import args_adopt, args_attest, args_serve, argtypes
from tools.cli.helptext import CANNOT_RUN, HelpFormatter, add_epilogs


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


_TRUST_ROOT_HELP = (
    "before the first release, without BASE: the commit whose CODEOWNERS and registry judge "
    "it (default: the repository's root commit)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policy", description="Validate, diff and release policies kept as YAML.")
    parser.add_argument("--version", action="version", version=f"policy {__version__}")
    parser.add_argument(
        "-C", dest="directory", type=Path, default=None, help="run as if started in this folder"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check policies, the registry and CODEOWNERS",
        description="Validate policy files. With no PATH, the whole repository.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a policy folder or a file in one, or policy/departments.yaml",
    )
    validate.add_argument("--format", choices=("text", "json", "github", "gitlab"), default="text")

    diff = commands.add_parser(
        "diff",
        help="show what changed in a policy, clause by clause, with its impact",
        description="Compare two versions of a policy. BASE defaults to the policy's last "
        "release (the empty policy before the first), HEAD to the working tree. A version is "
        "a git revision, a release version such as 1.2.0, or a folder (--base-dir/--head-dir).",
    )
    diff.add_argument("base", nargs="?", metavar="BASE", help="git revision or release version")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="git revision or release version")
    diff.add_argument("--policy", metavar="ID", help="the policy (needed when there are several)")
    diff.add_argument("--base-dir", type=Path, metavar="DIR", help="read BASE from this folder")
    diff.add_argument("--head-dir", type=Path, metavar="DIR", help="read HEAD from this folder")
    diff.add_argument("--format", choices=("text", "markdown", "json", "docx"), default="text")
    diff.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE (docx: required) not stdout"
    )
    diff.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text redline (auto: when writing to a terminal)",
    )
    diff.add_argument(
        "--exit-code", action="store_true", help="exit 1 when there are changes, as git diff does"
    )

    _add_changelog_parser(commands)

    owners = commands.add_parser(
        "owners",
        help="show who owns each path, or lint CODEOWNERS (--check)",
        description="Show the owners of each PATH (default: every file git tracks) per "
        "CODEOWNERS section. --check lints: every tracked file owned, every owner a department, "
        "no pattern that matches nothing, no second CODEOWNERS, no configuration errors.",
    )
    owners.add_argument("paths", nargs="*", metavar="PATH", help="repository paths")
    owners.add_argument(
        "--codeowners", type=Path, metavar="FILE", help="use these rules instead (to try them)"
    )
    owners.add_argument("--format", choices=("text", "json"), default="text")
    owners.add_argument("--check", action="store_true", help="lint instead of listing")

    _add_gate_parsers(commands)
    _add_site_parsers(commands)
    _add_release_parsers(commands)
    args_adopt.add_import_parser(commands)
    report = commands.add_parser(
        "report",
        help="one Markdown pull-request comment: changes, impact, change notes, approvals",
        description="Render the report for reviewers of BASE..HEAD (default BASE: the last "
        "release; default HEAD: the working tree): per changed policy the clause-level "
        "redline, its impact, the change-note check and the departments still to approve. "
        "Exit 0 when the report is written, whatever it says.",
    )
    report.add_argument("base", nargs="?", metavar="BASE", help="git revision or release version")
    report.add_argument("head", nargs="?", metavar="HEAD", help="git revision or release version")
    report.add_argument("--policy", metavar="ID", help="only this policy (default: all)")
    report.add_argument("--format", choices=("markdown",), default="markdown")
    report.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout"
    )
    report.add_argument(
        "--docx", type=Path, metavar="FILE", help="also write the Word redline to FILE"
    )
    due = commands.add_parser(
        "due",
        help="list the policies and clauses whose review is due or overdue",
        description="List every policy and clause whose next_review date has passed or falls "
        "within DAYS. Exit 1 when a review is overdue, 0 otherwise.",
    )
    due.add_argument(
        "--within",
        type=argtypes.day_count,
        default=30,
        metavar="DAYS",
        help="look ahead (default: 30)",
    )
    due.add_argument(
        "--today",
        type=argtypes.iso_date,
        metavar="YYYY-MM-DD",
        help="count from this date (default: today)",
    )
    due.add_argument("--format", choices=("text", "json"), default="text")
    schema = commands.add_parser(
        "schema",
        help="write or check the JSON Schema files for editors",
        description="Generate the JSON Schema files in schema/ from the models.",
    )
    schema.add_argument(
        "--check",
        action="store_true",
        help="only check that the files are up to date (exit 1 when stale)",
    )
    args_adopt.add_adopt_parsers(commands)
    args_attest.add_attest_parsers(commands)
    args_serve.add_serve_parser(commands)
    add_epilogs(parser)
    parser.epilog = (
        "exit codes:\n  0  ok\n  1  ran and found problems\n  2  " + CANNOT_RUN + "\n\n"
        "Each COMMAND's --help says what its --format choices are for and what its exit codes "
        "mean.\n\nexample:\n  policy validate --format github"
    )
    return parser


def _add_gate_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    approve = commands.add_parser(
        "approve",
        help="sign your approval of the content at HEAD",
        description="Record, as a signed file in changelog/approvals/, that you approve the "
        "files changed between BASE and HEAD with exactly their content at HEAD. Commit the "
        "file; it counts for as long as those files keep that content.",
    )
    approve.add_argument("base", nargs="?", metavar="BASE", help="default: the last release")
    approve.add_argument(
        "--department", action="append", default=[], metavar="ID", help="(repeatable)"
    )
    approve.add_argument("--key", type=Path, metavar="FILE", help="your SSH key")
    approve.add_argument("--trust-root", metavar="REV", help=_TRUST_ROOT_HELP)
    approve.add_argument(
        "--policy", metavar="ID", help="the policy (needed when there are several)"
    )
    approvals = commands.add_parser(
        "approvals",
        help="who must approve BASE..HEAD, who did, what is missing",
        description="Exit 0 when every required department has approved, 1 when not.",
    )
    approvals.add_argument(
        "base",
        nargs="?",
        metavar="BASE",
        help="default: the last release (--source github: where the pull request branched off)",
    )
    approvals.add_argument(
        "head", nargs="?", metavar="HEAD", help="default: HEAD (--source github: the PR's head)"
    )
    approvals.add_argument("--trust-root", metavar="REV", help=_TRUST_ROOT_HELP)
    approvals.add_argument(
        "--release",
        type=argtypes.semver,
        metavar="X.Y.Z",
        help="re-verify the approvals archived in this release (offline; exit 1 if any no "
        "longer verifies)",
    )
    approvals.add_argument(
        "--policy", metavar="ID", help="the policy (needed when there are several)"
    )
    approvals.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    approvals.add_argument(
        "--source",
        choices=("git", "github"),
        default="git",
        help="the approvals: signed records in git (default) or the pull request's reviews",
    )
    approvals.add_argument(
        "--pr",
        type=argtypes.pull_number,
        metavar="N",
        help="--source github: the pull request (default: from GITHUB_EVENT_PATH)",
    )
    approvals.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="--source github: the repository (default: GITHUB_REPOSITORY)",
    )
    approvals.add_argument(
        "--api-url",
        metavar="URL",
        help="--source github: the REST API (default: GITHUB_API_URL, else api.github.com)",
    )


def _add_site_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    site = commands.add_parser(
        "site",
        help="build the employees' site: policies, release notes, changelog, Atom feed",
        description="Write a static site into DIR: an index of the policies, each policy's "
        "text in force today (its release whose effective date has come, read at its tag), "
        "each released version that takes effect later, every release's notes, the changelog "
        "and an Atom feed of releases. DIR must be new, empty, or a previous output of this "
        "command.",
    )
    site.add_argument(
        "--out", type=Path, metavar="DIR", help="the output folder (default: _site in the "
        "repository root)",
    )  # fmt: skip
    site.add_argument(
        "--base-url",
        metavar="URL",
        help="the address the site is published at (https://...); makes the feed's links "
        "absolute (default: relative to the feed)",
    )
    site.add_argument(
        "--draft",
        action="store_true",
        help="a preview for reviewers: the policy text of the working tree, released or not, "
        "every page marked as a draft (never publish it to employees)",
    )
    render = commands.add_parser(
        "render",
        help="print one policy's page (from the working tree), or write it as Word or PDF",
        description="Print the current policy as the employees' page, as HTML or Markdown, or "
        "write it as a Word document or an archival PDF (PDF/A-3b) to --output FILE.",
    )
    render.add_argument("policy", nargs="?", metavar="POLICY", help="needed when there are several")
    render.add_argument("--format", choices=("html", "markdown", "docx", "pdf"), default="html")
    render.add_argument(
        "--output", type=Path, metavar="FILE", help="docx and pdf: the file to write (atomically)"
    )
    render.add_argument(
        "--version",
        dest="render_version",
        type=argtypes.semver,
        metavar="X.Y.Z",
        help="the text of that release, read at its tag, instead of the working tree",
    )


def _add_release_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    release = commands.add_parser(
        "release",
        help="cut a release: version, notes, changelog, commit and tag, all or nothing",
        description="Release the policy as committed at HEAD. Refuses (exit 1) when the tree "
        "is not clean, the policy does not validate, change notes are missing, the approval "
        "gate since the last release is not complete, a material change is inside the notice "
        "period, or there is nothing to release. --dry-run prints the plan and changes nothing.",
    )
    release.add_argument("policy", nargs="?", metavar="POLICY", help="the policy to release")
    chosen = release.add_mutually_exclusive_group()
    chosen.add_argument(
        "--version",
        dest="release_version",
        type=argtypes.semver,
        metavar="X.Y.Z",
        help="at least the computed bump",
    )
    chosen.add_argument(
        "--bump", choices=("auto",), default="auto", help="the version from the changes (default)"
    )
    release.add_argument(
        "--effective-date",
        type=argtypes.iso_date,
        metavar="YYYY-MM-DD",
        help="when it takes effect (default: policy.yaml's date when this change set it, else "
        "today, or today plus the notice period for a material change)",
    )
    release.add_argument(
        "--trust-root",
        "--base",
        dest="trust_root",
        metavar="REV",
        help="first release only: the commit whose CODEOWNERS and registry the approvals are "
        "judged by (default: the repository's root commit); every file is judged as new",
    )
    release.add_argument("--sign", action="store_true", help="sign the tag (git tag -s)")
    release.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    release.add_argument(
        "--verbose",
        action="store_true",
        help="with --dry-run: after the summary, the whole plan, approvals and release notes",
    )
    release.add_argument(
        "--if-changed",
        action="store_true",
        help="exit 0 without releasing when nothing changed since the last release (for CI)",
    )
    history = commands.add_parser(
        "history",
        help="list a policy's releases",
        description="The releases of a policy, oldest first: version, release date, impact and "
        "the date each took effect, from the release tags (or the release commits' trailers "
        "where the tags were not fetched).",
    )
    history.add_argument("policy", nargs="?", metavar="POLICY")
    history.add_argument("--format", choices=("text", "json"), default="text")


def _add_changelog_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    changelog = commands.add_parser(
        "changelog",
        help="change notes, release notes and the changelog",
        description="Work with change notes (changelog/<policy>/unreleased/*.md) and preview the "
        "release notes of the next release.",
    )
    actions = changelog.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="fail when a changed clause has no note, or a note is wrong",
        description="Check the change notes for the change BASE..HEAD (default BASE: the last "
        "release; default HEAD: the working tree). Editorial changes need no note.",
    )
    check.add_argument("base", nargs="?", metavar="BASE", help="git revision or release version")
    check.add_argument("head", nargs="?", metavar="HEAD", help="git revision or release version")
    check.add_argument("--policy", metavar="ID", help="only this policy (default: all)")
    check.add_argument("--format", choices=("text", "github"), default="text")
    new = actions.add_parser(
        "new",
        help="write a change note for the changed clauses that have none",
        description="Scaffold a note in changelog/<policy>/unreleased/ for the clauses changed "
        "since BASE (default: the last release) that no note covers yet.",
    )
    new.add_argument("base", nargs="?", metavar="BASE", help="git revision or release version")
    new.add_argument("--policy", metavar="ID", help="the policy (needed when there are several)")
    new.add_argument("--name", help="file name of the note, without .md (default: from clauses)")
    new.add_argument(
        "--all", action="store_true", help="include editorial changes, which need no note"
    )
    preview = actions.add_parser(
        "preview",
        help="print the release notes a release cut now would produce",
        description="Print the release notes for releasing the working tree now; writes nothing.",
    )
    preview.add_argument(
        "--policy", metavar="ID", help="the policy (needed when there are several)"
    )
    preview.add_argument("--format", choices=("markdown", "html", "changelog"), default="markdown")
