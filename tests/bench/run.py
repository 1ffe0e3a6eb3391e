"""The benchmark runner behind ``nox -s bench``: time the ``policy`` commands on synthetic
repositories, compare them with the YAML floor and with Doorstop, print a table and the JSON.

Every measurement is a fresh process (cold: interpreter start and imports included), timed by
wall clock, with its peak memory from ``wait4`` (the process and the children it waited for,
such as git). Each command runs once unmeasured (to warm the page cache), then ``--repeat``
times, the commands of one size interleaved so that a burst of load on the shared machine
slows them alike; the median time and the highest peak memory are reported. A command the CLI
does not have yet is reported as ``n/a (command missing)``.

Ratios (``bench.json`` key ``ratios``), measured in the same run so that they hold on any
machine: validate / the floor (load the same files with ruamel's C loader, fresh process),
diff of one clause at 10,000 clauses / the same at the smallest, validate / ``doorstop -F`` on
the same items, and site build / validate, at 10,000 clauses (or the largest size); those of
``tests/bench/floors.py``: PyYAML's floor, validate's peak memory, StrictDoc; and those of
``tests/bench/startupsite.py`` (start-up CPU over an empty interpreter's, a site rebuild over the
first build).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench import doorstoptree, floors, generate, startupsite, strictdoctree

ROOT = Path(__file__).resolve().parents[2]
FLOOR_SCRIPT = Path(__file__).with_name("floor.py")
LAUNCHER_SCRIPT = Path(__file__).with_name("launcher.py")
MIB = 1024 * 1024

TARGETS = {
    "validate_vs_c_load": 1.5,
    "diff_10k_vs_1k": 1.5,
    "validate_vs_doorstop": 0.15,
    "site_vs_validate": 1.2,
}
SITE_MEMORY_TARGET_MIB = 250
_PEER_ROWS = {"strictdoc": "strictdoc export", "doorstop": "doorstop -F"}
"""The peers' rows in the report, by the name of their note."""
STARTUP_TARGET_S = 0.3


@dataclass(frozen=True)
class Command:
    """One thing to time: its name, argv, folder and the exit codes that mean it ran."""

    name: str
    argv: tuple[str, ...]
    cwd: Path
    ok: frozenset[int] = frozenset({0})
    repeat: int | None = None
    optional: bool = False
    """A failure makes this measurement n/a (with the reason) instead of stopping the run."""


@dataclass
class Result:
    name: str
    size: int | None
    seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0
    cpu: list[float] = field(default_factory=list)
    """CPU seconds per run: what the floor ratios compare (steadier than wall time when
    other work shares the machine)."""
    missing: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "clauses": self.size,
            "median_s": None if self.median is None else round(self.median, 4),
            "runs_s": [round(s, 4) for s in self.seconds],
            "median_cpu_s": round(statistics.median(self.cpu), 4) if self.cpu else None,
            "peak_mib": round(self.peak_kib / 1024, 1) if self.seconds else None,
            "missing": self.missing,
        }


class CommandError(Exception):
    """A measured command exited with an unexpected code."""


