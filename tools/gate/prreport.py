"""The pull-request report: one Markdown comment for the Legal and HR reviewers of a change.

Pure: it puts together what the engines computed, per changed policy the clause diff
(rendered by ``diffreport``), its impact, the change-note check (``notecheck``'s diagnostics)
and the departments that still have to approve (from the gate's ``Verdict``), followed by the
approval table (rendered by ``approvalreport``). The first line is ``MARKER``, a hidden HTML
comment by which a workflow finds the comment to update instead of adding another one. The
output holds no dates or times, so the same inputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tools.base.diagnostics import Diagnostic
from tools.compare import report as diffreport
from tools.compare.diff import PolicyDiff
from tools.compare.impact import Impact
from tools.compare.report import escape_markdown
from tools.gate import report as approvalreport
from tools.gate import summary
from tools.gate.rules import Requirement, Verdict

if TYPE_CHECKING:
    from tools.notes.gather import ChangeSet

MARKER = "<!-- policy-report -->"

COMMENT_LIMIT = 60_000
"""GitHub refuses comments over 65,536 characters; above this the redlines are left out."""

# How reviewers read an impact: does the change alter what employees must or may do?
MATERIALITY = {
    Impact.MAJOR: "duty-changing",
    Impact.MINOR: "guidance or clarification",
    Impact.PATCH: "editorial",
}


@dataclass(frozen=True)
class PolicyReview:
    """One policy's part of the report."""

    policy: str
    diff: PolicyDiff | None
    """BASE..HEAD; None when the policy does not load at HEAD (``load_problems`` say why)."""
    note_problems: tuple[Diagnostic, ...] = ()
    """What ``policy changelog check`` reports for this change."""
    notes: int = 0
    """The unreleased change notes at HEAD."""
    load_problems: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Gate:
    """The approval verdict, or why the gate could not judge the change."""

    verdict: Verdict | None
    error: str = ""


def render_markdown(
    reviews: Sequence[PolicyReview],
    gate: Gate,
    base: str,
    head: str,
    *,
    limit: int = COMMENT_LIMIT,
    docx: str = "",
    summary: str = "",
) -> str:
    """The whole comment: marker, summary table, one part per policy, then the approvals.
    Longer than ``limit`` characters, the redlines are left out (the tables stay). ``docx``:
    the file name of the Word redline beside the report (``DOCX_LINE``). With a ``summary``
    (Markdown, ``tools/gate/summary.py``), it comes first, then the redline's line, and the
    rest folds into a ``<details>`` block below them."""
    header = [MARKER, "# Policy report", "", f"{escape_markdown(base)} → {escape_markdown(head)}"]
    named = ["", DOCX_LINE.format(docx.replace("`", ""))] if docx else []
    body = _render(reviews, gate, redlines=True)
    if len(_joined([*header, *named, "", *body])) + len(summary) > limit:
        body = _render(reviews, gate, redlines=False)
    if not summary:
        return _joined([*header, *named, "", *body])
    folded = ["<details>", "<summary>Details</summary>", "", *body, "", "</details>"]
    return _joined([*header, "", summary.rstrip("\n"), *named, "", *folded])


