"""Imports carry the architecture: each outside library enters through one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# library -> the only module of tools/ and schema/ allowed to import it
BOUNDARIES = {
    "git": {"tools/base/gitio.py"},
    "gitdb": {"tools/base/gitio.py"},
    # The release lock.
    "filelock": {"tools/release/apply.py"},
    "ruamel": {"tools/base/yamlfile.py"},
    # Parsing change notes, and rendering release notes to HTML.
    "markdown_it": {"tools/notes/changenotes.py", "tools/notes/htmlpage.py"},
    "mdit_py_plugins": {"tools/notes/changenotes.py"},
    # The policy as a Word document and as an archival PDF.
    "docx": {"tools/documents/policy_docx.py"},
    "weasyprint": {"tools/documents/policy_pdf.py"},
    # CODEOWNERS matching is tools/owners/pattern.py's own (it cannot backtrack); pathspec is the
    # reference the tests compare it with.
    "pathspec": set(),
    # Running programs: ssh-keygen signs and verifies approvals (git runs through GitPython).
    "subprocess": {"tools/signing/sshkeygen.py"},
    # The network: the GitHub REST API (pull-request reviews, teams).
    "urllib": {"tools/gate/github.py"},
    "http": {"tools/gate/github.py"},
    "socket": {"tools/gate/github.py"},
    "ssl": {"tools/gate/github.py"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


SOURCES = sorted([*ROOT.glob("tools/**/*.py"), *ROOT.glob("schema/*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_boundaries(path: Path) -> None:
    """GitPython only in gitrepo.py, ruamel.yaml only in yamlfile.py, and so on."""
    relative = path.relative_to(ROOT).as_posix()
    for library in _imports(path) & BOUNDARIES.keys():
        assert relative in BOUNDARIES[library], f"{relative} imports {library}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_cli_prints(path: Path) -> None:
    """The core returns data; only cli.py writes to the terminal."""
    if path.parent.name == "cli" or path.name == "__main__.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    assert not calls, f"{path.name} prints"


def test_schema_does_not_depend_on_tools() -> None:
    """The models stand alone: schema/ never imports tools/."""
    for path in ROOT.glob("schema/*.py"):
        assert "tools" not in _imports(path), path
