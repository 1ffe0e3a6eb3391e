"""Impact classification: how material a change is for employees, with the reason why.

``major``: employees' duties or rights change (a new or stronger obligation or prohibition, a
removed clause, reworded binding text). ``minor``: new guidance or a clarification, or a
relaxation. ``patch``: editorial only, confined to whitespace, line wrapping and typography.

The rules are conservative on purpose. No edit-distance threshold ever makes a wording change
editorial: inserting "niet" is one word and reverses a duty. A lower class can only be asked for
in a change note, with a written justification, never by default. docs/cli.md lists these rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any

from schema.models import Clause, Level
from tools.compare.redline import normalize


class Impact(IntEnum):
    """Ordered, so the impact of a whole diff is the ``max`` of its changes."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


BINDING = frozenset({Level.MUST, Level.MUST_NOT})

# How strongly a level binds; must and must-not bind equally (one obliges, one forbids).
_STRENGTH = {Level.INFO: 0, Level.MAY: 1, Level.SHOULD: 2, Level.MUST: 3, Level.MUST_NOT: 3}

Verdict = tuple[Impact, str]


def classify_added(clause: Clause) -> Verdict:
    if clause.level in BINDING:
        return Impact.MAJOR, f"new {clause.level.value} clause: a new duty for employees"
    return Impact.MINOR, f"new {clause.level.value} clause: new guidance"


def classify_removed(clause: Clause) -> Verdict:
    return Impact.MAJOR, f"{clause.level.value} clause removed: a duty or a right disappears"


def classify_moved() -> Verdict:
    # Where a clause stands does not change what it asks; its words and level are compared apart.
    return Impact.PATCH, "moved: position only, the clause itself is unchanged"


def classify_modified(base: Clause, head: Clause, fields: Iterable[str]) -> Verdict:
    """The most material of the verdicts of each changed field."""
    verdicts = [_classify_field(name, base, head) for name in fields]
    return max(verdicts, key=lambda verdict: verdict[0], default=(Impact.NONE, "unchanged"))


def _classify_field(name: str, base: Clause, head: Clause) -> Verdict:
    if name == "level":
        return _classify_level(base.level, head.level)
    if name == "text":
        return _classify_text(base, head)
    if name == "applies_to":
        return _classify_scope(base, head)
    if name == "monitoring":
        return Impact.MAJOR, "monitoring flag changed: whether employees are monitored changes"
    if name in ("elements", "next_review"):
        return Impact.PATCH, f"{name} changed: bookkeeping, not read by employees"
    return classify_wording(name, getattr(base, name), getattr(head, name))


def _classify_level(base: Level, head: Level) -> Verdict:
    change = f"level {base.value} -> {head.value}"
    if {base, head} == BINDING:
        return Impact.MAJOR, f"{change}: an obligation became a prohibition or back"
    if _STRENGTH[head] > _STRENGTH[base]:
        return Impact.MAJOR, f"{change}: the clause binds more strongly"
    return Impact.MINOR, f"{change}: a relaxation"


def _classify_text(base: Clause, head: Clause) -> Verdict:
    if normalize(base.text) == normalize(head.text):
        return Impact.PATCH, "text: whitespace, line wrapping or typography only"
    if base.level in BINDING or head.level in BINDING:
        level = head.level.value if head.level in BINDING else base.level.value
        return Impact.MAJOR, f"text of a {level} clause reworded: the duty may change"
    return Impact.MINOR, f"text of a {head.level.value} clause reworded: guidance clarified"


def _classify_scope(base: Clause, head: Clause) -> Verdict:
    before, after = base.scope(), head.scope()
    if before == after:
        return Impact.PATCH, "applies_to written differently, same account types"
    widened = not after <= before
    narrowed = not before <= after
    if head.level in BINDING and widened:
        return Impact.MAJOR, "applies_to: a duty now covers more account types"
    if head.level is Level.MAY and narrowed:
        return Impact.MAJOR, "applies_to: a permission now covers fewer account types"
    return Impact.MINOR, "applies_to: the account types covered changed"


def classify_wording(name: str, base: Any, head: Any) -> Verdict:
    """A non-binding field: editorial when only whitespace and typography differ."""
    if _normalized(base) == _normalized(head):
        return Impact.PATCH, f"{name}: whitespace or typography only"
    return Impact.MINOR, f"{name} changed: clarification, no change in duties"


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, list | tuple):
        return [_normalized(item) for item in value]
    if hasattr(value, "model_dump"):
        return _normalized(list(value.model_dump().values()))
    return value


# Policy metadata: fields that only administer the policy versus fields employees read.
_ADMINISTRATIVE = frozenset(
    {
        "version",
        "effective",
        "next_review",
        "sections",
        "retired",
        "clause_prefix",
        "min_clauses_per_element",
        "elements",
    }
)
_MATERIAL = frozenset(
    {
        "notice_days",
        "acknowledgement",
        "acknowledgement_departments",
        "acknowledgement_days",
        "language",
    }
)


def classify_metadata(name: str, base: Any, head: Any) -> Verdict:
    """A field of ``policy.yaml`` or of a section (not its clauses)."""
    if name in _ADMINISTRATIVE:
        return Impact.PATCH, f"{name} changed: administrative"
    if name in _MATERIAL:
        return Impact.MINOR, f"{name} changed: how the policy is introduced or acknowledged"
    return classify_wording(name, base, head)