def _joined(lines: Sequence[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


DOCX_LINE = "Word redline for legal review (tracked changes, impact as comments): `{}`"
"""The line naming the Word redline; CI turns the backticked name into a link to the artifact."""


def _render(reviews: Sequence[PolicyReview], gate: Gate, *, redlines: bool) -> list[str]:
    """The comment below its title: the table, one part per policy, the approvals."""
    shown = [r for r in reviews if _changed(r)]
    lines: list[str] = []
    if shown:
        lines += [
            "| Policy | Impact | Changes | Change notes | Still to approve |",
            "|---|---|---|---|---|",
        ]
        lines += [_summary_row(review, gate) for review in shown]
    else:
        lines.append("No policy changes.")
    unchanged = [r.policy for r in reviews if not _changed(r)]
    if unchanged and shown:
        lines += ["", "Unchanged: " + ", ".join(f"`{p}`" for p in unchanged) + "."]
    for review in shown:
        lines += ["", *_policy_part(review, gate, redlines)]
    lines += ["", *_gate_part(gate)]
    return lines


def _changed(review: PolicyReview) -> bool:
    return review.diff is None or bool(review.diff.changes) or bool(review.note_problems)


def _summary_row(review: PolicyReview, gate: Gate) -> str:
    if review.diff is None:
        impact, changes = "does not load", "-"
    else:
        impact = f"**{review.diff.impact}**" + (
            f" ({MATERIALITY[review.diff.impact]})" if review.diff.impact in MATERIALITY else ""
        )
        changes = _count_by_materiality(review.diff) or "none"
    return (
        f"| `{review.policy}` | {impact} | {changes} | {_notes_status(review)} | "
        f"{_pending_text(review.policy, gate)} |"
    )


def _count_by_materiality(diff: PolicyDiff) -> str:
    counts = [
        (sum(1 for change in diff.changes if change.impact == impact), label)
        for impact, label in MATERIALITY.items()
    ]
    return ", ".join(f"{count} {label}" for count, label in counts if count)


def _notes_status(review: PolicyReview) -> str:
    if review.diff is None:
        return "-"
    if review.note_problems:
        count = len(review.note_problems)
        return f"❌ {count} problem{'' if count == 1 else 's'}"
    return "✅ ok"


def _pending(policy: str, verdict: Verdict) -> list[Requirement]:
    """The requirements with approvals missing that cover this policy's files."""
    prefixes = (f"policy/{policy}/", f"changelog/{policy}/")
    return [
        r
        for r in verdict.required
        if r.missing and any(path.startswith(prefixes) for path in r.paths)
    ]


def _pending_text(policy: str, gate: Gate) -> str:
    if gate.verdict is None:
        return "unknown (see Approvals)"
    pending = _pending(policy, gate.verdict)
    if not pending:
        return "none" if not gate.verdict.problems else "none; gate closed (see Approvals)"
    return ", ".join(escape_markdown(_department(r)) for r in pending)


def _department(requirement: Requirement) -> str:
    section = f" [{requirement.section}]" if requirement.section else ""
    return f"{' or '.join(requirement.departments)}{section} ({requirement.missing} more)"


def _policy_part(review: PolicyReview, gate: Gate, redlines: bool) -> list[str]:
    lines = [f"## `{review.policy}`", ""]
    if review.diff is None:
        lines += ["The policy does not load at HEAD, so its changes cannot be shown:", ""]
        lines += [f"- {_diagnostic(d)}" for d in review.load_problems]
        return lines
    diff = review.diff
    lines += _notes_part(review)
    if gate.verdict is not None:
        pending = _pending(review.policy, gate.verdict)
        lines += [
            "",
            "**Still to approve:** "
            + (", ".join(escape_markdown(_department(r)) for r in pending) or "nobody")
            + ".",
        ]
    if diff.changes:
        count = len(diff.changes)
        lines += [
            "",
            "<details open>",
            f"<summary>Clause-level changes ({count})</summary>",
            "",
            _demote(_redline_part(diff, redlines)).rstrip("\n"),
            "",
            "</details>",
        ]
    return lines


def _notes_part(review: PolicyReview) -> list[str]:
    notes = f"{review.notes} change note{'' if review.notes == 1 else 's'}"
    if not review.note_problems:
        return [f"**Change notes:** ✅ the check passes ({notes})."]
    count = len(review.note_problems)
    lines = [f"**Change notes:** ❌ {count} problem{'' if count == 1 else 's'} ({notes}):", ""]
    lines += [f"- {_diagnostic(d)}" for d in review.note_problems]
    return lines


def _redline_part(diff: PolicyDiff, redlines: bool) -> str:
    text = diffreport.render_markdown(diff)
    if redlines:
        return text
    table = text.split("\n### ", 1)[0]
    return (
        table.rstrip("\n") + "\n\nThe redlines are too long for one comment: run "
        "`policy diff BASE HEAD --format markdown` to read them.\n"
    )


def _demote(markdown: str) -> str:
    """Headings one level down, so each policy's diff sits under the policy's heading."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.split("\n"))


def _gate_part(gate: Gate) -> list[str]:
    if gate.verdict is None:
        return ["## Approvals: cannot be judged", "", escape_markdown(gate.error)]
    return [approvalreport.render_markdown(gate.verdict).rstrip("\n")]


def _diagnostic(diagnostic: Diagnostic) -> str:
    """The location, the code, the message and the hint on one line, all escaped."""
    where = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}"
    hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
    return escape_markdown(f"{where}: {diagnostic.code}: {diagnostic.message}{hint}")


def report_summary(
    reviews: Sequence[PolicyReview], changesets: Sequence[ChangeSet], gate: Gate
) -> str:
    """The report's first screen (``tools/gate/summary.py``), in the language of the first
    policy."""

    parts: list[summary.PolicyPart] = []
    language = changesets[0].versions.head.meta.model.language if changesets else "en"
    for found in changesets:
        if not found.review.changes:
            continue
        head, base = found.versions.head.meta.model, found.versions.base
        chosen = base is None or base.meta.model.effective != head.effective
        parts.append(
            summary.PolicyPart(
                policy=found.policy,
                title=head.title,
                diff=found.review,
                impact=found.review.impact,
                effective=head.effective if chosen else None,
                acknowledgement=head.acknowledgement,
            )
        )
    parts += [
        summary.PolicyPart(r.policy, r.policy, None, Impact.NONE) for r in reviews if r.diff is None
    ]
    blockers = summary.change_blockers(
        sum(1 for r in reviews if r.diff is None),
        sum(len(r.note_problems) for r in reviews),
        gate.verdict,
        gate.error,
    )
    situation = summary.Situation(language, tuple(parts), gate.verdict, blockers)
    return summary.render_markdown(summary.summarize(situation))
