"""The store on SQLite and PostgreSQL: migrations, people import through the CLI, all or
nothing, and where the database lives."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.attest.ackkit import index_names
from tests.conftest import run_policy
from tools.attest import store
from tools.attest.store import SCHEMA_HEAD, database_url, migrate
from tools.attest.tables import Base

HEADER = "employee_number,name,email,department,start_date,end_date\n"
PEOPLE = (
    HEADER
    + "1,An Eik,an@example.org,hr,2020-01-01,\n"
    + "2,Bo Kok,bo@example.org,communicatie,2021-01-01,\n"
    + "3,Cy Mol,cy@example.org,hr,2022-01-01,\n"
)


def _rows(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = "SELECT employee, name, department, end_date FROM people ORDER BY employee"
            return [tuple(r) for r in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_an_empty_database_is_upgraded_to_the_tables_of_the_code(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        assert migrate(engine) == SCHEMA_HEAD
        found = inspect(engine)
        for table in Base.metadata.sorted_tables:
            columns = {c["name"] for c in found.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
            indexes = index_names(engine, table.name)
            assert {i.name for i in table.indexes} <= indexes, table.name
        assert migrate(engine) == SCHEMA_HEAD  # at head: nothing to do
    finally:
        engine.dispose()


def _import(repo: Path, body: str, url: str, *extra: str) -> tuple[int, str, str]:
    (repo.parent / "hr.csv").write_text(body, encoding="utf-8")
    done = run_policy("people", "import", "../hr.csv", "--db", url, *extra, cwd=repo)
    return done.returncode, done.stdout, done.stderr


def test_an_import_adds_updates_and_ends_people(shipped_repo: Path, db_url: str) -> None:
    code, out, _ = _import(shipped_repo, PEOPLE, db_url)
    assert (code, out) == (0, "../hr.csv: 3 added, 0 updated, 0 ended, 0 unchanged\n")
    later = HEADER + "1,An Eik,an@example.org,communicatie,2020-01-01,\n"
    later += "3,Cy Mol,cy@example.org,hr,2022-01-01,\n4,Di Vos,di@example.org,hr,2026-11-01,\n"
    code, out, _ = _import(shipped_repo, later, db_url)
    assert out == "../hr.csv: 1 added, 1 updated, 1 ended, 1 unchanged\n"
    rows = _rows(db_url)
    assert [r[:3] for r in rows] == [
        ("1", "An Eik", "communicatie"), ("2", "Bo Kok", "communicatie"),
        ("3", "Cy Mol", "hr"), ("4", "Di Vos", "hr"),
    ]  # fmt: skip
    assert rows[1][3] is not None and rows[0][3] is None  # Bo left: ended on the import's day
    assert "Eik" not in out + _import(shipped_repo, later, db_url)[1]


def test_a_bad_export_changes_nothing_and_names_nobody(shipped_repo: Path, db_url: str) -> None:
    _import(shipped_repo, PEOPLE, db_url)
    bad = PEOPLE.replace("2021-01-01", "2021-02-30").replace("3,Cy", "1,Cy")
    code, out, err = _import(shipped_repo, bad, db_url + "")
    assert code == 1
    assert "../hr.csv:3:" in err and "../hr.csv:4:1: error[people-duplicate]" in err
    assert "Bo Kok" not in err + out and "bo@example.org" not in err + out
    assert len(_rows(db_url)) == 3


def test_an_error_before_the_commit_leaves_the_database_as_it_was(
    shipped_repo: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(shipped_repo, PEOPLE, db_url)
    before = _rows(db_url)
    real = store.apply_people

    def fail_after_writing(session: object, plan: object) -> None:
        real(session, plan)  # type: ignore[arg-type]
        raise RuntimeError("injected before the commit")

    monkeypatch.setattr(store, "apply_people", fail_after_writing)
    with pytest.raises(RuntimeError):
        _import(shipped_repo, HEADER + "9,Ed Uil,ed@example.org,hr,2026-01-01,\n", db_url)
    assert _rows(db_url) == before


KILLED = """
import os, signal, sys
from tools.attest import store
real = store.apply_people
def killed(session, plan):
    real(session, plan)
    session.flush()
    os.kill(os.getpid(), signal.SIGKILL)
