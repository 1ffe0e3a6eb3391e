"""The review rules as a pure function: pull-request data in, approvals and reasons out (no
network, no git); test_github_source.py runs them against a fake API and real repositories."""

from __future__ import annotations

import pytest

from schema.models import Registry
from tools.base.gitlog import ChangedPath, Contribution
from tools.gate.reviews import (
    PullCommit,
    PullRequest,
    Review,
    review_approvals,
    review_authorship,
    reviewed_commits,
    team_handles,
)
from tools.gate.rules import Change, Governance, evaluate_approvals
from tools.owners.codeowners import parse_codeowners
from tools.owners.rules import compile_rules

A, B = "a" * 40, "b" * 40
PATH = "policy/p/sections/monitoring.yaml"
FILES = {PATH: "100644 sha256:" + "1" * 64}


def registry() -> Registry:
    return Registry.model_validate(
        {
            "organisation": "T",
            "departments": [
                {
                    "id": "hr",
                    "name": "HR",
                    "handle": "@t/hr",
                    "members": [
                        {"name": "Eva", "email": "Eva@t.nl", "github": "Eva"},
                        {"name": "Mo", "email": "mo@t.nl", "github": "mo"},
                    ],
                },
                {
                    "id": "or",
                    "name": "OR",
                    "handle": "@t/or",
                    "members": [{"name": "Eva", "email": "eva@t.nl", "github": "eva"}],
                },
                {
                    "id": "solo",
                    "name": "Solo",
                    "handle": "@someone",
                    "members": [{"name": "Sam", "email": "sam@t.nl", "github": "sam"}],
                },
            ],
        }
    )


def pull(*reviews: Review, commits: tuple[PullCommit, ...] = ()) -> PullRequest:
    teams = {"@t/hr": frozenset({"eva", "mo"}), "@t/or": frozenset({"eva"})}
    return PullRequest(7, "mallory", A, B, tuple(reviews), commits, teams)


def at(number: int, state: str, login: str | None = "eva", commit: str = A) -> Review:
    return Review(number, login, state, commit, f"2026-11-25T10:{number:02d}:00Z")


@pytest.mark.parametrize(
    ("states", "counts"),
    [
        (["APPROVED"], True),
        (["APPROVED", "COMMENTED"], True),
        (["APPROVED", "CHANGES_REQUESTED"], False),
        (["APPROVED", "DISMISSED"], False),
        (["CHANGES_REQUESTED", "APPROVED"], True),
        (["DISMISSED", "APPROVED", "PENDING"], True),
        (["COMMENTED"], False),
        (["PENDING"], False),
        (["APPROVED", "APPROVED"], True),
    ],
)
def test_only_the_latest_decisive_review_counts(states: list[str], counts: bool) -> None:
    """A later change request or dismissal cancels an approval; comments change nothing."""
    reviews = [at(n, state) for n, state in enumerate(states, 1)]
    approvals, ignored = review_approvals(pull(*reviews), registry(), {A: FILES})
    assert bool(approvals) is counts
    assert len({a.file for a in approvals}) + len({i.file for i in ignored}) == len(states)


def test_one_review_approves_for_each_department_of_the_reviewer() -> None:
    """A person in two departments (and both teams) approves for both, as one e-mail address."""
    approvals, ignored = review_approvals(pull(at(1, "APPROVED")), registry(), {A: FILES})
    assert [(a.department, a.approver, a.files) for a in approvals] == [
        ("hr", "eva@t.nl", FILES),
        ("or", "eva@t.nl", FILES),
    ]
    assert ignored == []


def test_review_on_a_commit_git_lacks_approves_nothing() -> None:
    """No content known at the reviewed commit: no approval, reason 'commit not fetched'."""
    approvals, ignored = review_approvals(pull(at(1, "APPROVED", "mo")), registry(), {A: None})
    assert approvals == []
    assert [i.reason.split(":")[0] for i in ignored] == ["commit not fetched"]


def test_one_review_ignored_for_two_departments_in_a_fixed_order() -> None:
    """The same review and reason for two departments is listed in department order."""
    change = Change("b", "h", (ChangedPath(PATH, 0o100644, 0o100644, "M"),), FILES, (PATH,), ())
    rules, _ = parse_codeowners("CODEOWNERS", f"/{PATH} @t/hr\n[OR]\n/{PATH} @t/or\n")
    governance = Governance(compile_rules(rules), registry())
    _, ignored = review_approvals(pull(at(1, "APPROVED")), registry(), {A: None})
    verdict = evaluate_approvals(change, governance, [], ignored)
    assert [(i.file, i.department) for i in verdict.ignored] == [
        ("review 1", "hr"),
        ("review 1", "or"),
    ]


def test_handle_that_is_not_a_team_gives_no_membership() -> None:
    """A department whose handle is a user, not @org/team, has no team to be in."""
    assert team_handles(registry()) == ["@t/hr", "@t/or"]
    _, ignored = review_approvals(pull(at(1, "APPROVED", "sam")), registry(), {A: FILES})
    assert [i.reason for i in ignored] == [
        "not a member: @someone is not a GitHub team (@org/team)"
    ]


def test_only_approved_reviews_need_their_commit_read() -> None:
    """Only commits with an approving review are read from git."""
    found = pull(at(1, "APPROVED"), at(2, "COMMENTED", commit=B), at(3, "APPROVED", "mo", A))
    assert reviewed_commits(found) == [A]


def test_pull_request_author_and_linked_accounts_are_authors() -> None:
    """The PR's author authors every path; a commit's linked login maps to the registry e-mail."""
    change = Change(
        base="b",
        head="h",
        paths=(ChangedPath(PATH, 0o100644, 0o100644, "M"),),
        states=FILES,
        head_files=(PATH,),
        contributions=(Contribution(A, frozenset({"private@x.nl"}), frozenset({PATH})),),
    )
    found = review_authorship(pull(commits=(PullCommit(A, frozenset({"mo"})),)), registry(), change)
    assert [(c.commit, sorted(c.identities), c.how) for c in found] == [
        (A, ["@mo", "mo@t.nl", "private@x.nl"], ""),
        ("pull/7", ["@mallory"], "opened pull request #7"),
    ]
