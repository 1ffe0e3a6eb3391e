"""The files of a new repository and a new policy: valid, deterministic, the CI copied."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import BaseModel

from schema.models import PolicyMeta, Registry, Section
from tools.adopt.scaffold import (
    NewPolicy,
    default_prefix,
    handle_org,
    policy_files,
    registry_yaml,
    repository_files,
    template,
)
from tools.base.jsonschema import render_schemas
from tools.base.loader import load_file
from tools.base.snapshot import MemorySnapshot

ROOT = Path(__file__).resolve().parents[2]
M = TypeVar("M", bound=BaseModel)


def loaded(text: str, model: type[M]) -> M:
    """The model of ``text`` as the loader reads a file (its problems fail the test)."""
    found, problems = load_file(MemorySnapshot({"f.yaml": text}), "f.yaml", model)
    assert found is not None and not problems, problems
    return found.model


@pytest.mark.parametrize(
    ("template_name", "shipped"),
    [
        ("github/workflows/pull-request.yml", ".github/workflows/pull-request.yml"),
        ("github/workflows/review-due.yml", ".github/workflows/review-due.yml"),
        ("gitlab-ci.yml", ".gitlab-ci.yml"),
        ("gitlab/ci/mr_note.py.in", ".gitlab/ci/mr_note.py"),
        ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ],
)
def test_ci_templates_are_this_repositorys_files(template_name: str, shipped: str) -> None:
    """Copied as they are: a change to this repository's CI is made in both places."""
    assert template(template_name) == (ROOT / shipped).read_text(encoding="utf-8")


def test_release_jobs_install_the_pinned_tool_not_tools() -> None:
    files = repository_files("Naam B.V.", "policy-as-code==9.9.9")
    for path in (".github/workflows/main.yml", ".gitlab/ci/policy.gitlab-ci.yml"):
        assert ".ci/release-trusted" not in files[path]
        assert 'git show "$trusted:requirements-policy.txt"' in files[path]
    assert files["requirements-policy.txt"].splitlines()[-1] == "policy-as-code==9.9.9"
    assert "@@" not in "".join(files.values())


def test_repository_files_are_deterministic_and_valid() -> None:
    files = repository_files("Naam B.V.", "x==1")
    assert files == repository_files("Naam B.V.", "x==1")
    registry = loaded(files["policy/departments.yaml"], Registry)
    assert registry.organisation == "Naam B.V."
    assert registry.departments[0].handle == "@naam/beleidsbeheer"
    assert files["CODEOWNERS"].count("\n*") == 1
    assert {f"schema/{name}": text for name, text in render_schemas().items()}.items() <= (
        files.items()
    )
    assert not any(path.startswith("policy/") and path.count("/") > 1 for path in files)


@pytest.mark.parametrize(
    ("organisation", "handle"),
    [
        ("Naam B.V.", "naam"),
        ("Gemeente Één N.V.", "gemeente-een"),
        ("ÄÖ", "ao"),
        ("京都", "organisatie"),
    ],
)
def test_handle_org(organisation: str, handle: str) -> None:
    assert handle_org(organisation) == handle


@pytest.mark.parametrize("organisation", ["Naam B.V.", "A: B # c", '"Quoted" & Co', "Één"])
def test_registry_keeps_the_organisation_as_written(organisation: str) -> None:
    assert loaded(registry_yaml(organisation), Registry).organisation == organisation


@pytest.mark.parametrize(
    ("policy_id", "prefix"), [("social-media", "sm"), ("privacy", "pr"), ("a-b-c", "abc")]
)
def test_default_prefix(policy_id: str, prefix: str) -> None:
    assert default_prefix(policy_id) == prefix


def test_policy_files_validate_and_mark_the_text_to_replace() -> None:
    new = NewPolicy("thuiswerken", "Thuiswerk: beleid", "tw", "hr", "@o/hr", dt.date(2028, 1, 30))
    files = policy_files(new)
    meta = loaded(files["policy/thuiswerken/policy.yaml"], PolicyMeta)
    assert (meta.title, meta.clause_prefix, meta.contact) == ("Thuiswerk: beleid", "tw", "hr")
    assert (meta.effective, meta.next_review) == (dt.date(2028, 2, 29), dt.date(2029, 2, 28))
    section = loaded(files["policy/thuiswerken/sections/algemeen.yaml"], Section)
    assert [c.id for c in section.clauses] == ["tw-001"]
    assert section.clauses[0].text.startswith("VERVANG:")
    assert files["changelog/thuiswerken/unreleased/.gitkeep"] == ""


def test_the_new_repositorys_ci_runs_its_own_nox_sessions() -> None:
    """Every ``nox -s NAME`` in the new repository's CI names a session of its noxfile."""
    files = repository_files("Naam B.V.", "x==1")
    sessions = set(re.findall(r"^def (\w+)\(session", files["noxfile.py"], re.M))
    assert {"check", "validate", "pr", "approvals", "due", "site"} <= sessions
    ci = [path for path in files if path.startswith((".github/", ".gitlab"))]
    used = {name for path in ci for name in re.findall(r"\bnox -s ([\w-]+)", files[path])}
    assert used and used <= sessions, used - sessions


def test_every_template_is_package_data() -> None:
    """pyproject.toml ships templates/* to three levels deep; a deeper file would be missing
    from an installed tool (a wheel holds them all: checked by building one)."""
    folder = ROOT / "tools" / "adopt" / "templates"
    files = [path.relative_to(folder) for path in folder.rglob("*") if path.is_file()]
    assert files and all(len(path.parts) <= 3 for path in files)
    assert not any(part.startswith(".") for path in files for part in path.parts)
