"""``policy due``: review dates of policies and clauses, counted from a fixed ``--today``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_FILES, run_policy
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot

ALGEMEEN = "policy/mini/sections/algemeen.yaml"

# mi-003 must be reviewed before the policy (2028-01-01).
CLAUSE_REVIEW = MINI_FILES[ALGEMEEN].replace(
    "    text: Dit is uitleg.\n", "    text: Dit is uitleg.\n    next_review: 2027-06-01\n"
)


@pytest.fixture
def repo(mini_repo: Callable[..., Path]) -> Path:
    """The mini policy (review 2028-01-01) with clause mi-003 to be reviewed on 2027-06-01."""
    return mini_repo({ALGEMEEN: CLAUSE_REVIEW})


def due(repo: Path, *args: str) -> tuple[int, str]:
    result = run_policy("due", *args, cwd=repo)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


def test_nothing_due_exits_0(repo: Path) -> None:
    """Far from any review date: a one-line all-clear and exit 0."""
    code, out = due(repo, "--today", "2027-01-01")
    assert code == 0
    assert out == "no reviews due within 30 days of 2027-01-01\n"


def test_clause_due_soon_is_listed_but_not_a_failure(repo: Path) -> None:
    """A clause review within DAYS is listed at its next_review line, and exit stays 0."""
    code, out = due(repo, "--today", "2027-05-20")
    assert code == 0
    assert out.splitlines() == [
        f"{ALGEMEEN}:16:18: mini mi-003: review due 2027-06-01 (in 12 days): Uitleg",
        "1 review due within 30 days of 2027-05-20, 0 overdue",
    ]


def test_overdue_exits_1_and_sorts_by_date(repo: Path) -> None:
    """Past both dates: the clause (earlier) first, then the policy; exit 1."""
    code, out = due(repo, "--today", "2028-01-03")
    assert code == 1
    assert out.splitlines() == [
        f"{ALGEMEEN}:16:18: mini mi-003: review overdue since 2027-06-01 (216 days): Uitleg",
        "policy/mini/policy.yaml:6:14: mini: review overdue since 2028-01-01 (2 days): Mini",
        "2 reviews due within 30 days of 2028-01-03, 2 overdue",
    ]


def test_due_today_is_not_overdue(repo: Path) -> None:
    """On the review date itself the review is due, not overdue: exit 0."""
    code, out = due(repo, "--today", "2028-01-01", "--within", "0")
    assert code == 1  # mi-003 is overdue by then
    assert "mini: review due today (2028-01-01): Mini" in out
    code, out = due(repo, "--today", "2027-06-01", "--within", "0")
    assert code == 0
    assert "mi-003: review due today (2027-06-01)" in out


def test_within_is_inclusive(repo: Path) -> None:
    """A date exactly DAYS ahead is listed; one day further is not."""
    assert "mi-003" in due(repo, "--today", "2027-05-02", "--within", "30")[1]
    assert "mi-003" not in due(repo, "--today", "2027-05-01", "--within", "30")[1]


def test_json_contract(repo: Path) -> None:
    """JSON: today, within, the overdue count and each review with its location."""
    code, out = due(repo, "--today", "2027-12-20", "--format", "json")
    assert code == 1
    assert json.loads(out) == {
        "today": "2027-12-20",
        "within": 30,
        "overdue": 1,
        "due": [
            {
                "policy": "mini",
                "clause": "mi-003",
                "title": "Uitleg",
                "next_review": "2027-06-01",
                "days": -202,
                "overdue": True,
                "file": ALGEMEEN,
                "line": 16,
                "column": 18,
            },
            {
                "policy": "mini",
                "clause": None,
                "title": "Mini",
                "next_review": "2028-01-01",
                "days": 12,
                "overdue": False,
                "file": "policy/mini/policy.yaml",
                "line": 6,
                "column": 14,
            },
        ],
    }


@pytest.mark.parametrize(
    "args", [("--today", "2027-02-30"), ("--today", "tomorrow"), ("--within", "-1")]
)
def test_bad_arguments_exit_2(repo: Path, args: tuple[str, ...]) -> None:
    """An impossible date or a negative window is a usage error."""
    code, out = due(repo, *args)
    assert code == 2
    assert "policy: error: argument" in out


def test_policy_that_does_not_load_exits_2(mini_repo: Callable[..., Path]) -> None:
    """A broken policy cannot be judged: its errors and exit 2."""
    repo = mini_repo({"policy/mini/policy.yaml": "id: mini\n"})
    code, out = due(repo, "--today", "2027-01-01")
    assert code == 2
    assert "policy/mini/policy.yaml" in out
    assert "policy 'mini' does not load" in out


def test_shipped_policy_review_date_is_reported() -> None:
    """The core reads the shipped policy's next_review from policy.yaml."""
    from datetime import date

    from tests.conftest import ROOT
    from tools.release.due import find_due

    policy, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert policy is not None and not problems
    (review,) = find_due([policy], date(2027, 12, 31), 1)
    assert (review.policy, review.clause, review.days) == ("social-media", "", 1)
