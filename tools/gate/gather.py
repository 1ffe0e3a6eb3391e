"""The approval gate's shell: gather BASE..HEAD from git and judge it with
``tools/gate/rules.py``; the approvals are the records the commit holds
(``tools/gate/gather_records.py``) or a pull request's reviews. ``policy approve`` writes records
with ``tools/gate/write.py``.

Everything the rules trust is read from BASE (CODEOWNERS, the registry and its keys); from HEAD
only the changed content, the approval records and extra key revocations are read. With a pull
request's reviews as the approvals (``judge_pull_request``), the reviews, the PR's commits and
the teams come from ``tools/gate/github_api.py`` and the content at each reviewed commit from git.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tools.base.diagnostics import Diagnostic
from tools.base.errors import RevisionError, SnapshotError
from tools.base.gitio import GitRepository
from tools.base.gitlog import EMPTY_TREE
from tools.base.gitsnapshot import GitSnapshot
from tools.base.loader import ParseCache, load_policy, load_registry
from tools.compare.diff import PolicyDiff, diff_policies
from tools.gate.evidence import evidence_path, record_bytes
from tools.gate.evidence import read as read_evidence
from tools.gate.gather_records import digests_at, read_approvals, read_signed
from tools.gate.judge import (
    Records,
    add_clauses,
    at_base,
    config_problem,
    evidence_problem,
    records_of,
    revoked_keys,
)
from tools.gate.records import is_record_path, record_digest
from tools.gate.reviews import review_approvals, review_authorship, reviewed_commits, team_handles
from tools.gate.rules import (
    BaseRelation,
    Change,
    Governance,
    SignedApproval,
    Verdict,
    evaluate,
    evaluate_approvals,
)
from tools.notes.releasenotes import version_key
from tools.owners.codeowners import CODEOWNERS_PATH, parse_codeowners
from tools.owners.rules import OTHER_LOCATIONS, compile_rules
from tools.validate.registry import check_codeowners_handles
from tools.versions.gather import git_revision, last_release, releases
from tools.versions.releaseid import release_tag

if TYPE_CHECKING:  # the network module is loaded only for --source github
    from tools.gate.github_api import Client


@dataclass(frozen=True)
class Range:
    """What the gate judges: BASE..HEAD, with the rules read from ``trust``."""

    base: GitSnapshot | None
    """What the change is judged from; None: nothing, so every file at HEAD is new (a first
    release)."""
    head: GitSnapshot
    trust: GitSnapshot
    """Where CODEOWNERS and the registry are read: BASE, or a first release's trust root."""

    @classmethod
    def between(cls, base: GitSnapshot, head: GitSnapshot) -> Range:
        return cls(base, head, base)

    @property
    def repo(self) -> GitRepository:
        return self.head.repo

    @property
    def base_id(self) -> str:
        """BASE's commit id; git's empty tree for a first release."""
        return self.base.commit_id if self.base is not None else EMPTY_TREE

    @property
    def base_label(self) -> str:
        if self.base is None:
            return f"nothing (first release; rules from {self.trust.label})"
        return self.base.label


def resolve_range(
    repo: GitRepository,
    base_spec: str | None,
    head_spec: str | None,
    policy: str | None,
    *,
    trust_root: str | None = None,
) -> Range:
    """BASE (default: the policy's last release) and HEAD (default: the HEAD commit); either may
    be a release version of ``policy`` (``1.2.0``). A policy with no release yet is judged as
    a first release: from nothing, with the rules of the trust root."""
    head = repo.snapshot(git_revision(repo, head_spec or "HEAD", policy))
    if base_spec is None:
        if policy is None:
            raise RevisionError("give BASE or the policy whose last release is BASE")
        release = last_release(repo, policy)
        if release is None:
            return first_release_range(repo, head, trust_root)
        base_spec = release.tag
    elif trust_root is not None:
        raise RevisionError("--trust-root is for a first release only, without BASE")
    return Range.between(repo.snapshot(git_revision(repo, base_spec, policy)), head)


