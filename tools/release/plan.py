"""Planning a release: the version, the effective date, the files, the commit and the tag, and
everything that blocks it. Pure: facts in, a ``ReleasePlan`` out; ``tools/release/apply.py`` gathers
the facts from git and applies the plan.

A plan with blockers is never applied. The blockers, each a ``Diagnostic`` (``file`` is empty
when the whole repository is meant):

- ``dirty-tree``: uncommitted or untracked files (a release is of committed content);
- ``invalid``, ``change-notes``: the policy does not validate, or ``changelog check`` fails;
- ``not-approved``: the approval gate for last release..HEAD is not complete;
- ``nothing-to-release``: no change since the last release;
- ``version-too-low``, ``tag-exists``, ``tags-not-fetched``, ``changelog-clash``: versions only
  go up;
- ``notice-period``, ``bad-effective-date``: a material release takes effect no sooner than
  ``notice_days`` after today; no release takes effect in the past, before the previous
  release, or on or after the next review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from schema.models import ApprovalRecord
from tools.base.diagnostics import Diagnostic, sort_diagnostics
from tools.base.errors import ChangelogError, EditError
from tools.base.loader import Policy
from tools.base.yamledit import replace_scalars
from tools.compare.diff import PolicyDiff
from tools.compare.impact import Impact
from tools.gate.evidence import Evidence, collect, evidence_path, render, used_record_files
from tools.gate.report import to_json
from tools.gate.rules import Verdict
from tools.notes.changelog import add_release, changelog_path, release_files
from tools.notes.changenotes import Note
from tools.notes.document import notes_page, render_markdown
from tools.notes.releasenotes import ReleaseNotes, bump, plan_release, release_title, version_key
from tools.notes.wording import IMPACT_DUTCH, dutch_date
from tools.versions.releaseid import CHANGED_KINDS, ReleaseRecord, release_tag, release_trailers


@dataclass(frozen=True)
class Facts:
    """Everything a release is decided on, gathered by the shell."""

    policy: str
    today: dt.date
    head: Policy
    released: Policy | None
    previous: str | None
    """The version of the last release (its tag); None before the first."""
    since_release: PolicyDiff
    notes: Sequence[Note]
    policy_text: str
    """``policy.yaml`` at HEAD, as the author wrote it."""
    changelog_text: str | None
    tags: frozenset[str]
    history: Sequence[ReleaseRecord]
    dirty: Sequence[str] = ()
    problems: Sequence[Diagnostic] = ()
    """Validation errors of the repository at HEAD."""
    note_problems: Sequence[Diagnostic] = ()
    """What ``changelog check`` reports."""
    verdict: Verdict | None = None
    gate_error: str | None = None
    """Why the approval gate could not run (then the release is blocked)."""
    version: str | None = None
    """The version asked for (``--version``); None: computed from the changes."""
    effective: dt.date | None = None
    """The date asked for (``--effective-date``); None: the default."""
    judged: tuple[str, str, str] | None = None
    """(BASE, trust root, HEAD) commit ids the gate judged: where the evidence says it was."""
    records: Mapping[str, tuple[ApprovalRecord, str]] = field(default_factory=dict)
    """The verified records the gate read, by source, with their key fingerprints."""
    archive: Callable[[str, dt.date], bytes] | None = None
    """Makes the archive PDF of HEAD's text as (version, effective date), for a policy with
    ``archive_pdf: true`` (a pure function the CLI gives: ``tools/documents``); None: none."""


@dataclass(frozen=True)
class ReleasePlan:
    policy: str
    version: str
    previous: str | None
    impact: Impact
    effective: dt.date
    tag: str
    notes: ReleaseNotes
    markdown: str
    writes: tuple[tuple[str, str | bytes], ...]
    """(path, new text, or bytes: the archive PDF) for each file the release writes."""
    deletes: tuple[str, ...]
    """The change notes the release consumes."""
    message: str
    """The release commit's message, trailers included."""
    tag_message: str
    blockers: tuple[Diagnostic, ...]
    verdict: Verdict | None

    @property
    def ready(self) -> bool:
        return not self.blockers


