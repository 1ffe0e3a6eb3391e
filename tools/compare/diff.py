"""The semantic diff of two versions of a policy: clause by clause, with impact.

Pure: it takes two loaded ``Policy`` values (either may be None, the empty policy) and returns
a ``PolicyDiff``. Clauses are matched by id: added, removed, modified (with the changed fields
and a word-level redline of the text), moved (to another section, or out of order), and a
suspected id change (a removed and an added clause whose texts are (nearly) the same). Section
files with the same git blob id on both sides are not compared clause by clause, so the work
follows the change, not the size of the policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

from schema.models import Clause, Section
from tools.base.loader import Policy
from tools.compare.impact import (
    Impact,
    classify_added,
    classify_metadata,
    classify_modified,
    classify_moved,
    classify_removed,
)
from tools.compare.redline import Segment, normalize, redline, similarity

ID_CHANGE_SIMILARITY = 0.9
"""Texts at least this alike (tokens) make a removed and an added clause a suspected id change."""

_MAX_PAIRS = 250_000
"""Above this many removed x added pairs, only exact (normalised) text matches are sought."""


@dataclass(frozen=True)
class Place:
    """Where a clause stands: its section and 1-based position in it."""

    section: str
    position: int

    def __str__(self) -> str:
        return f"{self.section} #{self.position}"


@dataclass(frozen=True)
class Change:
    """One change, to a clause (``clause`` set) or to metadata (``clause`` None)."""

    kind: str
    """added, removed, modified, moved, id-changed or metadata."""
    clause: str | None
    section: str | None
    title: str
    impact: Impact
    reason: str
    fields: tuple[str, ...] = ()
    redline: tuple[Segment, ...] | None = None
    previous_id: str | None = None
    moved_from: Place | None = None
    moved_to: Place | None = None
    base: Clause | None = None
    head: Clause | None = None
    values: tuple[Any, Any] | None = None
    """For metadata: the field's base and head values."""


@dataclass(frozen=True)
class PolicyDiff:
    policy: str
    base: str
    head: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def impact(self) -> Impact:
        return max((change.impact for change in self.changes), default=Impact.NONE)


@dataclass(frozen=True)
class _Located:
    clause: Clause
    place: Place
    order: int
    blob_id: str


def _index(policy: Policy | None) -> dict[str, _Located]:
    located: dict[str, _Located] = {}
    if policy is None:
        return located
    for order, (section, index, clause) in enumerate(policy.clauses()):
        located[clause.id] = _Located(
            clause, Place(section.model.id, index + 1), order, section.blob_id
        )
    return located


def diff_policies(
    base: Policy | None, head: Policy | None, *, base_label: str = "", head_label: str = ""
) -> PolicyDiff:
    """Every change from ``base`` to ``head``, metadata first, then clauses in reading order."""
    either = head if head is not None else base
    changes = list(_diff_metadata(base, head)) + list(_diff_sections(base, head))
    changes += _diff_clauses(_index(base), _index(head))
    return PolicyDiff(either.id if either else "", base_label, head_label, tuple(changes))


def _field_changes(
    base: BaseModel, head: BaseModel, section: str | None, title: str | None
) -> Iterator[Change]:
    """One metadata change per differing field of ``policy.yaml`` or of a section (its clauses
    are diffed apart). ``title`` None labels each change with its field name."""
    for name in type(head).model_fields:
        before, after = getattr(base, name), getattr(head, name)
        if name == "clauses" or before == after:
            continue
        impact, reason = classify_metadata(name, before, after)
        yield Change(
            "metadata",
            None,
            section,
            title or name,
            impact,
            reason,
            (name,),
            _text_redline(before, after),
            values=(before, after),
        )


def _diff_metadata(base: Policy | None, head: Policy | None) -> Iterator[Change]:
    if base is None or head is None or base.meta.blob_id == head.meta.blob_id:
        return
    yield from _field_changes(base.meta.model, head.meta.model, None, None)


def _section_change(section: Section, reason: str, values: tuple[Any, Any]) -> Change:
    return Change(
        "metadata",
        None,
        section.id,
        section.title,
        Impact.MINOR,
        reason,
        ("section",),
        values=values,
    )


def _diff_sections(base: Policy | None, head: Policy | None) -> Iterator[Change]:
    if base is None or head is None:
        return  # a whole policy added or removed: its clauses say it all
    before = {s.model.id: s for s in base.sections}
    after = {s.model.id: s for s in head.sections}
    for section_id, section in after.items():
        old = before.get(section_id)
        if old is None:
            yield _section_change(section.model, "new section", (None, section.model.title))
        elif old.blob_id != section.blob_id:
            yield from _field_changes(old.model, section.model, section_id, section.model.title)
    for section_id, section in before.items():
        if section_id not in after:
            reason = "section removed (its clauses are listed one by one)"
            yield _section_change(section.model, reason, (section.model.title, None))


def _text_redline(base: Any, head: Any) -> tuple[Segment, ...] | None:
    if isinstance(base, str) and isinstance(head, str):
        return tuple(redline(base, head))
    return None


