"""The ``policy`` command: runs what ``tools/cli/args.py`` parsed, prints, picks the exit code.

Exit codes: 0 ok, 1 ran and found problems, 2 could not run as asked (usage, environment,
unreadable input). Engines return data or raise ``UsageError``; only this module prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tools.base import clock
from tools.base.clock import ClockError
from tools.base.diagnostics import (
    Diagnostic,
    LoadError,
    render_github,
    render_text,
    sort_diagnostics,
    to_code_quality,
)
from tools.base.snapshot import DirSnapshot, RevisionError
from tools.cli.args import UsageError, build_parser
from tools.signing.sshkeygen import SshKeygenError

if TYPE_CHECKING:
    from tools.gate.rules import Verdict
    from tools.notes.gather import ChangeSet
    from tools.owners.rules import Ownership
    from tools.validate.checks import Report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder at or above ``start`` that has ``policy/``."""
    for folder in (start, *start.parents):
        if (folder / "policy").is_dir():
            return folder
    raise UsageError(
        f"no policy repository found at or above {start} (no 'policy/' folder); "
        "run the command inside a policy repository"
    )


def main(argv: Sequence[str] | None = None) -> int:
    with _closed_pipes_quiet():
        return _run(argv)


class _PipeGuard:
    """A text stream that stops writing, quietly, once its reader went away (``| head``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.broken = stream, False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self.broken = True
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self.broken = True

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextmanager
def _closed_pipes_quiet() -> Iterator[None]:
    """Output to a closed pipe ends quietly: the command runs to its end and exits with its own
    code (a release that happened is never reported as failed). Python's recipe: what is left
    goes to devnull, so the final flush at exit cannot fail either."""
    streams = sys.stdout, sys.stderr
    guards = _PipeGuard(sys.stdout), _PipeGuard(sys.stderr)
    sys.stdout, sys.stderr = guards
    try:
        yield
    finally:
        for guard in guards:
            guard.flush()
        sys.stdout, sys.stderr = streams
        devnull = os.open(os.devnull, os.O_WRONLY)
        for guard in guards:
            if guard.broken:
                with suppress(OSError, ValueError):  # no file descriptor: nothing to redirect
                    os.dup2(devnull, guard.stream.fileno())
        os.close(devnull)


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        start = (args.directory or Path.cwd()).resolve()
        both_dirs = args.command == "diff" and args.base_dir and args.head_dir
        root = args.head_dir.resolve() if both_dirs else find_root(start)
        args.start = start
        return _COMMANDS[args.command](root, args)
    except (UsageError, RevisionError, SshKeygenError, ClockError) as error:
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


def _validate(root: Path, args: argparse.Namespace) -> int:
    from tools.validate.checks import validate_policies  # lazy: keeps `policy --version` instant

    snapshot = DirSnapshot(root)
    if args.paths:
        ids, repository_files = _policy_targets(root, args.start, args.paths)
        report = validate_policies(snapshot, ids, include_repository_files=repository_files)
    else:
        report = validate_policies(snapshot)
    print(_render_report(report, args.format))
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
    if output == "gitlab":
        return json.dumps(to_code_quality(report.diagnostics), indent=2, ensure_ascii=False)
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
    from tools.compare import report as diffreport
    from tools.notes.gather import compare

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


def _changelog(root: Path, args: argparse.Namespace) -> int:
    if args.action == "check":
        return _changelog_check(root, args)
    if args.action == "new":
        return _changelog_new(root, args)
    return _changelog_preview(root, args)


def _print_diagnostics(diagnostics: Sequence[Diagnostic], output: str = "text") -> None:
    render = render_github if output == "github" else render_text
    for diagnostic in diagnostics:
        print(render(diagnostic), file=sys.stderr if output == "text" else sys.stdout)


def _check_notes(
    root: Path, base: str | None, head: str | None, policy_id: str
) -> tuple[ChangeSet, list[Diagnostic]]:
    """One policy's change set BASE..HEAD and what ``changelog check`` finds wrong with it."""
    from tools.notes.check import check_notes
    from tools.notes.gather import gather

    found = gather(root, base, head, policy_id)
    problems = found.note_problems + check_notes(
        found.review, found.since_release, found.notes, found.versions, found.unfinished
    )
    return found, problems


