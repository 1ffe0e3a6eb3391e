"""The approval rules: which departments must approve a change, and whether they have.

Pure: plain data in, a ``Verdict`` out; ``tools/gate/gather.py`` gathers the data from git. Every
rule fails closed. Approvals come from two sources, each checked by its own rules first and then
judged by the same rules here (``evaluate_approvals``): signed records (``evaluate``, below) and
GitHub pull-request reviews (``tools/gate/reviews.py``).

- Every path the change touches needs, for each required CODEOWNERS section that matches it,
  ``[Section][N]`` distinct people of an owning department, with CODEOWNERS and the registry
  **as they are at BASE**: the change under review cannot rewrite its own rules.
- A record counts for a path only if its signature verifies against a key that a member of
  that department has at BASE (and that is revoked neither at BASE nor at HEAD: revoking can
  only take approvals away), and it approves exactly the path's content at HEAD.
- A record counts only for a change judged from a BASE its approver had seen (the replay rule):
  one that BASE already held, or one made against a BASE that is an ancestor of this BASE
  (an earlier release), approves nothing, even where it names the exact content at HEAD. So
  an old approval of a clause's earlier text cannot bring that text back after the owners
  replaced it; merges, squashes and rebases keep a record's BASE and so keep it counting.
- A person counts once per requirement, however many keys or records; nobody counts for a path
  they authored, committed or co-authored in BASE..HEAD.
- A first release is judged from nothing: every file at HEAD is new and needs its owners,
  with the rules of the trust root.
- Unowned, non-canonical or colliding paths, symbolic links and submodules
  (``tools/gate/paths.py``), and any error in the BASE configuration make the verdict
  incomplete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from schema.models import ApprovalRecord, Registry
from tools.base.diagnostics import Diagnostic
from tools.base.errors import SignatureFormatError
from tools.base.gitlog import ChangedPath, Contribution
from tools.gate.paths import bad_owner, hygiene_problems, unowned_path
from tools.owners.rules import CompiledRule, owners_of
from tools.signing.sshsig import key_blob


@dataclass(frozen=True)
class Change:
    """BASE..HEAD as the gate sees it."""

    base: str
    head: str
    paths: tuple[ChangedPath, ...]
    """The changed paths, approval records left out."""
    states: Mapping[str, str | None]
    """Each changed path's content at HEAD (``"<mode> sha256:<hex>"``), None when deleted."""
    head_files: tuple[str, ...]
    """Every path at HEAD, to find names that collide with a changed one."""
    contributions: tuple[Contribution, ...]
    clauses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Changed clause ids per policy file, for the reviewers."""
    excluded: frozenset[str] = frozenset()
    """More identities that may not approve (e.g. who asks for the release), casefolded."""


@dataclass(frozen=True)
class Governance:
    """The rules as they are at BASE."""

    rules: tuple[CompiledRule, ...]
    registry: Registry | None
    problems: tuple[Diagnostic, ...] = ()
    """Errors in BASE's CODEOWNERS or registry: any one fails the gate."""
    revoked: frozenset[bytes] = frozenset()
    """Revoked key blobs from the BASE and HEAD registries."""


BaseRelation = Literal["same", "earlier", "other", "unknown"]
"""A record's BASE against the judged BASE: the same commit; an ancestor of it (made before
it, e.g. for an earlier release); neither (e.g. a later commit of the main branch); a commit
this repository does not have."""


@dataclass(frozen=True)
class SignedApproval:
    """A record file at HEAD, read and its signature checked by the shell."""

    file: str
    record: ApprovalRecord | None
    problem: str | None = None
    """Why the file is not a readable record, or its signature unreadable."""
    key: bytes | None = None
    """The public key the signature names."""
    signature_ok: bool = False
    """ssh-keygen verified the signature over the record with ``key``."""
    at_base: bool = False
    """BASE already held this record (under any name): it approved an earlier change."""
    made_from: BaseRelation = "same"
    """How the BASE the record was made against relates to the BASE of this judgement."""


