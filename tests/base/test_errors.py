"""The error tree: one module holds every error class, its docstring draws the hierarchy as it
is, and the CLI turns each error that reaches it into ``policy: error: ...`` and exit 2."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import tools
from tests.conftest import MINI_FILES, git
from tools.base import errors
from tools.base.errors import PolicyError
from tools.base.gitio import GitRepository
from tools.cli.main import main
from tools.release.apply import release_lock

_BULLET = re.compile(r"^(?P<indent> *)[*x+\-·] (?P<name>\w+)$")


def _drawn_tree() -> dict[str, str | None]:
    """Each class drawn in the docstring, with the class it is drawn under."""
    parents: dict[str, str | None] = {}
    stack: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        found = _BULLET.match(line)
        if not found:
            continue
        depth = len(found["indent"]) // 2
        del stack[depth:]
        parents[found["name"]] = stack[-1] if stack else None
        stack.append(found["name"])
    return parents


def _actual_tree() -> dict[str, str | None]:
    parents: dict[str, str | None] = {PolicyError.__name__: None}
    pending = [PolicyError]
    while pending:
        parent = pending.pop()
        for child in parent.__subclasses__():
            parents[child.__name__] = parent.__name__
            pending.append(child)
    return parents


def _error_classes_in_tools() -> dict[str, str]:
    """Every public exception class defined in a module of ``tools``: name -> module."""
    found = {}
    for module_info in pkgutil.walk_packages(tools.__path__, "tools."):
        if module_info.name.endswith("__main__"):
            continue  # runs the CLI when imported
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found[name] = module.__name__
    return found


def test_the_drawing_is_the_hierarchy() -> None:
    """Adding an error class without drawing it (or moving it) fails here."""
    assert _drawn_tree() == _actual_tree()


def test_every_error_class_is_in_the_tree() -> None:
    classes = _error_classes_in_tools()
    assert classes, "no error classes found"
    assert {name for name, module in classes.items() if module != errors.__name__} == set()
    for name in classes:
        assert issubclass(getattr(errors, name), PolicyError), name


def test_the_drawing_catches_a_missing_class() -> None:
    """The comparison can fail: a class that is not drawn makes the trees differ."""

    class UndrawnError(errors.UsageError):
        pass

    try:
        assert _drawn_tree() != _actual_tree()
    finally:
        del UndrawnError
        import gc

        gc.collect()
    assert _drawn_tree() == _actual_tree()


def _committed_mini(mini_repo: Callable[..., Path]) -> Path:
    root = mini_repo()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "mini")
    return root


def _changed_since_release(mini_repo: Callable[..., Path]) -> Path:
    root = _committed_mini(mini_repo)
    git(root, "tag", "mini/v1.0.0")
    section = root / "policy/mini/sections/privacy.yaml"
    section.write_text(section.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "change")
    return root


def _run(root: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["-C", str(root), *argv])
    return code, capsys.readouterr().err


def test_a_usage_error_exits_2(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(mini_repo(), capsys, "validate", "nosuch")
    assert (code, err) == (2, "policy: error: nosuch: no such file or folder\n")


def test_a_clock_error_exits_2(
    mini_repo: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    code, err = _run(_committed_mini(mini_repo), capsys, "release", "--dry-run")
    assert code == 2
    assert err.startswith("policy: error: SOURCE_DATE_EPOCH='tomorrow' is not a Unix time")


def test_a_revision_error_exits_2(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(_committed_mini(mini_repo), capsys, "diff", "nosuch")
    assert code == 2
    assert err.startswith("policy: error: ") and "nosuch" in err


def test_a_github_error_exits_2(
    mini_repo: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_EVENT_PATH", "")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    code, err = _run(_changed_since_release(mini_repo), capsys, "approvals", "--source", "github")
    assert code == 2
    assert err.startswith("policy: error: ") and "give --pr N" in err


def test_a_site_output_error_exits_2(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "taken"
    out.write_text("not a folder\n", encoding="utf-8")
    code, err = _run(_committed_mini(mini_repo), capsys, "site", "--draft", "--out", str(out))
    assert (code, err) == (2, f"policy: error: {out} exists and is not a folder\n")


def test_a_release_error_exits_2(
    mini_repo: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = _changed_since_release(mini_repo)
    with release_lock(GitRepository(root)):
        code, err = _run(root, capsys, "release")
    assert code == 2
    assert err.startswith("policy: error: another 'policy release' is running")


def test_a_refusal_exits_2(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = _changed_since_release(mini_repo)
    (root / "policy/mini/sections/privacy.yaml").write_text(
        MINI_FILES["policy/mini/sections/privacy.yaml"], encoding="utf-8"
    )
    code, err = _run(root, capsys, "approve")
    assert code == 2
    assert err.startswith("policy: error: uncommitted changes in policy/mini/sections/privacy")


def test_a_load_error_prints_its_diagnostics_first_and_exits_2(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = mini_repo({"policy/departments.yaml": "departments: [\n"})
    code, err = _run(root, capsys, "site", "--draft", "--out", str(root / "out"))
    assert code == 2
    *diagnostics, last = err.splitlines()
    assert diagnostics and diagnostics[0].startswith("policy/departments.yaml:")
    assert last == "policy: error: the departments registry does not load; fix it first"


def test_an_invalid_repository_blocks_a_release_with_exit_1(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = mini_repo({"policy/mini/sections/privacy.yaml": "id: [\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "broken")
    code, err = _run(root, capsys, "release", "--dry-run")
    assert code == 1
    assert err.startswith("blocked: the policy does not validate at HEAD\n")


def test_an_ssh_keygen_error_exits_2(
    mini_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-key"
    code, err = _run(_changed_since_release(mini_repo), capsys, "approve", "--key", str(missing))
    assert code == 2
    assert err.startswith(f"policy: error: cannot read the public key of {missing}: ")
