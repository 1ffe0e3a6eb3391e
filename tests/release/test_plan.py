"""The release plan, pure: version, effective date, files, message and blockers from facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.conftest import MINI_FILES
from tools.base.loader import Policy, load_policy
from tools.base.snapshot import MemorySnapshot
from tools.compare.diff import diff_policies
from tools.compare.impact import Impact
from tools.release.plan import Facts, plan

TODAY = dt.date(2026, 11, 25)
ALGEMEEN = "policy/mini/sections/algemeen.yaml"


def load(files: dict[str, str]) -> Policy:
    policy, problems = load_policy(MemorySnapshot(files), "mini")
    assert policy is not None and not problems, problems
    return policy


def edited(before: str, after: str, path: str = ALGEMEEN) -> dict[str, str]:
    assert before in MINI_FILES[path]
    return {**MINI_FILES, path: MINI_FILES[path].replace(before, after, 1)}


def facts(head_files: dict[str, str], **changes: object) -> Facts:
    """Mini released as 1.0.0, HEAD as given."""
    released, head = load(MINI_FILES), load(head_files)
    base = Facts(
        policy="mini",
        today=TODAY,
        head=head,
        released=released,
        previous="1.0.0",
        since_release=diff_policies(released, head),
        notes=(),
        policy_text=head_files["policy/mini/policy.yaml"],
        changelog_text=None,
        tags=frozenset({"mini/v1.0.0"}),
        history=(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


MINOR = edited("Dit is uitleg.", "Dit is meer uitleg.")
MAJOR = edited("Je bent beleefd", "Je bent altijd beleefd")


def codes(release_facts: Facts) -> list[str]:
    return [b.code for b in plan(release_facts).blockers]


def test_minor_release_takes_effect_no_earlier_than_the_last_one() -> None:
    """A minor change: the next minor version, effective today or the last release's date."""
    release = plan(facts(MINOR))
    assert (release.version, release.impact, release.ready) == ("1.1.0", Impact.MINOR, True)
    assert release.effective == dt.date(2027, 1, 1)
    later = plan(facts(MINOR, today=dt.date(2027, 3, 1)))
    assert later.effective == dt.date(2027, 3, 1)


def test_major_release_takes_effect_after_the_notice_period() -> None:
    """A material change: effective notice_days (30) after today by default."""
    release = plan(facts(MAJOR, today=dt.date(2027, 2, 1)))
    assert (release.version, release.effective) == ("2.0.0", dt.date(2027, 3, 3))


def test_a_date_set_by_the_authors_is_checked_not_moved() -> None:
    """policy.yaml's new effective date inside the notice period is refused, not postponed."""
    head = {
        **MAJOR,
        "policy/mini/policy.yaml": MAJOR["policy/mini/policy.yaml"].replace(
            "effective: 2027-01-01", "effective: 2027-02-15"
        ),
    }
    assert codes(facts(head, today=dt.date(2027, 2, 1))) == ["notice-period"]
    assert plan(facts(head)).effective == dt.date(2027, 2, 15)
    assert codes(facts(MAJOR, effective=dt.date(2027, 1, 1))) == []


@pytest.mark.parametrize(
    ("version", "problems"),
    [
        ("1.0.1", ["version-too-low"]),
        ("1.1.0", []),
        ("3.0.0", []),
        ("1.0.0", ["tag-exists", "version-too-low", "version-too-low"]),
    ],
)
def test_an_explicit_version_may_go_higher_never_lower(version: str, problems: list[str]) -> None:
    """--version at or above the computed bump is taken; below it, or an existing tag, is not."""
    assert sorted(codes(facts(MINOR, version=version))) == problems


def test_the_plan_writes_the_notes_changelog_and_two_fields() -> None:
    """Four files, the notes consumed, a commit message with the release trailers."""
    release = plan(facts(MINOR))
    paths = [path for path, _ in release.writes]
    assert paths == [
        "changelog/mini/1.1.0.html",
        "changelog/mini/1.1.0.md",
        "changelog/mini/CHANGELOG.md",
        "policy/mini/policy.yaml",
    ]
    policy = dict(release.writes)["policy/mini/policy.yaml"]
    assert policy == MINOR["policy/mini/policy.yaml"].replace("version: 1.0.0", "version: 1.1.0")
    assert release.message.endswith(
        "Policy: mini\nPolicy-Version: 1.1.0\nPolicy-Impact: minor\nPolicy-Effective: 2027-01-01\n"
        "Policy-Clauses: mi-003\n"
    )
    assert release.tag == "mini/v1.1.0"


def test_state_blockers() -> None:
    """A dirty tree, a gate that could not run and an empty change each block."""
    assert codes(facts(MINOR, dirty=("x.txt",))) == ["dirty-tree"]
    assert codes(facts(MINOR, gate_error="ssh-keygen missing")) == ["not-approved"]
    assert codes(facts(MINI_FILES)) == ["nothing-to-release"]


def test_same_facts_same_plan() -> None:
    """Deterministic: planning twice gives equal plans."""
    assert plan(facts(MINOR)) == plan(facts(MINOR))
