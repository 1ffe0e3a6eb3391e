"""The semantic diff: golden cases for every change kind and impact rule, git and folders alike."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import git, run_policy
from tools.base.gitio import GitRepository
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot
from tools.compare.diff import PolicyDiff, diff_policies
from tools.compare.report import diff_to_json, render_markdown
from tools.notes.gather import compare

CASES = Path(__file__).parent / "cases" / "diff"

# The documented rules, stated independently of the golden files: (impact, kinds).
EXPECTED = {
    "01__no_changes": ("none", []),
    "02__clause_added_must": ("major", ["added"]),
    "03__clause_added_should": ("minor", ["added"]),
    "04__clause_removed": ("major", ["removed"]),
    "05__negation_in_must": ("major", ["modified"]),
    "06__whitespace_rewrap": ("patch", ["modified"]),
    "07__typography_only": ("patch", ["modified"]),
    "08__should_to_must": ("major", ["modified"]),
    "09__must_to_should": ("minor", ["modified"]),
    "10__should_text_reworded": ("minor", ["modified"]),
    "11__moved_to_other_section": ("patch", ["moved"]),
    "12__reordered_within_section": ("patch", ["moved"]),
    "13__id_changed_same_text": ("minor", ["id-changed"]),
    "14__metadata_changed": ("minor", ["metadata", "metadata"]),
    "15__section_title_changed": ("minor", ["metadata"]),
    "16__must_to_must_not": ("major", ["modified"]),
    "17__applies_to_widened": ("major", ["modified"]),
}


def _case_diff(case: Path) -> PolicyDiff:
    """The case's diff, labelled base/ and head/ so golden files do not depend on where they are."""
    diff = compare(
        GitRepository(case / "head"), None, None, base_dir=case / "base", head_dir=case / "head"
    )
    return dataclasses.replace(diff, base="base/", head="head/")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_case(name: str, update_golden: bool) -> None:
    """Each case's impact and kinds follow the rules; Markdown and JSON equal the golden files."""
    case = CASES / name
    diff = _case_diff(case)
    assert str(diff.impact) == EXPECTED[name][0]
    assert [change.kind for change in diff.changes] == EXPECTED[name][1]
    outputs = {
        "expected.md": render_markdown(diff),
        "expected.json": json.dumps(diff_to_json(diff), indent=2, ensure_ascii=False) + "\n",
    }
    for filename, text in outputs.items():
        golden = case / filename
        if update_golden:
            golden.write_text(text, encoding="utf-8")
        assert golden.read_text(encoding="utf-8") == text, f"{golden} differs; --update-golden"


def test_every_golden_case_is_listed() -> None:
    """No case folder goes untested."""
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == sorted(EXPECTED)


def test_negation_redline_shows_the_word() -> None:
    """Inserting 'niet' shows as exactly that insertion in the redline."""
    diff = _case_diff(CASES / "05__negation_in_must")
    (change,) = diff.changes
    assert change.redline is not None
    inserted = [s.text for s in change.redline if s.op == "insert"]
    assert [text.strip() for text in inserted] == ["niet"]
    assert not [s for s in change.redline if s.op == "delete"]


def test_punctuation_is_its_own_token() -> None:
    """A changed full stop is one token, not the whole word before it."""
    from tools.compare.redline import redline

    segments = redline("Je meldt het.", "Je meldt het!")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Je meldt het"),
        ("delete", "."),
        ("insert", "!"),
    ]


def test_id_change_is_flagged_with_previous_id() -> None:
    """A removed and an added clause with the same text are one id-changed change."""
    diff = _case_diff(CASES / "13__id_changed_same_text")
    (change,) = diff.changes
    assert (change.previous_id, change.clause) == ("mi-004", "mi-006")
    assert "ids must stay stable" in change.reason


def test_first_release_everything_is_new() -> None:
    """Against the empty policy (no release yet) every clause is added."""
    head, problems = load_policy(DirSnapshot(CASES / "01__no_changes" / "head"), "mini")
    assert head is not None and not problems
    diff = diff_policies(None, head)
    assert {change.kind for change in diff.changes} == {"added"}
    assert len(diff.changes) == sum(1 for _ in head.clauses())


def test_markdown_escapes_hostile_text(tmp_path: Path) -> None:
    """Clause text with HTML and Markdown is escaped in the PR comment, never rendered."""
    case = CASES / "05__negation_in_must"
    shutil.copytree(case, tmp_path / "case")
    section = tmp_path / "case/head/policy/mini/sections/algemeen.yaml"
    section.write_text(
        section.read_text().replace(
            "Je bent niet beleefd", "Je bent <script>alert(1)</script> [x](http://e.vil) | &amp;"
        )
    )
    markdown = render_markdown(_case_diff(tmp_path / "case"))
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown
    assert "[x](" not in markdown


def _git_repo_with_two_revisions(tmp_path: Path, case: Path) -> Path:
    repo = tmp_path / "repo"
    # Plain copies (new mtimes): copy2's preserved mtimes let git's stat cache miss an edit.
    shutil.copytree(case / "base", repo, copy_function=shutil.copy)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / "policy")
    shutil.copytree(case / "head" / "policy", repo / "policy", copy_function=shutil.copy)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "head")
    return repo


@pytest.mark.parametrize(
    "name",
    [
        "05__negation_in_must",
        "11__moved_to_other_section",
        "13__id_changed_same_text",
        "14__metadata_changed",
    ],
)
def test_git_revisions_equal_folders(tmp_path: Path, name: str) -> None:
    """The diff of two git revisions equals the diff of the same two folders."""
    case = CASES / name
    repo = _git_repo_with_two_revisions(tmp_path, case)
    from_git = diff_to_json(compare(GitRepository(repo), "HEAD~1", "HEAD"))
    from_dirs = diff_to_json(_case_diff(case))
    for data in (from_git, from_dirs):
        data.pop("base")
        data.pop("head")
    assert from_git == from_dirs


