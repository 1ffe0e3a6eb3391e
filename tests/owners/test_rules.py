"""CODEOWNERS matching: GitHub's documented examples and GitLab's sections, as vectors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, run_policy
from tools.owners.codeowners import parse_codeowners
from tools.owners.rules import colliding_paths, compile_rules, owners_of, path_problem

# The example file of GitHub's "About code owners", abridged to its distinct rules.
GITHUB_EXAMPLE = """\
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
"""

GITHUB_VECTORS = [
    ("README.md", ("@global-owner1", "@global-owner2")),
    ("src/lib/util.py", ("@global-owner1", "@global-owner2")),
    ("src/app.js", ("@js-owner",)),
    ("index.js", ("@js-owner",)),
    ("cmd/main.go", ("docs@example.com",)),
    ("notes/todo.txt", ("@octo-org/octocats",)),
    ("build/logs/a.log", ("@octocat",)),
    ("deeply/nested/logs/x.log", ("@octocat",)),
    ("scripts/logs/run.log", ("@octocat",)),
    ("docs/getting-started.md", ("@doctocat",)),
    ("docs/build-app/troubleshooting.md", ("@doctocat",)),
    ("apps/x.txt", ("@octocat",)),
    ("src/apps/x.txt", ("@octocat",)),
    ("scripts/deploy.sh", ("@doctocat", "@octocat")),
]


def owners(text: str, path: str) -> tuple[str, ...] | None:
    """The owners of the default section's winning line; None when no line matches."""
    rules, problems = parse_codeowners("CODEOWNERS", text)
    assert not problems, problems
    found = owners_of(compile_rules(rules), path)
    default = [s for s in found.sections if s.section.name == ""]
    return default[0].owners if default else None


@pytest.mark.parametrize(("path", "expected"), GITHUB_VECTORS)
def test_github_documented_example(path: str, expected: tuple[str, ...]) -> None:
    assert owners(GITHUB_EXAMPLE, path) == expected


# One-line claims of the docs, each checked on its own: (file, path, owners or None).
SINGLE_LINE_VECTORS = [
    ("docs/* docs@example.com", "docs/getting-started.md", ("docs@example.com",)),
    ("docs/* docs@example.com", "docs/build-app/troubleshooting.md", None),
    ("/build/logs/ @doctocat", "build/logs/2024/b.log", ("@doctocat",)),
    ("/build/logs/ @doctocat", "src/build/logs/x.log", None),
    ("apps/ @octocat", "deep/er/apps/y.md", ("@octocat",)),
    ("/docs/ @doctocat", "docs/a/b/c.md", ("@doctocat",)),
    ("/docs/ @doctocat", "src/docs/c.md", None),
    ("/apps/ @octocat\n/apps/github", "apps/github/x.rb", ()),
    ("/apps/ @octocat\n/apps/github", "apps/gitlab/x.rb", ("@octocat",)),
    ("/apps/ @octocat\n/apps/github @doctocat", "apps/github/x.rb", ("@doctocat",)),
    ("*.md @a\n*.md @b", "README.md", ("@b",)),
    ("/Docs/ @x", "docs/a.md", None),
    ("*.md @a", "README.MD", None),
    ("docs/*.md @a", "docs/sub/x.md", None),
    ("/policy/**/monitoring.yaml @or", "policy/sm/sections/monitoring.yaml", ("@or",)),
    ("/policy/ @a", "policy-other/x.yaml", None),
    ("* @a # vraag @mallory", "x", ("@a",)),
    ("a#b @x", "a#b", ("@x",)),
    ("\ufeff* @a", "x", ("@a",)),
    ("/docs/a @x", "docs/a b", None),
    ("docs/* @x", "docs/a b.md", ("@x",)),
]


@pytest.mark.parametrize(("text", "path", "expected"), SINGLE_LINE_VECTORS)
def test_single_line_semantics(text: str, path: str, expected: tuple[str, ...] | None) -> None:
    assert owners(text, path) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("* @d\n\\#file @x", "escapes"),
        ("* @d\n!secret.txt @x", "negation"),
        ("* @d\n*.[ch] @x", "character ranges"),
        ("* alice", "not a valid owner"),
        ("* @", "not a valid owner"),
    ],
)
def test_unsupported_syntax_is_an_error_with_its_line(text: str, message: str) -> None:
    _, problems = parse_codeowners("CODEOWNERS", text)
    assert problems and message in problems[0].message
    assert problems[0].line == text.count("\n") + 1


# GitLab's documented sections example.
GITLAB_EXAMPLE = """\
* @admin
[README Owners]
README.md @user1 @user2
internal/README.md @user4
[README other owners]
README.md @user3
"""


def sections(text: str, path: str) -> list[tuple[str, int, bool, tuple[str, ...]]]:
    rules, problems = parse_codeowners("CODEOWNERS", text)
    assert not problems, problems
    found = owners_of(compile_rules(rules), path)
    return [
        (s.section.name, s.section.approvals, s.section.optional, s.owners) for s in found.sections
    ]


