"""The bench's start-up and incremental-site measurements (issue 21), beside ``run.py``.

Start-up: the CPU time (user and system, git's processes included) of ``policy --version`` and
of a one-clause ``policy diff`` and ``policy approvals`` at the worst size, each over an empty
interpreter's (``python -c pass``) in the same run. The site: a rebuild after a one-clause
release (``tests/bench/siterelease.py``) over the first build's CPU time.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.bench import siterelease

EMPTY = "python -c pass"
MODELS = "import pydantic, build the models"
"""For reference, not a target: what importing Pydantic and building the validators of the
models every command reads with costs, before any file is read (``floor.py - models``)."""
REBUILD = "site rebuild 1 clause x2"
"""Two rebuilds per run: the release, then back (each a one-clause change); halved."""
TARGETS = {
    "site_rebuild_vs_first": 0.4,
    "version_cpu_vs_empty": 2.0,
    "diff_cpu_vs_empty": 6.0,
    "approvals_cpu_vs_empty": 6.0,
}

Ratio = Callable[[float | None, float | None, float, str], dict[str, object]]
Lookup = Callable[[str, int | None], float | None]


def empty_argv() -> tuple[str, ...]:
    return (sys.executable, "-c", "pass")


def models_argv(floor_script: Path) -> tuple[str, ...]:
    return (sys.executable, str(floor_script), "-", "models")


def reference(cpu: Lookup) -> dict[str, float | None]:
    """The models' cost over an empty interpreter's, in CPU time (None: not measured)."""
    models, empty = cpu(MODELS, None), cpu(EMPTY, None)
    value = round(models / empty, 3) if models and empty else None
    return {"models_cpu_vs_empty": value}


def rebuild_argv(policy: str, repo: Path, site_out: Path) -> tuple[str, ...]:
    """Two rebuilds of a site built here first: with one more release that rewords a clause
    (a copy of ``repo``), then back; each keeps the pages of the policies that did not change."""
    copy = siterelease.ensure(repo)
    out = site_out.with_name(f"{site_out.name}-rebuild")
    subprocess.run([policy, "site", "--out", str(out)], cwd=repo, check=True, capture_output=True)
    there = f"{shlex.quote(policy)} -C {shlex.quote(str(copy))} site --out {shlex.quote(str(out))}"
    back = f"{shlex.quote(policy)} site --out {shlex.quote(str(out))}"
    return ("sh", "-c", f"{there} && {back}")


def ratios(cpu: Lookup, sizes: Sequence[int], ratio: Ratio) -> dict[str, object]:
    """The ratios of this module, in CPU time: ``cpu`` looks a measurement up by name and size
    (None: not measured); ``ratio`` is the runner's."""
    empty = cpu(EMPTY, None)
    version = cpu("policy --version", None)
    found = {"version_cpu_vs_empty": ratio(version, empty, TARGETS["version_cpu_vs_empty"], "")}
    for key, name in (("diff", "diff 1 clause"), ("approvals", "approvals 1 clause")):
        worst = max((cpu(name, size) or 0.0 for size in sizes), default=0.0)
        target = TARGETS[f"{key}_cpu_vs_empty"]
        found[f"{key}_cpu_vs_empty"] = ratio(worst or None, empty, target, "not measured")
    # Judged where site / validate is (10,000 clauses when measured): the rebuild's share
    # falls as a repository grows, so the largest size alone would flatter it.
    judged = 10_000 if 10_000 in sizes else max(sizes)
    for size in sorted({judged, max(sizes)}):
        rebuilds, first = cpu(REBUILD, size), cpu("site", size)
        name = "site_rebuild_vs_first" + ("" if size == judged else f"_{size // 1000}k")
        found[name] = ratio(
            rebuilds / 2 if rebuilds else None,
            first,
            TARGETS["site_rebuild_vs_first"],
            "n/a (command missing: policy site)",
        )
    return {name: {k: v for k, v in r.items() if v != ""} for name, r in found.items()}
