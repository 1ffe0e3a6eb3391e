"""The rules of ``policy changelog check``: every material change has a note, every note is right.

Pure: it takes the diff under review (BASE..HEAD), the diff since the last release, the
unreleased notes at HEAD and the policy versions, and returns located diagnostics.

- A clause that changed under review needs a note, unless the change is editorial (``patch``)
  or the policy has never been released (its first release notes show every clause as new).
- A note may only name clauses that exist and that changed since the last release; so a
  change that only adds notes passes, and a note outlives follow-up edits of its clause.
- A note may ask for a lower impact than the computed one only with a written justification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tools.base.diagnostics import Diagnostic, sort_diagnostics
from tools.base.loader import Policy
from tools.compare.diff import Change, PolicyDiff
from tools.compare.impact import Impact
from tools.notes.changenotes import Note, notes_folder


@dataclass(frozen=True)
class Versions:
    """The policy as it is at the points the rules look at."""

    head: Policy
    base: Policy | None
    """BASE of the change under review (None: the policy is new)."""
    released: Policy | None
    """The last release (None: never released)."""


def change_ids(change: Change) -> tuple[str, ...]:
    """The clause ids a change can be named by: its id, and its previous id after a renumbering."""
    ids = (change.clause,) if change.clause else ()
    return ids + ((change.previous_id,) if change.previous_id else ())


def needs_note(change: Change) -> bool:
    return change.clause is not None and change.impact > Impact.PATCH


def computed_impact(note: Note, release: PolicyDiff) -> Impact:
    """The most material change since the release among the clauses the note names."""
    named = set(note.meta.clauses)
    return max(
        (change.impact for change in release.changes if named.intersection(change_ids(change))),
        default=Impact.NONE,
    )


def effective_impact(change: Change, notes: Iterable[Note]) -> Impact:
    """The change's impact as released: what its notes ask for, when they ask."""
    requested = [
        note.impact
        for note in notes
        if note.impact is not None and set(note.meta.clauses).intersection(change_ids(change))
    ]
    return max(requested) if requested else change.impact


def check_notes(
    review: PolicyDiff,
    release: PolicyDiff,
    notes: list[Note],
    versions: Versions,
    unfinished: Mapping[str, Sequence[str]] | None = None,
) -> list[Diagnostic]:
    """``unfinished``: notes not written yet, by path, with their clauses (their own problem,
    "unfinished-note", says to finish them, so their clauses are not reported as missing)."""
    # Before its first release a policy is new as a whole: its release notes show every clause.
    drafted = {clause for clauses in (unfinished or {}).values() for clause in clauses}
    problems = _missing_notes(review, notes, versions, drafted) if versions.released else []
    for note in notes:
        problems += _check_note(note, release, versions)
    return sort_diagnostics(problems)


def _missing_notes(
    review: PolicyDiff, notes: list[Note], versions: Versions, drafted: set[str]
) -> list[Diagnostic]:
    noted = {clause_id for note in notes for clause_id in note.meta.clauses} | drafted
    problems = []
    for change in review.changes:
        if not needs_note(change) or noted.intersection(change_ids(change)):
            continue
        assert change.clause is not None  # needs_note
        file, line, column = _locate(change, versions)
        folder = notes_folder(versions.head.id)
        problems.append(
            Diagnostic.at(
                file,
                "missing-note",
                f"clause {change.clause} ({change.title}) is {change.kind} "
                f"({change.impact}: {change.reason}), and no change note explains it",
                f"run 'policy changelog new', or name {change.clause} in a note in {folder}/; "
                "say what changes for employees",
                line=line,
                column=column,
            )
        )
    return problems


def _locate(change: Change, versions: Versions) -> tuple[str, int, int]:
    assert change.clause is not None
    policy = versions.base if change.kind == "removed" else versions.head
    found = policy.locate_clause(change.clause) if policy is not None else None
    return found or (f"{versions.head.folder}/policy.yaml", 0, 0)


def _check_note(note: Note, release: PolicyDiff, versions: Versions) -> list[Diagnostic]:
    changed = {clause_id for change in release.changes for clause_id in change_ids(change)}
    known = {clause.id for _, _, clause in versions.head.clauses()}
    if versions.released is not None:
        known |= {clause.id for _, _, clause in versions.released.clauses()}
    since = f"version {release.base}" if versions.released is not None else "the start"
    problems = []
    for index, clause_id in enumerate(note.meta.clauses):
        line, column = note.position(("clauses", index))
        if clause_id not in known:
            problems.append(
                Diagnostic.at(
                    note.path,
                    "unknown-clause",
                    f"clause {clause_id} does not exist in the policy, nor in its last release",
                    "correct the id; 'policy diff' lists the clauses that changed",
                    line=line,
                    column=column,
                )
            )
        elif clause_id not in changed:
            problems.append(
                Diagnostic.at(
                    note.path,
                    "unchanged-clause",
                    f"clause {clause_id} has not changed since {since}",
                    "remove it from the note, or make the change the note describes",
                    line=line,
                    column=column,
                )
            )
    problems += _check_impact(note, release)
    return problems


def _check_impact(note: Note, release: PolicyDiff) -> list[Diagnostic]:
    computed = computed_impact(note, release)
    if note.impact is None or note.impact >= computed or note.meta.justification:
        return []
    line, column = note.position(("impact",))
    return [
        Diagnostic.at(
            note.path,
            "missing-justification",
            f"the note asks for impact '{note.impact}', lower than the computed '{computed}', "
            "without a justification",
            "add 'justification:' saying why the change is less material for employees, or "
            "remove 'impact:'",
            line=line,
            column=column,
        )
    ]
