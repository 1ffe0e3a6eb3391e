"""A served site for the tests: the shipped policy released as 1.0.0 (effective 2027-01-01),
invented people imported through the CLI, and the application built through the library API,
talked to in-process (Starlette's TestClient, as the proxy's loopback peer) or over loopback."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from starlette.testclient import TestClient

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
HOST = "beleid.test"
ORIGIN = f"http://{HOST}"
PROXY = ("127.0.0.1", 40000)
"""The TCP peer the in-process client stands for: the sign-on proxy on this machine."""
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


def client(served: Settings, peer: tuple[str, int] = PROXY) -> TestClient:
    return TestClient(create_app(served), base_url=ORIGIN, client=peer, follow_redirects=False)


def signed_in(email: str, groups: str = "") -> dict[str, str]:
    headers = {"X-Forwarded-Email": email}
    return {**headers, "X-Forwarded-Groups": groups} if groups else headers


def form_of(page: str) -> dict[str, str]:
    """The hidden fields of the confirmation form on ``page``."""
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert set(fields) == {"policy", "version", "digest", "token"}, page[:2000]
    return fields


def post_form(
    web: TestClient, headers: Mapping[str, str], fields: Mapping[str, str], origin: str = ORIGIN
) -> object:
    return web.post("/bevestigen", data=dict(fields), headers={**headers, "Origin": origin})


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)
