"""Bad inputs: each one gives exit 1 and a located, coded error from the installed CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_FILES, run_policy

POLICY = "policy/mini/policy.yaml"
ALGEMEEN = "policy/mini/sections/algemeen.yaml"
PRIVACY = "policy/mini/sections/privacy.yaml"
REGISTRY = "policy/departments.yaml"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJFX444+tOBvI7lFnnCn7P7qsmSXLs+HMS3D5jNTgcqe"
"""A public key (made once with ssh-keygen; only its format matters here)."""


def edit(path: str, old: str, new: str) -> dict[str, str | bytes | None]:
    """The mini file at ``path`` with one exact replacement (which must apply)."""
    assert old in MINI_FILES[path], old
    return {path: MINI_FILES[path].replace(old, new, 1)}


# (name, overrides, code, file, line)
CASES: list[tuple[str, dict[str, str | bytes | None], str, str, int]] = [
    (
        "syntax-error",
        edit(ALGEMEEN, "title: Algemeen", "title: [Algemeen"),
        "yaml-syntax",
        ALGEMEEN,
        3,
    ),
    (
        "duplicate-key",
        edit(ALGEMEEN, "    level: must\n", "    level: must\n    level: may\n"),
        "duplicate-key",
        ALGEMEEN,
        9,
    ),
    (
        "wrong-type-title",
        edit(ALGEMEEN, "title: Wees beleefd", "title: 12"),
        "wrong-type",
        ALGEMEEN,
        7,
    ),
    (
        "wrong-type-bool",
        edit(PRIVACY, "    text: Je deelt", "    monitoring: ja\n    text: Je deelt"),
        "wrong-type",
        PRIVACY,
        10,
    ),
    (
        "unknown-field",
        edit(ALGEMEEN, "    level: must\n", "    level: must\n    owner: hr\n"),
        "unknown-field",
        ALGEMEEN,
        9,
    ),
    (
        "unknown-field-meta",
        edit(POLICY, "language: nl\n", "language: nl\nlanguag: nl\n"),
        "unknown-field",
        POLICY,
        5,
    ),
    ("missing-field", edit(ALGEMEEN, "    title: Uitleg\n", ""), "missing-field", ALGEMEEN, 12),
    ("bad-level", edit(ALGEMEEN, "level: must\n", "level: moet\n"), "bad-value", ALGEMEEN, 8),
    ("malformed-id", edit(ALGEMEEN, "id: mi-003", "id: MI_3"), "bad-id", ALGEMEEN, 12),
    ("wrong-prefix", edit(ALGEMEEN, "id: mi-003", "id: xx-003"), "bad-id", ALGEMEEN, 12),
    ("duplicate-id", edit(PRIVACY, "id: mi-002", "id: mi-001"), "duplicate-id", PRIVACY, 7),
    (
        "retired-id",
        edit(POLICY, "sections:\n", "retired: [mi-003]\nsections:\n"),
        "retired-id",
        ALGEMEEN,
        12,
    ),
    (
        "missing-element",
        edit(PRIVACY, "level: must-not", "level: info"),
        "missing-element",
        POLICY,
        16,
    ),
    (
        "unknown-element",
        edit(PRIVACY, "  - privacy\n", "  - privacy\n  - onbekend\n"),
        "unknown-element",
        PRIVACY,
        5,
    ),
    (
        "dangling-reference",
        edit(ALGEMEEN, "      - mi-002", "      - mi-099"),
        "dangling-reference",
        ALGEMEEN,
        11,
    ),
    (
        "unknown-department",
        edit(PRIVACY, "contact: communicatie", "contact: marketing"),
        "unknown-department",
        PRIVACY,
        5,
    ),
    (
        "unknown-acknowledgement-department",
        edit(
            POLICY,
            "contact: hr\n",
            "contact: hr\nacknowledgement_departments:\n  - hr\n  - verkoop\n",
        ),
        "unknown-department",
        POLICY,
        14,
    ),
    (
        "review-before-effective",
        edit(POLICY, "next_review: 2028-01-01", "next_review: 2026-01-01"),
        "bad-dates",
        POLICY,
        6,
    ),
    (
        "bad-date",
        edit(POLICY, "effective: 2027-01-01", "effective: 2027-13-01"),
        "bad-date",
        POLICY,
        5,
    ),
    (
        "number-as-date",
        edit(POLICY, "effective: 2027-01-01", "effective: 20270101"),
        "bad-date",
        POLICY,
        5,
    ),
    (
        "empty-text",
        edit(ALGEMEEN, "text: Dit is uitleg.", "text: '   '"),
        "empty-text",
        ALGEMEEN,
        15,
    ),
    (
        "bidi-control",
        edit(ALGEMEEN, "text: Dit is uitleg.", "text: Dit is \u202euitleg."),
        "hidden-character",
        ALGEMEEN,
        15,
    ),
    (
        "zero-width-escaped",
        edit(ALGEMEEN, "title: Uitleg", 'title: "Uit\\u200bleg"'),
        "hidden-character",
        ALGEMEEN,
        13,
    ),
    (
        "control-character",
        edit(ALGEMEEN, "text: Dit is uitleg.", "text: Dit is\x07 uitleg."),
        "hidden-character",
        ALGEMEEN,
        15,
    ),
    (
        "anchor-alias",
        edit(
            ALGEMEEN,
            "title: Wees beleefd\n    level: must\n    text: Je",
            "title: &t Wees beleefd\n    level: must\n    summary: *t\n    text: Je",
        ),
        "yaml-alias",
        ALGEMEEN,
        9,
    ),
    (
        "merge-key",
        edit(
            PRIVACY,
            "    title: Geen klantgegevens\n",
            "    title: Geen klantgegevens\n    <<: {level: must}\n",
        ),
        "yaml-merge-key",
        PRIVACY,
        9,
    ),
    (
        "custom-tag",
        edit(PRIVACY, "text: Je deelt", "text: !include geheim.txt\n    summary: Je deelt"),
        "yaml-tag",
        PRIVACY,
        10,
    ),
    (
        "billion-laughs",
        {
            ALGEMEEN: "a: &a [x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        },
        "yaml-alias",
        ALGEMEEN,
        2,
    ),
    (
        "two-documents",
        {PRIVACY: MINI_FILES[PRIVACY] + "---\nid: extra\n"},
        "multiple-documents",
        PRIVACY,
        11,
    ),
    (
        "oversized",
        {PRIVACY: MINI_FILES[PRIVACY] + "# " + "x" * (1024 * 1024) + "\n"},
        "file-too-large",
        PRIVACY,
        1,
    ),
    (
        "invalid-utf8",
        {PRIVACY: MINI_FILES[PRIVACY].encode().replace(b"klanten", b"klant\xe9n")},
        "invalid-utf8",
        PRIVACY,
        10,
    ),
    ("binary-file", {PRIVACY: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "binary-file", PRIVACY, 1),
    ("deep-nesting", {PRIVACY: "a: " + "[" * 5000 + "]" * 5000 + "\n"}, "too-deep", PRIVACY, 1),
    # Block nesting: compact sequences, and mappings indented one column per level.
    ("deep-block-sequences", {PRIVACY: "- " * 70 + "x\n"}, "too-deep", PRIVACY, 1),
    # Lines broken by "\r" alone or by LS (U+2028), which libyaml also takes for line breaks.
    ("deep-after-cr", {PRIVACY: "a: 1\rb:\r" + "- " * 70 + "x\r"}, "too-deep", PRIVACY, 3),
    (
        "deep-after-line-separator",
        {PRIVACY: "a: 1\u2028b:\u2028" + "- " * 70 + "x\n"},
        "too-deep",
        PRIVACY,
        3,
    ),
    (
        "deep-block-mappings",
        {PRIVACY: "".join(" " * i + "k:\n" for i in range(70)) + " " * 70 + "v\n"},
        "too-deep",
        PRIVACY,
        65,
    ),
    (
        "anchor-after-flow-bracket",
        edit(PRIVACY, "    text: Je deelt", "    see: [&r mi-001]\n    text: Je deelt"),
        "yaml-anchor",
        PRIVACY,
        10,
    ),
    ("empty-file", {PRIVACY: ""}, "empty-file", PRIVACY, 1),
    ("not-a-mapping", {PRIVACY: "- een\n- lijst\n"}, "wrong-type", PRIVACY, 1),
    (
        "section-missing",
        edit(POLICY, "  - privacy\n", "  - privacy\n  - weg\n"),
        "section-missing",
        POLICY,
        21,
    ),
    (
        "section-unlisted",
        {"policy/mini/sections/extra.yaml": MINI_FILES[PRIVACY]},
        "section-unlisted",
        "policy/mini/sections/extra.yaml",
        1,
    ),
    (
        "section-id-mismatch",
        edit(PRIVACY, "id: privacy", "id: prive"),
        "section-id-mismatch",
        PRIVACY,
        1,
    ),
    (
        "registry-unknown-field",
        edit(REGISTRY, "    name: HR\n", "    name: HR\n    boss: Eva\n"),
        "unknown-field",
        REGISTRY,
        5,
    ),
    (
        "registry-bad-email",
        edit(REGISTRY, "email: eva@test.nl", "email: eva"),
        "bad-format",
        REGISTRY,
        8,
    ),
    (
        "registry-bad-key",
        edit(
            REGISTRY,
            "email: eva@test.nl",
            "email: eva@test.nl\n        ssh_keys: ['ssh-ed25519 AAAA']",
        ),
        "bad-key",
        REGISTRY,
        9,
    ),
    (
        "registry-shared-key",
        {
            REGISTRY: MINI_FILES[REGISTRY]
            .replace("email: eva@test.nl", f"email: eva@test.nl\n        ssh_keys: ['{KEY}']")
            .replace("email: daan@test.nl", f"email: daan@test.nl\n        ssh_keys: ['{KEY}']")
        },
        "shared-key",
        REGISTRY,
        16,
    ),
    (
        "registry-shared-login",
        {
            REGISTRY: MINI_FILES[REGISTRY]
            .replace("email: eva@test.nl", "email: eva@test.nl\n        github: Eva-V")
            .replace("email: daan@test.nl", "email: daan@test.nl\n        github: eva-v")
        },
        "shared-login",
        REGISTRY,
        16,
    ),
    (
        "registry-bad-login",
        edit(REGISTRY, "email: eva@test.nl", "email: eva@test.nl\n        github: -eva"),
        "bad-format",
        REGISTRY,
        9,
    ),
    (
        "registry-revoked-key-listed",
        edit(
            REGISTRY,
            "email: eva@test.nl",
            f"email: eva@test.nl\n        ssh_keys: ['{KEY}']\n        revoked_keys: ['{KEY}']",
        ),
        "revoked-key-listed",
        REGISTRY,
        9,
    ),
    (
        "codeowners-unknown-handle",
        {"CODEOWNERS": "*  @test/hr\n/policy/  @test/legal\n"},
        "unknown-owner",
        "CODEOWNERS",
        2,
    ),
]


@pytest.mark.parametrize(
    ("overrides", "code", "file", "line"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_located(
    mini_repo: Callable[..., Path],
    overrides: dict[str, str | bytes | None],
    code: str,
    file: str,
    line: int,
) -> None:
    """Each bad input exits 1 with its error code at the exact file and line, no traceback."""
    repo = mini_repo(overrides)
    result = run_policy("validate", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False
    found = [(e["code"], e["file"], e["line"]) for e in report["errors"]]
    assert (code, file, line) in found, found


def test_corpus_is_large_enough() -> None:
    """The issue asks for at least 25 bad inputs."""
    assert len(CASES) >= 25


def test_mini_repository_is_valid(mini_repo: Callable[..., Path]) -> None:
    """The baseline the corpus mutates is itself valid, so each case tests one thing."""
    result = run_policy("validate", "--format", "json", cwd=mini_repo())
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["errors"] == []


def test_yaml_indicators_inside_text_are_text(mini_repo: Callable[..., Path]) -> None:
    """'R&D', 'Let op!' and '5 * 3' in a text are characters, not anchors, tags or aliases."""
    text = "text: Je deelt geen R&D-plannen, 5 * 3 cijfers of 100% van de omzet. Let op!"
    repo = mini_repo(edit(PRIVACY, "text: Je deelt geen gegevens van klanten.", text))
    result = run_policy("validate", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stdout


def test_all_errors_reported_together(mini_repo: Callable[..., Path]) -> None:
    """Problems in several files are reported in one run, not just the first."""
    overrides = {
        **edit(ALGEMEEN, "level: must\n", "level: moet\n"),
        **edit(PRIVACY, "contact: communicatie", "contact: marketing"),
        **edit(POLICY, "next_review: 2028-01-01", "next_review: 2026-01-01"),
    }
    result = run_policy("validate", "--format", "json", cwd=mini_repo(overrides))
    codes = sorted(e["code"] for e in json.loads(result.stdout)["errors"])
    assert codes == ["bad-dates", "bad-value", "unknown-department"]
