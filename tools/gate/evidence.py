"""A release's evidence: the approvals it relied on, archived in the release commit.

Pure. ``policy release`` writes ``changelog/<policy>/<version>.approvals.json`` in the release
commit and removes the records it used from ``changelog/approvals/``, so the working folder
keeps only records not used yet, and an auditor reads who approved which text, with which key,
from one file per release. The file holds each signed record whole, so
``policy approvals --release VERSION`` can verify it again offline, against the registry of
that release's BASE.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from schema.models import ApprovalRecord
from tools.gate.records import is_record_path
from tools.gate.rules import Counted, Verdict

EVIDENCE_TYPE = "policy-release-evidence/1"
MAX_EVIDENCE_BYTES = 50_000_000


def evidence_path(policy: str, version: str) -> str:
    return f"changelog/{policy}/{version}.approvals.json"


def is_evidence_path(path: str) -> bool:
    """``changelog/<policy>/<version>.approvals.json``."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "changelog" and parts[2].endswith(".approvals.json")


@dataclass(frozen=True)
class Archived:
    """One approval a release relied on."""

    file: str
    """Where the record was when it counted."""
    approver: str
    department: str
    key: str
    """The signing key's fingerprint (``SHA256:...``)."""
    paths: tuple[str, ...]
    """The changed paths it counted for."""
    record: ApprovalRecord
    """The signed record, whole: what the approver signed (each file's content digest)."""


@dataclass(frozen=True)
class Evidence:
    policy: str
    version: str
    base: str
    """The commit the release was judged from; git's empty tree for a first release."""
    trust_root: str
    """Where the rules were read: BASE, or the first release's trust root."""
    head: str
    """The commit that was judged (the release commit's parent)."""
    approvals: tuple[Archived, ...]
    verdict: Mapping[str, Any] = field(default_factory=dict)
    """The gate's verdict as ``policy approvals --format json`` gives it: complete, and per
    requirement the departments, paths, clauses, who approved and how many were needed."""

    @property
    def approvers(self) -> tuple[tuple[str, str], ...]:
        """(e-mail address, department) of each approval, sorted, once each."""
        return tuple(sorted({(a.approver, a.department) for a in self.approvals}))


def collect(
    verdict: Verdict, records: Mapping[str, tuple[ApprovalRecord, str]]
) -> tuple[Archived, ...]:
    """The approvals that counted in ``verdict``, with their records and key fingerprints
    (``records``: file -> (record, fingerprint); sources without a record, such as reviews,
    are left out)."""
    found = []
    for counted in verdict.counted:
        if counted.file in records:
            record, key = records[counted.file]
            found.append(_archived(counted, record, key))
    return tuple(found)


def _archived(counted: Counted, record: ApprovalRecord, key: str) -> Archived:
    return Archived(counted.file, counted.approver, counted.department, key, counted.paths, record)


def render(evidence: Evidence) -> str:
    """The archive's text: stable JSON (sorted keys, no timestamps)."""
    data = {
        "type": EVIDENCE_TYPE,
        "policy": evidence.policy,
        "version": evidence.version,
        "base": evidence.base,
        "trust_root": evidence.trust_root,
        "head": evidence.head,
        "verdict": dict(evidence.verdict),
        "approvals": [
            {
                "file": a.file,
                "approver": a.approver,
                "department": a.department,
                "key": a.key,
                "counted_for": list(a.paths),
                "record": a.record.model_dump(mode="json"),
            }
            for a in sorted(evidence.approvals, key=lambda a: (a.department, a.approver, a.file))
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read(data: bytes) -> Evidence | str:
    """The evidence in an archive's bytes, or why it is not one."""
    if len(data) > MAX_EVIDENCE_BYTES:
        return f"larger than {MAX_EVIDENCE_BYTES // 1_000_000} MB"
    try:
        parsed: Any = json.loads(data.decode("utf-8"))
        if not isinstance(parsed, dict) or parsed.get("type") != EVIDENCE_TYPE:
            return f"not a release evidence file (type {EVIDENCE_TYPE})"
        approvals = tuple(_read_archived(item) for item in parsed["approvals"])
        return Evidence(
            _text(parsed["policy"]),
            _text(parsed["version"]),
            _text(parsed["base"]),
            _text(parsed["trust_root"]),
            _text(parsed["head"]),
            approvals,
            _mapping(parsed.get("verdict", {})),
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return f"not valid JSON: {error}"
    except (KeyError, TypeError, ValueError, ValidationError) as error:
        return f"not a release evidence file: {type(error).__name__} {error}".splitlines()[0]


def _read_archived(item: Any) -> Archived:
    paths = item["counted_for"]
    if not isinstance(paths, list):
        raise TypeError("counted_for is not a list")
    return Archived(
        _text(item["file"]),
        _text(item["approver"]),
        _text(item["department"]),
        _text(item["key"]),
        tuple(_text(p) for p in paths),
        ApprovalRecord.model_validate(item["record"]),
    )


def _mapping(value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{value!r} is not an object")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def record_bytes(record: ApprovalRecord) -> bytes:
    """An archived record as the bytes of a record file, to be read and verified as one."""
    return json.dumps(record.model_dump(mode="json"), sort_keys=True).encode()


def used_record_files(approvals: Sequence[Archived]) -> tuple[str, ...]:
    """The record files a release consumes: those it relied on that are in the folder (not
    those it found in another release's archive)."""
    return tuple(sorted({a.file for a in approvals if is_record_path(a.file)}))