def first_release_range(repo: GitRepository, head: GitSnapshot, trust_root: str | None) -> Range:
    """A first release: everything at HEAD is new and needs its owners' approval, read from
    the trust root (``trust_root``, else the single root commit HEAD descends from)."""
    if trust_root is None:
        roots = repo.root_commits(head.commit_id)
        if len(roots) != 1:
            raise RevisionError(
                "the history has several root commits, so a first release has no obvious trust "
                "root; give --trust-root: the commit whose CODEOWNERS and departments.yaml you "
                "trust"
            )
        trust_root = roots[0]
    return Range(None, head, repo.snapshot(trust_root))


def judge(
    span: Range, *, excluded: frozenset[str] = frozenset(), cache: ParseCache | None = None
) -> Verdict:
    """The verdict on BASE..HEAD (``cache``: the command's, files parsed already)."""
    return judge_with_records(span, excluded=excluded, cache=cache)[0]


def judge_with_records(
    span: Range,
    *,
    excluded: frozenset[str] = frozenset(),
    cache: ParseCache | None = None,
    diffs: Mapping[str, PolicyDiff] | None = None,
) -> tuple[Verdict, Records]:
    """The verdict on BASE..HEAD, and the records it read: the evidence a release keeps
    (``cache``: the command's; ``diffs``: policy -> its diff BASE..HEAD, made already)."""
    seen = digests_at(span.base)
    approvals = read_approvals(span.head, skip=seen)
    facts = with_replay_facts(span, approvals, seen)
    return _judge_records(span, facts, excluded, Reading(cache or ParseCache(), diffs or {}))


def verify_release(repo: GitRepository, policy: str, version: str) -> Verdict:
    """The approvals archived in a release, judged again offline: the same change (the
    release's BASE..the commit it was cut from), the rules and keys of that BASE, and only the
    archived records as approvals."""
    tag = release_tag(policy, version)
    released = repo.snapshot(tag)
    path = evidence_path(policy, version)
    try:
        found = read_evidence(released.read(path))
    except KeyError:
        raise RevisionError(
            f"{tag} holds no {path}: it was released before releases kept their evidence; "
            "read its approvals from the history of changelog/approvals/"
        ) from None
    if isinstance(found, str):
        raise RevisionError(f"{path} at {tag}: {found}")
    span = Range(
        None if found.base == EMPTY_TREE else repo.snapshot(found.base),
        repo.snapshot(found.head),
        repo.snapshot(found.trust_root),
    )
    archived = [
        read_signed(f"{path}#{n}", record_bytes(a.record)) for n, a in enumerate(found.approvals)
    ]
    verdict, _ = _judge_records(span, with_replay_facts(span, archived, digests_at(span.base)))
    problems = _evidence_problems(repo, policy, version, released, span)
    return replace(verdict, problems=(*problems, *verdict.problems)) if problems else verdict


@dataclass(frozen=True)
class Reading:
    """What one command run has read already: parsed files, and diffs of BASE..HEAD."""

    cache: ParseCache
    diffs: Mapping[str, PolicyDiff]


def _judge_records(
    span: Range,
    approvals: list[SignedApproval],
    excluded: frozenset[str] = frozenset(),
    reading: Reading | None = None,
) -> tuple[Verdict, Records]:
    reading = reading or Reading(ParseCache(), {})
    governance = read_governance(span.trust, span.head, reading.cache)
    verdict = evaluate(read_change(span, excluded, reading), governance, approvals)
    return _with_history(span, verdict), records_of(approvals)


def _evidence_problems(
    repo: GitRepository, policy: str, version: str, released: GitSnapshot, span: Range
) -> list[Diagnostic]:
    """The archive must describe this release: cut from HEAD, judged from the release before."""
    problems = []
    parents = repo.parents(released.commit_id)
    if len(parents) != 1 or parents[0] != span.head.commit_id:
        problems.append(evidence_problem("the release commit was not cut from its HEAD"))
    earlier = [r for r in releases(repo, policy) if r.version < version_key(version)]
    expected = repo.commit_id(earlier[-1].tag) if earlier else EMPTY_TREE
    if span.base_id != expected:
        problems.append(
            evidence_problem(
                f"it was judged from {span.base_id[:12]}, not from the release before it "
                f"({expected[:12]})"
            )
        )
    return problems