def test_gitlab_sections_are_each_required() -> None:
    assert sections(GITLAB_EXAMPLE, "README.md") == [
        ("", 1, False, ("@admin",)),
        ("README Owners", 1, False, ("@user1", "@user2")),
        ("README other owners", 1, False, ("@user3",)),
    ]
    # GitHub semantics for the pattern: a middle '/' anchors, so this is the root's internal/.
    assert sections(GITLAB_EXAMPLE, "internal/README.md") == [
        ("", 1, False, ("@admin",)),
        ("README Owners", 1, False, ("@user4",)),
        ("README other owners", 1, False, ("@user3",)),
    ]


def test_gitlab_section_defaults_count_and_optional() -> None:
    text = "* @gov\n[Docs][2] @docs-team\n/docs/\n/docs/api/ @api\n^[Extra] @x\n*.md\n"
    assert sections(text, "docs/a.md") == [
        ("", 1, False, ("@gov",)),
        ("Docs", 2, False, ("@docs-team",)),
        ("Extra", 1, True, ("@x",)),
    ]
    assert sections(text, "docs/api/b.txt")[1] == ("Docs", 2, False, ("@api",))
    rules, _ = parse_codeowners("CODEOWNERS", text)
    assert owners_of(compile_rules(rules), "docs/a.md").owned


def test_same_section_name_in_another_case_is_one_section() -> None:
    text = "[Docs] @a\n/docs/\n[docs] @b\n/docs/x/\n"
    assert [owners for *_, owners in sections(text, "docs/x/y.md")] == [("@b",)]


def test_unowned_path_is_not_owned() -> None:
    rules, _ = parse_codeowners("CODEOWNERS", "/policy/ @a\n/policy/x/\n")
    compiled = compile_rules(rules)
    assert not owners_of(compiled, "policy/x/y.yaml").owned
    assert not owners_of(compiled, "README.md").owned
    assert owners_of(compiled, "policy/z.yaml").owned


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("policy/a.yaml", None),
        ("/policy/a.yaml", "relative"),
        ("./policy/a.yaml", "'.'"),
        ("policy/../secret.yaml", "'..'"),
        ("policy//a.yaml", "empty"),
        ("policy\\a.yaml", "separators"),
        ("policy/cafe\u0301.yaml", "NFC"),
        ("", "relative"),
    ],
)
def test_path_problem(path: str, problem: str | None) -> None:
    found = path_problem(path)
    assert found is None if problem is None else problem in (found or "")


def test_case_and_unicode_collisions() -> None:
    paths = ["policy/a.yaml", "Policy/a.yaml", "policy/caf\u00e9.yaml", "policy/b.yaml"]
    assert colliding_paths(paths) == [("Policy/a.yaml", "policy/a.yaml")]


# --- policy owners, on real git repositories ------------------------------------------------------


def _committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    return root


def test_owners_lists_sections_as_json(shipped_repo: Path) -> None:
    root = _committed(shipped_repo)
    result = run_policy(
        "owners", "--format", "json", "policy/social-media/sections/monitoring.yaml", cwd=root
    )
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["path"] == "policy/social-media/sections/monitoring.yaml"
    assert entry["owners"] == ["@voorbeeld/hr"]
    assert [(s["name"], s["owners"]) for s in entry["sections"]] == [
        ("", ["@voorbeeld/hr"]),
        ("Ondernemingsraad", ["@voorbeeld/ondernemingsraad"]),
    ]


def test_owners_check_passes_on_this_repository(tmp_path: Path) -> None:
    """Every file this repository tracks is owned, and every CODEOWNERS line matches a file."""
    clone = tmp_path / "clone"
    for name in git(ROOT, "ls-files", "-z").split("\0"):
        if name and (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, clone / name)
    result = run_policy("owners", "--check", cwd=_committed(clone))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CODEOWNERS ok" in result.stdout


def test_owners_check_reports_every_problem_located(mini_repo: Callable[..., Path]) -> None:
    codeowners = "/policy/ @test/hr\n/Policy/mini/ @test/communicatie\n/docs/ @test/nobody\n"
    root = _committed(mini_repo({"CODEOWNERS": codeowners, ".github/CODEOWNERS": "* @test/hr\n"}))
    result = run_policy("owners", "--check", cwd=root)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "CODEOWNERS:2:1: error[dead-pattern]: the pattern '/Policy/mini/' matches no" in out
    assert ".github/CODEOWNERS:0:0: error[second-codeowners]" in out
    assert "CODEOWNERS:0:0: error[unowned-path]" in out  # CODEOWNERS itself has no owner
    assert "CODEOWNERS:3:8: error[unknown-owner]" in out


def test_owners_with_a_trial_file(mini_repo: Callable[..., Path], tmp_path: Path) -> None:
    root = _committed(mini_repo())
    trial = tmp_path / "TRIAL"
    trial.write_text(
        "* @test/hr\n[Privacy][2] @test/communicatie\n/policy/mini/sections/privacy.yaml\n"
    )
    result = run_policy(
        "owners", "--codeowners", str(trial), "policy/mini/sections/privacy.yaml", cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "policy/mini/sections/privacy.yaml: @test/hr; [Privacy][2] @test/communicatie\n"
    )


def test_owners_refuses_paths_outside_or_bad(mini_repo: Callable[..., Path]) -> None:
    root = _committed(mini_repo())
    outside = run_policy("owners", "../elders.yaml", cwd=root)
    assert outside.returncode == 2 and "outside the repository" in outside.stderr
