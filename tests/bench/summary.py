"""The last step of ``nox -s bench``: every target of every benchmark in one table, read from
the reports they wrote (``.bench/bench.json`` of ``run.py``, ``.bench/attest.json`` of
``attest.py``, ``.bench/serve.json`` of ``serve.py``). The session runs each benchmark to the
end even when one misses a target; this step fails it (exit 1) when any target was missed or
a benchmark wrote no report.

``python -m tests.bench.summary [--cache .bench]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REPORTS = {"main": "bench.json", "attest": "attest.json", "serve": "serve.json"}
Row = tuple[str, str, str, str]
"""(benchmark, measurement, value against its target, met: yes, NO or n/a)."""


def main_rows(report: dict[str, Any]) -> list[Row]:
    """The ratios and start-up checks of ``run.py``."""
    rows = []
    for name, ratio in report["ratios"].items():
        value = ratio["value"]
        shown = f"{value:.3f}" if value is not None else f"n/a ({ratio.get('why', '')})"
        met = {True: "yes", False: "NO", None: "n/a"}[ratio["met"]]
        rows.append(("main", name, f"{shown} (<= {ratio['target']})", met))
    for name, check in report["startup"].items():
        met = "yes" if check["met"] else "NO"
        shown = f"{check['median_s']:.3f} s (<= {check['target_s']} s)"
        rows.append(("main", f"start-up: {name}", shown, met))
    return rows


def attest_rows(report: dict[str, Any]) -> list[Row]:
    """The wall-time targets of ``attest.py``, per database."""
    rows = []
    for database, found in report["results"].items():
        for name, target in report["targets_s"].items():
            value = found.get(name) if isinstance(found, dict) else None
            if value is None:
                why = found if isinstance(found, str) else "not measured"
                rows.append(("attest", f"{name} ({database})", f"n/a ({why})", "n/a"))
                continue
            met = "yes" if value["wall_s"] < target else "NO"
            shown = f"{value['wall_s']:.2f} s, cpu {value['cpu_s']:.2f} s (< {target:g} s)"
            rows.append(("attest", f"{name} ({database})", shown, met))
    return rows


def serve_rows(report: list[dict[str, Any]]) -> list[Row]:
    """``policy serve`` under load, per database: nothing lost or doubled, p99, a page."""
    rows = []
    for run in report:
        where = f"({run['database']}, {run['workers']} worker{'s' * (run['workers'] > 1)})"
        kept = not run["lost_or_doubled"] and run["chain_holds"]
        stored = f"{run['stored']} of {run['confirmations']}, chain holds: {run['chain_holds']}"
        rows.append(("serve", f"confirmations kept {where}", stored, "yes" if kept else "NO"))
        p99 = f"{run['p99_ms']} ms, p50 {run['p50_ms']} ms (< {run['target_p99_ms']:g} ms)"
        rows.append(("serve", f"p99 of confirming {where}", p99, "yes" if run["p99_met"] else "NO"))
        page = f"{run['page_ms']} ms (< 50 ms)"
        rows.append(("serve", f"a policy page {where}", page, "yes" if run["page_met"] else "NO"))
    return rows


def summary(cache: Path) -> tuple[list[Row], list[str]]:
    """Every row, and the benchmarks that wrote no report."""
    rows: list[Row] = []
    absent = []
    for bench, file in REPORTS.items():
        path = cache / file
        if not path.exists():
            absent.append(bench)
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        rows += {"main": main_rows, "attest": attest_rows, "serve": serve_rows}[bench](report)
    return rows, absent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-summary", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", default=str(ROOT / ".bench"))
    args = parser.parse_args(argv)
    rows, absent = summary(Path(args.cache))
    print("| bench | target | value | met |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    missed = [f"{bench}: {name}" for bench, name, _, met in rows if met == "NO"]
    missed += [f"{bench}: no report (it did not finish)" for bench in absent]
    if missed:
        print("targets missed:\n  " + "\n  ".join(missed))
        return 1
    print("every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