def plan(facts: Facts) -> ReleasePlan:
    """The release of HEAD as it would be cut now, with everything that blocks it."""
    notes = plan_release(
        facts.since_release, facts.head, facts.released, facts.notes, facts.previous
    )
    version, version_problems = _version(facts, notes)
    blockers = list(_state_blockers(facts, version))
    effective, date_problems = _effective(facts, notes.impact)
    if facts.since_release.changes:  # else the version clashes are only noise
        blockers += version_problems + date_problems
    evidence = _evidence(facts, version)
    notes = replace(
        notes,
        version=version,
        effective=effective,
        approvers=_approvers(facts, evidence),
        released=facts.today,
    )
    markdown = render_markdown(notes)
    writes, write_problems = _writes(facts, notes, markdown)
    if evidence is not None:
        writes = tuple(sorted([*writes, (evidence_path(facts.policy, version), render(evidence))]))
    if facts.head.meta.model.archive_pdf:
        archived, archive_problems = _archive(facts, version, effective)
        writes, blockers = tuple(sorted([*writes, *archived])), blockers + archive_problems
    # The changelog clash repeats, in a file's terms, what the version checks say (or, with
    # nothing changed, that the version is released already).
    unexplained = facts.since_release.changes and not version_problems
    blockers += [p for p in write_problems if p.code != "changelog-clash" or unexplained]
    tag = release_tag(facts.policy, version)
    title = release_title(notes)
    message = (
        f"Release {facts.policy} {version}\n\n{title}: {IMPACT_DUTCH[notes.impact]}. Geldt vanaf "
        f"{dutch_date(effective)}.\n\n"
        + release_trailers(facts.policy, version, notes.impact, effective, _changed(facts))
    )
    return ReleasePlan(
        policy=facts.policy,
        version=version,
        previous=facts.previous,
        impact=notes.impact,
        effective=effective,
        tag=tag,
        notes=notes,
        markdown=markdown,
        writes=writes,
        deletes=tuple(
            sorted(
                {note.path for note in facts.notes}
                | set(used_record_files(evidence.approvals if evidence else ()))
            )
        ),
        message=message,
        tag_message=f"{title} ({notes.impact}), geldt vanaf {effective.isoformat()}\n",
        blockers=tuple(sort_diagnostics(blockers)),
        verdict=facts.verdict,
    )


def archive_path(policy: str, version: str) -> str:
    """Where a release of a policy with ``archive_pdf: true`` archives its text as a PDF."""
    return f"changelog/{policy}/{version}.pdf"


def _archive(
    facts: Facts, version: str, effective: dt.date
) -> tuple[list[tuple[str, str | bytes]], list[Diagnostic]]:
    if facts.archive is None:
        problem = _blocker(
            "no-archive-pdf",
            "policy.yaml asks for an archive PDF (archive_pdf: true), but this run cannot make one",
            "release with the 'policy release' command, which makes it",
            facts.head.meta.path,
        )
        return [], [problem]
    if facts.dirty:  # blocked anyway; the maker reads the working tree, which is not HEAD's
        return [(archive_path(facts.policy, version), b"")], []
    return [(archive_path(facts.policy, version), facts.archive(version, effective))], []


def _evidence(facts: Facts, version: str) -> Evidence | None:
    """The approvals the release relies on, to be archived in it."""
    if facts.verdict is None or facts.judged is None:
        return None
    base, trust_root, head = facts.judged
    approvals = collect(facts.verdict, facts.records)
    verdict = to_json(facts.verdict)
    summary = {"complete": verdict["complete"], "required": verdict["required"]}
    return Evidence(facts.policy, version, base, trust_root, head, approvals, summary)


def _approvers(facts: Facts, evidence: Evidence | None) -> tuple[str, ...]:
    """``Name (department)`` of each approver, for the release notes."""
    if evidence is None or facts.verdict is None:
        return ()
    names = facts.verdict.people
    return tuple(
        f"{names.get(email, email)} ({department})"
        for email, department in sorted(
            evidence.approvers, key=lambda pair: (names.get(pair[0], pair[0]), pair[1])
        )
    )


def _changed(facts: Facts) -> tuple[str, ...] | None:
    """The clauses this release adds, rewords or renumbers (None: all, a first release)."""
    if facts.previous is None:
        return None
    return tuple(
        sorted(
            {c.clause for c in facts.since_release.changes if c.clause and c.kind in CHANGED_KINDS}
        )
    )


def _blocker(code: str, message: str, hint: str = "", file: str = "") -> Diagnostic:
    return Diagnostic.at(file, code, message, hint)


def _state_blockers(facts: Facts, version: str) -> list[Diagnostic]:
    found = []
    if facts.dirty:
        shown = ", ".join(facts.dirty[:5]) + (" ..." if len(facts.dirty) > 5 else "")
        found.append(
            _blocker(
                "dirty-tree",
                f"uncommitted or untracked files: {shown}",
                "commit or stash them: a release is cut from committed content only",
            )
        )
    found += facts.problems
    found += facts.note_problems
    if not facts.since_release.changes:
        # Run again right after a release: the version it computes is the one just made.
        released = release_tag(facts.policy, version) in facts.tags
        found.append(
            _blocker(
                "nothing-to-release",
                (f"{version} is already released: " if released else "")
                + f"nothing changed in '{facts.policy}' since {facts.previous}",
                "change the policy first; a release needs a change",
            )
        )
    if facts.gate_error is not None:
        found.append(_blocker("not-approved", facts.gate_error, "see 'policy approvals'"))
    elif facts.verdict is not None and not facts.verdict.complete:
        missing = [
            f"{'/'.join(r.departments)} ({r.missing} more)"
            for r in facts.verdict.required
            if r.missing
        ]
        detail = f"still to approve: {', '.join(missing)}" if missing else "the gate is closed"
        found.append(
            _blocker(
                "not-approved",
                f"the approval gate is not complete: {detail}",
                "run 'policy approvals' for who must approve what, and why approvals count or not",
            )
        )
    return found


