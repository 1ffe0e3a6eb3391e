"""The ``policy`` command as users run it: output formats, exit codes, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT, run_policy
from tools import __version__


def test_validate_shipped_policy_passes() -> None:
    """The shipped repository validates, with the summary of the social-media policy."""
    result = run_policy("validate", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "social-media" in result.stdout
    assert result.stdout.strip().endswith("valid")


def test_validate_json_contract(shipped_repo: Path) -> None:
    """JSON output holds valid, errors and per policy id, version, clause count and elements."""
    result = run_policy("validate", "--format", "json", cwd=shipped_repo)
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["errors"] == []
    (policy,) = report["policies"]
    assert policy["id"] == "social-media"
    assert policy["clauses"] >= 40
    assert len(policy["elements"]) == 10


def test_text_output_is_clickable(mini_repo: Callable[..., Path]) -> None:
    """Text errors read path:line:col: error[code]: message, with a hint line."""
    repo = mini_repo({"policy/mini/sections/privacy.yaml": "id: privacy\ntitle: [\n"})
    result = run_policy("validate", cwd=repo)
    assert result.returncode == 1
    assert "policy/mini/sections/privacy.yaml:3:1: error[yaml-syntax]:" in result.stdout
    assert "  hint: " in result.stdout


def test_github_annotations(mini_repo: Callable[..., Path]) -> None:
    """--format github prints one ::error annotation per problem, with file, line and title."""
    text = (ROOT / "tests/conftest.py").read_text()
    assert "level: must-not" in text
    repo = mini_repo()
    section = repo / "policy/mini/sections/privacy.yaml"
    section.write_text(section.read_text().replace("level: must-not", "level: nooit"))
    result = run_policy("validate", "--format", "github", cwd=repo)
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(
        "::error file=policy/mini/sections/privacy.yaml,line=9,col=12,title=bad-value::"
    )


def test_gitlab_code_quality(mini_repo: Callable[..., Path]) -> None:
    """--format gitlab prints a GitLab Code Quality report: one entry per problem, at its line."""
    repo = mini_repo()
    section = repo / "policy/mini/sections/privacy.yaml"
    section.write_text(section.read_text().replace("level: must-not", "level: nooit"))
    result = run_policy("validate", "--format", "gitlab", cwd=repo)
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)
    assert entry["check_name"] == "bad-value"
    assert entry["location"] == {"path": "policy/mini/sections/privacy.yaml", "lines": {"begin": 9}}
    assert len(entry["fingerprint"]) == 64 and entry["severity"] == "major"
    assert json.loads(run_policy("validate", "--format", "gitlab", cwd=ROOT).stdout) == []


def test_validate_one_policy_path(mini_repo: Callable[..., Path]) -> None:
    """A PATH inside a policy validates that policy; other policies' errors are not reported."""
    repo = mini_repo({"policy/other/policy.yaml": "id: other\n"})
    assert run_policy("validate", cwd=repo).returncode == 1
    result = run_policy("validate", "policy/mini/sections/privacy.yaml", cwd=repo)
    assert result.returncode == 0, result.stdout


def test_missing_path_is_usage_error(mini_repo: Callable[..., Path]) -> None:
    """A PATH that does not exist exits 2 with a message, not a traceback."""
    result = run_policy("validate", "policy/nope", cwd=mini_repo())
    assert result.returncode == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_outside_repository_is_usage_error(tmp_path: Path) -> None:
    """Run outside a policy repository: exit 2 and say what to do."""
    result = run_policy("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "no policy repository" in result.stderr


def test_unknown_option_is_usage_error() -> None:
    """argparse usage errors exit 2."""
    result = run_policy("validate", "--format", "xml", cwd=ROOT)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_version() -> None:
    """--version names the tool's version."""
    result = run_policy("--version", cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.strip() == f"policy {__version__}"


def test_python_dash_m_is_the_same_cli() -> None:
    """`python -m tools` from the repository root runs the same command."""
    result = subprocess.run(
        [sys.executable, "-m", "tools", "validate", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True


def test_symlinked_section_fails_closed(mini_repo: Callable[..., Path], tmp_path: Path) -> None:
    """A section file that is a symlink (e.g. to a file outside the repository) is refused."""
    repo = mini_repo()
    outside = tmp_path / "outside.yaml"
    section = repo / "policy/mini/sections/privacy.yaml"
    outside.write_text(section.read_text())
    section.unlink()
    section.symlink_to(outside)
    result = run_policy("validate", "--format", "json", cwd=repo)
    assert result.returncode == 1
    codes = {(e["code"], e["file"]) for e in json.loads(result.stdout)["errors"]}
    assert ("unsafe-file", "policy/mini/sections/privacy.yaml") in codes


def test_every_command_has_a_handler() -> None:
    """The parser's commands and the dispatch table name the same commands, and each names a
    function that exists (the table holds names: a command imports only its own module)."""
    import argparse

    from tools.cli import main as cli
    from tools.cli.args import build_parser

    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(actions[0].choices) == set(cli._COMMANDS)
    assert all(callable(cli._command(name)) for name in cli._COMMANDS)
