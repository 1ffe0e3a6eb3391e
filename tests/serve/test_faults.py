"""Faults: ``policy serve`` killed with SIGKILL in the middle of a burst of confirmations.
Every confirmation that got a 2xx answer is stored exactly once, none twice, and the chain
verifies; a restarted server takes the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.attest.ackkit import KEY
from tests.conftest import ROOT, day_epoch, run_policy
from tests.serve.servekit import PAGE, PENDING_DAY, form_of, free_port, import_people, signed_in
from tools.attest.store import transaction, verify_chain

PEOPLE = 120


def people_csv() -> str:
    rows = [
        f"{5000 + i},Persoon {i},p{i}@voorbeeld.nl,communicatie,2020-01-01," for i in range(PEOPLE)
    ]
    return "employee_number,name,email,department,start_date,end_date\n" + "\n".join(rows) + "\n"


@contextmanager
def server(root: Path, url: str, workers: int = 1) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``policy serve`` in its own process on a free port of 127.0.0.1, until stopped."""
    port = free_port()
    config = root.parent / "serve.toml"
    config.write_text("secure_cookie = false\n", encoding="utf-8")  # plain http on loopback
    env = {**os.environ, "SOURCE_DATE_EPOCH": day_epoch(PENDING_DAY), "POLICY_ACK_KEY": KEY}
    process = subprocess.Popen(
        [sys.executable, "-m", "tools", "serve", "--db", url, "--port", str(port),
         "--config", str(config), "--workers", str(workers)],
        cwd=root, env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "policy serve stopped"
        try:
            if httpx.get(base + "/", timeout=2).status_code == 401:
                break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "policy serve did not answer"
            time.sleep(0.1)
    try:
        yield process, base
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(20)


def _forms(
    base: str, people: Iterable[int] = range(PEOPLE)
) -> list[tuple[httpx.Client, dict[str, str], dict[str, str]]]:
    """Each person's browser (with its cookie), headers and form."""
    found = []
    for i in people:
        web = httpx.Client(base_url=base, timeout=30)
        headers = {**signed_in(f"p{i}@voorbeeld.nl"), "Origin": base}
        found.append((web, headers, form_of(web.get(PAGE, headers=headers).text)))
    return found


def _stored(url: str) -> dict[str, int]:
    """Confirmations per employee number; and the chain holds."""
    with transaction(url) as session:
        broken, _, _ = verify_chain(session)
        rows = session.execute(
            text("SELECT p.employee, count(*) FROM confirmations c JOIN people p "
                 "ON p.id = c.person_id GROUP BY p.employee")
        ).all()  # fmt: skip
    assert broken is None
    return {str(employee): int(count) for employee, count in rows}


def test_sigkill_during_a_burst(released_root: Path, db_url: str) -> None:
    import_people(released_root, db_url, people_csv())
    answered: dict[int, int] = {}
    with server(released_root, db_url) as (process, base):
        forms = _forms(base)
        killed = threading.Event()

        def confirm(index: int) -> None:
            web, headers, fields = forms[index]
            try:
                answer = web.post("/bevestigen", data=fields, headers=headers)
                answered[index] = answer.status_code
            except httpx.TransportError:
                pass  # the server died under it: no answer, no promise
            if (
                len([c for c in answered.values() if c == 200]) >= PEOPLE // 4
                and not killed.is_set()
            ):
                killed.set()
                os.kill(process.pid, signal.SIGKILL)

        with ThreadPoolExecutor(32) as pool:
            list(pool.map(confirm, range(PEOPLE)))
        process.wait(20)
        assert process.returncode == -signal.SIGKILL
        for web, _, _ in forms:
            web.close()
    ok = {5000 + i for i, code in answered.items() if code == 200}
    assert PEOPLE // 4 <= len(ok) < PEOPLE, len(ok)
    assert all(code == 200 for code in answered.values())
    stored = _stored(db_url)
    assert all(count == 1 for count in stored.values()), "a confirmation stored twice"
    assert ok <= {int(e) for e in stored}, "a confirmation answered 200 is missing"
    # Restarted, the server takes the rest; the chain still verifies.
    rest = [i for i in range(PEOPLE) if str(5000 + i) not in stored]
    with server(released_root, db_url) as (_, base):
        for web, headers, fields in _forms(base, rest):
            assert web.post("/bevestigen", data=fields, headers=headers).status_code == 200
            web.close()
    stored = _stored(db_url)
    assert len(stored) == PEOPLE and set(stored.values()) == {1}
    verified = run_policy("ack", "verify", "--db", db_url, cwd=released_root)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{PEOPLE} confirmations" in verified.stdout


def test_two_workers_share_the_form_secret(released_root: Path, db_url: str) -> None:
    """A form one worker made is accepted by the other: each post on a new connection."""
    import_people(released_root, db_url, people_csv())
    with server(released_root, db_url, workers=2) as (_, base):
        for web, headers, fields in _forms(base, range(12)):
            cookies = dict(web.cookies)
            web.close()
            with httpx.Client(base_url=base, cookies=cookies, timeout=30) as fresh:
                answer = fresh.post("/bevestigen", data=fields, headers=headers)
                assert answer.status_code == 200, answer.text
    assert set(_stored(db_url).values()) == {1} and len(_stored(db_url)) == 12


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "beleid.intern"])
def test_dev_login_refuses_a_non_loopback_host(released_root: Path, host: str) -> None:
    done = run_policy("serve", "--dev-login", "--host", host, "--db", ":memory:",
                      cwd=released_root)  # fmt: skip
    assert done.returncode == 2
    assert "--dev-login" in done.stderr and "loopback" in done.stderr


def test_a_worker_drops_the_secrets_from_its_environment(
    released_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The chain's key and the form secret reach a worker in POLICY_SERVE; git processes the
    # worker starts later must not inherit them.
    from tools.serve.serve_io import ENVIRONMENT, Start, worker_app

    start = Start(str(released_root), f"sqlite:///{tmp_path / 'attest.db'}", None, KEY, "ab" * 32)
    monkeypatch.setenv(ENVIRONMENT, json.dumps(start.__dict__))
    app = worker_app()
    assert app.state.settings.chain_secret == KEY.encode("utf-8")
    assert ENVIRONMENT not in os.environ
