"""The approval rules as a pure function: plain data in, a verdict out (no git, no crypto).

Signatures are taken as checked (``signature_ok``); the scenarios in test_gate.py sign for real.
"""

from __future__ import annotations

import base64
import hashlib
import random
import struct

from schema.models import ApprovalRecord, Registry
from tools.base.gitlog import ChangedPath, Contribution
from tools.gate.paths import SUBMODULE_MODE
from tools.gate.records import new_approval
from tools.gate.rules import (
    Change,
    Governance,
    SignedApproval,
    Verdict,
    evaluate,
)
from tools.owners.codeowners import parse_codeowners
from tools.owners.rules import compile_rules

STATE = "100644 sha256:" + "1" * 64


def key_line(seed: str) -> str:
    """A well-formed ed25519 public key line (not a usable key: nothing is verified here)."""
    name = b"ssh-ed25519"
    data = hashlib.sha256(seed.encode()).digest()
    blob = struct.pack(">I", len(name)) + name + struct.pack(">I", len(data)) + data
    return "ssh-ed25519 " + base64.b64encode(blob).decode()


def blob(seed: str) -> bytes:
    return base64.b64decode(key_line(seed).split()[1])


def registry(shared_key: bool = False) -> Registry:
    def member(name: str) -> dict[str, object]:
        key = "shared" if shared_key and name in ("eva", "lisa") else name
        return {"name": name.title(), "email": f"{name}@t.nl", "ssh_keys": [key_line(key)]}

    return Registry.model_validate(
        {
            "organisation": "T",
            "departments": [
                {
                    "id": "hr",
                    "name": "HR",
                    "handle": "@t/hr",
                    "members": [member("eva"), member("mo")],
                },
                {
                    "id": "jur",
                    "name": "Jur",
                    "handle": "@t/jur",
                    "members": [member("eva"), member("pim")],
                },
                {"id": "docs", "name": "Docs", "handle": "@t/docs", "members": [member("lisa")]},
            ],
        }
    )


def governance(codeowners: str, **options: object) -> Governance:
    rules, problems = parse_codeowners("CODEOWNERS", codeowners)
    assert not problems
    return Governance(compile_rules(rules), registry(**options))  # type: ignore[arg-type]


def change(*paths: str, mode: int = 0o100644, authors: dict[str, str] | None = None) -> Change:
    return Change(
        base="B",
        head="H",
        paths=tuple(ChangedPath(p, 0o100644, mode, "M") for p in paths),
        states={p: STATE for p in paths},
        head_files=paths,
        contributions=tuple(
            Contribution(f"c{i}", frozenset({who}), frozenset({path}))
            for i, (path, who) in enumerate((authors or {}).items())
        ),
    )


def signed(
    person: str, department: str, *paths: str, ok: bool = True, key: str = ""
) -> SignedApproval:
    approval = new_approval(
        organisation="T",
        department=department,
        approver=f"{person}@t.nl",
        base="a" * 40,
        head="b" * 40,
        files={p: STATE for p in paths},
    )
    record = ApprovalRecord(approval=approval, signature="s")
    return SignedApproval(f"{person}-{department}.json", record, None, blob(key or person), ok)


def needs(verdict: Verdict) -> dict[tuple[str, ...], int]:
    return {(*r.departments, r.section): r.missing for r in verdict.required}


def test_owners_on_one_line_are_alternatives() -> None:
    rules = governance("* @t/hr @t/jur\n")
    assert needs(evaluate(change("x"), rules, [])) == {("hr", "jur", ""): 1}
    assert evaluate(change("x"), rules, [signed("pim", "jur", "x")]).complete


def test_optional_section_is_not_required() -> None:
    rules = governance("* @t/hr\n^[Docs]\n* @t/docs\n")
    verdict = evaluate(change("x"), rules, [signed("mo", "hr", "x")])
    assert verdict.complete
    assert needs(verdict) == {("hr", ""): 0}


