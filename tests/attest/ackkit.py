"""The shipped policy released with the project's own release tooling, for attestation tests:
1.0.0 (the first round), a minor release (no round) and a major one (a new round)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from tests.releasekit import (
    MONITORING,
    MUST_AFTER,
    MUST_BEFORE,
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    ShippedRepo,
    new_shipped_repo,
    note,
)

KEY = "0123456789abcdef" * 4
"""The chain's key the tests give (``POLICY_ACK_KEY``): invented, 64 hexadecimal digits."""


def released(root: Path, keys: dict[str, Path]) -> ShippedRepo:
    """The shipped policy after its first release, 1.0.0 (effective 2027-01-01)."""
    repo = new_shipped_repo(root, keys)
    _release(repo)
    return repo


def release_minor(repo: ShippedRepo, today: str) -> None:
    """A should clause (sm-016) reworded, approved and released: a minor release."""
    repo.change(
        PROFESSIONAL, SHOULD_BEFORE, SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Gebruik sociale media onder werktijd *beperkt*.")},
    )  # fmt: skip
    for person in ("eva.visser", "sanne.devries"):
        repo.approve(person)
    _release(repo, today)


def release_major(repo: ShippedRepo, today: str) -> None:
    """A must clause of the monitoring section reworded, approved and released: major."""
    repo.change(
        MONITORING, MUST_BEFORE, MUST_AFTER,
        notes={"monitoring": note("[sm-048]", "De organisatie kijkt *vooral* naar openbare info.")},
    )  # fmt: skip
    for person in ("eva.visser", "fatima.yilmaz", "sanne.devries"):
        repo.approve(person)
    _release(repo, today)


def _release(repo: ShippedRepo, today: str | None = None) -> None:
    done = repo.release() if today is None else repo.release(today=today)
    assert done.returncode == 0, done.stdout + done.stderr


def index_names(engine: Engine, table: str) -> set[str]:
    """The table's indexes by name; SQLite's from its catalogue, since SQLAlchemy's inspector
    leaves out an index on an expression there (``lower(email)``, migration 0004)."""
    if engine.dialect.name == "sqlite":
        query = text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t")
        with engine.connect() as connection:
            return {str(n) for n in connection.execute(query, {"t": table}).scalars()}
    return {str(i["name"]) for i in inspect(engine).get_indexes(table)}
