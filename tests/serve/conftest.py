"""The serve tests: one released repository per session; the store on SQLite and PostgreSQL
(the fixtures of tests/attest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attest.ackkit import released
from tests.attest.conftest import db_url, pg_cluster  # noqa: F401  (the store's fixtures)
from tests.conftest import day_epoch
from tests.serve.servekit import PENDING_DAY


@pytest.fixture(scope="session")
def released_root(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> Path:
    """The shipped policy released as 1.0.0 with the project's release tooling."""
    return released(tmp_path_factory.mktemp("serve") / "shipped", keys).root


@pytest.fixture
def pending_day(monkeypatch: pytest.MonkeyPatch) -> str:
    """The clock on a day the 1.0.0 round is open."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day_epoch(PENDING_DAY))
    return PENDING_DAY
