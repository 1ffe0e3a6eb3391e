"""Imports carry the architecture: each outside library enters through one module, the packages
stand in one order, and git enters through one seam.

Each rule is a checker over a folder holding ``tools/``: run on this repository it finds
nothing, and run on a small planted tree (``tmp_path``) it finds the violation planted there.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

# library -> the only module of tools/ and schema/ allowed to import it
SEAM = {
    "tools/base/gitio.py",
    "tools/base/gitsnapshot.py",
    "tools/base/gitcat.py",
    "tools/base/gitrun.py",
}
"""The git seam: the only modules that run git (and the only ones that may import GitPython,
which the seam no longer needs)."""

MIGRATIONS = {
    path.relative_to(ROOT).as_posix() for path in ROOT.glob("tools/attest/migrations/**/*.py")
}
"""Alembic's environment and the migration scripts, shipped as package data."""

BOUNDARIES = {
    # GitPython: nowhere; the seam runs git itself (a read-only command never paid its import).
    "git": set(),
    "gitdb": set(),
    # The release lock.
    "filelock": {"tools/release/apply.py"},
    "ruamel": {
        f"tools/base/yaml{p}.py" for p in ["file", "loader", "ruamel", "syntax", "edit", "fast"]
    },
    # PyYAML: libyaml's faster composer for files that need no positions.
    "yaml": {"tools/base/yamlfast.py"},
    # Parsing change notes, and the Markdown fragments of generated pages (the authors' notes).
    "markdown_it": {"tools/notes/changenotes.py", "tools/notes/fragment.py"},
    # Word documents: python-docx (the redline and the policy), and lxml under it for the OOXML
    # it does not cover.
    "docx": {
        "tools/documents/word.py",
        "tools/documents/policy_docx.py",
        # Reading a Word policy to import it.
        "tools/adopt/word_read.py",
    },
    "lxml": set(),
    "mdit_py_plugins": {"tools/notes/changenotes.py"},
    # The policy as an archival PDF.
    "weasyprint": {"tools/documents/policy_pdf.py"},
    # CODEOWNERS matching is tools/owners/pattern.py's own (it cannot backtrack); pathspec is the
    # reference the tests compare it with.
    "pathspec": set(),
    # Running programs: ssh-keygen signs and verifies approvals; git runs in the seam.
    "subprocess": {"tools/signing/sshkeygen.py", "tools/base/gitrun.py", "tools/base/gitcat.py"},
    # The network: the GitHub REST API (pull-request reviews, teams).
    "urllib": {"tools/gate/github_api.py"},
    "http": {"tools/gate/github_api.py"},
    # ... and policy serve's listening socket for several workers (TCP_NODELAY).
    "socket": {"tools/gate/github_api.py", "tools/serve/serve_io.py"},
    "ssl": {"tools/gate/github_api.py"},
    # The attestation store: the tables, the session (store.py, the only module that opens a
    # database) and the migrations, which Alembic's form makes import both libraries.
    # keystore.py, evidence_store.py and store_acks.py query in the session store.py opens.
    "sqlalchemy": {
        "tools/attest/tables.py",
        "tools/attest/store.py",
        "tools/attest/store_acks.py",
        "tools/attest/keystore.py",
        "tools/attest/evidence_store.py",
        "tools/attest/store_serve.py",
        *MIGRATIONS,
    },
    "alembic": {"tools/attest/store.py", *MIGRATIONS},
    # PostgreSQL's driver: SQLAlchemy loads it from the URL (postgresql+psycopg://); no module
    # imports it.
    "psycopg": set(),
    # policy serve: the ASGI application and the pages (Starlette), the server (uvicorn).
    "starlette": {"tools/serve/app.py", "tools/serve/serve_pages.py", "tools/serve/serve_io.py"},
    "uvicorn": {"tools/serve/serve_io.py"},
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
    """GitPython only in the seam, ruamel.yaml only in the yaml*.py modules, and so on."""
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


# --- The package order, and the git seam ---------------------------------------------------------

PACKAGES = [
    "base", "signing", "owners", "validate", "compare", "versions", "notes", "gate", "release",
    "site", "documents", "adopt", "attest", "serve", "cli",
]  # fmt: skip
"""Lowest first: a module may import only its own package and the packages before it."""

IO_MODULES = SEAM | {
    "tools/base/fileio.py",
    "tools/adopt/write.py",
    "tools/versions/gather.py",
    "tools/notes/gather.py",
    "tools/gate/gather.py",
    "tools/gate/gather_records.py",
    "tools/gate/write.py",
    "tools/release/apply.py",
    "tools/release/gather_history.py",
    "tools/site/build.py",
    "tools/documents/gather.py",
    "tools/attest/store.py",
    "tools/attest/gather_rounds.py",
    "tools/serve/gather.py",
    "tools/serve/serve_io.py",
}
"""The modules that read or write the world, with the CLI (``tools/cli/``): only these may
import the seam; every other module is core and takes plain data."""

GIT_ATTRIBUTES = {
    "hexsha", "binsha", "iter_commits", "tree", "blobs", "odb", "git_dir", "working_tree_dir",
    "config_reader", "data_stream", "committed_date", "authored_date",
}  # fmt: skip
"""Attribute names only GitPython objects have here (``.index`` and ``.head.commit`` are
checked by their receiver below: ``list.index`` and a YAML mark's ``index`` are not git)."""


def _modules(root: Path) -> list[tuple[str, ast.Module]]:
    """(path relative to ``root``, syntax tree) of every module under ``root/tools``."""
    return [
        (path.relative_to(root).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(root.glob("tools/**/*.py"))
    ]


def _imported(tree: ast.Module) -> set[str]:
    """Every module an ``import`` names, in full (``from tools.base import clock``: both
    ``tools.base`` and ``tools.base.clock``), TYPE_CHECKING and function-local ones included."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _package(relative: str) -> str | None:
    """``tools/gate/rules.py`` -> ``gate``; None for ``tools/__init__.py``, ``__main__.py``."""
    parts = relative.split("/")
    return parts[1] if len(parts) > 2 else None


def order_violations(root: Path) -> list[str]:
    """Imports of a package above the importing module's own."""
    found = []
    for relative, tree in _modules(root):
        own = _package(relative)
        if own is None:
            continue
        for name in sorted(_imported(tree)):
            parts = name.split(".")
            if parts[0] != "tools" or len(parts) < 2 or parts[1] not in PACKAGES:
                continue
            if own not in PACKAGES or PACKAGES.index(parts[1]) > PACKAGES.index(own):
                found.append(f"{relative} ({own}) imports {name}")
    return found


def git_import_violations(root: Path) -> list[str]:
    """Modules outside the seam that import GitPython (``git``, ``gitdb``)."""
    return [
        f"{relative} imports {name}"
        for relative, tree in _modules(root)
        if relative not in SEAM
        for name in sorted(_imported(tree))
        if name.split(".")[0] in {"git", "gitdb"}
    ]


def _receiver(node: ast.expr) -> str:
    """The last name of an attribute's receiver: ``span.repo`` -> ``repo``, ``head`` -> ``head``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _git_attribute(node: ast.AST) -> str | None:
    """What GitPython use ``node`` is, if any."""
    if isinstance(node, ast.Call) and _receiver(node.func) == "Repo":
        return "Repo("
    if not isinstance(node, ast.Attribute):
        return None
    if node.attr in GIT_ATTRIBUTES:
        return f".{node.attr}"
    receiver = _receiver(node.value)
    if node.attr == "commit" and receiver == "head":
        return ".head.commit"
    if node.attr == "index" and receiver.endswith("repo"):
        return ".index"
    if receiver == "git" and isinstance(node.value, ast.Attribute):
        return f".git.{node.attr}"
    return None


def git_attribute_violations(root: Path) -> list[str]:
    """GitPython objects used outside the seam, seen by the attributes only they have."""
    return [
        f"{relative}:{node.lineno} uses {what}"
        for relative, tree in _modules(root)
        if relative not in SEAM
        for node in ast.walk(tree)
        if (what := _git_attribute(node)) is not None
    ]


def seam_import_violations(root: Path) -> list[str]:
    """Core modules (neither IO nor the CLI) that import the git seam."""
    seam = {path.removesuffix(".py").replace("/", ".") for path in SEAM}
    return [
        f"{relative} imports {name}"
        for relative, tree in _modules(root)
        if relative not in IO_MODULES and _package(relative) != "cli"
        for name in sorted(_imported(tree) & seam)
    ]


@pytest.mark.parametrize(
    "checker",
    [order_violations, git_import_violations, git_attribute_violations, seam_import_violations],
)
def test_the_repository_keeps_the_rule(checker: Callable[[Path], list[str]]) -> None:
    assert checker(ROOT) == []


def _plant(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("checker", "module", "text", "expected"),
    [
        (order_violations, "tools/gate/rules.py", "from tools.cli import main\n", "imports"),
        (order_violations, "tools/base/x.py", "import tools.signing.sshsig\n", "imports"),
        (order_violations, "tools/site/x.py", "def f():\n    from tools.cli import args\n", ""),
        (git_import_violations, "tools/gate/gather.py", "import git\n", "imports git"),
        (git_import_violations, "tools/base/x.py", "from gitdb import IStream\n", "gitdb"),
        (git_attribute_violations, "tools/gate/gather.py", "x = span.head.commit\n", "head.commit"),
        (git_attribute_violations, "tools/release/apply.py", "c.hexsha\n", ".hexsha"),
        (git_attribute_violations, "tools/release/apply.py", "r.git.read_tree()\n", ".git."),
        (git_attribute_violations, "tools/versions/gather.py", "r.iter_commits()\n", "iter_co"),
        (git_attribute_violations, "tools/site/build.py", "c.tree / 'a'\n", ".tree"),
        (git_attribute_violations, "tools/site/build.py", "t.blobs\n", ".blobs"),
        (git_attribute_violations, "tools/gate/gather.py", "span.repo.index\n", ".index"),
        (git_attribute_violations, "tools/cli/main.py", "git.Repo('.')\n", "Repo("),
        (git_attribute_violations, "tools/cli/main.py", "Repo('.')\n", "Repo("),
        (seam_import_violations, "tools/gate/rules.py", "from tools.base import gitio\n", "gitio"),
        (seam_import_violations, "tools/compare/diff.py", "import tools.base.gitio\n", "gitio"),
        (
            seam_import_violations,
            "tools/notes/check.py",
            "from tools.base.gitsnapshot import GitSnapshot\n",
            "gitsnapshot",
        ),
    ],
)
def test_a_planted_violation_is_found(
    tmp_path: Path, checker: Callable[[Path], list[str]], module: str, text: str, expected: str
) -> None:
    """Each rule fails on a module that breaks it, and names the module."""
    root = _plant(tmp_path, {"tools/__init__.py": "", module: text})
    found = checker(root)
    assert found and all(v.startswith(module) for v in found), found
    assert any(expected in v for v in found), found


@pytest.mark.parametrize(
    ("checker", "module", "text"),
    [
        (order_violations, "tools/gate/rules.py", "from tools.base.gitlog import ChangedPath\n"),
        (order_violations, "tools/__main__.py", "from tools.cli.main import main\n"),
        (git_import_violations, "tools/base/gitio.py", "import git\n"),
        (git_attribute_violations, "tools/base/gitsnapshot.py", "c.tree.hexsha\n"),
        (git_attribute_violations, "tools/site/plan.py", "xs.index(x)\n"),
        (git_attribute_violations, "tools/base/yamlfile.py", "node.start_mark.index\n"),
        (
            seam_import_violations,
            "tools/release/gather_history.py",
            "from tools.base import gitio\n",
        ),
        (seam_import_violations, "tools/cli/commands_site.py", "import tools.base.gitio\n"),
        (seam_import_violations, "tools/gate/rules.py", "from tools.base import gitlog\n"),
    ],
)
def test_what_the_rules_allow(
    tmp_path: Path, checker: Callable[[Path], list[str]], module: str, text: str
) -> None:
    """The seam, the IO modules, the CLI, pure git facts and look-alikes stay allowed."""
    root = _plant(tmp_path, {"tools/__init__.py": "", module: text})
    assert checker(root) == []
