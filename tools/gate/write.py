"""Approving a change (``policy approve``): sign the content at HEAD with the approver's SSH
key and write one record per department into ``changelog/approvals/``.

The shell: it reads the change and the rules with ``tools/gate/gather.py``, signs with
ssh-keygen and writes the record files; whose key it is comes from the registry at HEAD.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tools.base.errors import RefusalError, SignatureFormatError, SshKeygenError
from tools.base.fileio import write_atomic
from tools.base.gitio import GitRepository
from tools.base.gitsnapshot import GitSnapshot
from tools.base.loader import load_registry
from tools.gate.gather import Range, read_change, read_governance
from tools.gate.judge import key_owner
from tools.gate.records import (
    APPROVALS_FOLDER,
    NAMESPACE,
    is_record_path,
    new_approval,
    record_name,
    render_record,
    signed_message,
)
from tools.gate.rules import Change
from tools.owners.rules import owners_of
from tools.signing.sshkeygen import public_key_of, sign
from tools.signing.sshsig import fingerprint, key_blob


@dataclass(frozen=True)
class Approved:
    """What ``policy approve`` wrote."""

    approver: str
    key: str
    records: tuple[Path, ...]
    paths: tuple[str, ...]
    not_counting: tuple[str, ...]
    """Paths the approver contributed to: their approval will not count there."""


def approve(
    root: Path, span: Range, *, key: Path | None, departments: tuple[str, ...] = ()
) -> Approved:
    """Sign and write an approval of the content at HEAD for each department asked for."""
    if span.head.commit_id != span.repo.head_id():
        raise RefusalError("approve works on HEAD: check out the commit you want to approve")
    dirty = [p for p in span.repo.dirty_paths() if not is_record_path(p)]
    if dirty:
        raise RefusalError(
            f"uncommitted changes in {', '.join(dirty[:5])}: an approval is for the committed "
            "content; commit or stash them first"
        )
    change = read_change(span)
    if not change.paths:
        raise RefusalError(f"nothing to approve: HEAD changes nothing since {span.base_label}")
    key_path = key or default_key(span.repo)
    public = public_key_of(key_path)
    try:
        blob = key_blob(public)
    except SignatureFormatError as error:
        raise SshKeygenError(f"{key_path}: {error}") from None
    registry_file, _ = load_registry(span.head)
    if registry_file is None:
        raise RefusalError("policy/departments.yaml does not load; run 'policy validate'")
    registry = registry_file.model
    email, member_of = key_owner(registry, blob, fingerprint(blob))
    chosen = departments or _needed_from(span.trust, member_of, change)
    for department in chosen:
        if department not in member_of:
            raise RefusalError(
                f"{email} is not a member of '{department}' (member of: "
                f"{', '.join(sorted(member_of)) or 'none'})"
            )
    written = []
    for department in sorted(set(chosen)):
        approval = new_approval(
            organisation=registry.organisation,
            department=department,
            approver=email,
            base=span.base_id,
            head=span.head.commit_id,
            files=change.states,
        )
        signature = sign(signed_message(approval), key_path, NAMESPACE)
        target = root / APPROVALS_FOLDER / record_name(approval)
        write_atomic(target, render_record(approval, signature))
        written.append(target)
    mine = sorted(
        {p for c in change.contributions if email in c.identities for p in c.paths}
        & set(change.states)
    )
    return Approved(
        email,
        fingerprint(blob),
        tuple(written),
        tuple(c.path for c in change.paths),
        tuple(mine),
    )


def default_key(repo: GitRepository) -> Path:
    """git's ``user.signingKey`` when it is a file, else the usual ~/.ssh keys."""
    configured = repo.signing_key_setting()
    if configured and not configured.startswith("key::"):
        return Path(os.path.expanduser(configured))
    for name in ("id_ed25519", "id_ecdsa", "id_rsa"):
        candidate = Path.home() / ".ssh" / name
        if candidate.is_file():
            return candidate
    raise SshKeygenError("no SSH key found; give one with --key (e.g. --key ~/.ssh/id_ed25519)")


def _needed_from(base: GitSnapshot, member_of: set[str], change: Change) -> tuple[str, ...]:
    """The approver's departments that own some changed path at BASE."""
    governance = read_governance(base, base)
    if governance.registry is None:
        return ()
    by_handle = {d.handle: d.id for d in governance.registry.departments}
    needed: set[str] = set()
    for changed in change.paths:
        for section in owners_of(governance.rules, changed.path).sections:
            needed.update(by_handle.get(owner, "") for owner in section.owners)
    chosen = tuple(sorted(needed & member_of))
    if not chosen:
        raise RefusalError(
            f"no changed file needs approval from {', '.join(sorted(member_of))}; "
            "name a department with --department to approve anyway"
        )
    return chosen
