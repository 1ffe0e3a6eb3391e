"""``policy report``: the pull-request comment; golden files for the renderer, git for the CLI."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_FILES, ROOT, git, run_policy, write_tree
from tests.gatekit import MONITORING, make_keys, monitoring, new_gate_repo
from tools.base.diagnostics import Diagnostic
from tools.base.gitio import GitRepository
from tools.compare.diff import PolicyDiff
from tools.gate.prreport import DOCX_LINE, MARKER, Gate, PolicyReview, render_markdown
from tools.gate.rules import Ignored, Requirement, Verdict
from tools.notes.gather import compare

CASES = Path(__file__).parent / "cases"
GOLDEN = CASES / "prreport"
ALGEMEEN = "policy/mini/sections/algemeen.yaml"


def case_diff(name: str) -> PolicyDiff:
    """A diff golden case's diff, labelled base/ and head/."""
    case = ROOT / "tests/compare/cases/diff" / name
    diff = compare(
        GitRepository(case / "head"), None, None, base_dir=case / "base", head_dir=case / "head"
    )
    return dataclasses.replace(diff, base="base/", head="head/")


MISSING_NOTE = Diagnostic(
    ALGEMEEN,
    6,
    9,
    "missing-note",
    "clause mi-001 (Wees beleefd) is modified (major) but no change note names it",
    "run 'policy changelog new' and describe the change for employees",
)

INCOMPLETE = Verdict(
    "base/ (0123456789ab)",
    "head/ (ba9876543210)",
    (
        Requirement("", ("@t/hr",), ("hr",), 1, ("changelog/approvals/x.json",), (), ()),
        Requirement("", ("@t/communicatie",), ("communicatie",), 1, (ALGEMEEN,), ("mi-001",), ()),
        Requirement(
            "Ondernemingsraad",
            ("@t/ondernemingsraad",),
            ("ondernemingsraad",),
            2,
            (ALGEMEEN,),
            ("mi-001",),
            ("fatima@t.nl",),
        ),
    ),
    (Ignored("changelog/approvals/a.json", "eva@t.nl", "hr", "stale: algemeen.yaml changed"),),
    (),
    {"fatima@t.nl": "Fatima Yilmaz", "eva@t.nl": "Eva Visser"},
)

COMPLETE = Verdict(
    "base/ (0123456789ab)",
    "head/ (ba9876543210)",
    (
        Requirement(
            "",
            ("@t/communicatie",),
            ("communicatie",),
            1,
            (ALGEMEEN,),
            ("mi-003",),
            ("sanne@t.nl",),
        ),
    ),
    (),
    (),
    {"sanne@t.nl": "Sanne de Vries"},
)

