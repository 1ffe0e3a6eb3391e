"""Hostile CODEOWNERS: lines the parser rejects reach no matcher, every command reports them,
the gate fails closed on them, and no pattern makes matching backtrack."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern

from tests.conftest import git, run_policy
from tests.gatekit import CODEOWNERS, GateRepo, git_as, new_gate_repo
from tools.owners.codeowners import parse_codeowners
from tools.owners.pattern import compile_glob, compile_pattern
from tools.owners.rules import compile_rules, owners_of

# Each is reported by the parser as codeowners-syntax; each used to crash the pattern compiler
# (pathspec: '!' alone, a trailing '\'; re: the range z-a).
BROKEN_LINES = ["! @t/beheer", "ab\\ @t/beheer", "o[z-a] @t/beheer", "path\\ with\\ spaces/ @x"]


def _committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    return root


@pytest.fixture
def broken_repo(mini_repo: Callable[..., Path]) -> Path:
    """The mini repository whose CODEOWNERS ends with the broken lines."""
    codeowners = (mini_repo() / "CODEOWNERS").read_text(encoding="utf-8")
    text = codeowners + "".join(f"{line}\n" for line in BROKEN_LINES)
    return _committed(mini_repo({"CODEOWNERS": text}))


def _syntax_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "error[codeowners-syntax]" in line]


def test_broken_lines_make_no_rule() -> None:
    """A line the parser reports is not handed to the matcher."""
    rules, problems = parse_codeowners("CODEOWNERS", "* @a\n" + "\n".join(BROKEN_LINES))
    assert [r.pattern for r in rules] == ["*"]
    assert [p.line for p in problems if p.code == "codeowners-syntax"] == [2, 3, 4, 5]


def test_owners_reports_broken_lines(broken_repo: Path) -> None:
    """`policy owners`: the located errors and exit 1, no traceback."""
    result = run_policy("owners", "README.md", cwd=broken_repo)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(_syntax_lines(result.stdout + result.stderr)) == 4


def test_owners_check_reports_broken_lines(broken_repo: Path) -> None:
    """`policy owners --check`: the located errors and exit 1, no traceback."""
    result = run_policy("owners", "--check", cwd=broken_repo)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert _syntax_lines(out)[0].startswith("CODEOWNERS:")
    assert len(_syntax_lines(out)) == 4


def test_site_draft_reports_broken_lines(broken_repo: Path, tmp_path: Path) -> None:
    """`policy site --draft` names responsible departments: it refuses a CODEOWNERS it cannot
    read, with the located errors."""
    result = run_policy("site", "--draft", "--out", str(tmp_path / "site"), cwd=broken_repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(_syntax_lines(result.stderr)) == 4
    assert "CODEOWNERS at working tree has errors" in result.stderr


def test_gate_fails_closed_on_broken_lines(tmp_path: Path, keys: dict[str, Path]) -> None:
    """`policy approvals`: BASE's CODEOWNERS has broken lines, so the verdict is incomplete
    with the located problems, however many approve."""
    repo: GateRepo = new_gate_repo(tmp_path / "repo", keys)
    broken = CODEOWNERS + "".join(f"{line}\n" for line in BROKEN_LINES)
    repo.commit({"CODEOWNERS": broken}, author="anouk")
    git_as(repo.root, "anouk", "tag", "-f", "base")
    repo.commit({"README.md": "y\n"})
    repo.approve("anouk")
    result = run_policy("approvals", "base", cwd=repo.root)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert "codeowners-syntax" in out
    assert not repo.verdict().complete
    problems = [p for p in repo.verdict().problems if p.code == "codeowners-syntax"]
    first = CODEOWNERS.count("\n") + 1
    assert sorted({p.line for p in problems}) == [first, first + 1, first + 2, first + 3]


# --- No backtracking ------------------------------------------------------------------------------


def test_a_run_of_stars_is_one_star() -> None:
    """'***…x' compiles to one '*' then 'x', inside a segment and as a whole pattern."""
    assert compile_glob("*" * 30 + "x").chunks == ("", "x")
    assert compile_glob("a**b***c").chunks == ("a", "b", "c")
    (run,) = compile_pattern("*" * 30 + "x").runs
    assert [glob.chunks for glob in run] == [("", "x")]


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("*a" * 40 + "*b", "a" * 200),  # a backtracking regex tries ~C(200, 40) placements
        ("**/x" * 40 + "/y", "/".join(["x"] * 200)),
        ("*" * 30 + "x", "y" * 10_000),
    ],
)
def test_adversarial_patterns_do_not_match(pattern: str, path: str) -> None:
    """Patterns that make a backtracking matcher run for minutes answer at once."""
    assert not compile_pattern(pattern).matches(path)


# --- Same answers as pathspec's GitIgnoreBasicPattern, the reference -----------------------------

_SEGMENTS = ["a", "b", "ab", "*", "**", "?", "a*", "*b", "a?", "*a*", "***", "x.md", "*.md"]
_PATH_PARTS = ["a", "b", "ab", "ba", "aab", "x.md", "c"]


def _patterns(rng: random.Random) -> list[str]:
    found = []
    for _ in range(3000):
        body = "/".join(rng.choice(_SEGMENTS) for _ in range(rng.randint(1, 4)))
        found.append(rng.choice(["", "/"]) + body + rng.choice(["", "", "/"]))
    return found


def test_matches_as_pathspec_does() -> None:
    """On generated patterns and canonical paths the answers are GitIgnoreBasicPattern's."""
    rng = random.Random(14)
    paths = ["/".join(rng.choice(_PATH_PARTS) for _ in range(rng.randint(1, 5))) for _ in range(60)]
    for pattern in [*_patterns(rng), "/", "*", "**", "*/", "**/", "a/**", "a/**/", "/**/b"]:
        reference = GitIgnoreBasicPattern(pattern)
        ours = compile_pattern(pattern)
        for path in paths:
            expected = reference.match_file(path) is not None
            assert ours.matches(path) == expected, (pattern, path)


def test_owners_of_takes_the_last_line_per_section() -> None:
    """Matching backwards keeps "last matching line wins" in each section."""
    text = "* @a\n[S] @s\n/x/ @b\n*.md @c\n[T]\n/x/ @t\n"
    rules, _ = parse_codeowners("CODEOWNERS", text)
    found = owners_of(compile_rules(rules), "x/y.md")
    assert [(s.section.name, s.owners) for s in found.sections] == [
        ("", ("@a",)),
        ("S", ("@c",)),
        ("T", ("@t",)),
    ]


@pytest.mark.parametrize(
    "header", ["[S][" + "9" * 5000 + "] @a", "[S][1001] @a", "[S][0] @a", "[S][00000000]"]
)
def test_approval_count_out_of_range_is_an_error(header: str) -> None:
    """A count of thousands of digits once crashed int(); 0 and over 1000 are errors too."""
    rules, problems = parse_codeowners("CODEOWNERS", f"* @a\n{header}\n/x @b\n")
    assert [(p.line, p.code) for p in problems] == [(2, "codeowners-syntax")]
    assert "from 1 to 1000 approvals" in problems[0].message
    assert [r.pattern for r in rules] == ["*", "/x"]


def test_approval_count_with_leading_zeros_is_read() -> None:
    rules, problems = parse_codeowners("CODEOWNERS", "[S][" + "0" * 5000 + "2] @a\n/x\n")
    assert not problems and rules[0].section.approvals == 2