def _changelog_check(root: Path, args: argparse.Namespace) -> int:
    from tools.notes.gather import head_policies

    ids = [args.policy] if args.policy else head_policies(root, args.head)
    problems: list[Diagnostic] = []
    summaries = []
    for policy_id in ids:
        found, found_problems = _check_notes(root, args.base, args.head, policy_id)
        problems += found_problems
        changed = sum(1 for change in found.review.changes if change.clause)
        summaries.append(
            f"{policy_id}: {_plural(changed, 'changed clause')} ({found.review.base} → "
            f"{found.review.head}), {_plural(len(found.notes), 'change note')}"
        )
    _print_diagnostics(problems, args.format)
    for line in summaries:
        print(line)
    print(f"{_plural(len(problems), 'problem')} found" if problems else "change notes ok")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _changelog_new(root: Path, args: argparse.Namespace) -> int:
    from tools.base.fileio import write_new
    from tools.notes.changenotes import notes_folder, scaffold
    from tools.notes.check import change_ids, needs_note
    from tools.notes.gather import choose_policy, gather

    policy_id = choose_policy(args.policy, DirSnapshot(root))
    found = gather(root, args.base, None, policy_id)
    _print_diagnostics(found.note_problems)
    noted = {clause_id for note in found.notes for clause_id in note.meta.clauses}
    drafted = {clause: path for path, ids in found.unfinished.items() for clause in ids}
    entries = [
        (change.clause, change.title, change.impact)
        for change in found.review.changes
        if change.clause
        and (args.all or needs_note(change))
        and not (noted | drafted.keys()).intersection(change_ids(change))
    ]
    # A clause of an unfinished note gets no second note: the first is to be finished.
    if not entries and found.unfinished:
        print(
            f"{policy_id}: every changed clause since {found.review.base} has a note, but "
            f"{_plural(len(found.unfinished), 'note')} still to finish: "
            f"{', '.join(found.unfinished)}; write in it what changes for employees"
        )
        return EXIT_PROBLEMS
    if not entries:
        print(f"{policy_id}: every changed clause since {found.review.base} has a note")
        return EXIT_OK
    name = args.name or "-".join(clause for clause, _, _ in entries[:3])
    if "/" in name or name.startswith(".") or not name.strip():
        raise UsageError(f"--name {name!r}: give a plain file name, without folders")
    target = write_new(root / notes_folder(policy_id), name, ".md", scaffold(entries))
    print(f"wrote {target.relative_to(root)}: replace the TODO with what changes for employees")
    return EXIT_OK


def _changelog_preview(root: Path, args: argparse.Namespace) -> int:
    from tools.notes.changelog import render_entry
    from tools.notes.document import notes_page, render_markdown
    from tools.notes.gather import choose_policy, gather
    from tools.notes.releasenotes import plan_release

    policy_id = choose_policy(args.policy, DirSnapshot(root))
    found = gather(root, None, None, policy_id)
    _print_diagnostics(found.note_problems)
    previous = found.release.version_text if found.release else None
    if previous is not None and not found.since_release.changes:
        print(
            f"{policy_id}: nothing to release: nothing changed since {previous}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    notes = plan_release(
        found.since_release, found.versions.head, found.versions.released, found.notes, previous
    )
    markdown = render_markdown(notes)
    if args.format == "html":
        lang = found.versions.head.meta.model.language
        print(notes_page(notes, lang=lang), end="")
    elif args.format == "changelog":
        print(render_entry(notes), end="")
    else:
        print(markdown, end="")
    return EXIT_PROBLEMS if found.note_problems else EXIT_OK


def _owners(root: Path, args: argparse.Namespace) -> int:
    from tools.base.gitio import tracked_paths
    from tools.owners.codeowners import CODEOWNERS_PATH, parse_codeowners
    from tools.owners.rules import compile_rules, lint_ownership, owners_of, path_problem

    source = args.codeowners.resolve() if args.codeowners else root / CODEOWNERS_PATH
    label = str(args.codeowners) if args.codeowners else CODEOWNERS_PATH
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {label}: {error}") from None
    rules, problems = parse_codeowners(label, text)
    compiled = compile_rules(rules)
    tracked = tracked_paths(root)
    if args.check:
        problems += lint_ownership(compiled, label, tracked)
        problems += _handle_problems(root, text)
        _print_diagnostics(sort_diagnostics(problems))
        print(f"{_plural(len(problems), 'problem')} found" if problems else "CODEOWNERS ok")
        return EXIT_PROBLEMS if problems else EXIT_OK
    _print_diagnostics(problems)
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
    from tools.validate.checks import check_codeowners_handles

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


