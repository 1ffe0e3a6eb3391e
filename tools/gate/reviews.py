"""GitHub pull-request reviews as approvals: the source's own rules, before the common ones.

Pure: the pull request as plain data (``tools/gate/github_api.py`` reads it from the API) and the
content of the changed paths at each reviewed commit (``tools/gate/gather.py`` reads it from git)
in; the approvals that passed, and every review that did not with its reason, out. The common rules
(ownership at BASE, content equal to HEAD, self-approval, distinct people, ``[Section][N]``) are
then applied by ``tools/approvals.evaluate_approvals``, exactly as for signed records.

- Only each person's latest decisive review counts (APPROVED, CHANGES_REQUESTED, DISMISSED), as
  on GitHub: a later change request or dismissal cancels an earlier approval; a comment
  changes nothing and approves nothing.
- A reviewer counts for a department only if the BASE registry lists their GitHub login as a
  member of it **and** they are in its GitHub team (``@org/team``) now: the team alone is
  administered outside the repository, unreviewed; the registry alone may lag a removal.
- A review approves each changed path's content at the commit it was given on; a commit that
  is not in the local repository approves nothing.
- The pull request's author, and the accounts GitHub links to its commits, are authors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schema.models import Registry
from tools.base.gitlog import Contribution
from tools.gate.rules import Approval, Change, Ignored

APPROVED, CHANGES_REQUESTED, DISMISSED = "APPROVED", "CHANGES_REQUESTED", "DISMISSED"
COMMENTED, PENDING = "COMMENTED", "PENDING"
_DECISIVE = (APPROVED, CHANGES_REQUESTED, DISMISSED)


@dataclass(frozen=True)
class Review:
    """One review of ``GET /repos/{owner}/{repo}/pulls/{number}/reviews``."""

    id: int
    login: str | None
    """The reviewer's login; None for a deleted account."""
    state: str
    commit_id: str | None
    submitted_at: str
    """ISO 8601 (UTC, as GitHub writes it); empty for a pending review."""


@dataclass(frozen=True)
class PullCommit:
    """One commit of the pull request, with the GitHub accounts linked to its author and
    committer (GitHub's own link from e-mail address to account)."""

    sha: str
    logins: frozenset[str]


@dataclass(frozen=True)
class PullRequest:
    """What the gate needs to know of a pull request, read from the API."""

    number: int
    author: str
    head_sha: str
    base_sha: str
    reviews: tuple[Review, ...] = ()
    commits: tuple[PullCommit, ...] = ()
    teams: Mapping[str, frozenset[str]] | None = None
    """Members' logins of each department's team, by handle (``@org/team``), casefolded."""


def team_handles(registry: Registry) -> list[str]:
    """The handles of the registry that are GitHub teams (``@org/team``), whose members count."""
    return sorted({d.handle for d in registry.departments if "/" in d.handle})


def review_approvals(
    pull: PullRequest,
    registry: Registry,
    reviewed: Mapping[str, Mapping[str, str | None] | None],
) -> tuple[list[Approval], list[Ignored]]:
    """The approvals the reviews give, per department, and every review that gives none.

    ``reviewed`` maps each reviewed commit to the changed paths' content there (None when the
    commit is not in the local repository)."""
    logins = _logins(registry)
    by_user: dict[str, list[Review]] = defaultdict(list)
    approvals: list[Approval] = []
    ignored: list[Ignored] = []
    for review in pull.reviews:
        if review.login is None:
            ignored.append(_ignored(review, "", "", "no reviewer: the account was deleted"))
        else:
            by_user[review.login.casefold()].append(review)
    for login, reviews in sorted(by_user.items()):
        ordered = sorted(reviews, key=lambda r: (r.submitted_at, r.id))
        decisive = [r for r in ordered if r.state in _DECISIVE]
        latest = decisive[-1] if decisive else None
        emails = logins.get(login, set())
        who = next(iter(emails)) if len(emails) == 1 else f"@{login}"
        for review in ordered:
            if review is latest and review.state == APPROVED:
                found, why = _approval(review, login, who, emails, registry, pull, reviewed)
                approvals += found
                ignored += why
                continue
            ignored.append(_ignored(review, who, "", _not_an_approval(review, latest)))
    return approvals, ignored


