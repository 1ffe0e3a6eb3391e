"""The synthetic repository as StrictDoc documents, to time ``strictdoc export`` on the same
clauses.

One ``.sdoc`` document per policy, a ``[[SECTION]]`` per section file and a ``[REQUIREMENT]``
per clause (its id as ``UID``, title, level and text as ``STATEMENT``); a clause's ``see``
references become ``Parent`` relations, which StrictDoc resolves and checks as ``policy
validate`` checks references.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.bench.generate import GENERATOR_VERSION, Clause, PolicyData, Spec, plan_history


def _requirement(clause: Clause) -> list[str]:
    lines = [
        "[REQUIREMENT]",
        f"UID: {clause.id.upper()}",
        f"STATUS: {clause.level}",
        f"TITLE: {clause.title}",
        "STATEMENT: >>>",
        clause.text,
        "<<<",
    ]
    if clause.see:
        lines.append("RELATIONS:")
        for ref in clause.see:
            lines += ["- TYPE: Parent", f"  VALUE: {ref.upper()}"]
    return [*lines, ""]


def render_document(policy: PolicyData) -> str:
    """A policy as one StrictDoc document."""
    lines = ["[DOCUMENT]", f"TITLE: {policy.title}", ""]
    for section in policy.sections:
        lines += ["[[SECTION]]", f"TITLE: {section.title}", ""]
        for clause in section.clauses:
            lines += _requirement(clause)
        lines += ["[[/SECTION]]", ""]
    return "\n".join(lines)


def ensure(spec: Spec, cache: Path) -> Path:
    """The StrictDoc documents of ``spec``'s clauses (as at the last release), built once; the
    folder to export is ``docs`` inside it."""
    folder = cache / f"strictdoc-n{spec.clauses}-k{spec.releases}-s{spec.seed}-g{GENERATOR_VERSION}"
    done = folder / "bench-complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    _, policies, _ = plan_history(spec)
    (folder / "docs").mkdir(parents=True)
    for policy in policies:
        (folder / "docs" / f"{policy.id}.sdoc").write_text(
            render_document(policy), encoding="utf-8"
        )
    done.write_text("ok\n", encoding="utf-8")
    return folder
