"""The fuzz harness (``nox -s fuzz``, tests/fuzz/) is itself tested: each target's one-input
function runs over its seed corpus without an exception."""

from __future__ import annotations

import pytest

from tests.fuzz.targets import TARGETS, Target, budget


@pytest.mark.parametrize("target", TARGETS.values(), ids=lambda t: t.name)
def test_seed_corpus_passes(target: Target) -> None:
    """Every seed, the shipped files and the hostile shapes alike, is judged without an
    exception (untimed: the fuzzer holds the time budget)."""
    seeds = list(target.seeds())
    assert len(seeds) >= 3
    for seed in seeds:
        target.check(seed)
        if target.reference is not None:
            target.reference(seed)


def test_budget_is_one_second_per_100_kib_started() -> None:
    assert [budget(n) for n in (0, 100 * 1024, 100 * 1024 + 1, 1024 * 1024)] == [1, 1, 2, 11]