# name -> (reviews, gate): each golden file is one comment as reviewers read it.
SCENARIOS: dict[str, tuple[list[PolicyReview], Gate]] = {
    "duty_changed_incomplete": (
        [PolicyReview("mini", case_diff("05__negation_in_must"), (MISSING_NOTE,), 0)],
        Gate(INCOMPLETE),
    ),
    "guidance_complete": (
        [PolicyReview("mini", case_diff("10__should_text_reworded"), (), 1)],
        Gate(COMPLETE),
    ),
    "editorial_gate_cannot_judge": (
        [
            PolicyReview("mini", case_diff("06__whitespace_rewrap"), (), 0),
            PolicyReview("other", case_diff("01__no_changes"), (), 0),
        ],
        Gate(None, "'mini' has no release yet, so there is no trusted BASE; give BASE"),
    ),
    "no_policy_changes": (
        [PolicyReview("mini", case_diff("01__no_changes"), (), 0)],
        Gate(dataclasses.replace(COMPLETE, required=())),
    ),
    "does_not_load": (
        [
            PolicyReview(
                "mini",
                None,
                load_problems=(
                    Diagnostic(ALGEMEEN, 3, 1, "yaml-syntax", "unexpected end of the file"),
                ),
            )
        ],
        Gate(INCOMPLETE),
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_golden_report(name: str, update_golden: bool) -> None:
    """Each scenario's comment equals its golden file (regenerate with --update-golden)."""
    reviews, gate = SCENARIOS[name]
    text = render_markdown(reviews, gate, "base/", "head/")
    golden = GOLDEN / f"{name}.md"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text, f"{golden} differs; --update-golden"


def test_every_golden_file_is_a_scenario() -> None:
    """No golden file goes untested."""
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == sorted(SCENARIOS)


def test_marker_is_the_first_line_and_only_once() -> None:
    """The workflow finds the comment by its first line; policy text cannot forge a second one."""
    reviews, gate = SCENARIOS["duty_changed_incomplete"]
    text = render_markdown(reviews, gate, "base/", "head/")
    assert text.splitlines()[0] == MARKER
    assert text.count("<!--") == 1


def test_too_long_leaves_out_the_redlines_not_the_tables() -> None:
    """Above the comment limit the redlines go, the change table and approvals stay."""
    reviews, gate = SCENARIOS["duty_changed_incomplete"]
    full = render_markdown(reviews, gate, "base/", "head/")
    short = render_markdown(reviews, gate, "base/", "head/", limit=len(full) - 1)
    assert "<ins> niet</ins>" in full
    assert "<ins> niet</ins>" not in short
    assert "| modified | mi-001 Wees beleefd | major |" in short
    assert "policy diff BASE HEAD --format markdown" in short
    assert "## Approvals: ❌ incomplete" in short


@pytest.mark.parametrize("summary", ["", "**Beleid**\n- Regels: geen wijzigingen\n"])
@pytest.mark.parametrize("name", ["no_policy_changes", "duty_changed_incomplete"])
def test_the_redline_is_named_above_the_fold_whatever_changed(name: str, summary: str) -> None:
    """A written Word redline is always named, under the summary and outside the details."""
    reviews, gate = SCENARIOS[name]
    text = render_markdown(reviews, gate, "base/", "head/", docx="policy-redline.docx")
    shown = text.split("<details>", 1)[0]
    assert DOCX_LINE.format("policy-redline.docx") + "\n" in shown
    if summary:
        folded = render_markdown(reviews, gate, "b", "h", docx="r.docx", summary=summary)
        above = folded.split("<details>", 1)[0]
        assert above.index(summary.splitlines()[0]) < above.index(DOCX_LINE.format("r.docx"))


# --- the CLI on a real repository ----------------------------------------------------------------


@pytest.fixture
def repo(mini_repo: Callable[..., Path]) -> Path:
    """The mini policy released as 1.0.0, then a commit that rewords must clause mi-001."""
    root = mini_repo()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "mini 1.0.0")
    git(root, "tag", "mini/v1.0.0")
    reworded = MINI_FILES[ALGEMEEN].replace("beleefd op", "beleefd en eerlijk op")
    write_tree(root, {ALGEMEEN: reworded})
    git(root, "commit", "-qam", "reword mi-001")
    return root


def test_cli_report_of_a_pull_request(repo: Path) -> None:
    """BASE HEAD: the marker, the impact, the missing note and who still has to approve."""
    result = run_policy("report", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith(MARKER + "\n# Policy report\n")
    assert "| `mini` | **major** (duty-changing) | 1 duty-changing | ❌ 1 problem |" in text
    assert "algemeen.yaml:6:9: missing-note: clause mi-001" in text
    assert "**Still to approve:** communicatie (1 more)." in text
    assert "beleefd<ins> en eerlijk</ins> op" in text
    assert "## Approvals: ❌ incomplete" in text


def test_cli_report_is_deterministic_and_writes_output(repo: Path, tmp_path: Path) -> None:
    """Two runs give the same bytes; --output writes exactly what stdout would show."""
    first = run_policy("report", "HEAD~1", "HEAD", cwd=repo).stdout
    assert run_policy("report", "HEAD~1", "HEAD", cwd=repo).stdout == first
    target = tmp_path / "out" / "report.md"
    result = run_policy("report", "HEAD~1", "HEAD", "--output", str(target), cwd=repo)
    assert result.returncode == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == first


def test_cli_report_defaults_to_the_last_release(repo: Path) -> None:
    """No BASE: the last release against the working tree; the gate judges release..HEAD."""
    result = run_policy("report", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "1.0.0 → working tree" in result.stdout
    assert "## Approvals: ❌ incomplete" in result.stdout


def test_cli_report_when_head_does_not_load(repo: Path) -> None:
    """A policy broken at HEAD is reported with its errors, not a crash; exit stays 0."""
    write_tree(repo, {ALGEMEEN: "id: algemeen\ntitle: [\n"})
    git(repo, "commit", "-qam", "break it")
    result = run_policy("report", "HEAD~2", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "The policy does not load at HEAD" in result.stdout
    assert ": yaml-syntax: " in result.stdout


def test_cli_report_unknown_revision_exits_2(repo: Path) -> None:
    """A BASE that does not exist cannot be reported on: exit 2 with a message."""
    result = run_policy("report", "nope", "HEAD", cwd=repo)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_cli_report_follows_signed_approvals(tmp_path: Path) -> None:
    """With real signed records the report says who still has to approve, until nobody does."""
    repo = new_gate_repo(tmp_path / "repo", make_keys(tmp_path / "keys"))
    repo.commit({MONITORING: monitoring("We kijken soms mee.")})
    repo.approve("eva")
    before = run_policy("report", "base", "HEAD", cwd=repo.root).stdout
    assert "| `p` | does not load | - | - | or \\[Ondernemingsraad\\] (1 more) |" in before
    assert "## Approvals: ❌ incomplete" in before
    repo.approve("fatima")
    after = run_policy("report", "base", "HEAD", cwd=repo.root).stdout
    assert "| `p` | does not load | - | - | none |" in after
    assert "## Approvals: ✅ complete" in after
