"""Release notes for employees: what changes for them, from when, in the policy's language.

Pure: ``plan_release`` turns the diff since the last release and the authors' notes into a
``ReleaseNotes`` value (the next version, the effective date, the changes grouped as new,
changed and removed). ``tools/notes/document.py`` makes it a document, written as Markdown
and as an HTML page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from schema.models import Level, WorksCouncil
from tools.base.loader import Policy
from tools.compare.diff import Change, PolicyDiff
from tools.compare.impact import Impact
from tools.compare.redline import Segment
from tools.notes import wording
from tools.notes.changenotes import Note
from tools.notes.check import change_ids, effective_impact


def bump(version: str, impact: Impact) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if impact is Impact.MAJOR:
        return f"{major + 1}.0.0"
    if impact is Impact.MINOR:
        return f"{major}.{minor + 1}.0"
    if impact is Impact.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return version


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def next_version(previous: str | None, impact: Impact, declared: str) -> str:
    """The version a release gets: the policy's own version at the first release; after that
    the last release bumped by the impact, or the declared version when that is higher."""
    if previous is None:
        return declared
    bumped = bump(previous, impact)
    return declared if version_key(declared) > version_key(bumped) else bumped


@dataclass(frozen=True)
class Entry:
    """One clause in the release notes."""

    clause: str
    title: str
    kind: str
    impact: Impact
    section: str
    """The title of the clause's section."""
    level: Level
    text: str
    """The new text; the old one for a removed clause."""
    notes: tuple[str, ...]
    redline: tuple[Segment, ...] | None
    previous_id: str | None = None
    moved_from: str | None = None
    """The section it came from, when it moved to another section."""


@dataclass(frozen=True)
class ReleaseNotes:
    policy: str
    title: str
    version: str
    previous: str | None
    effective: dt.date
    impact: Impact
    acknowledgement: bool
    """True when employees must read the policy again and confirm it."""
    summary: str
    new: tuple[Entry, ...]
    changed: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    general: tuple[str, ...]
    """Bodies of notes that name no clause: about the policy as a whole."""
    approvers: tuple[str, ...] = ()
    """Who approved the release, as ``Name (department)``: from its archived evidence."""
    key_points: tuple[str, ...] = ()
    """The notes' ``key_point``s, in the notes' order: *Belangrijkste punten*, first."""
    works_council: WorksCouncil | None = None
    """The policy's ``works_council``: the notes say whether it consented, when required."""
    released: dt.date | None = None
    """The day of the release (the changelog's date); None: not cut yet (a preview)."""

    @property
    def first(self) -> bool:
        """True for a policy's first release: nothing to read or confirm *again*."""
        return self.previous is None


def plan_release(
    diff: PolicyDiff,
    head: Policy,
    base: Policy | None,
    notes: Sequence[Note],
    previous: str | None,
) -> ReleaseNotes:
    """The release notes for releasing ``head``, the last release being ``base``/``previous``."""
    clause_changes = [change for change in diff.changes if change.clause is not None]
    impact = max(
        (effective_impact(change, notes) for change in clause_changes),
        default=max(diff.impact, Impact.PATCH) if diff.changes else Impact.NONE,
    )
    meta = head.meta.model
    titles = _section_titles(head, base)
    entries = [_entry(change, notes, titles) for change in clause_changes]
    grouped = {
        group: tuple(entry for entry in entries if _group(entry.kind) == group)
        for group in ("new", "changed", "removed")
    }
    acknowledgement = meta.acknowledgement and impact is Impact.MAJOR
    return ReleaseNotes(
        policy=head.id,
        title=meta.title,
        version=next_version(previous, impact, meta.version),
        previous=previous,
        effective=meta.effective,
        impact=impact,
        acknowledgement=acknowledgement,
        summary=_summary(previous, meta.summary, grouped, impact),
        new=grouped["new"],
        changed=grouped["changed"],
        removed=grouped["removed"],
        general=tuple(note.body for note in notes if not note.meta.clauses),
        key_points=tuple(dict.fromkeys(n.meta.key_point for n in notes if n.meta.key_point)),
        works_council=meta.works_council,
    )


def _section_titles(head: Policy, base: Policy | None) -> dict[str, str]:
    titles = {s.model.id: s.model.title for s in base.sections} if base else {}
    titles.update({s.model.id: s.model.title for s in head.sections})
    return titles


def _group(kind: str) -> str:
    return {"added": "new", "removed": "removed"}.get(kind, "changed")


def _entry(change: Change, notes: Sequence[Note], titles: dict[str, str]) -> Entry:
    clause = change.head or change.base
    assert clause is not None and change.clause is not None  # a clause change has one
    ids = set(change_ids(change))
    moved_from = None
    if change.moved_from and change.moved_to and change.moved_from.section != change.section:
        moved_from = titles.get(change.moved_from.section, change.moved_from.section)
    return Entry(
        clause=change.clause,
        title=change.title,
        kind=change.kind,
        impact=effective_impact(change, notes),
        section=titles.get(change.section or "", change.section or ""),
        level=clause.level,
        text=clause.text,
        notes=tuple(note.body for note in notes if ids.intersection(note.meta.clauses)),
        redline=change.redline if change.kind in ("modified", "id-changed") else None,
        previous_id=change.previous_id,
        moved_from=moved_from,
    )


def _summary(
    previous: str | None, policy_summary: str, grouped: dict[str, tuple[Entry, ...]], impact: Impact
) -> str:
    if previous is None:
        return f"{wording.FIRST_VERSION} {' '.join(policy_summary.split())}"
    counts = wording.counts({group: len(entries) for group, entries in grouped.items()})
    outcome = wording.OUTCOME[impact]
    return f"Deze versie heeft {counts} ten opzichte van versie {previous}. {outcome}"


def release_title(notes: ReleaseNotes) -> str:
    return wording.release_title(notes.title, notes.version)