def resolve_pull_range(
    repo: GitRepository, base_spec: str | None, head_spec: str | None, client: Client
) -> Range:
    """BASE (default: where the pull request branched off its base branch, as GitHub's "Files
    changed" shows) and HEAD (default: the pull request's head commit), both from local git."""
    from tools.gate.github_api import fetch_pull

    pull = fetch_pull(client)
    fetch = "fetch it (in GitHub Actions: actions/checkout with fetch-depth: 0)"
    if head_spec is None:
        if not repo.has_commit(pull.head_sha):
            raise RevisionError(
                f"the pull request's head commit {pull.head_sha[:12]} is not in the local "
                f"repository; {fetch}"
            )
        head = repo.snapshot(pull.head_sha)
        head.label = f"#{pull.number} head"
    else:
        head = repo.snapshot(head_spec)
    if base_spec is None:
        if not repo.has_commit(pull.base_sha):
            raise RevisionError(
                f"the pull request's base commit {pull.base_sha[:12]} is not in the local "
                f"repository; {fetch}"
            )
        common = repo.merge_base(pull.base_sha, head.commit_id)
        if common is None:
            raise RevisionError(f"the pull request shares no history with HEAD here; {fetch}")
        base = repo.snapshot(common)
        base.label = f"#{pull.number} base"
    else:
        base = repo.snapshot(base_spec)
    return Range.between(base, head)


def judge_pull_request(span: Range, client: Client) -> Verdict:
    """The verdict on BASE..HEAD with the pull request's reviews as the approvals."""
    from tools.gate.github_api import fetch_commits, fetch_pull, fetch_reviews, fetch_team_members

    reading = Reading(ParseCache(), {})
    governance = read_governance(span.trust, span.head, reading.cache)
    change = read_change(span, reading=reading)
    registry = governance.registry
    if registry is None:
        return _with_history(span, evaluate_approvals(change, governance, ()))
    pull = replace(
        fetch_pull(client),
        reviews=fetch_reviews(client),
        commits=fetch_commits(client),
        teams={handle: fetch_team_members(client, handle) for handle in team_handles(registry)},
    )
    reviewed = {sha: _states_at(span, sha, change.states) for sha in reviewed_commits(pull)}
    approvals, ignored = review_approvals(pull, registry, reviewed)
    change = replace(change, contributions=review_authorship(pull, registry, change))
    return _with_history(span, evaluate_approvals(change, governance, approvals, ignored))


def _states_at(
    span: Range, sha: str, paths: Mapping[str, str | None]
) -> dict[str, str | None] | None:
    """The changed paths' content at a reviewed commit; None when git does not have it."""
    if not span.repo.has_commit(sha):
        return None
    snapshot = span.repo.snapshot(sha)
    return {path: snapshot.state(path) for path in paths}


def _with_history(span: Range, verdict: Verdict) -> Verdict:
    """The verdict, closed when BASE (or the trust root) is not an ancestor of HEAD."""
    start = span.base if span.base is not None else span.trust
    if not span.repo.is_ancestor(start.commit_id, span.head.commit_id):
        what = "BASE" if span.base is not None else "the trust root"
        problem = Diagnostic.at(
            "",
            "not-an-ancestor",
            f"{what} {start.label} is not an ancestor of HEAD {span.head.label}, so who wrote "
            "the change cannot be known",
            "use a BASE that HEAD builds on (fetch the full history in CI)",
        )
        verdict = replace(verdict, problems=(problem, *verdict.problems))
    return verdict


