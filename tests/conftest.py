"""Shared fixtures: a small, valid policy repository written to a temp dir, and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MINI_FILES: dict[str, str] = {
    "policy/departments.yaml": """\
organisation: Test B.V.
departments:
  - id: hr
    name: HR
    handle: "@test/hr"
    members:
      - name: Eva Visser
        email: eva@test.nl
  - id: communicatie
    name: Communicatie
    handle: "@test/communicatie"
    members:
      - name: Daan Jansen
        email: daan@test.nl
""",
    "CODEOWNERS": """\
*                 @test/hr
/policy/mini/     @test/communicatie
""",
    "policy/mini/policy.yaml": """\
id: mini
title: Mini
version: 1.0.0
language: nl
effective: 2027-01-01
next_review: 2028-01-01
clause_prefix: mi
summary: Een klein beleid voor tests.
audience: Iedereen.
notice_days: 30
contact: hr
min_clauses_per_element: 1
elements:
  - id: gedrag
    title: Gedrag
  - id: privacy
    title: Privacy
sections:
  - algemeen
  - privacy
""",
    "policy/mini/sections/algemeen.yaml": """\
id: algemeen
title: Algemeen
elements:
  - gedrag
clauses:
  - id: mi-001
    title: Wees beleefd
    level: must
    text: Je bent beleefd op sociale media.
    see:
      - mi-002
  - id: mi-003
    title: Uitleg
    level: info
    text: Dit is uitleg.
""",
    "policy/mini/sections/privacy.yaml": """\
id: privacy
title: Privacy
elements:
  - privacy
contact: communicatie
clauses:
  - id: mi-002
    title: Geen klantgegevens
    level: must-not
    text: Je deelt geen gegevens van klanten.
""",
}


def write_tree(root: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write files (None deletes) under root and return root."""
    for relative, content in files.items():
        path = root / relative
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def mini_repo(tmp_path: Path) -> Callable[..., Path]:
    """Factory: the mini repository with some files replaced."""

    def make(overrides: Mapping[str, str | bytes | None] | None = None) -> Path:
        repo = tmp_path / "repo"
        shutil.rmtree(repo, ignore_errors=True)
        write_tree(repo, MINI_FILES)
        return write_tree(repo, overrides or {})

    return make


@pytest.fixture
def shipped_repo(tmp_path: Path) -> Path:
    """A copy of this repository's policies and CODEOWNERS."""
    target = tmp_path / "shipped"
    shutil.copytree(ROOT / "policy", target / "policy")
    shutil.copy(ROOT / "CODEOWNERS", target / "CODEOWNERS")
    return target


def policy_command() -> list[str]:
    """The installed console script when present, else the module (same CLI)."""
    script = shutil.which("policy", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "tools"]


def run_policy(*args: str, cwd: Path, today: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``policy`` CLI as a user would, in this process (``run_cli``); ``today``
    (``2027-02-01``): the day its clock reads (``SOURCE_DATE_EPOCH``, noon UTC)."""
    env = {**os.environ, "NO_COLOR": "1"}
    if today is not None:
        env["SOURCE_DATE_EPOCH"] = day_epoch(today)
    return run_cli(list(args), cwd=cwd, env=env)


def run_cli(
    args: Sequence[str], *, cwd: Path, env: Mapping[str, str], wrapper: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """The ``policy`` CLI with ``args`` in folder ``cwd`` with environment ``env``: in this
    process (``tools.cli.main.main``, as the console script calls it), which spares a Python
    start and the imports per call; in a subprocess when a ``wrapper`` (``faketime``) must run
    it. An exception the CLI lets escape fails the test with its traceback."""
    if wrapper:
        return subprocess.run(
            [*wrapper, *policy_command(), *args],
            cwd=cwd, capture_output=True, text=True, env=dict(env), check=False,
        )  # fmt: skip
    from tools.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            # Fresh string objects, as sys.argv holds: argparse tells a value given from its
            # default by identity (``--bump auto`` against the default "auto").
            code = _exit_code(main, [arg.encode().decode() for arg in args])
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["policy", *args], code, out.getvalue(), err.getvalue())


def _exit_code(main: Callable[[Sequence[str]], int], args: Sequence[str]) -> int:
    """What the process would exit with: argparse's ``--help`` and usage errors exit."""
    try:
        return main(list(args))
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1


def day_epoch(day: str, time: str = "12:00:00") -> str:
    """``SOURCE_DATE_EPOCH`` for that day (``2027-02-01``) at that time (UTC)."""
    return str(int(dt.datetime.fromisoformat(f"{day}T{time}+00:00").timestamp()))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from the current output; review with git diff",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@test.nl",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@test.nl",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True
    )
    return result.stdout


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An SSH key per person of tests/gatekit.py, made by ssh-keygen once per test run."""
    from tests.gatekit import make_keys

    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def mini_released(mini_repo: Callable[..., Path]) -> Path:
    """The mini policy, committed on main and released as 1.0.0 (tag mini/v1.0.0)."""
    root = mini_repo()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "mini 1.0.0")
    git(root, "tag", "mini/v1.0.0")
    return root