def _not_an_approval(review: Review, latest: Review | None) -> str:
    if review.state == COMMENTED:
        return "commented: a comment is not an approval"
    if review.state == PENDING:
        return "pending: the review was not submitted"
    if review.state == DISMISSED:
        return "dismissed: the review was dismissed"
    if review.state == CHANGES_REQUESTED:
        return "changes requested: not an approval"
    if review.state == APPROVED and latest is not None:
        later = latest.state.lower().replace("_", " ")
        return f"superseded: the same reviewer's later review {latest.id} ({later}) counts instead"
    return f"unknown review state '{review.state}'"


def _approval(
    review: Review,
    login: str,
    who: str,
    emails: set[str],
    registry: Registry,
    pull: PullRequest,
    reviewed: Mapping[str, Mapping[str, str | None] | None],
) -> tuple[list[Approval], list[Ignored]]:
    """The latest approval of one reviewer: one approval per department they count for."""
    if len(emails) > 1:
        why = f"ambiguous login: @{login} is the GitHub login of {len(emails)} members at BASE"
        return [], [_ignored(review, who, "", why)]
    teams = pull.teams or {}
    listed = {
        d.id
        for d in registry.departments
        for m in d.members
        if m.github and m.github.casefold() == login
    }
    in_team = {d.id for d in registry.departments if login in teams.get(d.handle, frozenset())}
    handles = {d.id: d.handle for d in registry.departments}
    ignored = []
    for department in sorted(listed - in_team):
        why = f"not a member: @{login} is not in the GitHub team {handles[department]}"
        if handles[department] not in teams:
            why = f"not a member: {handles[department]} is not a GitHub team (@org/team)"
        ignored.append(_ignored(review, who, department, why))
    for department in sorted(in_team - listed):
        why = (
            f"not a member: @{login} is in the team {handles[department]} but not listed with "
            f"this GitHub login in {department} in the registry at BASE"
        )
        ignored.append(_ignored(review, who, department, why))
    departments = sorted(listed & in_team)
    if not departments:
        if not ignored:
            why = f"not a member: @{login} is in no department's team nor in the registry at BASE"
            ignored.append(_ignored(review, who, "", why))
        return [], ignored
    files = reviewed.get(review.commit_id or "")
    if files is None:
        what = review.commit_id[:12] if review.commit_id else "(none)"
        why = (
            f"commit not fetched: the review is on commit {what}, which is not in the local "
            "repository (fetch the full history)"
        )
        return [], [*ignored, *(_ignored(review, who, d, why) for d in departments)]
    file = _source(review)
    return [Approval(file, who, d, files) for d in departments], ignored


def review_authorship(
    pull: PullRequest, registry: Registry, change: Change
) -> tuple[Contribution, ...]:
    """The change's contributions with the GitHub accounts of their commits added (as the
    registry's e-mail addresses), and the pull request's author as an author of every path.

    A commit of the pull request that is not in BASE..HEAD locally makes its accounts authors of
    every changed path: what it touched is unknown, so it fails closed."""
    logins = _logins(registry)
    every = frozenset(c.path for c in change.paths)

    def people(names: frozenset[str]) -> frozenset[str]:
        found = {f"@{n.casefold()}" for n in names}
        for name in names:
            found |= logins.get(name.casefold(), set())
        return frozenset(found)

    by_sha = {c.sha: c for c in pull.commits}
    local = {c.commit for c in change.contributions}
    found = [
        Contribution(c.commit, c.identities | people(by_sha[c.commit].logins), c.paths, c.how)
        if c.commit in by_sha
        else c
        for c in change.contributions
    ]
    for commit in pull.commits:
        if commit.sha not in local:
            how = f"wrote or committed it (commit {commit.sha[:12]}, not in BASE..HEAD here)"
            found.append(Contribution(commit.sha, people(commit.logins), every, how))
    found.append(
        Contribution(
            f"pull/{pull.number}",
            people(frozenset({pull.author})),
            every,
            f"opened pull request #{pull.number}",
        )
    )
    return tuple(found)


def _logins(registry: Registry) -> dict[str, set[str]]:
    """GitHub login (casefolded) to the e-mail addresses of the members who have it."""
    found: dict[str, set[str]] = defaultdict(set)
    for department in registry.departments:
        for member in department.members:
            if member.github:
                found[member.github.casefold()].add(member.email.casefold())
    return found


def _source(review: Review) -> str:
    return f"review {review.id}"


def _ignored(review: Review, who: str, department: str, reason: str) -> Ignored:
    return Ignored(_source(review), who, department, reason)


def reviewed_commits(pull: PullRequest) -> Sequence[str]:
    """The commits that approvals were given on: their content must be read from git."""
    return sorted({r.commit_id for r in pull.reviews if r.state == APPROVED and r.commit_id})
