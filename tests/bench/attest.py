"""The attestation store's benchmark (issue #18), run by ``nox -s bench`` after the main one:
10,000 invented people imported (target < 3 s), ``ack verify`` of 200,000 confirmations
(< 5 s) and ``ack status`` for all policies (< 1 s), on SQLite and on a throwaway PostgreSQL
cluster (``tests/attest/pgcluster.py``).

The repository is the main benchmark's synthetic one of 1,000 clauses and 100 releases
(``generate.py``: 5 policies, about 20 releases each, every first release and some later ones
major); each person confirms the last 4 released versions of each policy, 200,000
confirmations in one chain, bulk-inserted. Each measurement is a fresh ``policy`` process
(interpreter start and imports included); the median of ``--repeat`` runs, wall time and the
process's CPU time. Prints a table with each target met or not; writes ``.bench/attest.json``.

``python -m tests.bench.attest [--repeat 3] [--people 10000]``
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from sqlalchemy import insert, select

from tests.attest.pgcluster import start_cluster
from tests.bench import generate
from tools.attest.chain import GENESIS, Link, link_hash, parse_moment, person_key
from tools.attest.store import transaction
from tools.attest.tables import Confirmation, Person

ROOT = Path(__file__).resolve().parents[2]
Timing = dict[str, float]
Results = dict[str, Timing | None]
TARGETS = {"people import": 3.0, "ack verify": 5.0, "ack status": 1.0}
SECRET = b"bench key, not a secret: 32 chars+"
STATUS_ARGV: tuple[str, ...] | None = ("ack", "status")
"""``ack status`` of every policy (None: the row reads n/a)."""
VERSIONS_PER_POLICY = 4


def policy() -> list[str]:
    script = shutil.which("policy", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "tools"]


def people_csv(count: int, departments: Sequence[str]) -> str:
    """Invented people: numbered, spread over the departments, one in ten has left."""
    lines = ["employee_number,name,email,department,start_date,end_date"]
    for n in range(1, count + 1):
        end = "2025-06-30" if n % 10 == 0 else ""
        lines.append(
            f"{n:06d},Persoon {n},p{n}@example.org,{departments[n % len(departments)]},"
            f"20{10 + n % 15:02d}-01-01,{end}"
        )
    return "\n".join(lines) + "\n"


def released(repo: Path) -> list[tuple[str, str, str]]:
    """(policy, version, tag object id) of the last ``VERSIONS_PER_POLICY`` releases of each
    policy, from the repository's tags."""
    found = subprocess.run(
        ["git", "for-each-ref", "refs/tags", "--format=%(refname:short) %(objectname)"],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    by_policy: dict[str, list[tuple[tuple[int, ...], str, str]]] = {}
    for line in filter(None, found):
        tag, objectname = line.split()
        name, version = tag.split("/v", 1)
        key = tuple(int(part) for part in version.split("."))
        by_policy.setdefault(name, []).append((key, version, objectname))
    return [
        (name, version, objectname)
        for name, tags in sorted(by_policy.items())
        for _, version, objectname in sorted(tags)[-VERSIONS_PER_POLICY:]
    ]


def fill_confirmations(url: str, versions: Sequence[tuple[str, str, str]]) -> int:
    """Every stored person confirms each of ``versions``: one chain, bulk-inserted."""
    with transaction(url) as session:
        people = list(session.execute(select(Person.id, Person.employee).order_by(Person.id)))
        rows, previous, seq = [], GENESIS, 0
        for policy_id, version, tag_object in versions:
            for person_id, employee in people:
                seq += 1
                link = Link(
                    seq, person_key(SECRET, employee), policy_id, version, tag_object,
                    "b" * 64, "2026-12-01T09:30:00Z", "import",
                )  # fmt: skip
                row_hash = link_hash(link, previous)
                rows.append({
                    "seq": seq, "person_id": person_id, "person_key": link.person_key,
                    "policy": link.policy, "version": link.version, "tag_object": link.tag_object,
                    "text_sha256": link.text_sha256, "channel": link.channel,
                    "confirmed_at": parse_moment(link.confirmed_at), "prev_hash": previous,
                    "row_hash": row_hash,
                })  # fmt: skip
                previous = row_hash
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Confirmation), rows[start : start + 20_000])
    return seq