def _approvals(root: Path, args: argparse.Namespace) -> int:
    from tools.gate import report as approvalreport
    from tools.gate.gather import judge, resolve_range

    github_only = [o for o in ("pr", "repo", "api_url") if getattr(args, o) is not None]
    if args.release is not None:
        verdict = _archived_verdict(root, args)
    elif args.source == "github":
        verdict = _github_verdict(root, args)
    elif github_only:
        options = ", ".join("--" + o.replace("_", "-") for o in github_only)
        raise UsageError(f"{options} only with --source github")
    else:
        if args.base:
            policy = _policy_for_versions(root, args)
        else:
            policy = _only_policy(root, args.policy, args.head)
        span = resolve_range(root, args.base, args.head, policy, trust_root=args.trust_root)
        verdict = judge(root, span)
    render = {
        "text": approvalreport.render_text,
        "markdown": approvalreport.render_markdown,
        "json": approvalreport.render_json,
    }[args.format]
    print(render(verdict), end="")
    return EXIT_OK if verdict.complete else EXIT_PROBLEMS


def _archived_verdict(root: Path, args: argparse.Namespace) -> Verdict:
    """``--release VERSION``: the release's archived evidence, verified again."""
    from tools.gate.gather import verify_release
    from tools.versions.gather import releases

    if args.base or args.head or args.source != "git" or args.trust_root:
        raise UsageError("--release takes no BASE, HEAD, --trust-root or --source github")
    version = args.release.removeprefix("v")
    policy = _only_policy(root, args.policy, None)
    released = [release.version_text for release in releases(root, policy)]
    if version not in released:
        raise UsageError(
            f"'{policy}' has no release {version} (releases: {', '.join(released) or 'none yet'})"
        )
    return verify_release(root, policy, version)


def _policy_for_versions(root: Path, args: argparse.Namespace) -> str | None:
    """The policy whose release versions (``1.2.0``) BASE and HEAD may name, if it is clear."""
    from tools.notes.gather import head_policies

    ids = [args.policy] if args.policy else head_policies(root, None)
    return ids[0] if len(ids) == 1 else None


def _github_verdict(root: Path, args: argparse.Namespace) -> Verdict:
    """The verdict with the pull request's reviews as approvals; any trouble with the API is
    an error (exit 2), never a pass."""
    from tools.gate.gather import judge_pull_request, resolve_pull_range
    from tools.gate.github import Client, GitHubError, settings_from

    try:
        settings = settings_from(os.environ, repo=args.repo, number=args.pr, api_url=args.api_url)
        client = Client(settings)
        return judge_pull_request(resolve_pull_range(root, args.base, args.head, client), client)
    except GitHubError as error:
        raise UsageError(str(error)) from None


def _only_policy(root: Path, requested: str | None, head: str | None) -> str:
    """The policy whose last release is the default BASE."""
    from tools.notes.gather import head_policies
    from tools.versions.gather import last_release

    ids = head_policies(root, head or "HEAD")
    if requested:
        if requested not in ids and last_release(root, requested) is None:
            raise UsageError(
                f"no policy '{requested}' (policies: {', '.join(ids) or 'none'}); "
                "choose one with --policy"
            )
        return requested
    if len(ids) == 1:
        return ids[0]
    raise UsageError(
        "give BASE, or --policy to start from that policy's last release"
        + (f" (policies: {', '.join(ids)})" if ids else "")
    )


def _approve(root: Path, args: argparse.Namespace) -> int:
    from tools.gate.gather import approve, resolve_range

    if args.base:
        policy = _policy_for_versions(root, args)
    else:
        policy = _only_policy(root, args.policy, "HEAD")
    done = approve(
        root,
        resolve_range(root, args.base, None, policy, trust_root=args.trust_root),
        key=args.key,
        departments=tuple(args.department),
    )
    print(f"{done.approver} (key {done.key}) approves {_plural(len(done.paths), 'file')}:")
    for path in done.paths:
        print(f"  {path}")
    for record in done.records:
        print(f"wrote {record.relative_to(root).as_posix()}")
    if done.not_counting:
        print(
            "note: you wrote or committed part of this change; your approval does not count "
            f"for: {', '.join(done.not_counting)}"
        )
    print("commit the record(s) and push; 'policy approvals' shows what is still missing")
    return EXIT_OK


