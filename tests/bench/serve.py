"""The bench of ``policy serve`` (``nox -s bench`` runs it after tests/bench/run.py): 200
concurrent employees over loopback confirming 5,000 times in total (httpx, async), on SQLite
with one uvicorn worker and on PostgreSQL with two.

Each employee (an ``httpx.AsyncClient``: a browser with its cookie) opens the page of the
version to confirm and posts its form, for one invented person after another; the post is
timed, from sending to the whole answer read (the answer is the page again, *Bevestigd op*).
Then the database is read: every confirmation stored, none twice, the chain verifies. A policy
page is timed alone too (a signed-in person who still owes it: the page with its form). The
server runs as ``policy serve`` in its own process, on the shipped policy released as 1.0.0
with the project's release tooling. Writes .bench/serve.json; the targets: p99 under 300 ms
(SQLite) and 200 ms (PostgreSQL), a page under 50 ms. The client shares the machine's cores
with the server, so the figures include its own work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.attest.ackkit import KEY, released
from tests.attest.pgcluster import start_cluster
from tests.conftest import ROOT, day_epoch, run_policy
from tests.gatekit import make_keys
from tests.serve.servekit import PAGE, PENDING_DAY, form_of, free_port
from tools.attest.store import transaction, verify_chain

TARGET_P99_MS = {"sqlite": 300.0, "postgresql": 200.0}
TARGET_PAGE_MS = 50.0


def _people(count: int) -> str:
    rows = [f"{10000 + i},Persoon {i},p{i}@voorbeeld.nl,communicatie,2020-01-01,"
            for i in range(count)]  # fmt: skip
    return "employee_number,name,email,department,start_date,end_date\n" + "\n".join(rows) + "\n"


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its living children (uvicorn's workers), from
    /proc; 0 where there is none."""
    pids, total = [pid], 0.0
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


@contextmanager
def server(root: Path, url: str, workers: int) -> Iterator[tuple[str, int]]:
    """``policy serve`` on a free port of 127.0.0.1 until the block ends; its address and
    process id."""
    port = free_port()
    config = root.parent / "serve.toml"
    config.write_text("secure_cookie = false\n", encoding="utf-8")  # plain http on loopback
    env = {**os.environ, "SOURCE_DATE_EPOCH": day_epoch(PENDING_DAY), "POLICY_ACK_KEY": KEY,
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    argv = [sys.executable, "-m", "tools", "serve", "--db", url, "--port", str(port),
            "--config", str(config), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError("policy serve stopped")
            try:
                if httpx.get(base + "/", timeout=5).status_code == 401:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("policy serve did not answer") from None
                time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(30)


async def _employee(base: str, people: Sequence[int], times: list[float], codes: list[int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as web:
        for person in people:
            headers = {"X-Forwarded-Email": f"p{person}@voorbeeld.nl", "Origin": base}
            fields = form_of((await web.get(PAGE, headers=headers)).text)
            start = time.perf_counter()
            answer = await web.post("/bevestigen", data=fields, headers=headers)
            times.append(time.perf_counter() - start)
            codes.append(answer.status_code)


async def _burst(base: str, total: int, concurrent: int) -> tuple[list[float], list[int], float]:
    times: list[float] = []
    codes: list[int] = []
    shares = [list(range(i, total, concurrent)) for i in range(concurrent)]
    start = time.perf_counter()
    await asyncio.gather(*(_employee(base, share, times, codes) for share in shares))
    return times, codes, time.perf_counter() - start


def _page_ms(base: str, repeat: int = 50) -> float:
    """The median time of the page with its form (the last person's, who owes it still)."""
    headers = {"X-Forwarded-Email": "spare@voorbeeld.nl"}
    with httpx.Client(base_url=base, timeout=30) as web:
        web.get(PAGE, headers=headers)
        found = []
        for _ in range(repeat):
            start = time.perf_counter()
            assert "Ik heb het beleid gelezen" in web.get(PAGE, headers=headers).text
            found.append(time.perf_counter() - start)
    return statistics.median(found) * 1000


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _stored(url: str) -> tuple[int, bool]:
    with transaction(url) as session:
        broken, count, _ = verify_chain(session)
    return count, broken is None


def bench_one(
    root: Path, url: str, kind: str, workers: int, args: argparse.Namespace
) -> dict[str, Any]:
    people = _people(args.total) + "99999,Reserve,spare@voorbeeld.nl,communicatie,2020-01-01,\n"
    (root.parent / "people.csv").write_text(people, encoding="utf-8")
    done = run_policy("people", "import", str(root.parent / "people.csv"), "--db", url,
                      cwd=root, today=PENDING_DAY)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with server(root, url, workers) as (base, pid):
        page = _page_ms(base)
        cpu, client = cpu_seconds(pid), time.process_time()
        times, codes, wall = asyncio.run(_burst(base, args.total, args.concurrent))
        cpu, client = cpu_seconds(pid) - cpu, time.process_time() - client
    count, holds = _stored(url)
    p50, p99 = _percentile(times, 0.50), _percentile(times, 0.99)
    return {
        "database": kind, "workers": workers, "confirmations": args.total,
        "concurrent": args.concurrent, "answered_200": codes.count(200), "stored": count,
        "chain_holds": holds, "lost_or_doubled": count != args.total or codes.count(200) != count,
        "p50_ms": round(p50, 1), "p99_ms": round(p99, 1), "per_second": round(args.total / wall),
        "target_p99_ms": TARGET_P99_MS[kind], "p99_met": p99 < TARGET_P99_MS[kind],
        "page_ms": round(page, 1), "page_met": page < TARGET_PAGE_MS,
        "server_cpu_ms_per_confirmation": round(cpu * 1000 / args.total, 2),
        "client_cpu_ms_per_confirmation": round(client * 1000 / args.total, 2),
    }  # fmt: skip


def _line(r: dict[str, Any]) -> str:
    met = {True: "met", False: "not met"}
    return (
        f"serve {r['database']:<10} workers {r['workers']}: {r['confirmations']} confirmations "
        f"by {r['concurrent']} at once, {r['stored']} stored, chain "
        f"{'holds' if r['chain_holds'] else 'BROKEN'}, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} "
        f"ms (target {r['target_p99_ms']:.0f}: {met[r['p99_met']]}), {r['per_second']}/s; "
        f"page {r['page_ms']} ms (target 50: {met[r['page_met']]}); server CPU "
        f"{r['server_cpu_ms_per_confirmation']} ms a confirmation (its page and post), client "
        f"{r['client_cpu_ms_per_confirmation']} ms"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--total", type=int, default=5000)
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / ".bench" / "serve.json"))
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        tmp = Path(folder)
        root = released(tmp / "shipped", make_keys(tmp / "keys")).root
        if args.only in (None, "sqlite"):
            results.append(bench_one(root, f"sqlite:///{tmp / 'attest.db'}", "sqlite", 1, args))
        cluster = start_cluster() if args.only in (None, "postgresql") else None
        if cluster is not None:
            try:
                cluster.run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U",
                            "postgres", "bench")  # fmt: skip
                url = cluster.database_url("bench")
                results.append(bench_one(root, url, "postgresql", 2, args))
            finally:
                cluster.stop()
        elif args.only != "sqlite":
            print("serve bench: PostgreSQL is not installed; its half is skipped")
    for r in results:
        print(_line(r))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r["lost_or_doubled"] or not r["chain_holds"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