def timed(argv: Sequence[str], cwd: Path, repeat: int, before: Callable[[], None]) -> Timing:
    """The median wall and CPU time (the process's user + system, children included: the wall
    time on a shared machine waits for other work) of ``repeat`` fresh runs; ``before`` resets
    the state each time."""
    walls, cpus = [], []
    for _ in range(repeat):
        before()
        used = _cpu()
        start = time.perf_counter()
        done = subprocess.run(
            [*policy(), *argv], cwd=cwd, capture_output=True, text=True, check=False
        )
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - used)
        if done.returncode != 0:
            raise RuntimeError(f"policy {' '.join(argv)}: exit {done.returncode}: {done.stderr}")
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus)}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(url: str, reset: Callable[[], None], repo: Path, args: argparse.Namespace) -> Results:
    db = ["--db", url]
    result: Results = {}
    imp = ["people", "import", str(args.people_csv), *db]
    result["people import"] = timed(imp, repo, args.repeat, reset)
    timed(imp, repo, 1, reset)  # the people the confirmations link to
    count = fill_confirmations(url, released(repo))
    result["ack verify"] = timed(["ack", "verify", *db], repo, args.repeat, lambda: None)
    result["ack status"] = (
        timed([*STATUS_ARGV, *db], repo, args.repeat, lambda: None) if STATUS_ARGV else None
    )
    print(f"bench attest: {count} confirmations stored", file=sys.stderr)
    return result


def sqlite_run(work: Path, repo: Path, args: argparse.Namespace) -> Results:
    path = work / "data" / "attest.db"

    def reset() -> None:
        for leftover in path.parent.glob("attest.db*"):
            leftover.unlink()

    return measure(f"sqlite:///{path}", reset, repo, args)


def postgresql_run(repo: Path, args: argparse.Namespace) -> Results | str:
    cluster = start_cluster()
    if cluster is None:
        return "PostgreSQL is not installed"
    plain = cluster.url.replace("+psycopg", "")
    try:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute("CREATE DATABASE bench")
        bench = plain.rsplit("/", 1)[0] + "/bench"

        def reset() -> None:
            with psycopg.connect(bench, autocommit=True) as connection:
                connection.execute("DROP SCHEMA public CASCADE")
                connection.execute("CREATE SCHEMA public")

        return measure(cluster.database_url("bench"), reset, repo, args)
    finally:
        cluster.stop()


def table(results: dict[str, Results | str], people: int, confirmations: int) -> str:
    lines = [
        f"attestation: {people:,} people, {confirmations:,} confirmations (median wall time; "
        "CPU time of the process beside it)",
        f"{'measurement':<16} {'database':<11} {'wall':>8} {'cpu':>8} {'target':>8}  met",
    ]
    for database, found in results.items():
        for name, target in TARGETS.items():
            value = found.get(name) if isinstance(found, dict) else None
            why = found if isinstance(found, str) else "not measured (STATUS_ARGV)"
            if value is None:
                wall = cpu = "n/a"
                met = f"n/a: {why}"
            else:
                wall, cpu = f"{value['wall_s']:.2f} s", f"{value['cpu_s']:.2f} s"
                met = "yes" if value["wall_s"] < target else "NO"
            limit = f"< {target:g} s"
            lines.append(f"{name:<16} {database:<11} {wall:>8} {cpu:>8} {limit:>8}  {met}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-attest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--cache", default=str(ROOT / ".bench"))
    parser.add_argument("--output", default=str(ROOT / ".bench" / "attest.json"))
    args = parser.parse_args(argv)
    repo = generate.ensure(generate.Spec(clauses=1_000, releases=100), Path(args.cache))
    registry = (repo / "policy" / "departments.yaml").read_text(encoding="utf-8")
    departments = re.findall(r"^\s*- id: (\S+)", registry, re.MULTILINE)
    with tempfile.TemporaryDirectory(prefix="bench-attest-") as folder:
        work = Path(folder)
        args.people_csv = work / "people.csv"
        args.people_csv.write_text(people_csv(args.people, departments), encoding="utf-8")
        results = {"SQLite": sqlite_run(work, repo, args), "PostgreSQL": postgresql_run(repo, args)}
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"targets_s": TARGETS, "results": results}, indent=2) + "\n")
    count = args.people * len(released(repo))
    print(table(results, args.people, count))
    print(f"wrote {output}")
    missed = [
        value
        for found in results.values()
        if isinstance(found, dict)
        for name, value in found.items()
        if value is not None and value["wall_s"] >= TARGETS[name]
    ]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