def _site(root: Path, args: argparse.Namespace) -> int:
    from tools.site.build import SiteOutputError, gather_site, write_site
    from tools.site.plan import base_url_problem, plan_site

    base_url = args.base_url
    problem = base_url_problem(base_url) if base_url is not None else None
    if problem:
        raise UsageError(f"--base-url {base_url!r}: {problem}")
    out = (args.out if args.out is not None else root / "_site").resolve()
    files = plan_site(gather_site(root, base_url, draft=args.draft))
    try:
        result = write_site(out, files)
    except (SiteOutputError, OSError) as error:
        raise UsageError(str(error)) from None
    for relative in result.kept:
        print(f"kept {relative}: no longer part of the site, but changed by hand", file=sys.stderr)
    removed = f", removed {_plural(len(result.removed), 'old file')}" if result.removed else ""
    draft = " (a draft: the working tree, not for employees)" if args.draft else ""
    print(f"wrote {_plural(len(result.written), 'file')} to {out}{removed}{draft}")
    return EXIT_OK


def _render(root: Path, args: argparse.Namespace) -> int:
    from tools.notes.gather import choose_policy
    from tools.notes.htmlpage import html_page
    from tools.site.build import gather_working_page
    from tools.site.policypage import policy_title, render_policy_html, render_policy_markdown

    policy_id = choose_policy(args.policy, DirSnapshot(root))
    page = gather_working_page(root, policy_id)
    if args.format == "markdown":
        print(render_policy_markdown(page), end="")
    else:
        lang = page.policy.meta.model.language
        body = render_policy_html(page)
        print(html_page(body, title=policy_title(page.policy), lang=lang), end="")
    return EXIT_OK


def _report(root: Path, args: argparse.Namespace) -> int:
    from tools.base.fileio import write_atomic
    from tools.gate import prreport
    from tools.gate.gather import judge, resolve_range
    from tools.notes.gather import head_policies

    ids = [args.policy] if args.policy else head_policies(root, args.head)
    reviews = []
    base_label, head_label = args.base or "the last release", args.head or "the working tree"
    for policy_id in ids:
        try:
            found, problems = _check_notes(root, args.base, args.head, policy_id)
        except LoadError as error:
            reviews.append(
                prreport.PolicyReview(policy_id, None, load_problems=tuple(error.diagnostics))
            )
            continue
        reviews.append(
            prreport.PolicyReview(policy_id, found.review, tuple(problems), len(found.notes), ())
        )
        if len(ids) == 1:
            base_label, head_label = found.review.base, found.review.head
    try:
        policy = None if args.base else _only_policy(root, args.policy, args.head)
        gate = prreport.Gate(judge(root, resolve_range(root, args.base, args.head, policy)))
    except (UsageError, RevisionError, SshKeygenError) as error:
        gate = prreport.Gate(None, str(error))
    text = prreport.render_markdown(reviews, gate, base_label, head_label)
    if args.output:
        write_atomic(args.output.resolve(), text)
    else:
        print(text, end="")
    return EXIT_OK


def _due(root: Path, args: argparse.Namespace) -> int:
    from tools.base.loader import ParseCache, load_policy, policy_ids
    from tools.release import due

    snapshot = DirSnapshot(root)
    cache = ParseCache()
    policies = []
    for policy_id in policy_ids(snapshot):
        policy, problems = load_policy(snapshot, policy_id, cache)
        if policy is None or problems:
            raise LoadError(
                f"policy '{policy_id}' does not load; run 'policy validate' and fix it", problems
            )
        policies.append(policy)
    today = args.today or clock.today()
    reviews = due.find_due(policies, today, args.within)
    if args.format == "json":
        data = due.to_json(reviews, today, args.within)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(due.render_text(reviews, today, args.within), end="")
    return EXIT_PROBLEMS if any(review.overdue for review in reviews) else EXIT_OK


def _schema(root: Path, args: argparse.Namespace) -> int:
    check: bool = args.check
    from tools.base.jsonschema import render_schemas  # lazy: only this command needs it

    stale = []
    for name, text in render_schemas().items():
        target = root / "schema" / name
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


