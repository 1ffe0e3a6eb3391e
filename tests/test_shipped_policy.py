"""The shipped social-media policy covers the seed's ten elements with real clauses."""

from __future__ import annotations

import re
from collections import Counter

from schema.models import NORMATIVE_LEVELS, AccountType, Level
from tests.conftest import ROOT
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot
from tools.notes.blocks import text_paragraphs
from tools.validate.policy import covered_elements
from tools.validate.repository import validate_policies

SEED_ELEMENTS = [
    "doel-en-scope",
    "verantwoordelijkheden",
    "professioneel-gedrag",
    "vertrouwelijkheid-en-privacy",
    "merkrepresentatie",
    "bedrijfsmiddelen",
    "belangenconflicten",
    "training",
    "juridische-overwegingen",
    "monitoring-en-handhaving",
]


def _policy():  # type: ignore[no-untyped-def]
    policy, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert policy is not None and not problems, problems
    return policy


def test_repository_validates() -> None:
    """The whole shipped repository has no validation errors."""
    report = validate_policies(DirSnapshot(ROOT))
    assert report.diagnostics == ()
    assert [p.id for p in report.policies] == ["social-media"]


def test_all_ten_seed_elements_have_two_normative_clauses() -> None:
    """Each of the seed's ten elements is covered by at least two normative clauses."""
    policy = _policy()
    assert [e.id for e in policy.meta.model.elements] == SEED_ELEMENTS
    counts = covered_elements(policy)
    assert all(counts[element] >= 2 for element in SEED_ELEMENTS), counts


def test_size_and_levels() -> None:
    """At least 40 clauses, most of them normative, in Dutch."""
    policy = _policy()
    clauses = [clause for _, _, clause in policy.clauses()]
    assert len(clauses) >= 40
    levels = Counter(clause.level for clause in clauses)
    assert sum(levels[level] for level in NORMATIVE_LEVELS) >= 35
    assert policy.meta.model.language == "nl"


def test_monitoring_clauses_are_flagged_and_referenced() -> None:
    """The monitoring section's clauses carry the monitoring flag and legal references."""
    policy = _policy()
    monitoring = next(s for s in policy.sections if s.model.id == "monitoring")
    assert all(clause.monitoring for clause in monitoring.model.clauses)
    laws = {ref.law for clause in monitoring.model.clauses for ref in clause.legal}
    assert any("ondernemingsraden" in law.lower() for law in laws), laws
    assert any("AVG" in law for law in laws), laws


# Duties of the organisation towards employees ("wij ..."), not of the employee: they reach
# private accounts to protect them (monitoring limits, and sm-014's support when attacked).
ORGANISATION_PROMISES = {"sm-014", "sm-048", "sm-049", "sm-050", "sm-051", "sm-052", "sm-053"}


def test_private_use_is_bound_only_where_sm005_says() -> None:
    """sm-005 lists every duty that reaches private use, and names only clauses that do: the
    rest of the policy leaves private accounts alone (a clause without applies_to is business
    and work-related). Its list may also name a request (sm-013) or the enforcement clauses
    that a private breach brings with it (sm-054 to sm-058)."""
    policy = _policy()
    clauses = {clause.id: clause for _, _, clause in policy.clauses()}
    private = {clause.id for clause in clauses.values() if AccountType.PRIVATE in clause.scope()}
    duties = {c for c in private if clauses[c].level in {Level.MUST, Level.MUST_NOT}}
    items = [block for block in text_paragraphs(clauses["sm-005"].text) if block.startswith("- ")]
    named = {found for item in items for found in re.findall(r"sm-\d{3}", item)}
    assert duties - ORGANISATION_PROMISES <= named <= private - ORGANISATION_PROMISES
    assert all(AccountType.PRIVATE not in clauses[c].scope() for c in ("sm-002", "sm-011"))
