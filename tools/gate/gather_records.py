"""The approvals a commit holds, read from git: the record files in ``changelog/approvals/`` and
the records archived in releases, each signature checked by ssh-keygen.

The gate (``tools/gate/gather.py``) reads them at HEAD, and at BASE to know which records BASE
held already (the replay rule).
"""

from __future__ import annotations

from schema.models import ApprovalRecord
from tools.base.errors import SignatureFormatError, SnapshotError
from tools.base.gitsnapshot import GitSnapshot
from tools.gate.evidence import is_evidence_path, record_bytes
from tools.gate.evidence import read as read_evidence
from tools.gate.records import (
    APPROVALS_FOLDER,
    NAMESPACE,
    is_record_path,
    read_record,
    record_digest,
    signed_message,
)
from tools.gate.rules import SignedApproval
from tools.signing.sshkeygen import verify
from tools.signing.sshsig import signature_info


def read_approvals(
    snapshot: GitSnapshot, skip: frozenset[str] = frozenset()
) -> list[SignedApproval]:
    """The records in a commit: the files in ``changelog/approvals/`` and those archived in
    releases (``changelog/<policy>/<version>.approvals.json``), each signature checked. An
    archived record whose digest is in ``skip`` (BASE holds it already, so it approves nothing
    here) is left out unread: the archives of earlier releases cost no signature check and
    are not listed in every report."""
    found = [read_approval(snapshot, path) for path in record_paths(snapshot)]
    for path, index, record in _archived(snapshot):
        if record_digest(record) not in skip:
            found.append(read_signed(f"{path}#{index}", record_bytes(record)))
    return found


def digests_at(base: GitSnapshot | None) -> frozenset[str]:
    """The records BASE holds, as files or archived, by the digest of what was signed."""
    if base is None:
        return frozenset()
    found = {record_digest(r) for r in _records(base) if r is not None}
    found |= {record_digest(r) for _, _, r in _archived(base)}
    return frozenset(found)


def _archived(snapshot: GitSnapshot) -> list[tuple[str, int, ApprovalRecord]]:
    """(archive, index, record) of every record archived in a release in this commit; an
    archive that does not read holds none (``policy validate`` is not its judge: the gate only
    loses approvals by it)."""
    found = []
    for path in snapshot.files("changelog"):
        if not is_evidence_path(path):
            continue
        try:
            evidence = read_evidence(snapshot.read(path))
        except SnapshotError:
            continue
        if not isinstance(evidence, str):
            found += [(path, n, a.record) for n, a in enumerate(evidence.approvals)]
    return found


def _records(snapshot: GitSnapshot) -> list[ApprovalRecord | None]:
    found = []
    for path in record_paths(snapshot):
        try:
            record = read_record(snapshot.read(path))
        except SnapshotError:
            continue
        found.append(record if not isinstance(record, str) else None)
    return found


def record_paths(snapshot: GitSnapshot) -> list[str]:
    return [path for path in snapshot.files(APPROVALS_FOLDER) if is_record_path(path)]


def read_approval(snapshot: GitSnapshot, path: str) -> SignedApproval:
    """A record file, with its signature checked by ssh-keygen against the key it names."""
    try:
        data = snapshot.read(path)
    except SnapshotError as error:
        return SignedApproval(path, None, str(error))
    return read_signed(path, data)


def read_signed(source: str, data: bytes) -> SignedApproval:
    """A record's bytes, with its signature checked by ssh-keygen against the key it names."""
    found = read_record(data)
    if isinstance(found, str):
        return SignedApproval(source, None, found)
    try:
        info = signature_info(found.signature)
    except SignatureFormatError as error:
        return SignedApproval(source, found, f"unreadable signature: {error}")
    if info.namespace != NAMESPACE:
        return SignedApproval(
            source, found, f"signed for another purpose (namespace '{info.namespace}')", info.key
        )
    good = verify(
        signed_message(found.approval),
        found.signature,
        key=info.key,
        principal=found.approval.approver,
        namespace=NAMESPACE,
    )
    return SignedApproval(source, found, None, info.key, good)