def _version(facts: Facts, notes: ReleaseNotes) -> tuple[str, list[Diagnostic]]:
    computed = notes.version
    version = facts.version.removeprefix("v") if facts.version else computed
    problems = []
    if facts.version and version_key(version) < version_key(computed):
        problems.append(
            _blocker(
                "version-too-low",
                f"version {version} is lower than {computed}, which the changes require "
                f"({notes.impact})",
                f"use --version {computed} or higher, or leave it out",
            )
        )
    if facts.previous and version_key(version) <= version_key(facts.previous):
        problems.append(
            _blocker(
                "version-too-low",
                f"version {version} is not higher than the last release {facts.previous}",
                f"use {bump(facts.previous, Impact.PATCH)} or higher",
            )
        )
    tag = release_tag(facts.policy, version)
    if tag in facts.tags:
        problems.append(
            _blocker("tag-exists", f"the tag {tag} exists already", "versions only go up")
        )
    newer = [
        r for r in facts.history if not r.tagged and version_key(r.version) >= version_key(version)
    ]
    if newer:
        problems.append(
            _blocker(
                "tags-not-fetched",
                f"the history has release {newer[-1].version} (commit {newer[-1].commit[:12]}) "
                "but not its tag",
                "fetch the tags (git fetch --tags) and try again",
            )
        )
    return version, problems


def _effective(facts: Facts, impact: Impact) -> tuple[dt.date, list[Diagnostic]]:
    meta = facts.head.meta.model
    notice = meta.notice_days if impact is Impact.MAJOR else 0
    earliest = facts.today + dt.timedelta(days=notice)
    released = facts.released.meta.model.effective if facts.released else None
    if facts.effective is not None:
        effective = facts.effective
    elif released is None or meta.effective != released:
        effective = meta.effective  # the authors chose it in this change
    else:  # not chosen: as soon as allowed, never before the release it follows
        effective = max(earliest, released)
    problems = []
    where = "policy.yaml" if facts.effective is None else "--effective-date"
    if effective < earliest:
        code = "notice-period" if notice else "bad-effective-date"
        why = (
            f"a material change takes effect no sooner than {notice} days after today "
            f"({earliest.isoformat()})"
            if notice
            else f"a release cannot take effect in the past (today is {facts.today.isoformat()})"
        )
        problems.append(
            _blocker(
                code,
                f"effective date {effective.isoformat()} ({where}) is too early: {why}",
                f"use --effective-date {earliest.isoformat()} or later",
            )
        )
    if released is not None and effective < released:
        problems.append(
            _blocker(
                "bad-effective-date",
                f"effective date {effective.isoformat()} is before that of the last release "
                f"({released.isoformat()})",
                "a newer version cannot take effect before an older one",
            )
        )
    if effective >= meta.next_review:
        problems.append(
            _blocker(
                "bad-effective-date",
                f"effective date {effective.isoformat()} is not before next_review "
                f"({meta.next_review.isoformat()})",
                "move next_review in policy.yaml later in this change",
            )
        )
    return effective, problems


def _writes(
    facts: Facts, notes: ReleaseNotes, markdown: str
) -> tuple[tuple[tuple[str, str | bytes], ...], list[Diagnostic]]:
    problems = []
    meta_path = facts.head.meta.path
    values = {"version": notes.version, "effective": notes.effective.isoformat()}
    try:
        policy_text = replace_scalars(facts.policy_text, values)
    except EditError as error:
        policy_text = facts.policy_text
        problems.append(_blocker("cannot-edit", str(error), "fix policy.yaml", meta_path))
    try:
        changelog = add_release(facts.changelog_text, notes)
    except ChangelogError as error:
        changelog = facts.changelog_text or ""
        problems.append(_blocker("changelog-clash", str(error), "versions only go up"))
    markdown_path, html_path = release_files(facts.policy, notes.version)
    lang = facts.head.meta.model.language
    page = notes_page(notes, lang=lang)
    writes: list[tuple[str, str | bytes]] = [
        (meta_path, policy_text),
        (markdown_path, markdown),
        (html_path, page),
        (changelog_path(facts.policy), changelog),
    ]
    return tuple(sorted(writes)), problems


def describe(plan: ReleasePlan) -> str:
    """The plan in a few lines, for the terminal (``--dry-run`` adds the notes)."""
    previous = plan.previous or "none (first release)"
    lines = [
        f"release {plan.policy} {plan.version} (previous: {previous}, impact: {plan.impact})",
        f"  takes effect: {plan.effective.isoformat()}",
        f"  tag: {plan.tag}",
        "  writes:",
        *(f"    {path}" for path, _ in plan.writes),
    ]
    if plan.deletes:
        lines += ["  consumes the change notes:", *(f"    {path}" for path in plan.deletes)]
    return "\n".join(lines) + "\n"
