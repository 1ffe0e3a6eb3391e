"""The bench's last step (tests/bench/summary.py): every target of every benchmark shown, the
session failed when one was missed or a benchmark wrote no report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bench.summary import main

MAIN = {
    "ratios": {
        "validate_vs_c_load": {"value": 0.96, "target": 1.5, "met": True},
        "validate_vs_doorstop": {"value": None, "target": 0.15, "met": None, "why": "absent"},
    },
    "startup": {"policy --version": {"median_s": 0.07, "target_s": 0.3, "met": True}},
}
TIMING = {"wall_s": 0.5, "cpu_s": 0.4}
ATTEST = {
    "targets_s": {"people import": 3.0, "ack status": 1.0},
    "results": {
        "SQLite": {"people import": TIMING, "ack status": {"wall_s": 1.2, "cpu_s": 0.9}},
        "PostgreSQL": "PostgreSQL is not installed",
    },
}
SERVE_RUN = {
    "database": "sqlite", "workers": 1, "confirmations": 5000, "stored": 5000,
    "chain_holds": True, "lost_or_doubled": False, "p50_ms": 80.0, "p99_ms": 250.0,
    "target_p99_ms": 300, "p99_met": True, "page_ms": 4.0, "page_met": True,
}  # fmt: skip


def _write(
    folder: Path, main_report: object, attest: object | None, serve: object = (SERVE_RUN,)
) -> None:
    (folder / "bench.json").write_text(json.dumps(main_report), encoding="utf-8")
    (folder / "serve.json").write_text(json.dumps(serve), encoding="utf-8")
    if attest is not None:
        (folder / "attest.json").write_text(json.dumps(attest), encoding="utf-8")


def test_every_target_is_shown_and_a_miss_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, MAIN, ATTEST)
    assert main(["--cache", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "| main | validate_vs_c_load | 0.960 (<= 1.5) | yes |" in out
    assert "| main | validate_vs_doorstop | n/a (absent) (<= 0.15) | n/a |" in out
    assert "| attest | people import (SQLite) | 0.50 s, cpu 0.40 s (< 3 s) | yes |" in out
    assert "| attest | ack status (PostgreSQL) | n/a (PostgreSQL is not installed) | n/a |" in out
    assert out.endswith("targets missed:\n  attest: ack status (SQLite)\n")


def test_all_met_passes_and_a_missing_report_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    met = json.loads(json.dumps(ATTEST))
    met["results"]["SQLite"]["ack status"] = TIMING
    _write(tmp_path, MAIN, met)
    assert main(["--cache", str(tmp_path)]) == 0
    assert capsys.readouterr().out.endswith("every target met\n")
    (tmp_path / "attest.json").unlink()
    assert main(["--cache", str(tmp_path)]) == 1
    assert "attest: no report (it did not finish)" in capsys.readouterr().out


def test_serve_shows_lost_confirmations_and_its_latency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    met = json.loads(json.dumps(ATTEST))
    met["results"]["SQLite"]["ack status"] = TIMING
    lost = {**SERVE_RUN, "database": "postgresql", "workers": 2, "stored": 4999}
    lost |= {"lost_or_doubled": True, "p99_ms": 2000.0, "p99_met": False, "target_p99_ms": 200}
    _write(tmp_path, MAIN, met, (SERVE_RUN, lost))
    assert main(["--cache", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "| serve | p99 of confirming (sqlite, 1 worker) | 250.0 ms, p50 80.0 ms" in out
    assert "| serve | a policy page (sqlite, 1 worker) | 4.0 ms (< 50 ms) | yes |" in out
    assert out.endswith(
        "targets missed:\n  serve: confirmations kept (postgresql, 2 workers)\n"
        "  serve: p99 of confirming (postgresql, 2 workers)\n"
    )
