"""The release job runs the last release's code, never the code of the commit it releases.

A real repository holds this project's code beside the shipped policy, with keys and signed
approvals (tests/releasekit.py). Its HEAD carries a gate patched to approve everything, a
`.ci/release-trusted` patched to release anything, and a clause change nobody approved. The
release step exactly as `.github/workflows/main.yml` and the GitLab template run it refuses
the release; HEAD's own code releases it, so the attack is real.

The trusted code runs with ``POLICY_RELEASE_INSTALL=none``: the tree of the release tag, exported
by `git archive`, first on ``sys.path`` of this interpreter, whose packages give the dependencies.
CI's default (``venv``: a new venv, ``pip install`` of that tree with its dependencies from the
index) differs only in where the dependencies come from, needs the network and takes ten seconds
or more; what is judged, and by which tree, is the same code path. One test runs the venv install
to its failure (fast, offline) for the error path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, write_tree
from tests.gatekit import email, git_as, shipped_with_keys
from tests.releasekit import (
    EPOCH,
    MONITORING,
    MUST_AFTER,
    MUST_BEFORE,
    NOTES,
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    ShippedRepo,
    note,
    repository_state,
)
from tools.base.yamlfile import parse_yaml

SCRIPT = ROOT / ".ci" / "release-trusted"
CODE = ("tools", "schema", ".ci")
CODE_FILES = ("pyproject.toml", "README.md", "noxfile.py", ".gitignore")
GATE = "tools/gate/rules.py"
STRICT = "return not self.problems and all(r.missing == 0 for r in self.required)"


def load(path: Path) -> Any:
    document, problems = parse_yaml(path.relative_to(ROOT).as_posix(), path.read_bytes())
    assert not problems, problems
    assert document is not None
    return document.data


def github_step() -> str:
    """The run block of main.yml's release step, as GitHub runs it."""
    (step,) = [
        s
        for s in load(ROOT / ".github/workflows/main.yml")["jobs"]["release"]["steps"]
        if "release-trusted" in s.get("run", "")
    ]
    return str(step["run"])


def gitlab_step() -> str:
    """The same step in the GitLab template's release job."""
    job = load(ROOT / ".gitlab/ci/policy.gitlab-ci.yml")["policy:release"]
    (step,) = [line for line in job["script"] if "release-trusted" in line]
    return str(step)


