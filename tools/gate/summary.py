"""The first screen: what a change does and who still has to act, in at most ``LIMIT`` lines.

Pure: plain data in (each policy's diff and impact, the gate's verdict, the blockers), lines
out, rendered as terminal text or Markdown. It lives in the gate, the lowest package that knows
the verdict, so that ``policy report`` (``prreport.py``) and ``policy release`` share it. In
the policy's language: the wording is in ``summary_wording.py``.

What it says, in order: per policy the changes (new, changed, removed clauses, the impact and
the reason of the most material change) and what employees must do from which date; who still
has to approve, per department with the members who may and what they approve, grouped ("9
regels in 3 hoofdstukken", "beheerbestanden: 28"); what blocks the release, each with the
command that fixes it. Lists that do not fit end in "… en 3 meer" and the command that shows
them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tools.compare.diff import PolicyDiff
from tools.compare.impact import Impact
from tools.compare.report import escape_markdown
from tools.gate.rules import Requirement, Verdict
from tools.gate.summary_wording import DUTCH, Wording, dutch_reason, wording
from tools.notes.wording import dutch_date

LIMIT = 15
"""The most lines a summary has (Markdown's blank lines between parts not counted)."""


@dataclass(frozen=True)
class PolicyPart:
    """One changed policy."""

    policy: str
    title: str
    diff: PolicyDiff | None
    """None when the policy does not load at HEAD."""
    impact: Impact
    """The overall impact (a release's, after its change notes; else the diff's)."""
    version: str | None = None
    """The version a release would get; None in a pull request."""
    previous: str | None = None
    effective: dt.date | None = None
    """When it takes effect; None: not known before the release."""
    acknowledgement: bool = True
    """The policy asks employees to confirm again after a material change."""


@dataclass(frozen=True)
class Blocker:
    """What stops the release: a release blocker's code, or ``invalid`` (validation),
    ``change-notes`` (``changelog check``), ``gate-closed`` (the gate's own problems)."""

    kind: str
    message: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Situation:
    language: str
    parts: tuple[PolicyPart, ...]
    verdict: Verdict | None
    blockers: tuple[Blocker, ...] = ()
    release: str = ""
    """The command that releases when nothing blocks (empty: say only that nothing blocks)."""
    policy: str = ""
    """The policy the fix commands name."""


@dataclass(frozen=True)
class Line:
    depth: int
    text: str


@dataclass(frozen=True)
class _Part:
    """A heading (may be None) and items of one or more lines each; shortened from the end."""

    heading: Line | None
    items: list[list[Line]] = field(default_factory=list)
    more: str = ""
    """The command that shows what a shortened list leaves out."""


def summarize(situation: Situation, *, limit: int = LIMIT) -> tuple[Line, ...]:
    """The summary's lines, at most ``limit``."""
    words = wording(situation.language)
    parts = [
        _Part(None, [_policy_lines(part, words) for part in situation.parts], "policy diff"),
        _approvals(situation.verdict, words),
        _blockers(situation, words),
    ]
    return tuple(_fit(parts, limit, words))


def render_text(lines: Sequence[Line]) -> str:
    return "".join("  " * line.depth + line.text + "\n" for line in lines)


def render_markdown(lines: Sequence[Line]) -> str:
    """Headings in bold, their items as a list; every text escaped."""
    out: list[str] = []
    for line in lines:
        text = escape_markdown(line.text)
        if line.depth == 0:
            out += ["", f"**{text}**"] if out else [f"**{text}**"]
        else:
            out.append("  " * (line.depth - 1) + f"- {text}")
    return "\n".join(out) + "\n"


# --- What changes, for employees -------------------------------------------------------------


def _policy_lines(part: PolicyPart, words: Wording) -> list[Line]:
    heading = part.title or part.policy
    if part.version is not None:
        heading = words.version.format(title=heading, version=part.version) + (
            words.previous.format(previous=part.previous) if part.previous else words.first
        )
    lines = [Line(0, heading)]
    if part.diff is None:
        return [*lines, Line(1, words.not_loading)]
    if not part.diff.changes:
        return [*lines, Line(1, words.no_changes)]
    lines.append(Line(1, _counts(part.diff, part.impact, words)))
    top = max(part.diff.changes, key=lambda change: change.impact)
    reason = (dutch_reason(top.reason) if words is DUTCH else None) or top.reason
    lines.append(Line(1, words.top.format(what=top.clause or top.title, reason=reason)))
    return [*lines, Line(1, _employees(part, words))]


def _counts(diff: PolicyDiff, impact: Impact, words: Wording) -> str:
    kinds = [change.kind for change in diff.changes]
    added, removed = kinds.count("added"), kinds.count("removed")
    other = kinds.count("metadata")
    changed = len(kinds) - added - removed - other
    counts = zip(words.count_kinds, (added, changed, removed), strict=True)
    parts = [kind.format(n=n) for kind, n in counts if n]
    text = words.counts.format(parts=", ".join(parts), impact=words.impact[impact])
    return text + (words.other_changes.format(n=other) if other else "")


def action(impact: Impact, acknowledgement: bool) -> str:
    """``confirm``, ``read`` or ``nothing``: as the release notes ask (a material change is
    confirmed again when the policy asks for it)."""
    if impact is Impact.MAJOR:
        return "confirm" if acknowledgement else "read"
    return "read" if impact is Impact.MINOR else "nothing"


def _employees(part: PolicyPart, words: Wording) -> str:
    when = (
        words.from_date.format(date=_date(part.effective, words))
        if part.effective is not None
        else words.next_release
    )
    todo = action(part.impact, part.acknowledgement)
    if todo == "confirm" and part.previous is None:
        todo = "confirm-first"  # nothing to read "again" in a first version
    todo = words.actions[todo]
    return words.employees.format(action=todo, when=when)


def _date(day: dt.date, words: Wording) -> str:
    return dutch_date(day) if words is DUTCH else day.isoformat()


# --- Who must approve ------------------------------------------------------------------------


def _approvals(verdict: Verdict | None, words: Wording) -> _Part:
    if verdict is None:
        return _Part(Line(0, words.cannot_judge))
    pending = merge_pending(verdict.required)
    if not pending:
        return _Part(Line(0, words.approved) if not verdict.problems else None)
    items = [[Line(1, _department(r, verdict, words))] for r in pending]
    one, many = words.departments
    heading = words.to_approve.format(n=f"{len(pending)} {one if len(pending) == 1 else many}")
    return _Part(Line(0, heading), items, "policy approvals")


def merge_pending(required: Iterable[Requirement]) -> list[Requirement]:
    """The requirements with approvals missing, one per set of departments: paths approved by
    different people are one line for the person who reads it."""
    merged: dict[tuple[str, ...], Requirement] = {}
    for new in required:
        if not new.missing:
            continue
        old = merged.get(new.departments)
        if old is not None:
            new = Requirement(  # noqa: PLW2901 (the merged one replaces both)
                old.section,
                old.owners,
                new.departments,
                max(old.needed, new.needed),
                tuple(sorted({*old.paths, *new.paths})),
                tuple(sorted({*old.clauses, *new.clauses})),
                old.approved_by if old.missing >= new.missing else new.approved_by,
            )
        merged[new.departments] = new
    return list(merged.values())


def _department(requirement: Requirement, verdict: Verdict, words: Wording) -> str:
    registry = verdict.registry
    known = {d.id: d for d in registry.departments} if registry else {}
    names = [known[d].name if d in known else d for d in requirement.departments]
    done = set(requirement.approved_by)
    members = [
        m.name
        for d in requirement.departments
        if d in known
        for m in known[d].members
        if m.email.casefold() not in done
    ]
    who = words.members_or.join(members[:3]) or words.nobody
    if len(members) > 3:
        who += words.more_people.format(n=len(members) - 3)
    count = f" ×{requirement.missing}" if requirement.missing > 1 else ""
    what = ", ".join(group_paths(requirement.paths, requirement.clauses, words))
    return f"{words.members_or.join(names)}{count} ({who}): {what}"


_SECTION = re.compile(r"policy/[^/]+/sections/[^/]+\.yaml")
_META = re.compile(r"policy/[^/]+/policy\.yaml")
_NOTES = re.compile(r"changelog/[^/]+/unreleased/.+")
_RELEASED = re.compile(r"changelog/[^/]+/.+")


def group_paths(paths: Sequence[str], clauses: Sequence[str], words: Wording) -> list[str]:
    """What a department approves, as a person reads it: "9 regels in 3 hoofdstukken",
    "beleidsgegevens", "wijzigingsnotities: 2", "beheerbestanden: 28"."""
    counts = {"sections": 0, "policy": 0, "notes": 0, "released": 0, "other": 0}
    for path in paths:
        if _SECTION.fullmatch(path):
            counts["sections"] += 1
        elif _META.fullmatch(path):
            counts["policy"] += 1
        elif _NOTES.fullmatch(path):
            counts["notes"] += 1
        elif _RELEASED.fullmatch(path):
            counts["released"] += 1
        else:
            counts["other"] += 1
    found = []
    if counts["sections"]:
        found.append(_clauses_in_sections(len(clauses), counts["sections"], words))
    for group in ("policy", "notes", "released", "other"):
        if counts[group]:
            found.append(f"{words.groups[group]}: {counts[group]}")
    return found


def _clauses_in_sections(clauses: int, sections: int, words: Wording) -> str:
    clause, clauses_word, section, sections_word = words.clause_groups
    where = f"{sections} {section if sections == 1 else sections_word}"
    if not clauses:
        return where
    return f"{clauses} {clause if clauses == 1 else clauses_word} in {where}"


# --- What blocks the release -----------------------------------------------------------------


def _blockers(situation: Situation, words: Wording) -> _Part:
    kinds: dict[str, list[Blocker]] = {}
    for blocker in situation.blockers:
        kinds.setdefault(_kind(blocker, situation.verdict), []).append(blocker)
    if not kinds:
        command = situation.release
        return _Part(Line(0, words.ready.format(command=command).rstrip(": ")))
    policy = situation.policy
    items = [[Line(1, _blocker(kind, found, policy, words))] for kind, found in kinds.items()]
    command = words.fixes[""].format(policy=situation.policy).replace("  ", " ")
    return _Part(Line(0, words.blocks), items, command)


def change_blockers(
    invalid: int, note_problems: int, verdict: Verdict | None, gate_error: str = ""
) -> tuple[Blocker, ...]:
    """What blocks the release of a change under review (``policy report``): policies that do
    not load, change-note problems, and the gate."""
    found = [Blocker("invalid")] * invalid + [Blocker("change-notes")] * note_problems
    if verdict is None:
        found.append(Blocker("gate-error", gate_error))
    elif any(r.missing for r in verdict.required):
        found.append(Blocker("not-approved"))
    if verdict is not None and verdict.problems:
        found += [Blocker("gate-closed", d.message) for d in verdict.problems]
    return tuple(found)


def _kind(blocker: Blocker, verdict: Verdict | None) -> str:
    """A closed gate with nothing missing is fixed by reading why, not by approving."""
    closed = verdict is not None and not any(r.missing for r in verdict.required)
    if blocker.kind == "not-approved" and closed:
        return "gate-closed"
    return blocker.kind


def _blocker(kind: str, found: Sequence[Blocker], policy: str, words: Wording) -> str:
    what = words.blockers.get(kind) or found[0].message
    count = f" ({len(found)})" if len(found) > 1 else ""
    option = _option(found[0].hint)
    fix = words.fixes.get(kind, "")
    if not fix or ("{option}" in fix and not option):
        fix = words.fixes[""]  # the details say what to do
    fix = fix.format(policy=policy, option=option).replace("  ", " ")
    return f"{what}{count}" + (f" → {fix}" if fix else "")


_OPTION = re.compile(r"--[a-z-]+ [0-9][0-9.-]*")


def _option(hint: str) -> str:
    """The option a release blocker's hint names ("use --effective-date 2027-02-01 or later")."""
    found = _OPTION.search(hint)
    return found.group(0) if found else ""


# --- Fitting ---------------------------------------------------------------------------------


def _fit(parts: list[_Part], limit: int, words: Wording) -> list[Line]:
    """All parts, the longest list shortened (its tail replaced by "… and n more") until the
    lines fit ``limit``."""
    shown = [len(part.items) for part in parts]
    while _size(parts, shown) > limit:
        longest = max(
            (i for i, part in enumerate(parts) if shown[i] > 1),
            key=lambda i: sum(len(item) for item in parts[i].items[: shown[i]]),
            default=None,
        )
        if longest is None:
            break
        shown[longest] -= 1
    lines: list[Line] = []
    for part, count in zip(parts, shown, strict=True):
        if part.heading is not None:
            lines.append(part.heading)
        for item in part.items[:count]:
            lines += item
        if count < len(part.items):
            more = words.more.format(n=len(part.items) - count, command=part.more)
            lines.append(Line(1 if part.heading is not None else 0, more))
    return lines[:limit]


def _size(parts: list[_Part], shown: list[int]) -> int:
    total = 0
    for part, count in zip(parts, shown, strict=True):
        total += (part.heading is not None) + sum(len(item) for item in part.items[:count])
        total += count < len(part.items)
    return total