def read_governance(
    base: GitSnapshot, head: GitSnapshot, cache: ParseCache | None = None
) -> Governance:
    problems: list[Diagnostic] = []
    registry_file, registry_problems = load_registry(base, cache)
    problems += [at_base(d, base.label) for d in registry_problems]
    registry = registry_file.model if registry_file else None
    try:
        text = base.read(CODEOWNERS_PATH).decode("utf-8")
    except KeyError:
        text = ""
        problems.append(config_problem(f"there is no CODEOWNERS at BASE {base.label}"))
    except (SnapshotError, UnicodeDecodeError) as error:
        text = ""
        problems.append(config_problem(f"CODEOWNERS at BASE cannot be read: {error}"))
    rules, rule_problems = parse_codeowners(CODEOWNERS_PATH, text)
    problems += [at_base(d, base.label) for d in rule_problems]
    if registry is not None:
        problems += [at_base(d, base.label) for d in check_codeowners_handles(text, registry)]
    present = set(base.files(""))
    problems += [
        config_problem(f"a second CODEOWNERS file, {other}, at BASE {base.label}")
        for other in OTHER_LOCATIONS
        if other in present
    ]
    head_registry, head_problems = load_registry(head, cache)
    if head_registry is None:
        problems.append(
            config_problem(
                f"the registry at HEAD does not load, so key revocations there are unknown: "
                f"{'; '.join(d.message for d in head_problems)}"
            )
        )
    revoked = revoked_keys(registry)
    if head_registry is not None:  # revoking at HEAD only takes approvals away
        revoked |= revoked_keys(head_registry.model)
    return Governance(compile_rules(rules), registry, tuple(problems), frozenset(revoked))


def read_change(
    span: Range, excluded: frozenset[str] = frozenset(), reading: Reading | None = None
) -> Change:
    base = span.base.commit_id if span.base is not None else None
    head = span.head.commit_id
    paths = tuple(c for c in span.repo.changed_paths(base, head) if not is_record_path(c.path))
    return Change(
        base=f"{span.base_label} ({span.base_id[:12]})",
        head=f"{span.head.label} ({head[:12]})",
        paths=paths,
        states={c.path: span.head.state(c.path) for c in paths},
        head_files=tuple(span.head.files("")),
        contributions=tuple(span.repo.contributions(base, head)),
        clauses=_clauses(span, {c.path for c in paths}, reading or Reading(ParseCache(), {})),
        excluded=frozenset(e.casefold() for e in excluded),
    )


def with_replay_facts(
    span: Range, approvals: list[SignedApproval], seen: frozenset[str]
) -> list[SignedApproval]:
    """Each record with what the replay rule needs: whether BASE already held it (``seen``:
    the digests at BASE), and how the BASE it was made against relates to this BASE."""
    relations: dict[str, BaseRelation] = {}
    found = []
    for signed in approvals:
        if signed.record is None:
            found.append(signed)
            continue
        made_from = signed.record.approval.base
        if made_from not in relations:
            relations[made_from] = _relation(span, made_from)
        found.append(
            replace(
                signed,
                at_base=record_digest(signed.record) in seen,
                made_from=relations[made_from],
            )
        )
    return found


def _relation(span: Range, made_from: str) -> BaseRelation:
    """How the BASE a record was made against relates to this BASE (``approvals.BaseRelation``)."""
    if span.base is None or made_from == span.base_id:
        return "same"
    if made_from == EMPTY_TREE:
        return "earlier"
    try:
        earlier = span.repo.commit_id(made_from)
    except RevisionError:
        return "unknown"
    return "earlier" if span.repo.is_ancestor(earlier, span.base.commit_id) else "other"


def _clauses(span: Range, changed: set[str], reading: Reading) -> dict[str, tuple[str, ...]]:
    """Changed clause ids per policy file, for the policies the change touches."""
    policies = {p.split("/")[1] for p in changed if p.startswith("policy/") and p.count("/") >= 2}
    found: dict[str, set[str]] = defaultdict(set)
    cache = reading.cache
    for policy in sorted(policies):
        if policy in reading.diffs:  # diffed already, by the command that judges
            add_clauses(found, reading.diffs[policy], policy)
            continue
        # Section files the change does not touch hold no changed clause: left unread, so
        # the cost follows the change, not the size of the policy.
        same = {p for p in span.head.files(f"policy/{policy}/sections") if p not in changed}
        base = load_policy(span.base, policy, cache, skip=same)[0] if span.base else None
        head, _ = load_policy(span.head, policy, cache, skip=same)
        if head is None and base is None:
            continue  # does not load: 'policy validate' says why; paths still need approval
        add_clauses(found, diff_policies(base, head), policy)
    return {path: tuple(sorted(ids)) for path, ids in found.items() if path in changed}