def test_section_count_needs_distinct_people() -> None:
    rules = governance("* @t/hr\n[Twee][2]\n* @t/hr @t/jur\n")
    one_person_twice = [signed("eva", "hr", "x"), signed("eva", "jur", "x")]
    assert needs(evaluate(change("x"), rules, one_person_twice))[("hr", "jur", "Twee")] == 1
    verdict = evaluate(change("x"), rules, [*one_person_twice, signed("pim", "jur", "x")])
    assert verdict.complete


def test_section_default_owners_apply_to_lines_without_owners() -> None:
    rules = governance("* @t/hr\n[Docs] @t/docs\n/docs/\n")
    assert needs(evaluate(change("docs/a.md"), rules, [])) == {("hr", ""): 1, ("docs", "Docs"): 1}


def test_line_without_owners_fails_closed() -> None:
    verdict = evaluate(
        change("x", "y"), governance("* @t/hr\n/y\n"), [signed("mo", "hr", "x", "y")]
    )
    assert not verdict.complete
    assert [(p.file, p.code) for p in verdict.problems] == [("y", "unowned-path")]


def test_key_of_two_members_counts_for_nobody() -> None:
    verdict = evaluate(
        change("x"),
        governance("* @t/hr\n", shared_key=True),
        [signed("eva", "hr", "x", key="shared")],
    )
    assert not verdict.complete
    assert [i.reason for i in verdict.ignored] == [
        "ambiguous key: 2 members have the signing key at BASE"
    ]


def test_signature_that_did_not_verify_counts_for_nothing() -> None:
    verdict = evaluate(change("x"), governance("* @t/hr\n"), [signed("mo", "hr", "x", ok=False)])
    assert [i.reason for i in verdict.ignored] == [
        "bad signature: it does not verify for this record and key"
    ]


def test_no_registry_at_base_fails_closed() -> None:
    rules, _ = parse_codeowners("CODEOWNERS", "* @t/hr\n")
    verdict = evaluate(change("x"), Governance(compile_rules(rules), None), [])
    assert not verdict.complete and not verdict.required


def test_submodule_and_non_nfc_paths_fail_closed() -> None:
    verdict = evaluate(
        change("sub", mode=SUBMODULE_MODE), governance("* @t/hr\n"), [signed("mo", "hr", "sub")]
    )
    assert [p.code for p in verdict.problems] == ["link-or-submodule"]
    verdict = evaluate(change("cafe\u0301"), governance("* @t/hr\n"), [])
    assert [p.code for p in verdict.problems] == ["bad-path"]


def test_approval_only_covers_the_files_it_names() -> None:
    verdict = evaluate(change("x", "y"), governance("* @t/hr\n"), [signed("mo", "hr", "x")])
    assert {r.paths: r.missing for r in verdict.required} == {("x",): 0, ("y",): 1}


def test_author_of_one_file_still_counts_for_another() -> None:
    verdict = evaluate(
        change("x", "y", authors={"x": "mo@t.nl"}),
        governance("* @t/hr\n"),
        [signed("mo", "hr", "x", "y")],
    )
    assert {r.paths: r.approved_by for r in verdict.required} == {("x",): (), ("y",): ("mo@t.nl",)}


def test_nothing_changed_is_complete() -> None:
    verdict = evaluate(change(), governance("* @t/hr\n"), [])
    assert verdict.complete and verdict.required == ()


def test_verdict_does_not_depend_on_the_order_of_records() -> None:
    rules = governance("* @t/hr\n[J]\n* @t/jur\n")
    records = [
        signed("mo", "hr", "x"),
        signed("pim", "jur", "x"),
        signed("eva", "hr", "x"),
        signed("lisa", "hr", "x"),
    ]
    first = evaluate(change("x"), rules, records)
    random.Random(7).shuffle(records)
    assert evaluate(change("x"), rules, records) == first
