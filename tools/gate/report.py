"""Rendering a gate verdict: terminal text, a Markdown pull-request comment, and JSON.

Pure; the output is sorted and holds no timestamps, so the same verdict gives the same bytes.
"""

from __future__ import annotations

import json

from tools.base.diagnostics import render_text as render_diagnostic
from tools.compare.report import escape_markdown
from tools.gate.rules import Requirement, Verdict


def to_json(verdict: Verdict) -> dict[str, object]:
    return {
        "base": verdict.base,
        "head": verdict.head,
        "complete": verdict.complete,
        "required": [
            {
                "department": " or ".join(r.departments),
                "departments": list(r.departments),
                "owners": list(r.owners),
                "section": r.section,
                "paths": list(r.paths),
                "clauses": list(r.clauses),
                "needed": r.needed,
                "approved_by": list(r.approved_by),
                "missing": r.missing,
            }
            for r in verdict.required
        ],
        "ignored": [
            {"file": i.file, "approver": i.approver, "department": i.department, "reason": i.reason}
            for i in verdict.ignored
        ],
        "problems": [d.to_json() for d in verdict.problems],
    }


def render_json(verdict: Verdict) -> str:
    return json.dumps(to_json(verdict), indent=2, ensure_ascii=False) + "\n"


def _who(verdict: Verdict, email: str) -> str:
    name = verdict.people.get(email)
    return f"{name} <{email}>" if name else email


def _status(requirement: Requirement) -> str:
    if requirement.missing == 0:
        return "approved"
    return f"{requirement.missing} more approval{'s' if requirement.missing != 1 else ''} needed"


def _heading(requirement: Requirement) -> str:
    section = f" [{requirement.section}]" if requirement.section else ""
    count = f", {requirement.needed} people" if requirement.needed > 1 else ""
    return f"{' or '.join(requirement.departments)}{section}{count}"


def render_text(verdict: Verdict) -> str:
    state = "complete" if verdict.complete else "INCOMPLETE"
    lines = [f"Approvals for {verdict.base} .. {verdict.head}: {state}"]
    if not verdict.required and not verdict.problems:
        lines.append("  nothing changed that needs approval")
    for requirement in verdict.required:
        lines.append(f"  {_heading(requirement)}: {_status(requirement)}")
        for email in requirement.approved_by:
            lines.append(f"    approved by {_who(verdict, email)}")
        for path in requirement.paths:
            lines.append(f"    {path}")
        if requirement.clauses:
            lines.append(f"    clauses: {', '.join(requirement.clauses)}")
    if verdict.ignored:
        lines.append("Ignored approvals:")
        for ignored in verdict.ignored:
            who = ", ".join(p for p in (ignored.approver, ignored.department) if p)
            lines.append(f"  {ignored.file}{f' ({who})' if who else ''}: {ignored.reason}")
    if verdict.problems:
        lines.append("Problems (the gate stays closed until they are fixed):")
        lines += ["  " + line for line in map(render_diagnostic, verdict.problems)]
    return "\n".join(lines) + "\n"


def render_markdown(verdict: Verdict) -> str:
    """A pull-request comment for the reviewers."""
    mark = "✅ complete" if verdict.complete else "❌ incomplete"
    lines = [
        f"## Approvals: {mark}",
        "",
        f"{escape_markdown(verdict.base)} → {escape_markdown(verdict.head)}",
        "",
    ]
    if verdict.required:
        lines += [
            "| Department | Needed | Approved by | Status | Files | Clauses |",
            "|---|---|---|---|---|---|",
        ]
        for r in verdict.required:
            lines.append(
                f"| {escape_markdown(_heading(r))} | {r.needed} | "
                f"{escape_markdown(', '.join(_who(verdict, e) for e in r.approved_by)) or '-'} | "
                f"{_status(r)} | {'<br>'.join(escape_markdown(p) for p in r.paths)} | "
                f"{escape_markdown(', '.join(r.clauses)) or '-'} |"
            )
    else:
        lines.append("Nothing changed that needs approval.")
    if verdict.ignored:
        lines += ["", "### Ignored approvals", ""]
        lines += [
            f"- {escape_markdown(i.file)}"
            + (
                f" ({escape_markdown(', '.join(p for p in (i.approver, i.department) if p))})"
                if i.approver or i.department
                else ""
            )
            + f": {escape_markdown(i.reason)}"
            for i in verdict.ignored
        ]
    if verdict.problems:
        lines += ["", "### Problems", ""]
        lines += [f"- {escape_markdown(render_diagnostic(d))}" for d in verdict.problems]
    return "\n".join(lines) + "\n"


def render_summary(verdict: Verdict, *, shown: int = 3) -> str:
    """A few lines per requirement: who must approve, how many files, what is missing."""
    state = "complete" if verdict.complete else "INCOMPLETE"
    lines = [f"approvals {verdict.base} .. {verdict.head}: {state}"]
    for requirement in verdict.required:
        paths = list(requirement.paths)
        listed = ", ".join(paths[:shown]) + (
            f" and {len(paths) - shown} more" if len(paths) > shown else ""
        )
        who = ", ".join(_who(verdict, e) for e in requirement.approved_by) or "nobody yet"
        lines.append(
            f"  {_heading(requirement)}: {_status(requirement)} (approved by {who}); "
            f"{len(paths)} file{'s' if len(paths) != 1 else ''}: {listed}"
        )
    lines += [f"  problem: {d.message}" for d in verdict.problems[:shown]]
    if len(verdict.problems) > shown:
        lines.append(
            f"  ... and {len(verdict.problems) - shown} more problems ('policy approvals')"
        )
    return "\n".join(lines) + "\n"