def test_cli_diff_formats_between_revisions(tmp_path: Path) -> None:
    """`policy diff BASE HEAD` prints text, Markdown and JSON; --exit-code exits 1 on changes."""
    repo = _git_repo_with_two_revisions(tmp_path, CASES / "08__should_to_must")
    text = run_policy("diff", "HEAD~1", "HEAD", cwd=repo)
    assert text.returncode == 0, text.stderr
    assert "[major] modified mi-004" in text.stdout
    assert "\x1b[" not in text.stdout
    markdown = run_policy("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert "| modified | mi-004 Deel succes | major |" in markdown.stdout
    data = json.loads(run_policy("diff", "HEAD~1", "--format", "json", cwd=repo).stdout)
    assert data["impact"] == "major"
    assert data["changes"][0]["fields"] == ["level"]
    assert run_policy("diff", "HEAD~1", "--exit-code", cwd=repo).returncode == 1
    assert run_policy("diff", "HEAD", "--exit-code", cwd=repo).returncode == 0


def test_working_tree_is_default_head(tmp_path: Path) -> None:
    """Without HEAD the working tree is compared, uncommitted edits included."""
    repo = _git_repo_with_two_revisions(tmp_path, CASES / "01__no_changes")
    section = repo / "policy/mini/sections/privacy.yaml"
    section.write_text(section.read_text().replace("level: must-not", "level: may"))
    data = json.loads(run_policy("diff", "HEAD", "--format", "json", cwd=repo).stdout)
    assert data["head"] == "working tree"
    assert [c["clause"] for c in data["changes"]] == ["mi-002"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "no-such-rev"), "unknown revision 'no-such-rev'"),
        (("diff", "--policy", "other", "HEAD"), "policy 'other' does not exist at HEAD"),
        (("diff", "--", "--output=x"), "is not a revision"),
    ],
)
def test_bad_revisions_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    """Unknown revisions, a missing policy, or option-like revisions: exit 2, no traceback."""
    repo = _git_repo_with_two_revisions(tmp_path, CASES / "01__no_changes")
    result = run_policy(*args, cwd=repo)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_yaml_at_base_exit_2(tmp_path: Path) -> None:
    """A BASE whose policy does not load: its located errors, exit 2."""
    repo = _git_repo_with_two_revisions(tmp_path, CASES / "01__no_changes")
    section = repo / "policy/mini/sections/privacy.yaml"
    section.write_text("id: [\n")
    git(repo, "commit", "-qam", "broken")
    section.write_text(
        (CASES / "01__no_changes/head/policy/mini/sections/privacy.yaml").read_text()
    )
    result = run_policy("diff", "HEAD", cwd=repo)
    assert result.returncode == 2
    assert "policy/mini/sections/privacy.yaml:2:1: error[yaml-syntax]" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_repository_exit_2(tmp_path: Path) -> None:
    """A revision asked for outside git: exit 2 with the folder alternative."""
    shutil.copytree(CASES / "01__no_changes/head", tmp_path / "plain")
    result = run_policy("diff", "HEAD", cwd=tmp_path / "plain")
    assert result.returncode == 2
    assert "--base-dir" in result.stderr


def test_unchanged_files_are_parsed_once(tmp_path: Path) -> None:
    """Files with the same blob id on both sides are parsed once: cost follows the change."""
    from tools.base.loader import ParseCache

    repo = _git_repo_with_two_revisions(tmp_path, CASES / "08__should_to_must")
    git_repo = GitRepository(repo)
    cache = ParseCache()
    for revision in ("HEAD~1", "HEAD"):
        policy, problems = load_policy(git_repo.snapshot(revision), "mini", cache)
        assert policy is not None and not problems
    # 3 files at BASE, and only the one changed section file again at HEAD.
    assert len(cache.entries) == 4


def test_symlink_at_revision_fails_closed(tmp_path: Path) -> None:
    """A section committed as a symlink is refused when read from git, not followed."""
    repo = _git_repo_with_two_revisions(tmp_path, CASES / "01__no_changes")
    section = repo / "policy/mini/sections/privacy.yaml"
    (repo / "elsewhere.yaml").write_text(section.read_text())
    section.unlink()
    section.symlink_to("../../../elsewhere.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "symlink")
    result = run_policy("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 2
    assert "unsafe-file" in result.stderr
    assert "symbolic link" in result.stderr


@pytest.mark.parametrize("branch", ["bench/one-clause", "bench/one-percent"])
def test_unchanged_sections_not_parsed_same_diff(tmp_path: Path, branch: str) -> None:
    """Skipping the section files equal on both sides gives the diff of the whole policies."""
    from tests.bench.generate import Spec, ensure
    from tools.base.loader import same_sections
    from tools.versions.gather import revision

    repo = ensure(Spec(clauses=1_000, releases=6, seed=5), tmp_path)
    git = GitRepository(repo)
    base, head = revision(git, "main", None), revision(git, branch, None)
    if branch == "bench/one-clause":
        assert same_sections(base, head, "verlof")  # the other section file is not parsed
    whole = diff_policies(load_policy(base, "verlof")[0], load_policy(head, "verlof")[0])
    fast = compare(git, "main", branch, policy_id="verlof")
    assert [dataclasses.astuple(c) for c in fast.changes] == [
        dataclasses.astuple(c) for c in whole.changes
    ]
    assert fast.changes
