"""The approval gate's pure helpers over gathered facts: whose key a record is signed with,
which keys are revoked, which clauses a diff changed, and the gate's own diagnostics.

Pure: registries, diffs and records in, plain data out. ``tools/gate/gather.py`` reads the facts
from git, ``tools/gate/write.py`` writes approvals, ``tools/gate/rules.py`` judges.
"""

from __future__ import annotations

from collections import defaultdict

from schema.models import ApprovalRecord, Registry
from tools.base.diagnostics import Diagnostic
from tools.base.errors import RefusalError, SignatureFormatError
from tools.compare.diff import PolicyDiff
from tools.gate.rules import SignedApproval
from tools.owners.codeowners import CODEOWNERS_PATH
from tools.signing.sshsig import fingerprint, key_blob

Records = dict[str, tuple[ApprovalRecord, str]]
"""Source (record file, or ``<archive>#<n>``) -> its verified record and key fingerprint."""


def records_of(approvals: list[SignedApproval]) -> Records:
    return {
        a.file: (a.record, fingerprint(a.key))
        for a in approvals
        if a.record is not None and a.key is not None and a.signature_ok
    }


def evidence_problem(message: str) -> Diagnostic:
    return Diagnostic.at(
        "", "bad-evidence", f"the archived evidence: {message}", "ask who cut the release"
    )


def key_owner(registry: Registry, blob: bytes, printed: str) -> tuple[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for department in registry.departments:
        for member in department.members:
            if any(same_key(line, blob) for line in member.ssh_keys):
                owners[member.email.casefold()].add(department.id)
    if len(owners) != 1:
        who = "no member" if not owners else f"{len(owners)} members"
        raise RefusalError(
            f"the key {printed} belongs to {who} in policy/departments.yaml; add your public key "
            "to your ssh_keys there (that change needs approval, and counts once released)"
        )
    email, member_of = next(iter(owners.items()))
    return email, member_of


def same_key(line: str, blob: bytes) -> bool:
    try:
        return key_blob(line) == blob
    except SignatureFormatError:
        return False


def revoked_keys(registry: Registry | None) -> set[bytes]:
    if registry is None:
        return set()
    lines = [line for d in registry.departments for m in d.members for line in m.revoked_keys]
    found = set()
    for line in lines:
        try:
            found.add(key_blob(line))
        except SignatureFormatError:
            continue
    return found


def add_clauses(found: dict[str, set[str]], diff: PolicyDiff, policy: str) -> None:
    for change in diff.changes:
        if change.clause is None:
            continue
        sections = {change.section}
        for place in (change.moved_from, change.moved_to):
            if place is not None:
                sections.add(place.section)
        for section in sections:
            if section:
                found[f"policy/{policy}/sections/{section}.yaml"].add(change.clause)


def at_base(diagnostic: Diagnostic, label: str) -> Diagnostic:
    """A BASE configuration problem, saying it is BASE's."""
    return Diagnostic.at(
        diagnostic.file,
        diagnostic.code,
        f"{diagnostic.message} (at BASE {label})",
        diagnostic.hint,
        line=diagnostic.line,
        column=diagnostic.column,
    )


def config_problem(message: str) -> Diagnostic:
    return Diagnostic.at(
        CODEOWNERS_PATH,
        "bad-governance",
        message,
        "fix the rules in a change of its own; until then nothing can be approved",
    )
