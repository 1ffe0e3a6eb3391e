"""Approval records: canonical signed bytes, stable files, strict reading."""

from __future__ import annotations

import json

import pytest

from schema.models import ApprovalRecord
from tools.gate.records import (
    is_record_path,
    new_approval,
    read_record,
    record_name,
    render_record,
    signed_message,
)

STATE = "100644 sha256:" + "ab" * 32


def approval(**changes: object) -> ApprovalRecord:
    fields: dict[str, object] = {
        "organisation": "Test B.V.",
        "department": "hr",
        "approver": "Eva.Visser@t.nl",
        "base": "a" * 40,
        "head": "b" * 40,
        "files": {"z.yaml": STATE, "a.yaml": None},
    }
    fields.update(changes)
    return ApprovalRecord(approval=new_approval(**fields), signature="sig")  # type: ignore[arg-type]


def test_signed_bytes_are_canonical_json() -> None:
    message = signed_message(approval().approval)
    assert message.startswith(b'{"approver":"Eva.Visser@t.nl","base":"aaaa')
    parsed = json.loads(message)
    assert message == json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    assert json.loads(message)["files"] == {"a.yaml": None, "z.yaml": STATE}


def test_layout_of_the_file_does_not_change_the_signed_bytes() -> None:
    record = approval()
    text = render_record(record.approval, record.signature)
    squeezed = json.dumps(json.loads(text))
    again = read_record(squeezed.encode())
    assert isinstance(again, ApprovalRecord)
    assert signed_message(again.approval) == signed_message(record.approval)


def test_file_name_says_who_and_differs_per_content() -> None:
    first = record_name(approval().approval)
    assert first.startswith("hr--eva-visser--") and first.endswith(".json")
    assert record_name(approval(files={"x": None}).approval) != first


def test_rendering_is_stable() -> None:
    record = approval()
    assert render_record(record.approval, "s") == render_record(record.approval, "s")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff", "not UTF-8 text"),
        (b"{", "not valid JSON (line 1, column 2"),
        (b'{"approval": 1, "approval": 2}', "the key 'approval' appears twice"),
        (b'{"approval": {}, "signature": "s"}', "not an approval record (approval.type"),
        (b"[" * 100_000, "nested too deeply"),
        (b" " * 5_000_001, "larger than 5 MB"),
    ],
)
def test_bad_records_say_why(data: bytes, reason: str) -> None:
    found = read_record(data)
    assert isinstance(found, str)
    assert found.startswith(reason), found


def test_unknown_fields_and_bad_states_are_refused() -> None:
    record = json.loads(render_record(approval().approval, "s"))
    record["approval"]["extra"] = 1
    assert "extra" in str(read_record(json.dumps(record).encode()))
    record = json.loads(render_record(approval().approval, "s"))
    record["approval"]["files"]["z.yaml"] = "100644 sha1:abc"
    assert "files.z.yaml" in str(read_record(json.dumps(record).encode()))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("changelog/approvals/hr--eva--1.json", True),
        ("changelog/approvals/notes.md", False),
        ("changelog/approvals/sub/x.json", False),
        ("changelog/approvalsx/x.json", False),
        ("policy/x.json", False),
    ],
)
def test_only_json_files_directly_in_the_folder_are_records(path: str, expected: bool) -> None:
    assert is_record_path(path) is expected