def environment(person: str = "anouk", **extra: str) -> dict[str, str]:
    """A release run by ``person`` on the tests' fixed day, with this interpreter as python3."""
    shim = Path(sys.executable).parent
    return {
        **os.environ,
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
        "NO_COLOR": "1",
        "SOURCE_DATE_EPOCH": EPOCH,
        "GIT_AUTHOR_NAME": person,
        "GIT_AUTHOR_EMAIL": email(person),
        "GIT_COMMITTER_NAME": person,
        "GIT_COMMITTER_EMAIL": email(person),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "POLICY_RELEASE_INSTALL": "none",
        "POLICY_TRUST_ROOT": "",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def ci_step(root: Path, step: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """A workflow's release step, word for word, in bash -e as the runners run it."""
    if not shutil.which("python3", path=str(Path(sys.executable).parent)):
        pytest.skip("this interpreter has no python3 name to put first on PATH")
    return subprocess.run(
        ["bash", "-e", "-c", step],
        cwd=root,
        env=environment(**extra),
        capture_output=True,
        text=True,
        check=False,
    )


def script(root: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """This branch's .ci/release-trusted (the copy a human or `nox -s release` runs)."""
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *args],
        cwd=root,
        env=environment(**extra),
        capture_output=True,
        text=True,
        check=False,
    )


def heads_own_code(root: Path) -> subprocess.CompletedProcess[str]:
    """`policy release` with the code at HEAD, as the old release job (`nox -s release`, an
    editable install of the checkout) ran it."""
    return subprocess.run(
        [sys.executable, "-m", "tools", "release", "--if-changed"],
        cwd=root,
        env={k: v for k, v in environment().items() if k != "PYTHONPATH"},
        capture_output=True,
        text=True,
        check=False,
    )


def tags(root: Path) -> list[str]:
    return git_as(root, "anouk", "tag", "--list").split()


def one_line_error(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr, done.stderr


def with_code(root: Path) -> None:
    """This project's code (the working tree's, so the code under test) in ``root``."""
    for name in CODE:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in CODE_FILES:
        shutil.copy(ROOT / name, root / name)


@pytest.fixture
def project(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    """The shipped policy and this project's code in one repository: its root commit is the
    trust root of the first release, which every department has approved (each for what it
    owns, beleidsbeheer for the code)."""
    root = tmp_path / "project"
    root.mkdir()
    write_tree(root, {f"{NOTES}/.gitkeep": ""})
    with_code(root)
    shipped_with_keys(root, keys)
    repo = ShippedRepo(root, keys)
    repo.approve_first_release()
    return repo


def test_the_ci_step_refuses_a_head_that_rewrote_its_gate(project: ShippedRepo) -> None:
    """First release from the trust root, a second from the first's tag, both with trusted
    code; then a HEAD whose gate approves everything and whose script releases anything,
    with a clause change nobody approved: the CI step refuses it (exit 1, not-approved), in
    GitHub's and GitLab's words alike; HEAD's own code would have released it."""
    root = project.root
    first = ci_step(root, github_step())
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"with the code of [0-9a-f]{40} ", first.stdout), first.stdout
    assert "social-media/v1.0.0" in tags(root)

    project.change(
        PROFESSIONAL,
        SHOULD_BEFORE,
        SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Gebruik sociale media onder werktijd *beperkt*.")},
    )
    project.approve("eva.visser")
    project.approve("sanne.devries")
    second = ci_step(root, github_step())
    assert second.returncode == 0, second.stdout + second.stderr
    assert "with the code of social-media/v1.0.0" in second.stdout
    assert "social-media/v1.1.0" in tags(root)

    gate = (root / GATE).read_text(encoding="utf-8")
    assert STRICT in gate
    monitoring = project.edit(MONITORING, MUST_BEFORE, MUST_AFTER)
    project.commit(
        {
            GATE: gate.replace(STRICT, "return True"),
            ".ci/release-trusted": "import sys\nprint('released')\nsys.exit(0)\n",
            MONITORING: monitoring,
            f"{NOTES}/monitoring.md": note("[sm-048]", "Vooral openbare informatie."),
        },
        author="mallory",
        message="Monitoring verduidelijkt",
    )
    before = repository_state(root)
    for step in (github_step(), gitlab_step()):
        refused = ci_step(root, step)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "with the code of social-media/v1.1.0" in refused.stdout
        assert "error[not-approved]" in refused.stderr, refused.stderr
        assert "hr (1 more)" in refused.stderr and "beleidsbeheer" in refused.stderr
        assert repository_state(root) == before

    # By hand, this branch's script (not HEAD's) also takes the tag's code.
    by_hand = script(root, "--dry-run")
    assert by_hand.returncode == 1 and "nog niet goedgekeurd" in by_hand.stdout

    # The attack is real: HEAD's own gate releases the unapproved change.
    attack = heads_own_code(root)
    assert attack.returncode == 0, attack.stdout + attack.stderr
    assert "social-media/v2.0.0" in tags(root)


def test_the_trusted_revision(tmp_path: Path) -> None:
    """The nearest annotated release tag; lightweight and other tags do not count; without
    one, the trust root, else the single root commit; two roots need a trust root."""
    root = tmp_path / "repo"
    root.mkdir()
    git_as(root, "anouk", "init", "-q", "-b", "main")

    def commit(message: str) -> str:
        git_as(root, "anouk", "commit", "-q", "--allow-empty", "-m", message)
        return git_as(root, "anouk", "rev-parse", "HEAD").strip()

    def trusted(*args: str, **extra: str) -> str:
        done = script(root, "--print-trusted", *args, **extra)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()[0]

    first = commit("root")
    assert trusted() == first
    second = commit("keys")
    assert trusted("--trust-root", second) == second
    assert trusted(POLICY_TRUST_ROOT=second) == second
    git_as(root, "anouk", "tag", "-a", "-m", "a 1.0.0", "a/v1.0.0")
    commit("change")
    git_as(root, "anouk", "tag", "-a", "-m", "b 1.0.0", "b/v1.0.0")
    commit("change")
    git_as(root, "anouk", "tag", "a/v9.0.0")  # lightweight: not made by policy release
    git_as(root, "anouk", "tag", "-a", "-m", "x", "v3")  # not a release tag
    assert trusted("--trust-root", second) == "b/v1.0.0"

    git_as(root, "anouk", "checkout", "-q", "--orphan", "other")
    commit("another root")
    git_as(root, "anouk", "checkout", "-q", "main")
    git_as(root, "anouk", "tag", "-d", "a/v1.0.0", "b/v1.0.0")
    git_as(root, "anouk", "merge", "-q", "--allow-unrelated-histories", "-m", "merge", "other")
    one_line_error(script(root, "--print-trusted"), "HEAD has 2 root commits")
    one_line_error(ci_step(root, github_step()), "not one root commit")
    assert trusted("--trust-root", first) == first


def bare_repo(root: Path, files: Mapping[str, str]) -> str:
    root.mkdir()
    git_as(root, "anouk", "init", "-q", "-b", "main")
    write_tree(root, files)
    git_as(root, "anouk", "add", "-A")
    git_as(root, "anouk", "commit", "-q", "-m", "root")
    return git_as(root, "anouk", "rev-parse", "HEAD").strip()


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """No repository, a trusted revision or trust root that does not exist or is not in HEAD's
    history, trusted code without the tool, a bad option: one line, exit 2."""
    one_line_error(script(tmp_path), "not a git repository")
    root = tmp_path / "repo"
    bare_repo(root, {"README.md": "x\n"})
    one_line_error(script(root, "--trusted", "nope"), "'nope' is not a commit")
    one_line_error(script(root, "--trust-root", "nope"), "'nope' is not a commit")
    one_line_error(script(root, "--install", "pip"), "invalid choice: 'pip'")
    one_line_error(script(root, POLICY_RELEASE_INSTALL="pip"), "venv or none, not 'pip'")
    one_line_error(script(root), "has no tools/ and pyproject.toml")
    one_line_error(ci_step(root, github_step()), "has no .ci/release-trusted")
    git_as(root, "anouk", "checkout", "-q", "--orphan", "other")
    git_as(root, "anouk", "commit", "-q", "--allow-empty", "-m", "elsewhere")
    git_as(root, "anouk", "checkout", "-q", "main")
    one_line_error(script(root, "--trusted", "other"), "'other' is not in HEAD's history")


def test_an_install_failure_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """The venv install (CI's default) of a trusted tree pip cannot build: exit 2, one line."""
    root = tmp_path / "repo"
    bare_repo(
        root,
        {"tools/__init__.py": "", "tools/__main__.py": "", "pyproject.toml": "[project\nname=\n"},
    )
    one_line_error(
        script(root, POLICY_RELEASE_INSTALL="venv", PIP_NO_INDEX="1"),
        "installing the trusted code failed",
    )


def test_the_ci_steps_run_nothing_of_head() -> None:
    """GitHub's and GitLab's release steps are the same words: the script comes from the
    trusted revision (git show), never from the checkout, and no step of the release job
    installs or runs the checkout (no nox, no pip install)."""
    github, gitlab = github_step(), gitlab_step()
    assert github.strip() == gitlab.strip()
    assert 'git show "$trusted:.ci/release-trusted" > "$script"' in github
    assert 'python3 -I "$script" --trusted "$trusted"' in github
    release = load(ROOT / ".github/workflows/main.yml")["jobs"]["release"]
    job = load(ROOT / ".gitlab/ci/policy.gitlab-ci.yml")["policy:release"]
    commands = [s.get("run", "") for s in release["steps"]] + [
        *job["before_script"],
        *job["script"],
    ]
    for command in commands:
        assert "nox" not in command and "pip install" not in command, command
        for line in textwrap.dedent(command).splitlines():
            runs_checkout = r"^(\S+=\S*\s+)*((python3?|bash|sh)(\s+-\w+)*\s+)?(\./)?\.ci/"
            assert not re.search(runs_checkout, line.strip()), line
