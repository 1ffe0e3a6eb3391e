"""The bench's ratios to the physical floor and to StrictDoc, beside those of ``run.py``, in
CPU time (the process and its children: steadier than wall time on a shared machine).

validate / PyYAML's ``CSafeLoader`` loading the same files (``floor.py pyyaml``) at 10,000
clauses and more, validate's peak memory at the largest size, and validate / ``strictdoc
export`` at one size (StrictDoc's JSON export: it parses and checks every document, as validate
does, and writes little; one process, its cache removed before each run).
"""

from __future__ import annotations

import shlex
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

PYYAML_TARGET = 1.3
MEMORY_TARGET_MIB = 100
STRICTDOC_TARGET = 0.15
COMPARE_SIZE = 10_000
"""The size of the ratios measured before 50,000 clauses were, and of Doorstop's."""


class Measured(Protocol):
    """A command's result in ``run.py``."""

    name: str
    size: int | None
    peak_kib: int
    cpu: list[float]


def compare_size(sizes: Sequence[int]) -> int:
    return COMPARE_SIZE if COMPARE_SIZE in sizes else max(sizes)


def strictdoc_argv(program: str, tree: Path) -> tuple[str, ...]:
    out = shlex.quote(str(tree / "out"))
    export = f"{shlex.quote(program)} export --formats json --no-parallelization --output-dir"
    return ("sh", "-c", f"rm -rf {out} && {export} {out} docs")


def _ratio(top: float | None, bottom: float | None, target: float, why: str) -> dict[str, object]:
    if top is None or bottom is None or bottom <= 0:
        return {"value": None, "target": target, "met": None, "why": why}
    value = round(top / bottom, 3)
    return {"value": value, "target": target, "met": value <= target}


def ratios(
    results: Sequence[Measured], sizes: list[int], strictdoc_size: int
) -> dict[str, dict[str, object]]:
    def median(name: str, size: int) -> float | None:
        found = [r.cpu for r in results if (r.name, r.size) == (name, size) and r.cpu]
        return statistics.median(found[0]) if found else None

    peak_kib = max(
        (r.peak_kib for r in results if (r.name, r.size) == ("validate", sizes[-1])), default=0
    )
    found = {
        f"validate_vs_pyyaml_{size // 1000}k": _ratio(
            median("validate", size), median("pyyaml floor", size), PYYAML_TARGET, "no PyYAML"
        )
        for size in sizes
        if size >= COMPARE_SIZE or size == sizes[-1]
    }
    peak = round(peak_kib / 1024, 1) if peak_kib else None
    found[f"validate_peak_mib_{sizes[-1] // 1000}k"] = _ratio(
        peak, 1.0, MEMORY_TARGET_MIB, "validate not measured"
    )
    found[f"validate_vs_strictdoc_{strictdoc_size // 1000}k"] = _ratio(
        median("validate", strictdoc_size),
        median("strictdoc export", strictdoc_size),
        STRICTDOC_TARGET,
        "strictdoc not measured",
    )
    return found