class Launcher:
    """The small process that forks each measured command (``tests/bench/launcher.py``)."""

    def __init__(self) -> None:
        env = {**os.environ, "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-S", str(LAUNCHER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def run_once(self, command: Command) -> tuple[float, int, float]:
        """Wall time, peak memory (KiB) and CPU time of one fresh run of ``command``."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"argv": list(command.argv), "cwd": str(command.cwd)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if answer["code"] not in command.ok:
            raise CommandError(
                f"{command.name}: {' '.join(command.argv)} exited {answer['code']}\n"
                f"{answer['stderr']}"
            )
        return float(answer["seconds"]), int(answer["peak_kib"]), float(answer["cpu"])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def has_command(policy: str, name: str) -> bool:
    """Whether the installed ``policy`` CLI has the subcommand ``name``."""
    found = subprocess.run(
        [policy, name, "--help"], capture_output=True, text=True, check=False, cwd=ROOT
    )
    return found.returncode == 0


def measure(
    launcher: Launcher, commands: Sequence[tuple[Command, int | None]], repeat: int
) -> list[Result]:
    """Warm up each command once, then run them all interleaved ``repeat`` times: a ratio's
    two sides (diff at 1,000 and at 10,000 clauses) are measured under the same load."""
    results = [Result(command.name, size) for command, size in commands]
    for (command, _), result in zip(commands, results, strict=True):
        try:
            launcher.run_once(command)
        except CommandError as error:
            if not command.optional:
                raise
            result.missing = f"failed: {str(error).splitlines()[0]}"
            _log(f"{error}")
    for round_number in range(max(c.repeat or repeat for c, _ in commands)):
        for (command, _), result in zip(commands, results, strict=True):
            if round_number >= (command.repeat or repeat) or result.missing:
                continue
            seconds, peak, cpu = launcher.run_once(command)
            result.seconds.append(seconds)
            result.cpu.append(cpu)
            result.peak_kib = max(result.peak_kib, peak)
    return results


def size_commands(
    policy: str, repo: Path, available: set[str], site_out: Path
) -> tuple[list[Command], list[Result]]:
    """The measurements on one synthetic repository, and those the CLI cannot run yet."""
    first = "verlof"
    one, many = generate.ONE_CLAUSE_BRANCH, generate.ONE_PERCENT_BRANCH
    commands = [
        Command("c-load floor", (sys.executable, str(FLOOR_SCRIPT), str(repo)), repo),
        Command("pyyaml floor", (sys.executable, str(FLOOR_SCRIPT), str(repo), "pyyaml"), repo),
        Command("validate", (policy, "validate"), repo),
        Command("diff 1 clause", (policy, "diff", "main", one, "--policy", first), repo),
        Command("diff 1%", (policy, "diff", "main", many, "--policy", first), repo),
        Command(
            "approvals 1 clause",
            (policy, "approvals", "main", one, "--format", "json"),
            repo,
            frozenset({0, 1}),
        ),
        Command(
            "approvals 1%",
            (policy, "approvals", "main", many, "--format", "json"),
            repo,
            frozenset({0, 1}),
        ),
        Command(
            "changelog check 1%",
            (policy, "changelog", "check", "main", many, "--policy", first),
            repo,
            frozenset({0, 1}),
        ),
        Command(
            "changelog preview",
            (policy, "changelog", "preview", "--policy", first),
            repo,
            frozenset({0, 1}),  # 1: nothing to release (main is the last release)
        ),
    ]
    missing: list[Result] = []
    if "history" in available:
        # policy history lists one policy's releases: all K releases are every policy's.
        ids = sorted(path.name for path in (repo / "policy").iterdir() if path.is_dir())
        script = " && ".join(f"{shlex.quote(policy)} history {name}" for name in ids)
        commands.append(Command("history (all releases)", ("sh", "-c", script), repo))
    else:
        missing.append(Result("history (all releases)", None, missing="command missing"))
    if "site" in available:
        out = shlex.quote(str(site_out))
        script = f"rm -rf {out} && {shlex.quote(policy)} site --out {out}"
        commands.append(Command("site", ("sh", "-c", script), repo))
        rebuild = startupsite.rebuild_argv(policy, repo, site_out)
        commands.append(Command(startupsite.REBUILD, rebuild, repo))
    else:
        missing.append(Result("site", None, missing="command missing"))
    return commands, missing


def doorstop_command(spec: generate.Spec, cache: Path, repeat: int) -> Command | str:
    """``doorstop -F`` on the spec's items, or why it cannot run."""
    program = shutil.which("doorstop", path=str(Path(sys.executable).parent)) or shutil.which(
        "doorstop"
    )
    if program is None:
        return "doorstop not installed"
    tree = doorstoptree.ensure(spec, cache)
    return Command("doorstop -F", (program, "-F"), tree, repeat=repeat, optional=True)


def strictdoc_command(spec: generate.Spec, cache: Path, program: str | None) -> Command | str:
    if program is None or shutil.which(program) is None:
        return "strictdoc not installed"
    tree = strictdoctree.ensure(spec, cache)
    return Command("strictdoc export", floors.strictdoc_argv(program, tree), tree, optional=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    launcher = Launcher()
    try:
        return _run(launcher, args)
    finally:
        launcher.close()


def _run(launcher: Launcher, args: argparse.Namespace) -> dict[str, Any]:
    policy = shutil.which("policy", path=str(Path(sys.executable).parent)) or "policy"
    available = {name for name in ("history", "site", "release") if has_command(policy, name)}
    cache = Path(args.cache).resolve()
    notes: dict[str, str] = {}
    # Measure the tool as installed, from bytecode: with PYTHONDONTWRITEBYTECODE set, an
    # editable install would otherwise compile its modules again in every measured process.
    for folder in ("tools", "schema"):
        compileall.compile_dir(ROOT / folder, quiet=2)
    commands: list[tuple[Command, int | None]] = [
        (Command(startupsite.EMPTY, startupsite.empty_argv(), ROOT), None),
        (Command("policy --version", (policy, "--version"), ROOT), None),
        (Command(startupsite.MODELS, startupsite.models_argv(FLOOR_SCRIPT), ROOT), None),
        (Command("validate (shipped policy)", (policy, "validate"), ROOT), None),
    ]
    missing: list[Result] = []
    with tempfile.TemporaryDirectory() as site_out:
        for size in sorted(args.sizes):
            spec = generate.Spec(size, args.releases, args.seed)
            started = time.perf_counter()
            repo = generate.ensure(spec, cache)
            _log(
                f"repository of {size:,} clauses, {args.releases} releases: {repo} "
                f"({time.perf_counter() - started:.1f} s)"
            )
            found, lacking = size_commands(policy, repo, available, Path(site_out) / str(size))
            commands += [(command, size) for command in found]
            missing += [Result(m.name, size, missing=m.missing) for m in lacking]
            peers = []
            if size == args.strictdoc_size:
                peers.append(("strictdoc", strictdoc_command(spec, cache, args.strictdoc)))
            if size == floors.compare_size(args.sizes) and not args.no_doorstop:
                peers.append(("doorstop", doorstop_command(spec, cache, args.repeat)))
            for peer_name, peer in peers:
                if isinstance(peer, str):  # why it cannot run
                    notes[peer_name] = peer
                    missing.append(Result(_PEER_ROWS[peer_name], size, missing=peer))
                else:
                    commands.append((peer, size))
        _log(f"measuring {len(commands)} commands x {args.repeat}, interleaved")
        results = measure(launcher, commands, args.repeat)
    results += missing
    results.sort(key=lambda r: r.size or 0)
    ratios = compute_ratios(results, min(args.sizes), floors.compare_size(args.sizes))
    ratios.update(floors.ratios(results, sorted(args.sizes), args.strictdoc_size))
    ratios.update(
        startupsite.ratios(
            lambda name, size: _median(results, name, size, cpu=True),
            sorted(args.sizes),
            _ratio,
        )
    )
    startup = {
        name: {
            "median_s": round(seconds, 3),
            "target_s": STARTUP_TARGET_S,
            "met": seconds <= STARTUP_TARGET_S,
        }
        for name in ("policy --version", "validate (shipped policy)")
        if (seconds := _median(results, name, None)) is not None
    }
    return {
        "command": " ".join(["python -m tests.bench.run", *map(shlex.quote, args.argv)]),
        "machine": machine(),
        "settings": {
            "sizes": sorted(args.sizes),
            "releases": args.releases,
            "seed": args.seed,
            "repeat": args.repeat,
        },
        "results": [result.to_json() for result in results],
        "ratios": ratios,
        "startup": startup,
        "reference": startupsite.reference(
            lambda name, size: _median(results, name, size, cpu=True)
        ),
        "notes": notes,
    }


def _median(
    results: list[Result], name: str, size: int | None, *, cpu: bool = False
) -> float | None:
    for result in results:
        if result.name == name and result.size == size:
            return statistics.median(result.cpu) if cpu and result.cpu else result.median
    return None


def _ratio(top: float | None, bottom: float | None, target: float, why: str) -> dict[str, object]:
    if top is None or bottom is None or bottom <= 0:
        return {"value": None, "target": target, "met": None, "why": why}
    value = round(top / bottom, 3)
    return {"value": value, "target": target, "met": value <= target}


def compute_ratios(results: list[Result], small: int, large: int) -> dict[str, dict[str, object]]:
    validate = _median(results, "validate", large)
    site = _median(results, "site", large)
    ratios = {
        "validate_vs_c_load": _ratio(
            validate, _median(results, "c-load floor", large), TARGETS["validate_vs_c_load"], ""
        ),
        "diff_10k_vs_1k": _ratio(
            _median(results, "diff 1 clause", large),
            _median(results, "diff 1 clause", small) if small != large else None,
            TARGETS["diff_10k_vs_1k"],
            "needs two sizes",
        ),
        "validate_vs_doorstop": _ratio(
            validate,
            _median(results, "doorstop -F", large),
            TARGETS["validate_vs_doorstop"],
            "doorstop not measured",
        ),
        # CPU time, as the floors: writing thousands of pages makes the site's wall time
        # depend on the disk and on other work on a shared machine more than validate's.
        "site_vs_validate": _ratio(
            _median(results, "site", large, cpu=True),
            _median(results, "validate", large, cpu=True),
            TARGETS["site_vs_validate"],
            "n/a (command missing: policy site)",
        ),
    }
    if site is not None and validate:
        ratios["site_vs_validate"]["wall_value"] = round(site / validate, 3)
    for result in results:
        if result.name == "site" and result.size == large and result.seconds:
            peak = round(result.peak_kib / 1024, 1)
            ratios["site_vs_validate"]["peak_mib"] = peak
            ratios["site_vs_validate"]["peak_target_mib"] = SITE_MEMORY_TARGET_MIB
            if ratios["site_vs_validate"]["met"]:
                ratios["site_vs_validate"]["met"] = peak <= SITE_MEMORY_TARGET_MIB
    return {name: {k: v for k, v in ratio.items() if v != ""} for name, ratio in ratios.items()}


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def render_table(report: dict[str, Any]) -> str:
    rows = [("measurement", "clauses", "median s", "CPU s", "peak MiB")]
    for item in report["results"]:
        size = f"{item['clauses']:,}" if item["clauses"] else "shipped"
        if item["missing"]:
            rows.append((item["name"], size, f"n/a ({item['missing']})", "", ""))
        else:
            wall, cpu = f"{item['median_s']:.3f}", f"{item['median_cpu_s']:.3f}"
            rows.append((item["name"], size, wall, cpu, f"{item['peak_mib']:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.append("")
    lines.append("| ratio | value | target | met |")
    lines.append("|---|---|---|---|")
    for name, ratio in report["ratios"].items():
        value = ratio["value"]
        shown = f"{value:.3f}" if value is not None else f"n/a ({ratio.get('why', '')})"
        target = f"<= {ratio['target']}"
        if "peak_mib" in ratio:
            shown += f" (peak {ratio['peak_mib']} MiB)"
            target += f", < {ratio['peak_target_mib']} MiB"
        met = {True: "yes", False: "NO", None: "n/a"}[ratio["met"]]
        lines.append(f"| {name} | {shown} | {target} | {met} |")
    for name, check in report["startup"].items():
        met = "yes" if check["met"] else "NO"
        lines.append(f"| start-up: {name} | {check['median_s']:.3f} s | <= 0.3 s | {met} |")
    for name, value in report.get("reference", {}).items():
        lines.append(f"| reference: {name} | {value} | (none) | - |")
    return "\n".join(lines)


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", default=str(ROOT / ".bench"))
    parser.add_argument("--output", default=str(ROOT / ".bench" / "bench.json"))
    parser.add_argument("--no-doorstop", action="store_true")
    # StrictDoc takes about 9 s for 1,000 clauses: 10,000 would add minutes to every round.
    parser.add_argument("--strictdoc-size", type=int, default=1_000)
    parser.add_argument("--strictdoc", default=shutil.which("strictdoc"))
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        report = run(args)
    except CommandError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render_table(report))
    m = report["machine"]
    print(f"\ncommand: {report['command']}")
    print(
        f"machine: {m['cpus']} CPUs, {m['cpu']}, Python {m['python']}, {m['system']}, "
        f"load average {m['load_average']}"
    )
    print(f"wrote {output}")
    missed = [n for n, r in report["ratios"].items() if r["met"] is False]
    missed += [f"start-up: {n}" for n, c in report["startup"].items() if not c["met"]]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
