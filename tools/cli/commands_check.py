"""Commands that check and show: ``validate``, ``diff``, ``owners``, ``schema``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.diagnostics import (
    Diagnostic,
    render_github,
    render_text,
    sort_diagnostics,
    to_code_quality,
)
from tools.base.errors import UsageError
from tools.base.snapshot import DirSnapshot
from tools.cli.output import (
    EXIT_OK,
    EXIT_PROBLEMS,
    check_output,
    plural,
    print_diagnostics,
    write_output,
)

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository
    from tools.compare.diff import PolicyDiff
    from tools.owners.rules import Ownership
    from tools.validate.repository import Report


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


def validate(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.validate.repository import (
        validate_policies,  # lazy: keeps `policy --version` instant
    )

    root = repo.root
    snapshot = DirSnapshot(root)
    if args.paths:
        ids, repository_files = _policy_targets(root, args.start, args.paths)
        report = validate_policies(snapshot, ids, include_repository_files=repository_files)
    else:
        report = validate_policies(snapshot)
    print(_render_report(report, args.format, bool(args.paths)))
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def _render_report(report: Report, output: str, ids_given: bool = False) -> str:
    if output == "json":
        return json.dumps(
            {
                "valid": report.valid,
                "errors": [d.to_json() for d in report.diagnostics],
                "warnings": [d.to_json() for d in report.warnings],
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
    every = [*report.diagnostics, *report.warnings]
    if output == "github":
        return "\n".join(render_github(d) for d in every) or "policy: valid"
    if output == "gitlab":
        return json.dumps(to_code_quality(every), indent=2, ensure_ascii=False)
    lines = [render_text(d) for d in every]
    for summary in report.policies:
        lines.append(
            f"{summary.id} {summary.version}: {summary.clauses} clauses, "
            f"{len(summary.elements)} elements covered"
        )
    count = len(report.diagnostics)
    lines.append("valid" if report.valid else f"{count} error{'s' if count != 1 else ''} found")
    if report.warnings:
        lines[-1] += f", {plural(len(report.warnings), 'warning')} (review markers left)"
    if report.valid and not report.policies and not ids_given:
        lines[-1] += " (no policy yet: start one with policy new ID --title TITLE)"
    return "\n".join(lines)


def diff(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.compare import report as diffreport
    from tools.notes.gather import compare

    if args.base_dir is not None and args.base is not None:
        raise UsageError("give BASE or --base-dir, not both")
    if args.head_dir is not None and args.head is not None:
        raise UsageError("give HEAD or --head-dir, not both")
    check_output(args.output, args.format)
    result = compare(
        repo,
        args.base,
        args.head,
        policy_id=args.policy,
        base_dir=args.base_dir,
        head_dir=args.head_dir,
    )
    output: str | bytes
    if args.format == "docx":
        output = _redline_docx(repo, args, result)
    elif args.format == "json":
        output = json.dumps(diffreport.diff_to_json(result), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        output = diffreport.render_markdown(result)
    else:
        color = args.color == "always" or (
            args.color == "auto"
            and args.output is None
            and sys.stdout.isatty()
            and "NO_COLOR" not in os.environ
        )
        output = diffreport.render_text(result, color=color)
    if args.output is not None:
        write_output(args.output, output)
    else:
        print(output, end="")
    return EXIT_PROBLEMS if args.exit_code and result.changes else EXIT_OK


def _redline_docx(repo: GitRepository, args: argparse.Namespace, result: PolicyDiff) -> bytes:
    from tools.base.clock import now
    from tools.documents.gather import redline_moment
    from tools.documents.redline_docx import build_redline

    # A folder has no commit date: the clock's (SOURCE_DATE_EPOCH when set).
    folder = args.head_dir is not None
    moment = now() if folder else redline_moment(repo, args.head, result.policy)
    return build_redline([result], moment=moment)


def owners(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.owners.codeowners import CODEOWNERS_PATH, parse_codeowners
    from tools.owners.rules import compile_rules, lint_ownership, owners_of, path_problem

    root = repo.root
    source = args.codeowners.resolve() if args.codeowners else root / CODEOWNERS_PATH
    label = str(args.codeowners) if args.codeowners else CODEOWNERS_PATH
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {label}: {error}") from None
    rules, problems = parse_codeowners(label, text)
    compiled = compile_rules(rules)
    tracked = repo.tracked_paths()
    if args.check:
        problems += lint_ownership(compiled, label, tracked)
        problems += _handle_problems(root, text)
        print_diagnostics(sort_diagnostics(problems))
        print(f"{plural(len(problems), 'problem')} found" if problems else "CODEOWNERS ok")
        return EXIT_PROBLEMS if problems else EXIT_OK
    print_diagnostics(problems)
    paths = [_repository_path(root, args.start, name) for name in args.paths] or tracked
    for path in paths:
        if path_problem(path):
            raise UsageError(f"{path}: {path_problem(path)}")
    found = [owners_of(compiled, path) for path in paths]
    if args.format == "json":
        print(json.dumps([_ownership_json(o) for o in found], indent=2, ensure_ascii=False))
    else:
        for ownership in found:
            print(_ownership_text(ownership))
    return EXIT_PROBLEMS if problems else EXIT_OK


def _repository_path(root: Path, start: Path, name: str) -> str:
    path = Path(os.path.normpath(start / name))
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{name}: outside the repository at {root}") from None


def _handle_problems(root: Path, text: str) -> list[Diagnostic]:
    from tools.base.loader import load_registry
    from tools.validate.registry import check_codeowners_handles

    registry, problems = load_registry(DirSnapshot(root))
    if registry is None:
        return problems
    return check_codeowners_handles(text, registry.model)


def _ownership_json(ownership: Ownership) -> dict[str, object]:
    default = [s for s in ownership.sections if s.section.name == ""]
    return {
        "path": ownership.path,
        "owners": list(default[0].owners) if default else [],
        "sections": [
            {
                "name": s.section.name,
                "approvals": s.section.approvals,
                "optional": s.section.optional,
                "owners": list(s.owners),
                "line": s.rule.line,
            }
            for s in ownership.sections
        ],
    }


def _ownership_text(ownership: Ownership) -> str:
    if not ownership.sections:
        return f"{ownership.path}: (no owner)"
    parts = []
    for s in ownership.sections:
        owners = " | ".join(s.owners) or "(unowned)"
        if s.section.name:
            count = f"[{s.section.approvals}]" if s.section.approvals > 1 else ""
            optional = "^" if s.section.optional else ""
            owners = f"{optional}[{s.section.name}]{count} {owners}"
        parts.append(owners)
    return f"{ownership.path}: {'; '.join(parts)}"


def schema(repo: GitRepository, args: argparse.Namespace) -> int:
    check: bool = args.check
    from tools.base.jsonschema import render_schemas  # lazy: only this command needs it

    stale = []
    for name, text in render_schemas().items():
        target = repo.root / "schema" / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not check:
            from tools.base.fileio import write_atomic

            write_atomic(target, text)
    if check and stale:
        print(
            f"stale JSON Schema: {', '.join(stale)}; run 'nox -s schema' and commit the result",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print("JSON Schema " + ("up to date" if not stale else f"written: {', '.join(stale)}"))
    return EXIT_OK
