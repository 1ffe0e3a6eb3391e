"""A clause without ``applies_to`` covers business and work-related use, never private use."""

from __future__ import annotations

from schema.models import DEFAULT_SCOPE, AccountType, Clause, Level
from tools.compare import impact


def _clause(level: Level, applies_to: list[AccountType] | None = None) -> Clause:
    return Clause(id="sm-001", title="T", level=level, text="Je doet iets.", applies_to=applies_to)


def test_the_default_scope_leaves_private_use_alone() -> None:
    """Left out, the scope is zakelijk and persoonlijk-zakelijk; written, it is what it says."""
    assert _clause(Level.MUST).scope() == DEFAULT_SCOPE
    assert AccountType.PRIVATE not in DEFAULT_SCOPE
    assert {AccountType.COMPANY, AccountType.PERSONAL_PROFESSIONAL} == DEFAULT_SCOPE
    private = _clause(Level.MUST, [AccountType.PRIVATE])
    assert private.scope() == {AccountType.PRIVATE}


def test_the_diff_reads_the_default_scope() -> None:
    """Writing out the default is editorial; extending a duty to private use is major."""
    implicit = _clause(Level.MUST)
    explicit = _clause(Level.MUST, sorted(DEFAULT_SCOPE))
    everything = _clause(Level.MUST, list(AccountType))
    assert impact.classify_modified(implicit, explicit, ["applies_to"])[0] is impact.Impact.PATCH
    widened = impact.classify_modified(implicit, everything, ["applies_to"])
    assert widened == (impact.Impact.MAJOR, "applies_to: a duty now covers more account types")