def _release(root: Path, args: argparse.Namespace) -> int:
    from tools.notes.gather import choose_policy
    from tools.release.apply import (
        InvalidRepositoryError,
        ReleaseError,
        Request,
        cut,
        gather_facts,
        release_lock,
    )
    from tools.release.plan import describe, plan

    request = Request(
        policy=choose_policy(args.policy, DirSnapshot(root)),
        moment=clock.now(),
        version=args.release_version,
        effective=args.effective_date,
        trust_root=args.trust_root,
        sign=args.sign,
    )
    if args.sign:
        _check_signing(root, trial=not args.dry_run)
    try:
        if args.dry_run:
            release, done = plan(gather_facts(root, request)[0]), ""
        else:
            with release_lock(root):
                finished, done = cut(root, request)
            if finished is None:
                print(done, end="")
                return EXIT_OK
            release = finished
    except ReleaseError as error:
        raise UsageError(str(error)) from None
    except InvalidRepositoryError as error:
        print("blocked: the policy does not validate at HEAD", file=sys.stderr)
        _print_diagnostics(error.problems)
        return EXIT_PROBLEMS
    nothing = "nothing-to-release" in {b.code for b in release.blockers}
    if args.if_changed and nothing:
        print(f"{done}{release.policy}: nothing to release since {release.previous}")
        return EXIT_OK
    print(done + describe(release), end="")
    if release.verdict is not None and (args.dry_run or not release.ready):
        from tools.gate.report import render_summary

        print(render_summary(release.verdict), end="")
    if release.blockers:
        print(f"blocked ({_plural(len(release.blockers), 'problem')}):", file=sys.stderr)
        _print_diagnostics(release.blockers)
    if args.dry_run:
        print("\nrelease notes:\n")
        print(release.markdown, end="")
        print("\n(dry run: nothing was written)")
        return EXIT_OK if release.ready else EXIT_PROBLEMS
    if not release.ready:
        return EXIT_PROBLEMS
    print(f"push it: git push --atomic origin HEAD refs/tags/{release.tag}")
    return EXIT_OK


def _check_signing(root: Path, *, trial: bool) -> None:
    """``--sign``: the signing setup works, before anything is written (a dry run checks only
    the settings: a trial signature writes an object)."""
    from tools.base.gitio import open_repo, signing_problem

    problem = signing_problem(open_repo(root), trial=trial)
    if problem:
        raise UsageError(f"--sign: {problem}")


def _history(root: Path, args: argparse.Namespace) -> int:
    from tools.base.loader import policy_ids
    from tools.notes.gather import choose_policy
    from tools.release.history import release_approvers, release_history

    snapshot = DirSnapshot(root)
    policy = choose_policy(args.policy, snapshot)
    records = release_history(root, policy)
    if not records and policy not in policy_ids(snapshot):
        known = ", ".join(policy_ids(snapshot)) or "none"
        raise UsageError(f"no policy '{policy}' (policies: {known}); give one of them")
    approvers = release_approvers(root, records)
    if args.format == "json":
        rows = [
            {
                "policy": r.policy,
                "version": r.version,
                "tag": r.tag,
                "tagged": r.tagged,
                "commit": r.commit,
                "date": r.date.isoformat(),
                "impact": str(r.impact),
                "effective": r.effective.isoformat(),
                "approved_by": [
                    {"approver": email, "department": department}
                    for email, department in approvers[r.version]
                ],
            }
            for r in records
        ]
        print(json.dumps({"policy": policy, "releases": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not records:
        print(f"{policy}: no releases yet")
        return EXIT_OK
    print(f"{'version':<10} {'released':<10}  {'impact':<6}  {'effective':<10}  tag")
    for r in records:
        tag = r.tag if r.tagged else f"{r.tag} (tag not fetched; commit {r.commit[:12]})"
        print(
            f"{r.version:<10} {r.date.isoformat()}  {r.impact!s:<6}  "
            f"{r.effective.isoformat()}  {tag}"
        )
        if approvers[r.version]:
            who = ", ".join(f"{email} ({department})" for email, department in approvers[r.version])
            print(f"{'':<10} approved by {who}")
    return EXIT_OK


# Every command: ``(repository root, parsed arguments) -> exit code``.
_COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "validate": _validate,
    "diff": _diff,
    "owners": _owners,
    "changelog": _changelog,
    "approve": _approve,
    "approvals": _approvals,
    "release": _release,
    "history": _history,
    "report": _report,
    "due": _due,
    "schema": _schema,
    "site": _site,
    "render": _render,
}