@dataclass(frozen=True)
class Requirement:
    """Paths that need ``needed`` approvals from one of ``departments``."""

    section: str
    owners: tuple[str, ...]
    departments: tuple[str, ...]
    needed: int
    paths: tuple[str, ...]
    clauses: tuple[str, ...]
    approved_by: tuple[str, ...]
    """The e-mail addresses of the people who count, sorted."""

    @property
    def missing(self) -> int:
        return max(0, self.needed - len(self.approved_by))


@dataclass(frozen=True)
class Ignored:
    """An approval that counts for nothing, or not for everything it names, and why."""

    file: str
    approver: str
    department: str
    reason: str


@dataclass(frozen=True)
class Counted:
    """An approval that counted: the evidence a release relies on."""

    file: str
    approver: str
    department: str
    paths: tuple[str, ...]
    """The changed paths it counted for."""


@dataclass(frozen=True)
class Verdict:
    base: str
    head: str
    required: tuple[Requirement, ...]
    ignored: tuple[Ignored, ...]
    problems: tuple[Diagnostic, ...]
    people: Mapping[str, str]
    """E-mail address to name, for everyone named in the verdict."""
    counted: tuple[Counted, ...] = ()
    """The approvals that counted for some requirement, by source and department."""
    registry: Registry | None = field(default=None, compare=False)
    """The registry the rules were read from (BASE's): the departments' names and members."""

    @property
    def complete(self) -> bool:
        return not self.problems and all(r.missing == 0 for r in self.required)


@dataclass(frozen=True)
class Approval:
    """An approval from any source (a signed record, a pull-request review) after that source's
    own checks: one person, for one department, of each path's content (as in ``states``)."""

    file: str
    """Where it comes from: the record file, or ``review <id>``."""
    approver: str
    """The person: the e-mail address of the registry at BASE, casefolded."""
    department: str
    files: Mapping[str, str | None]
    """The content it approves, per path; a path left out is not approved."""


def evaluate(
    change: Change, governance: Governance, approvals: Sequence[SignedApproval]
) -> Verdict:
    """The verdict on a change judged by signed approval records."""
    if governance.registry is None:
        return evaluate_approvals(change, governance, ())
    valid, ignored = _check_records(approvals, governance.registry, governance.revoked)
    return evaluate_approvals(change, governance, valid, ignored)


