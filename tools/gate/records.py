"""Approval records: the signed files that say a department approves exact content.

Pure. A record is ``changelog/approvals/<department>--<person>--<digest>.json`` holding the
``Approval`` (``schema/models.py``) and an SSH signature over its canonical JSON. Records are
plain files in the repository, so every merge style (merge commit, squash, rebase) carries
them to the main branch, and they bind to file content, so they still verify there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from schema.models import Approval, ApprovalRecord

NAMESPACE = "policy-approval"
"""The SSH signature namespace: a signature made for git, e-mail or files never counts."""
APPROVALS_FOLDER = "changelog/approvals"
"""Where records live. Changes to this folder need no approval: records prove themselves."""
RECORD_TYPE = "policy-approval/1"
MAX_RECORD_BYTES = 5_000_000


def is_record_path(path: str) -> bool:
    """Only ``*.json`` files directly in the folder are records; anything else there is an
    ordinary file that needs approval like any other."""
    folder, _, name = path.rpartition("/")
    return folder == APPROVALS_FOLDER and name.endswith(".json")


def signed_message(approval: Approval) -> bytes:
    """The exact bytes an approver signs: the approval as canonical JSON (sorted keys, no
    spaces, ASCII), so the file's layout does not matter and cannot be used to smuggle text."""
    data = approval.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def render_record(approval: Approval, signature: str) -> str:
    """The record file's text: stable, readable JSON."""
    record = {"approval": approval.model_dump(mode="json"), "signature": signature}
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def record_digest(record: ApprovalRecord) -> str:
    """What identifies a record whatever its file is called: the digest of what was signed."""
    return hashlib.sha256(signed_message(record.approval)).hexdigest()


def record_name(approval: Approval) -> str:
    """A file name that says who approved what, and differs for every approved content."""
    person = re.sub(r"[^a-z0-9]+", "-", approval.approver.split("@")[0].lower()).strip("-")
    digest = hashlib.sha256(signed_message(approval)).hexdigest()[:12]
    return f"{approval.department}--{person or 'approver'}--{digest}.json"


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two values for one key would let the signed text and the read text disagree.
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise _DuplicateKeyError(key)
    return dict(pairs)


def read_record(data: bytes) -> ApprovalRecord | str:
    """The record in a file's bytes, or why it is not one."""
    if len(data) > MAX_RECORD_BYTES:
        return f"larger than {MAX_RECORD_BYTES // 1_000_000} MB"
    try:
        parsed = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except _DuplicateKeyError as error:
        return f"the key '{error}' appears twice"
    except json.JSONDecodeError as error:
        return f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    except RecursionError:
        return "nested too deeply"
    try:
        return ApprovalRecord.model_validate(parsed)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the record"
        return f"not an approval record ({where}: {first['msg']})"


def new_approval(
    *,
    organisation: str,
    department: str,
    approver: str,
    base: str,
    head: str,
    files: Mapping[str, str | None],
) -> Approval:
    return Approval(
        type=RECORD_TYPE,
        organisation=organisation,
        department=department,
        approver=approver,
        base=base,
        head=head,
        files=dict(sorted(files.items())),
    )