def _diff_clauses(before: dict[str, _Located], after: dict[str, _Located]) -> list[Change]:
    removed = [before[i] for i in before if i not in after]
    added = [after[i] for i in after if i not in before]
    pairs = _pair_id_changes(removed, added)
    moved = _moved_ids(before, after)
    changes: list[tuple[int, int, Change]] = []
    for clause_id, new in after.items():
        old = before.get(clause_id)
        change: Change | None
        if old is not None:
            change = _compared(old, new, clause_id in moved)
        elif clause_id in pairs:
            change = _id_change(pairs[clause_id], new)
        else:
            change = _added(new)
        if change is not None:
            changes.append((0, new.order, change))
    paired = {located.clause.id for located in pairs.values()}
    for old in removed:
        if old.clause.id not in paired:
            changes.append((1, old.order, _removed(old)))
    return [change for _, _, change in sorted(changes, key=lambda item: item[:2])]


def _moved_ids(before: dict[str, _Located], after: dict[str, _Located]) -> set[str]:
    """Ids that changed section, or whose order among the clauses that stayed in their section
    changed (the fewest clauses that explain the new order, per section)."""
    moved = {i for i in before if i in after and before[i].place.section != after[i].place.section}
    stayed: dict[str, list[str]] = {}
    for clause_id in before:
        if clause_id in after and clause_id not in moved:
            stayed.setdefault(after[clause_id].place.section, []).append(clause_id)
    for base_order in stayed.values():
        head_order = sorted(base_order, key=lambda i: after[i].order)
        if base_order == head_order:
            continue
        matcher = SequenceMatcher(None, base_order, head_order, autojunk=False)
        in_order = {
            clause_id
            for block in matcher.get_matching_blocks()
            for clause_id in base_order[block.a : block.a + block.size]
        }
        moved.update(i for i in base_order if i not in in_order)
    return moved


def _pair_id_changes(removed: list[_Located], added: list[_Located]) -> dict[str, _Located]:
    """Added id -> the removed clause it most likely replaces (same or nearly same text)."""
    if not removed or not added:
        return {}
    exact: dict[str, _Located] = {}
    for old in removed:
        exact.setdefault(normalize(old.clause.text), old)
    pairs: dict[str, _Located] = {}
    taken: set[str] = set()
    for new in added:
        match = exact.get(normalize(new.clause.text))
        if match is not None and match.clause.id not in taken:
            pairs[new.clause.id] = match
            taken.add(match.clause.id)
    if len(removed) * len(added) > _MAX_PAIRS:
        return pairs
    scored = sorted(
        (
            (-similarity(old.clause.text, new.clause.text), new.order, old.order, new, old)
            for new in added
            if new.clause.id not in pairs
            for old in removed
            if old.clause.id not in taken
        ),
        key=lambda item: item[:3],
    )
    for score, _, _, new, old in scored:
        if -score < ID_CHANGE_SIMILARITY:
            break
        if new.clause.id not in pairs and old.clause.id not in taken:
            pairs[new.clause.id] = old
            taken.add(old.clause.id)
    return pairs


def _changed_fields(base: Clause, head: Clause) -> tuple[str, ...]:
    return tuple(
        name
        for name in type(base).model_fields
        if name != "id" and getattr(base, name) != getattr(head, name)
    )


def _added(new: _Located) -> Change:
    clause = new.clause
    return Change(
        "added",
        clause.id,
        new.place.section,
        clause.title,
        *classify_added(clause),
        head=clause,
        moved_to=new.place,
    )


def _removed(old: _Located) -> Change:
    clause = old.clause
    return Change(
        "removed",
        clause.id,
        old.place.section,
        clause.title,
        *classify_removed(clause),
        base=clause,
        moved_from=old.place,
    )


def _id_change(old: _Located, new: _Located) -> Change:
    fields = _changed_fields(old.clause, new.clause)
    impact, reason = classify_modified(old.clause, new.clause, fields)
    impact = max(impact, Impact.MINOR)
    reason = (
        f"id changed from {old.clause.id} to {new.clause.id}; ids must stay stable, keep "
        f"{old.clause.id} unless this is really a new clause" + (f" ({reason})" if fields else "")
    )
    return Change(
        "id-changed",
        new.clause.id,
        new.place.section,
        new.clause.title,
        impact,
        reason,
        ("id", *fields),
        tuple(redline(old.clause.text, new.clause.text)),
        previous_id=old.clause.id,
        moved_from=old.place,
        moved_to=new.place,
        base=old.clause,
        head=new.clause,
    )


def _compared(old: _Located, new: _Located, moved: bool) -> Change | None:
    same_file = old.blob_id == new.blob_id and old.place == new.place
    fields = () if same_file else _changed_fields(old.clause, new.clause)
    if not fields and not moved:
        return None
    clause = new.clause
    moved_from, moved_to = (old.place, new.place) if moved else (None, None)
    if not fields:
        return Change(
            "moved",
            clause.id,
            new.place.section,
            clause.title,
            *classify_moved(),
            ("section",) if old.place.section != new.place.section else ("position",),
            base=old.clause,
            head=clause,
            moved_from=moved_from,
            moved_to=moved_to,
        )
    impact, reason = classify_modified(old.clause, clause, fields)
    text_redline = tuple(redline(old.clause.text, clause.text)) if "text" in fields else None
    return Change(
        "modified",
        clause.id,
        new.place.section,
        clause.title,
        impact,
        reason,
        fields,
        text_redline,
        base=old.clause,
        head=clause,
        moved_from=moved_from,
        moved_to=moved_to,
    )
