"""policy init and policy new through the CLI, in real folders and git repositories."""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.adopt import wordkit
from tests.conftest import day_epoch, git, run_policy
from tools.adopt.scaffold import template
from tools.base.gitio import GitRepository

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """git's identity and the clock: policy init commits."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Anouk Mulder")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "anouk@naam.nl")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day_epoch("2027-03-01"))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but git's own, with its content."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(folder).parts[:1]
    }


def init(tmp_path: Path, name: str = "beleid") -> Path:
    done = run_policy(
        "init", name, "--org", "Naam B.V.", "--tool", "policy-as-code==1.0", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return tmp_path / name


def test_init_makes_a_repository_that_passes_the_checks(tmp_path: Path) -> None:
    repo = init(tmp_path)
    log = git(repo, "log", "--format=%s%n%b")
    assert log.startswith("Start the policy repository of Naam B.V.")
    assert "Policy-Init: Naam B.V." in log
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "branch", "--show-current").strip() == "main"
    for name in (".github/workflows/main.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml",
                 "schema/policy.schema.json", "noxfile.py", ".gitignore", "README.md"):  # fmt: skip
        assert (repo / name).is_file(), name
    assert not (repo / "tools").exists()
    for command in check_session_commands([]):
        done = run_policy(*command, cwd=repo)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    validated = run_policy("validate", cwd=repo)
    assert "no policy yet: start one with policy new" in validated.stdout


def test_init_gives_the_same_commit_for_the_same_input(tmp_path: Path) -> None:
    first, second = init(tmp_path, "a"), init(tmp_path, "b")
    assert git(first, "rev-parse", "HEAD") == git(second, "rev-parse", "HEAD")


def test_init_again_on_its_own_repository_changes_nothing(tmp_path: Path) -> None:
    repo = init(tmp_path)
    (repo / "policy" / "departments.yaml").write_text("edited\n", encoding="utf-8")
    before = tree(repo)
    again = run_policy("init", "--org", "Ander", cwd=repo)
    assert again.returncode == 0
    assert "already a policy repository (policy init, first commit" in again.stdout
    assert tree(repo) == before


def test_init_in_an_empty_folder_and_with_dash_c(tmp_path: Path) -> None:
    (tmp_path / "leeg").mkdir()
    done = run_policy("-C", "leeg", "init", "--org", "Naam B.V.", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "leeg" / "CODEOWNERS").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leeg"]


@pytest.mark.parametrize("kind", ["files", "other-repository"])
def test_init_refuses_a_folder_it_did_not_make(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "bestaand"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    if kind == "other-repository":
        git(folder, "init", "-q")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "mine")
    before = tree(folder)
    done = run_policy("init", "bestaand", "--org", "Naam B.V.", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"policy: error: {folder} is not empty and not a repository that policy init made; "
        "give a new or empty folder"
    ]
    assert tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestaand"]


def test_a_failed_init_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> GitRepository:
        raise subprocess.CalledProcessError(128, ["git", "commit"])

    monkeypatch.setattr(GitRepository, "create", fail)
    done = run_policy("init", "nieuw/beleid", "--org", "Naam B.V.", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("policy: error: git could not make the first commit: ")
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_a_bad_organisation_name(tmp_path: Path) -> None:
    done = run_policy("init", "x", "--org", "  ", cwd=tmp_path)
    assert done.returncode == 2
    assert "give one line of visible text" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_adds_a_policy_that_validates(tmp_path: Path) -> None:
    repo = init(tmp_path)
    done = run_policy("new", "thuiswerken", "--title", "Thuiswerkbeleid", "--owner", "@naam/hr",
                      cwd=repo)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (repo / "changelog/thuiswerken/unreleased/.gitkeep").is_file()
    text = (repo / "policy/thuiswerken/policy.yaml").read_text(encoding="utf-8")
    assert "clause_prefix: th\n" in text and "contact: hr\n" in text
    assert "effective: 2027-03-31\n" in text
    codeowners = (repo / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^/policy/thuiswerken/ +@naam/hr$", codeowners, re.M)
    assert re.search(r"^/changelog/thuiswerken/ +@naam/hr$", codeowners, re.M)
    validated = run_policy("validate", cwd=repo)
    assert validated.returncode == 0, validated.stdout
    assert "thuiswerken 1.0.0: 1 clauses, 1 elements covered" in validated.stdout
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Thuiswerkbeleid")
    for command in check_session_commands(["thuiswerken"]):
        done = run_policy(*command, cwd=repo)
        # release --dry-run: 1 is "not releasable yet" (approvals missing), as in the session
        assert done.returncode in ((0, 1) if "--dry-run" in command else (0,)), done.stderr


def test_new_without_owner_takes_the_catch_all_owner(tmp_path: Path) -> None:
    repo = init(tmp_path)
    assert run_policy("new", "privacy", "--title", "Privacy", cwd=repo).returncode == 0
    codeowners = (repo / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^/policy/privacy/ +@naam/beleidsbeheer$", codeowners, re.M)
    assert "contact: beleidsbeheer\n" in (repo / "policy/privacy/policy.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["thuiswerken", "--title", "T"],
         "policy 'thuiswerken' exists already (policy/thuiswerken/)"),
        (["tweede", "--title", "T", "--prefix", "th"],
         "clause prefix 'th' is used by policy 'thuiswerken'; give another with --prefix"),
        (["anders", "--title", "T", "--owner", "@naam/niemand"],
         "owner @naam/niemand is no department's handle in policy/departments.yaml; known: "
         "@naam/beleidsbeheer, @naam/hr, @naam/juridisch"),
        (["Fout_ID", "--title", "T"], "argument ID: 'Fout_ID' is not a policy id"),
        (["goed", "--title", "T", "--prefix", "X"],
         "argument --prefix: 'X' is not a clause prefix"),
    ],
)  # fmt: skip
def test_new_refuses_in_one_line_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    repo = init(tmp_path)
    assert run_policy("new", "thuiswerken", "--title", "Thuis", cwd=repo).returncode == 0
    before = tree(repo)
    done = run_policy("new", *args, cwd=repo)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("policy: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"policy: error: {message}"), done.stderr
    assert tree(repo) == before


def test_new_refuses_a_taken_changelog_folder(tmp_path: Path) -> None:
    repo = init(tmp_path)
    (repo / "changelog" / "oud").mkdir()
    done = run_policy("new", "oud", "--title", "Oud", cwd=repo)
    assert done.returncode == 2
    assert not (repo / "policy" / "oud").exists()


def check_session_commands(policies: list[str]) -> list[list[str]]:
    """The ``policy`` commands the new repository's ``nox -s check`` runs, read from its
    noxfile (``session.run("policy", ...)``; the loop variable stands for each policy)."""
    module = ast.parse(template("noxfile.py.in"))
    check = next(n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "check")
    commands = []
    for node in ast.walk(check):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run":
            words = [a.value if isinstance(a, ast.Constant) else "{policy}" for a in node.args]
            assert words[0] == "policy"
            if "{policy}" in words:
                commands += [[w.replace("{policy}", p) for w in words[1:]] for p in policies]
            else:
                commands.append([str(w) for w in words[1:]])
    assert ["validate"] in commands
    return commands


def readme_steps(start: str) -> list[str]:
    """The shell lines of the README's "Starting your own repository", the policy started
    with ``start`` (``import``, or ``new`` from the commented alternative)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Starting your own repository\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    steps = []
    for line in block.splitlines():
        command = line.removeprefix("# ") if line.startswith(f"# policy {start} ") else line
        if command[:1] != "#":
            steps.append(command.split("  #", 1)[0].strip())
    return [
        s
        for s in steps
        if s.startswith(f"policy {start} ") or not s.startswith(("policy import", "policy new"))
    ]


