"""The approval gate's commands: ``approve``, ``approvals`` and the pull-request ``report``."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from tools.base.errors import LoadError, UsageError
from tools.cli.commands_notes import check_notes
from tools.cli.output import EXIT_OK, EXIT_PROBLEMS, check_output, plural, write_output

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository
    from tools.gate.prreport import PolicyReview
    from tools.gate.rules import Verdict
    from tools.notes.gather import ChangeSet


def approvals(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.gate import report as approvalreport
    from tools.gate.gather import judge, resolve_range

    github_only = [o for o in ("pr", "repo", "api_url") if getattr(args, o) is not None]
    if args.release is not None:
        verdict = _archived_verdict(repo, args)
    elif args.source == "github":
        verdict = _github_verdict(repo, args)
    elif github_only:
        options = ", ".join("--" + o.replace("_", "-") for o in github_only)
        raise UsageError(f"{options} only with --source github")
    else:
        if args.base:
            policy = _policy_for_versions(repo, args)
        else:
            policy = _only_policy(repo, args.policy, args.head)
        span = resolve_range(repo, args.base, args.head, policy, trust_root=args.trust_root)
        verdict = judge(span)
    render = {
        "text": approvalreport.render_text,
        "markdown": approvalreport.render_markdown,
        "json": approvalreport.render_json,
    }[args.format]
    print(render(verdict), end="")
    return EXIT_OK if verdict.complete else EXIT_PROBLEMS


def _archived_verdict(repo: GitRepository, args: argparse.Namespace) -> Verdict:
    """``--release VERSION``: the release's archived evidence, verified again."""
    from tools.gate.gather import verify_release
    from tools.versions.gather import find_release

    if args.base or args.head or args.source != "git" or args.trust_root:
        raise UsageError("--release takes no BASE, HEAD, --trust-root or --source github")
    policy = _only_policy(repo, args.policy, None)
    release = find_release(repo, policy, args.release)
    return verify_release(repo, policy, release.version_text)


def _policy_for_versions(repo: GitRepository, args: argparse.Namespace) -> str | None:
    """The policy whose release versions (``1.2.0``) BASE and HEAD may name, if it is clear."""
    from tools.notes.gather import head_policies

    ids = [args.policy] if args.policy else head_policies(repo, None)
    return ids[0] if len(ids) == 1 else None


def _github_verdict(repo: GitRepository, args: argparse.Namespace) -> Verdict:
    """The verdict with the pull request's reviews as approvals; any trouble with the API is
    an error (exit 2), never a pass."""
    from tools.gate.gather import judge_pull_request, resolve_pull_range
    from tools.gate.github_api import Client, settings_from

    settings = settings_from(os.environ, repo=args.repo, number=args.pr, api_url=args.api_url)
    client = Client(settings)
    return judge_pull_request(resolve_pull_range(repo, args.base, args.head, client), client)


def _only_policy(repo: GitRepository, requested: str | None, head: str | None) -> str:
    """The policy whose last release is the default BASE."""
    from tools.notes.gather import head_policies
    from tools.versions.gather import last_release

    ids = head_policies(repo, head or "HEAD")
    if requested:
        if requested not in ids and last_release(repo, requested) is None:
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


def approve(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.gate.gather import resolve_range
    from tools.gate.write import approve

    if args.base:
        policy = _policy_for_versions(repo, args)
    else:
        policy = _only_policy(repo, args.policy, "HEAD")
    done = approve(
        repo.root,
        resolve_range(repo, args.base, None, policy, trust_root=args.trust_root),
        key=args.key,
        departments=tuple(args.department),
    )
    print(f"{done.approver} (key {done.key}) approves {plural(len(done.paths), 'file')}:")
    for path in done.paths:
        print(f"  {path}")
    for record in done.records:
        print(f"wrote {record.relative_to(repo.root).as_posix()}")
    if done.not_counting:
        print(
            "note: you wrote or committed part of this change; your approval does not count "
            f"for: {', '.join(done.not_counting)}"
        )
    print("commit the record(s) and push; 'policy approvals' shows what is still missing")
    return EXIT_OK


def report(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.base.loader import ParseCache
    from tools.gate import prreport
    from tools.gate.gather import judge, resolve_range
    from tools.notes.gather import head_policies

    check_output(args.output, "markdown")
    if (
        args.docx is not None
        and args.output is not None
        and args.docx.resolve() == args.output.resolve()
    ):
        raise UsageError("--docx and --output name the same file; give two names")
    ids = [args.policy] if args.policy else head_policies(repo, args.head)
    cache = ParseCache()  # the notes and the gate read the same files: parsed once
    reviews = []
    changesets: list[ChangeSet | None] = []
    base_label, head_label = args.base or "the last release", args.head or "the working tree"
    for policy_id in ids:
        try:
            found, problems = check_notes(repo, args.base, args.head, policy_id, cache)
        except LoadError as error:
            reviews.append(
                prreport.PolicyReview(policy_id, None, load_problems=tuple(error.diagnostics))
            )
            changesets.append(None)
            continue
        changesets.append(found)
        reviews.append(
            prreport.PolicyReview(policy_id, found.review, tuple(problems), len(found.notes), ())
        )
        if len(ids) == 1:
            base_label, head_label = found.review.base, found.review.head
    try:
        policy = None if args.base else _only_policy(repo, args.policy, args.head)
        span = resolve_range(repo, args.base, args.head, policy)
        gate = prreport.Gate(judge(span, cache=cache))
    except UsageError as error:  # RevisionError, SshKeygenError among them
        gate = prreport.Gate(None, str(error))
    if args.docx is not None:
        # The document first: the report never names a file that could not be written.
        _write_redline(repo, args, reviews, ids)
    docx = args.docx.name if args.docx is not None else ""
    summary = prreport.report_summary(reviews, [found for found in changesets if found], gate)
    text = prreport.render_markdown(
        reviews, gate, base_label, head_label, docx=docx, summary=summary
    )
    if args.output:
        write_output(args.output, text)
    else:
        print(text, end="")
    return EXIT_OK


def _write_redline(
    repo: GitRepository, args: argparse.Namespace, reviews: list[PolicyReview], ids: list[str]
) -> None:
    """The Word redline of every policy that changed (of all, when none did)."""
    from tools.documents.gather import redline_moment
    from tools.documents.redline_docx import build_redline

    diffs = [review.diff for review in reviews if review.diff is not None]
    changed = [diff for diff in diffs if diff.changes] or diffs
    moment = redline_moment(repo, args.head, ids[0] if len(ids) == 1 else None)
    write_output(args.docx, build_redline(changed, moment=moment))
