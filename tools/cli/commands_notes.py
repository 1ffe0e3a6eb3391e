"""``policy changelog``: check the change notes, write a new one, preview the release notes."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tools.base.diagnostics import Diagnostic
from tools.base.errors import UsageError
from tools.base.snapshot import DirSnapshot
from tools.cli.output import EXIT_OK, EXIT_PROBLEMS, plural, print_diagnostics

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository
    from tools.base.loader import ParseCache
    from tools.notes.gather import ChangeSet


def changelog(repo: GitRepository, args: argparse.Namespace) -> int:
    if args.action == "check":
        return _changelog_check(repo, args)
    if args.action == "new":
        return _changelog_new(repo, args)
    return _changelog_preview(repo, args)


def check_notes(
    repo: GitRepository,
    base: str | None,
    head: str | None,
    policy_id: str,
    cache: ParseCache | None = None,
) -> tuple[ChangeSet, list[Diagnostic]]:
    """One policy's change set BASE..HEAD and what ``changelog check`` finds wrong with it
    (``cache``: the command's, files parsed already)."""
    from tools.notes.check import check_notes
    from tools.notes.gather import gather

    found = gather(repo, base, head, policy_id, cache)
    problems = found.note_problems + check_notes(
        found.review, found.since_release, found.notes, found.versions, found.unfinished
    )
    return found, problems


def _changelog_check(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.notes.gather import head_policies

    ids = [args.policy] if args.policy else head_policies(repo, args.head)
    problems: list[Diagnostic] = []
    summaries = []
    for policy_id in ids:
        found, found_problems = check_notes(repo, args.base, args.head, policy_id)
        problems += found_problems
        changed = sum(1 for change in found.review.changes if change.clause)
        summaries.append(
            f"{policy_id}: {plural(changed, 'changed clause')} ({found.review.base} → "
            f"{found.review.head}), {plural(len(found.notes), 'change note')}"
        )
    print_diagnostics(problems, args.format)
    for line in summaries:
        print(line)
    print(f"{plural(len(problems), 'problem')} found" if problems else "change notes ok")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _changelog_new(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.base.fileio import write_new
    from tools.notes.changenotes import notes_folder, scaffold
    from tools.notes.check import change_ids, needs_note
    from tools.notes.gather import choose_policy, gather

    policy_id = choose_policy(args.policy, DirSnapshot(repo.root))
    found = gather(repo, args.base, None, policy_id)
    print_diagnostics(found.note_problems)
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
            f"{plural(len(found.unfinished), 'note')} still to finish: "
            f"{', '.join(found.unfinished)}; write in it what changes for employees"
        )
        return EXIT_PROBLEMS
    if not entries:
        print(f"{policy_id}: every changed clause since {found.review.base} has a note")
        return EXIT_OK
    name = args.name or "-".join(clause for clause, _, _ in entries[:3])
    if "/" in name or name.startswith(".") or not name.strip():
        raise UsageError(f"--name {name!r}: give a plain file name, without folders")
    target = write_new(repo.root / notes_folder(policy_id), name, ".md", scaffold(entries))
    print(
        f"wrote {target.relative_to(repo.root)}: replace the TODO with what changes for employees"
    )
    return EXIT_OK


def _changelog_preview(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.notes.changelog import render_entry
    from tools.notes.document import notes_page, render_markdown
    from tools.notes.gather import choose_policy, gather
    from tools.notes.releasenotes import plan_release

    policy_id = choose_policy(args.policy, DirSnapshot(repo.root))
    found = gather(repo, None, None, policy_id)
    print_diagnostics(found.note_problems)
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