store.apply_people = killed
from tools.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_import_leaves_the_database_as_it_was(shipped_repo: Path, db_url: str) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    _import(shipped_repo, PEOPLE, db_url)
    before = _rows(db_url)
    (shipped_repo.parent / "new.csv").write_text(HEADER + "9,Ed,ed@example.org,hr,2026-01-01,\n")
    done = subprocess.run(
        [sys.executable, "-c", KILLED, "people", "import", "../new.csv", "--db", db_url],
        cwd=shipped_repo, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == -9, done.stderr
    assert _rows(db_url) == before


def test_a_schema_newer_than_the_code_is_refused(shipped_repo: Path, db_url: str) -> None:
    _import(shipped_repo, PEOPLE, db_url)
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    code, _, err = _import(shipped_repo, PEOPLE, db_url)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "policy: error: the database's schema (9999) is newer than this policy tool knows "
        "(up to 0004); upgrade the tool"
    )


def test_the_database_is_never_inside_the_repository(shipped_repo: Path, tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    url = database_url(None, env, shipped_repo)
    assert url == f"sqlite:///{tmp_path / 'data' / 'policy' / 'attest.db'}"
    assert database_url(None, {**env, "POLICY_DB": "postgresql+psycopg://h/db"}, shipped_repo)
    assert database_url("x.db", env, tmp_path / "elsewhere").endswith("/x.db")
    code, _, err = _import(shipped_repo, PEOPLE, str(shipped_repo / "people.db"))
    assert code == 2 and "inside the repository" in err
    assert not (shipped_repo / "people.db").exists()


def test_a_partial_export_that_would_end_many_is_refused_unless_asked(
    shipped_repo: Path, db_url: str
) -> None:
    header, *rows = [
        "employee_number,name,email,department,start_date,end_date",
        *(f"{n},Naam {n},p{n}@example.org,hr,2020-01-01," for n in range(100, 110)),
    ]
    assert _import(shipped_repo, "\n".join([header, *rows]) + "\n", db_url)[0] == 0
    one_department = "\n".join([header, *rows[:2]]) + "\n"  # 8 of 10 would leave
    code, out, _ = _import(shipped_repo, one_department, db_url)
    assert code == 1 and "would end 8 people at once" in out and "Nothing was changed" in out
    code, out, _ = _import(shipped_repo, one_department, db_url)  # still all there
    assert code == 1 and "would end 8 people" in out
    code, out, _ = _import(shipped_repo, one_department, db_url, "--many-leavers")
    assert (code, out) == (0, "../hr.csv: 0 added, 0 updated, 8 ended, 2 unchanged\n")


def test_a_new_sqlite_store_is_readable_by_its_owner_only(
    shipped_repo: Path, tmp_path: Path
) -> None:
    db = tmp_path / "private" / "attest.db"
    code, _, _ = _import(shipped_repo, PEOPLE, str(db))
    assert code == 0
    assert db.stat().st_mode & 0o777 == 0o600  # it holds names and e-mail addresses
    assert db.parent.stat().st_mode & 0o777 == 0o700


def test_an_unreachable_database_is_one_line(shipped_repo: Path, tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    code, _, err = _import(shipped_repo, PEOPLE, url)
    assert code == 2 and "secret" not in err
    assert err.startswith("policy: error: database postgresql+psycopg://nobody:***@127.0.0.1:1/")


def test_every_migration_file_is_package_data() -> None:
    """pyproject.toml ships migrations/*.py, *.mako and versions/*.py: a file elsewhere would be
    missing from an installed tool, which could then not upgrade a database."""
    import tomllib

    from tests.conftest import ROOT

    folder = ROOT / "tools" / "attest"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["tools.attest"]
    files = {p for p in (folder / "migrations").rglob("*") if p.is_file()}
    files = {p for p in files if "__pycache__" not in p.parts}
    shipped = {p for pattern in globs for p in folder.glob(pattern)}
    assert files and files <= shipped


@pytest.mark.parametrize("url", ["nosuch://h/db", "mysql://h/db"], ids=["dialect", "driver"])
def test_an_unusable_url_is_one_line(shipped_repo: Path, url: str) -> None:
    code, _, err = _import(shipped_repo, PEOPLE, url)
    assert code == 2 and err.startswith("policy: error: ") and len(err.splitlines()) == 1


def test_a_read_only_database_is_one_line_and_unchanged(shipped_repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "attest.db"
    _import(shipped_repo, PEOPLE, str(path))
    before = _rows(f"sqlite:///{path}")
    later = PEOPLE + "4,Di Vos,di@example.org,hr,2026-11-01,\n"
    code, out, err = _import(shipped_repo, later, f"sqlite:///file:{path}?mode=ro&uri=true")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "readonly" in err.replace("-", "").replace(" ", "")
    assert _rows(f"sqlite:///{path}") == before