def evaluate_approvals(
    change: Change,
    governance: Governance,
    approvals: Sequence[Approval],
    ignored: Sequence[Ignored] = (),
) -> Verdict:
    """The verdict on a change: who must approve which paths, who did, and what is missing.
    ``approvals`` passed their source's checks; ``ignored`` are those that did not."""
    problems = list(governance.problems) + hygiene_problems(change.paths, change.head_files)
    registry = governance.registry
    if registry is None:
        problems.append(
            Diagnostic.at(
                "policy/departments.yaml",
                "bad-governance",
                "there is no valid departments registry at BASE, so nobody can approve",
                "fix the registry in a change of its own",
            )
        )
        return Verdict(change.base, change.head, (), (), tuple(sorted(set(problems))), {})
    valid = list(approvals)
    skipped = list(ignored)
    authors = _authors(change)
    by_handle = {department.handle: department.id for department in registry.departments}
    counted: dict[tuple[str, tuple[str, ...], int], dict[str, frozenset[str]]] = defaultdict(dict)
    failures: dict[_Key, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    uses: dict[_Key, set[tuple[str, str]]] = defaultdict(set)
    for changed in change.paths:
        ownership = owners_of(governance.rules, changed.path)
        required = [s for s in ownership.sections if not s.section.optional]
        if not any(s.owners for s in required):
            problems.append(unowned_path(changed.path))
            continue
        for section in required:
            unknown = [owner for owner in section.owners if owner not in by_handle]
            if not section.owners or unknown:
                problems.append(bad_owner(changed.path, section.rule.line, unknown))
                continue
            departments = tuple(sorted({by_handle[owner] for owner in section.owners}))
            people: set[str] = set()
            for approval in valid:
                if approval.department not in departments:
                    continue
                why = _why_not(approval, changed.path, change.states, authors)
                if why is None:
                    people.add(approval.approver)
                    uses[_key(approval)].add((changed.path, section.section.name))
                elif why:
                    failures[_key(approval)][why].append(changed.path)
            key = (section.section.name, section.owners, section.section.approvals)
            counted[key][changed.path] = frozenset(people)
    requirements = _requirements(counted, by_handle, change.clauses)
    skipped += _partial(valid, failures, uses)
    names = {m.email.casefold(): m.name for d in registry.departments for m in d.members}
    return Verdict(
        change.base,
        change.head,
        tuple(requirements),
        tuple(sorted(set(skipped), key=lambda i: (i.file, i.reason, i.department, i.approver))),
        tuple(sorted(set(problems))),
        names,
        _counted(valid, uses),
        registry,
    )


def _counted(
    valid: Sequence[Approval], uses: Mapping[_Key, set[tuple[str, str]]]
) -> tuple[Counted, ...]:
    found = {
        Counted(a.file, a.approver, a.department, tuple(sorted({p for p, _ in uses[_key(a)]})))
        for a in valid
        if uses.get(_key(a))
    }
    return tuple(sorted(found, key=lambda c: (c.file, c.department)))


_Key = tuple[str, str]
"""An approval's source and department: one review can approve for several departments."""


def _key(approval: Approval) -> _Key:
    return (approval.file, approval.department)


def _why_not(
    approval: Approval,
    path: str,
    states: Mapping[str, str | None],
    authors: Mapping[str, dict[str, str]],
) -> str | None:
    """None when the approval counts for the path; '' when it simply does not name it."""
    if path not in approval.files:
        return ""
    if approval.files[path] != states.get(path):
        return "stale: the file changed after the approval"
    how = authors.get(path, {}).get(approval.approver)
    if how is not None:
        return f"self-approval: the approver {how}"
    return None


def _authors(change: Change) -> dict[str, dict[str, str]]:
    """Per path, each identity that contributed to it and how (one commit that shows it)."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    everywhere = {identity: "asks for the release" for identity in change.excluded}
    for contribution in change.contributions:
        how = contribution.how or f"wrote or committed it (commit {contribution.commit[:12]})"
        for path in contribution.paths:
            for identity in contribution.identities:
                found[path].setdefault(identity, how)
    for changed in change.paths:
        for identity, why in everywhere.items():
            found[changed.path].setdefault(identity, why)
    return found


def _check_records(
    approvals: Sequence[SignedApproval], registry: Registry, revoked: frozenset[bytes]
) -> tuple[list[Approval], list[Ignored]]:
    """The records that are what they claim: signed by a current key of the approver, who is a
    member of the department at BASE."""
    keys: dict[bytes, set[str]] = defaultdict(set)
    memberships: dict[str, set[str]] = defaultdict(set)
    for department in registry.departments:
        for member in department.members:
            email = member.email.casefold()
            memberships[email].add(department.id)
            for line in member.ssh_keys:
                keys[_blob(line)].add(email)
    valid, ignored = [], []
    for signed in approvals:
        record = signed.record
        if record is None:
            ignored.append(Ignored(signed.file, "", "", signed.problem or "not a record"))
            continue
        approval = record.approval
        approver = approval.approver.casefold()
        why = _record_problem(signed, registry, keys, memberships, revoked)
        if why:
            ignored.append(Ignored(signed.file, approver, approval.department, why))
        else:
            valid.append(Approval(signed.file, approver, approval.department, approval.files))
    return valid, ignored


def _record_problem(
    signed: SignedApproval,
    registry: Registry,
    keys: Mapping[bytes, set[str]],
    memberships: Mapping[str, set[str]],
    revoked: frozenset[bytes],
) -> str | None:
    assert signed.record is not None
    approval = signed.record.approval
    approver = approval.approver.casefold()
    if signed.key is None or signed.problem:
        return signed.problem or "the signature cannot be read"
    if signed.key in revoked:
        return "revoked key: the signing key is revoked in the registry"
    owners = keys.get(signed.key, set())
    if not owners:
        return "unknown key: no member has the signing key in the registry at BASE"
    if len(owners) > 1:
        return f"ambiguous key: {len(owners)} members have the signing key at BASE"
    if approver not in owners:
        return f"wrong approver: the key belongs to {next(iter(owners))}, not {approver}"
    if not signed.signature_ok:
        return "bad signature: it does not verify for this record and key"
    if approval.organisation != registry.organisation:
        return f"another organisation: the record is for '{approval.organisation}'"
    if approval.department not in memberships.get(approver, set()):
        return f"not a member: {approver} is not in {approval.department} at BASE"
    return _replay_problem(signed)


def _replay_problem(signed: SignedApproval) -> str | None:
    """Why a genuine record approves nothing here because it was made for an earlier change."""
    assert signed.record is not None
    made_from = signed.record.approval.base[:12]
    if signed.at_base:
        return "replayed: BASE already holds this record; it approved an earlier change"
    if signed.made_from == "earlier":
        return (
            f"replayed: made against {made_from}, before BASE; it approved an earlier change, "
            "so the approver must approve this one"
        )
    if signed.made_from == "unknown":
        return (
            f"unknown BASE: the commit it was made against ({made_from}) is not in this "
            "repository; fetch it, or approve again"
        )
    return None


def _partial(
    valid: Sequence[Approval],
    failures: Mapping[_Key, Mapping[str, list[str]]],
    uses: Mapping[_Key, set[tuple[str, str]]],
) -> list[Ignored]:
    """Reasons for valid records that did not count everywhere they name, and duplicates."""
    ignored = []
    seen: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for approval in sorted(valid, key=_key):
        for reason, paths in sorted(failures.get(_key(approval), {}).items()):
            listed = ", ".join(sorted(set(paths)))
            ignored.append(
                Ignored(
                    approval.file, approval.approver, approval.department, f"{reason}: {listed}"
                )
            )
        used = uses.get(_key(approval), set())
        person = (approval.approver, approval.department)
        if used and used <= seen[person]:
            ignored.append(
                Ignored(
                    approval.file,
                    approval.approver,
                    approval.department,
                    "duplicate: this person's other approval already counts for the same files",
                )
            )
        elif not used and not failures.get(_key(approval)):
            ignored.append(
                Ignored(
                    approval.file,
                    approval.approver,
                    approval.department,
                    f"not needed: no changed file it names needs {approval.department}",
                )
            )
        seen[person] |= used
    return ignored


def _requirements(
    counted: Mapping[tuple[str, tuple[str, ...], int], Mapping[str, frozenset[str]]],
    by_handle: Mapping[str, str],
    clauses: Mapping[str, tuple[str, ...]],
) -> list[Requirement]:
    """One requirement per section rule and set of people who count: paths approved by the
    same people are listed together."""
    found = []
    for (section, owners, needed), paths in counted.items():
        groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for path, people in paths.items():
            groups[people].append(path)
        for people, members in groups.items():
            found.append(
                Requirement(
                    section=section,
                    owners=owners,
                    departments=tuple(sorted({by_handle[o] for o in owners})),
                    needed=needed,
                    paths=tuple(sorted(members)),
                    clauses=tuple(sorted({c for p in members for c in clauses.get(p, ())})),
                    approved_by=tuple(sorted(people)),
                )
            )
    return sorted(found, key=lambda r: (r.departments, r.section, r.paths))


def _blob(line: str) -> bytes:
    try:
        return key_blob(line)
    except SignatureFormatError:
        return b"(unreadable key)"
