"""A served site for the tests: the shipped policy released as 1.0.0 (effective 2027-01-01),
invented people imported through the CLI, and the application built through the library API,
served by uvicorn on 127.0.0.1 on a free port (in a thread of the test) and talked to over
loopback with httpx: the test is the sign-on proxy on this machine."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from tests.attest.ackkit import KEY
from tests.conftest import run_policy
from tools.attest.store_serve import open_database
from tools.base.gitio import GitRepository
from tools.serve.app import create_app
from tools.serve.config import ServeConfig
from tools.serve.gather import gather_served
from tools.serve.serve_pages import Settings

PEOPLE = """\
employee_number,name,email,department,start_date,end_date
1001,Noor Bakker,noor@voorbeeld.nl,communicatie,2020-01-01,
1002,Sem de Wit,sem@voorbeeld.nl,hr,2019-05-01,
1003,Lieke Smit,lieke@voorbeeld.nl,marketing,2021-03-01,2026-06-30
1004,Daan Kok,daan@voorbeeld.nl,marketing,2022-09-01,
"""
"""Invented people: 1003 left before the release; the others must confirm."""
PENDING_DAY = "2026-12-15"
"""A day the 1.0.0 round is open: before its effective date, so its page is versie-1.0.0.html."""
PAGE = "/social-media/versie-1.0.0.html"


def import_people(root: Path, url: str, people: str = PEOPLE, day: str = PENDING_DAY) -> None:
    csv = root.parent / "hr.csv"
    csv.write_text(people, encoding="utf-8")
    done = run_policy("people", "import", str(csv), "--db", url, cwd=root, today=day)
    assert done.returncode == 0, done.stdout + done.stderr


def settings(root: Path, url: str, config: ServeConfig | None = None, **extra: object) -> Settings:
    repo = GitRepository(root)
    return Settings(
        config or ServeConfig(secure_cookie=False), open_database(url), KEY.encode("utf-8"),
        lambda: gather_served(repo), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live(served: Settings) -> Iterator[httpx.Client]:
    """The application under uvicorn on 127.0.0.1 (a free port), stopped afterwards; a client
    for it that keeps cookies as a browser does."""
    port = free_port()
    config = uvicorn.Config(
        create_app(served), host="127.0.0.1", port=port, log_level="warning",
        access_log=False, proxy_headers=False, server_header=False,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as web:
            yield web
    finally:
        server.should_exit = True
        thread.join(20)
        served.database.close()


def origin(web: httpx.Client) -> str:
    return str(web.base_url).rstrip("/")


def signed_in(email: str, groups: str = "") -> dict[str, str]:
    headers = {"X-Forwarded-Email": email}
    return {**headers, "X-Forwarded-Groups": groups} if groups else headers


def form_of(page: str) -> dict[str, str]:
    """The hidden fields of the confirmation form on ``page``."""
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert set(fields) == {"policy", "version", "digest", "token"}, page[:2000]
    return fields


def post_form(
    web: httpx.Client, headers: Mapping[str, str], fields: Mapping[str, str],
    from_origin: str | None = None,
) -> httpx.Response:  # fmt: skip
    """The form posted as the browser does, from the page's own origin unless told."""
    sent = {**headers, "Origin": from_origin or origin(web)}
    return web.post("/bevestigen", data=dict(fields), headers=sent)
