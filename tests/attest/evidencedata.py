"""Invented people and their confirmations in a real store, for the evidence's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Connection

from tests.conftest import run_policy
from tools.attest.chain import Link, person_key
from tools.attest.store import append_confirmation, transaction
from tools.attest.tables import Person

SECRET = b"0123456789abcdef0123456789abcdef"
HEADER = "employee_number,name,email,department,start_date,end_date\n"
PEOPLE = (
    HEADER
    + "101,An Eik,an@example.org,hr,2020-01-01,\n"
    + "102,Bo Kok,bo@example.org,communicatie,2021-01-01,2024-01-31\n"
    + "103,Cy Mol,cy@example.org,hr,2022-01-01,2026-06-30\n"
)
NAMES = ("An Eik", "Bo Kok", "Cy Mol", "example.org")
TODAY = "2026-12-01"


def link(employee: str, version: str = "1.0.0") -> Link:
    return Link(
        0, person_key(SECRET, employee), "social-media", version, "a" * 40, "b" * 64,
        "2026-12-01T09:30:00Z", "import",
    )  # fmt: skip


def stocked(repo: Path, url: str) -> None:
    """The three people imported through the CLI, and a confirmation by each."""
    (repo.parent / "hr.csv").write_text(PEOPLE, encoding="utf-8")
    done = run_policy("people", "import", "../hr.csv", "--db", url, cwd=repo, today=TODAY)
    assert done.returncode == 0, done.stderr
    with transaction(url) as session:
        ids = {p.employee: p.id for p in session.scalars(select(Person))}
        for employee in ("101", "102", "103"):
            assert append_confirmation(session, ids[employee], link(employee))


def sql(url: str, change: Callable[[Connection], object]) -> object:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            return change(connection)
    finally:
        engine.dispose()
