"""A planned release as its first screen (``policy release --dry-run``): the plan's facts
turned into the plain data ``tools/gate/summary.py`` summarizes."""

from __future__ import annotations

from tools.base.diagnostics import Diagnostic
from tools.gate.summary import Blocker, PolicyPart, Situation, render_text, summarize
from tools.release.plan import Facts, ReleasePlan


def situation(facts: Facts, plan: ReleasePlan) -> Situation:
    meta = facts.head.meta.model
    part = PolicyPart(
        policy=plan.policy,
        title=meta.title,
        diff=facts.since_release,
        impact=plan.impact,
        version=plan.version,
        previous=plan.previous,
        effective=plan.effective,
        acknowledgement=meta.acknowledgement,
    )
    validation, notes = set(facts.problems), set(facts.note_problems)
    blockers = tuple(_blocker(b, validation, notes) for b in plan.blockers)
    return Situation(
        language=meta.language,
        parts=(part,),
        verdict=plan.verdict,
        blockers=blockers,
        release=f"policy release {plan.policy}",
        policy=plan.policy,
    )


def _blocker(
    diagnostic: Diagnostic, validation: set[Diagnostic], notes: set[Diagnostic]
) -> Blocker:
    """Validation and change-note problems have codes of their own: one kind each."""
    kind = (
        "invalid"
        if diagnostic in validation
        else "change-notes"
        if diagnostic in notes
        else diagnostic.code
    )
    return Blocker(kind, diagnostic.message, diagnostic.hint)


def render(facts: Facts, plan: ReleasePlan) -> str:
    """The summary as terminal text."""
    return render_text(summarize(situation(facts, plan)))
