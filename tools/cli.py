"""The ``policy`` command: argument parsing, output and exit codes, nothing else.

Exit codes: 0 ok, 1 ran and found problems, 2 could not run as asked (usage, environment,
unreadable input). Engines return data or raise ``UsageError``; only this module prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tools import __version__
from tools.diagnostics import LoadError, render_github, render_text
from tools.snapshot import DirSnapshot, RevisionError

if TYPE_CHECKING:
    from tools.validate import Report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run as asked; the message says what to do instead."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder at or above ``start`` that has ``policy/``."""
    for folder in (start, *start.parents):
        if (folder / "policy").is_dir():
            return folder
    raise UsageError(
        f"no policy repository found at or above {start} (no 'policy/' folder); "
        "run the command inside a policy repository"
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
    validate.add_argument("--format", choices=("text", "json", "github"), default="text")

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
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text redline (auto: when writing to a terminal)",
    )
    diff.add_argument(
        "--exit-code", action="store_true", help="exit 1 when there are changes, as git diff does"
    )

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        start = (args.directory or Path.cwd()).resolve()
        both_dirs = args.command == "diff" and args.base_dir and args.head_dir
        root = args.head_dir.resolve() if both_dirs else find_root(start)
        if args.command == "validate":
            return _validate(root, start, args.paths, args.format)
        if args.command == "diff":
            return _diff(root, args)
        if args.command == "schema":
            return _schema(root, args.check)
        raise UsageError(f"unknown command {args.command}")
    except (UsageError, RevisionError) as error:
        print(f"policy: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LoadError as error:
        for diagnostic in error.diagnostics:
            print(render_text(diagnostic), file=sys.stderr)
        print(f"policy: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _policy_targets(root: Path, start: Path, paths: Sequence[str]) -> tuple[set[str], bool]:
    """Policy ids named by PATHs, and whether repository-wide files are named."""
    ids: set[str] = set()
    repository_files = False
    for name in paths:
        path = (start / name).resolve()
        if not path.exists():
            raise UsageError(f"{name}: no such file or folder")
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            raise UsageError(f"{name}: outside the repository at {root}") from None
        if len(parts) >= 2 and parts[0] == "policy" and (root / "policy" / parts[1]).is_dir():
            ids.add(parts[1])
        elif parts in ((), ("policy",), ("policy", "departments.yaml"), ("CODEOWNERS",)):
            repository_files = True
            if len(parts) < 2 and parts != ("CODEOWNERS",):
                ids.update(p.name for p in (root / "policy").iterdir() if p.is_dir())
        else:
            raise UsageError(f"{name}: not a policy file; give a folder or file under policy/")
    return ids, repository_files


def _validate(root: Path, start: Path, paths: Sequence[str], output: str) -> int:
    from tools.validate import validate_policies  # lazy: keeps `policy --version` instant

    snapshot = DirSnapshot(root)
    if paths:
        ids, repository_files = _policy_targets(root, start, paths)
        report = validate_policies(snapshot, ids, include_repository_files=repository_files)
    else:
        report = validate_policies(snapshot)
    print(_render_report(report, output))
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def _render_report(report: Report, output: str) -> str:
    if output == "json":
        return json.dumps(
            {
                "valid": report.valid,
                "errors": [d.to_json() for d in report.diagnostics],
                "policies": [
                    {
                        "id": p.id,
                        "version": p.version,
                        "clauses": p.clauses,
                        "elements": list(p.elements),
                    }
                    for p in report.policies
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
    if output == "github":
        return "\n".join(render_github(d) for d in report.diagnostics) or "policy: valid"
    lines = [render_text(d) for d in report.diagnostics]
    for summary in report.policies:
        lines.append(
            f"{summary.id} {summary.version}: {summary.clauses} clauses, "
            f"{len(summary.elements)} elements covered"
        )
    count = len(report.diagnostics)
    lines.append("valid" if report.valid else f"{count} error{'s' if count != 1 else ''} found")
    return "\n".join(lines)


def _diff(root: Path, args: argparse.Namespace) -> int:
    from tools import diffreport
    from tools.comparison import compare

    if args.base_dir is not None and args.base is not None:
        raise UsageError("give BASE or --base-dir, not both")
    if args.head_dir is not None and args.head is not None:
        raise UsageError("give HEAD or --head-dir, not both")
    result = compare(
        root,
        args.base,
        args.head,
        policy_id=args.policy,
        base_dir=args.base_dir,
        head_dir=args.head_dir,
    )
    if args.format == "json":
        print(json.dumps(diffreport.diff_to_json(result), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(diffreport.render_markdown(result), end="")
    else:
        color = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        )
        print(diffreport.render_text(result, color=color), end="")
    return EXIT_PROBLEMS if args.exit_code and result.changes else EXIT_OK


def _schema(root: Path, check: bool) -> int:
    from tools.jsonschema import render_schemas  # lazy: only this command needs it

    stale = []
    for name, text in render_schemas().items():
        target = root / "schema" / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not check:
            from tools.files import write_atomic

            write_atomic(target, text)
    if check and stale:
        print(
            f"stale JSON Schema: {', '.join(stale)}; run 'nox -s schema' and commit the result",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print("JSON Schema " + ("up to date" if not stale else f"written: {', '.join(stale)}"))
    return EXIT_OK
