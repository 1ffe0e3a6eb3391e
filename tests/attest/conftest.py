"""Every store test runs against SQLite and a real PostgreSQL (a throwaway cluster per test
session, a new database per test)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.attest.pgcluster import Cluster, start_cluster

_NAMES = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    if cluster is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, or a database in the session's cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'attest.db'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = f"test_{os.getpid()}_{next(_NAMES)}"
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return cluster.database_url(name)
