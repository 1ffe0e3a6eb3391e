"""Releasing and its record: ``release``, ``history``, ``due``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from tools.base import clock
from tools.base.errors import LoadError, UsageError
from tools.base.snapshot import DirSnapshot
from tools.cli.output import EXIT_OK, EXIT_PROBLEMS, plural, print_diagnostics

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def release(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.base.errors import InvalidRepositoryError
    from tools.documents.gather import archive_maker
    from tools.notes.gather import choose_policy
    from tools.release.apply import Request, cut, gather_facts, release_lock
    from tools.release.plan import describe, plan

    if args.verbose and not args.dry_run:
        raise UsageError("--verbose is for --dry-run; a release prints its whole plan anyway")
    policy = choose_policy(args.policy, DirSnapshot(repo.root))
    moment = clock.now()
    request = Request(
        policy=policy,
        moment=moment,
        version=args.release_version,
        effective=args.effective_date,
        trust_root=args.trust_root,
        sign=args.sign,
        archive=archive_maker(repo, policy, moment.date(), dry_run=args.dry_run),
    )
    if args.sign:
        _check_signing(repo, trial=not args.dry_run)
    facts = None
    try:
        if args.dry_run:
            facts = gather_facts(repo, request)[0]
            release, done = plan(facts), ""
        else:
            with release_lock(repo):
                finished, done = cut(repo, request)
            if finished is None:
                print(done, end="")
                return EXIT_OK
            release = finished
    except InvalidRepositoryError as error:
        print("blocked: the policy does not validate at HEAD", file=sys.stderr)
        print_diagnostics(error.problems)
        return EXIT_PROBLEMS
    nothing = "nothing-to-release" in {b.code for b in release.blockers}
    if args.if_changed and nothing:
        print(f"{done}{release.policy}: nothing to release since {release.previous}")
        return EXIT_OK
    if facts is not None:
        from tools.release.summary import render

        print(render(facts, release), end="")
        if not args.verbose:
            print("(dry run: nothing was written; --verbose for the plan and the notes)")
            return EXIT_OK if release.ready else EXIT_PROBLEMS
        print()
    print(done + describe(release), end="")
    if release.verdict is not None and (args.dry_run or not release.ready):
        from tools.gate.report import render_summary

        print(render_summary(release.verdict), end="")
    if release.blockers:
        print(f"blocked ({plural(len(release.blockers), 'problem')}):", file=sys.stderr)
        print_diagnostics(release.blockers)
    if args.dry_run:
        print("\nrelease notes:\n")
        print(release.markdown, end="")
        print("\n(dry run: nothing was written)")
        return EXIT_OK if release.ready else EXIT_PROBLEMS
    if not release.ready:
        return EXIT_PROBLEMS
    print(f"push it: git push --atomic origin HEAD refs/tags/{release.tag}")
    return EXIT_OK


def _check_signing(repo: GitRepository, *, trial: bool) -> None:
    """``--sign``: the signing setup works, before anything is written (a dry run checks only
    the settings: a trial signature writes an object)."""
    problem = repo.signing_problem(trial=trial)
    if problem:
        raise UsageError(f"--sign: {problem}")


def history(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.base.loader import policy_ids
    from tools.notes.gather import choose_policy
    from tools.release.gather_history import release_approvers, release_history

    snapshot = DirSnapshot(repo.root)
    policy = choose_policy(args.policy, snapshot)
    records = release_history(repo, policy)
    if not records and policy not in policy_ids(snapshot):
        known = ", ".join(policy_ids(snapshot)) or "none"
        raise UsageError(f"no policy '{policy}' (policies: {known}); give one of them")
    approvers = release_approvers(repo, records)
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


def due(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.base.loader import ParseCache, load_policy, policy_ids
    from tools.release import due

    snapshot = DirSnapshot(repo.root)
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