@pytest.mark.parametrize("start", ["import", "new"])
def test_the_readme_steps_from_an_empty_folder(tmp_path: Path, start: str) -> None:
    """Each step of the README succeeds, the policy imported from Word or started anew.
    ``nox -s check`` installs the tool into a new venv (23 s, and a package index): the test
    runs the commands its check session runs, through the CLI, instead."""
    (tmp_path / "beleid.docx").write_bytes(wordkit.thuiswerk())
    steps = readme_steps(start)
    assert steps[0] == 'policy init beleid --org "Naam B.V."'
    assert any(s.startswith(f"policy {start} ") for s in steps) and "policy validate" in steps
    assert steps[-1].endswith("nox -s check")
    here = tmp_path
    for step in steps:
        words = shlex.split(step)
        if words[0] == "cd":
            here = here / words[1]
        elif words[0] == "policy":
            done = run_policy(*words[1:], cwd=here)
            assert done.returncode == 0, (step, done.stderr)
        elif words[0] == "git":
            for part in step.split("&&"):
                git(here, *shlex.split(part)[1:])
        else:
            assert "nox -s check" in step, step
            for command in check_session_commands(["social-media"]):
                done = run_policy(*command, cwd=here)
                assert done.returncode in ((0, 1) if "--dry-run" in command else (0,)), (
                    command, done.stderr,
                )  # fmt: skip
