"""The fuzz runner behind ``nox -s fuzz``: each target of ``targets.py`` under atheris.

``python -m tests.fuzz.run [--seconds 60] [--target NAME ...]`` runs each target in its own
process (libFuzzer ends the process when it is done) for that long, its corpus seeded from the
shipped files and the test cases and kept in ``.fuzz/<target>/corpus``; a failing input is
written to ``.fuzz/<target>/`` as ``crash-…`` (an exception) or reported as too slow (over
1 s per 100 KiB). Replay one with ``python -m tests.fuzz.run --target NAME --replay FILE``.
Exit 1 when a target found a failing input. Before fuzzing, the hostile shapes are timed
against the stricter targets: a 1 MiB CODEOWNERS resolves a path in 1 s, any parser judges a
1 MiB input in 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".fuzz"
MAX_LEN = 128 * 1024
"""Longest input libFuzzer makes (the seeds may be longer; they run as they are)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__)
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    parser.add_argument("--target", action="append", help="only this target (repeatable)")
    parser.add_argument("--replay", type=Path, help="run one input file through --target")
    parser.add_argument("--no-speed", action="store_true", help="skip the 1 MiB speed targets")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.child:
        # Before anything imports tools/: atheris instruments modules as they are imported.
        return _fuzz(args.target[0], args.seconds, rest)
    from tests.fuzz.targets import TARGETS

    names = args.target or sorted(TARGETS)
    unknown = sorted(set(names) - TARGETS.keys())
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    if args.replay:
        TARGETS[names[0]].one_input(args.replay.read_bytes())
        print(f"{args.replay}: no failure")
        return 0
    failed = False if args.no_speed else _check_speed()
    for name in names:
        failed |= _run_child(name, args.seconds, rest)
    return 1 if failed else 0


def _run_child(name: str, seconds: int, rest: Sequence[str]) -> bool:
    """One target in its own process; True when it failed. Prints libFuzzer's summary."""
    command = [sys.executable, "-m", "tests.fuzz.run", "--child", "--target", name]
    command += ["--seconds", str(seconds), *rest]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    spent = time.monotonic() - started
    log = WORK / name / "fuzz.log"
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    runs = re.findall(r"Done (\d+) runs in (\d+) second", done.stderr)
    executions = f"{runs[-1][0]} executions" if runs else "executions unknown"
    verdict = "no failure" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
    print(f"fuzz {name}: {spent:.0f} s, {executions}, {verdict}; log {log.relative_to(ROOT)}")
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-30:]
        print("\n".join(f"  {line}" for line in tail))
    return done.returncode != 0


def _fuzz(name: str, seconds: int, rest: Sequence[str]) -> int:
    import atheris  # type: ignore[import-untyped]

    with atheris.instrument_imports(include=["tools", "schema"]):
        from tests.fuzz.targets import TARGETS

    target = TARGETS[name]
    corpus = WORK / name / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in target.seeds():
        if len(seed) <= MAX_LEN:
            (corpus / hashlib.sha256(seed).hexdigest()[:16]).write_bytes(seed)
    options = [
        f"-max_total_time={seconds}",
        f"-max_len={MAX_LEN}",
        f"-artifact_prefix={WORK / name}/",
        "-print_final_stats=1",
        *rest,
        str(corpus),
    ]
    atheris.Setup([sys.argv[0], *options], target.one_input)
    atheris.Fuzz()
    return 0  # pragma: no cover - atheris.Fuzz exits the process


def _check_speed() -> bool:
    """The hostile shapes against the speed targets; True when one is too slow."""
    from tests.fuzz.targets import speed_cases

    failed = False
    for label, limit, run in speed_cases():
        started = time.process_time()  # CPU time: the machine is shared
        run()
        spent = time.process_time() - started
        ok = spent <= limit
        failed |= not ok
        print(f"speed {label}: {spent:.2f} s (limit {limit:.0f} s){'' if ok else ' TOO SLOW'}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
