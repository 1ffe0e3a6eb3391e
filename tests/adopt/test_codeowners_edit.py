"""Adding a policy's lines to CODEOWNERS: in the order of the ids, comments and sections kept."""

from __future__ import annotations

from pathlib import Path

from tools.adopt.codeowners_edit import add_policy
from tools.owners.codeowners import parse_codeowners

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_codeowners_keeps_every_line_and_its_order() -> None:
    text = (ROOT / "CODEOWNERS").read_text(encoding="utf-8")
    added = add_policy(text, "privacy", "@voorbeeld/juridisch", "Privacybeleid")
    new_lines = added.splitlines()
    # Every old line is there, in the old order.
    old = iter(new_lines)
    assert all(line in old for line in text.splitlines())
    # Before social-media (p < s), above the comment that heads social-media's lines.
    at = new_lines.index(
        "/policy/privacy/                                        @voorbeeld/juridisch"
    )
    assert new_lines[at - 1] == "# Privacybeleid (privacy)."
    assert new_lines[at + 1].startswith("/changelog/privacy/ ")
    assert (
        new_lines[at + 3] == "# The social-media policy: each section its responsible department."
    )
    # The [Ondernemingsraad] section is untouched and still last.
    assert added.endswith(text.split("\n# Monitoring employees", 1)[1])
    rules, problems = parse_codeowners("CODEOWNERS", added)
    assert not problems
    assert {r.pattern for r in rules if r.section.name == ""} >= {
        "/policy/privacy/",
        "/changelog/privacy/",
    }


def test_after_the_last_policy_and_without_any_policy() -> None:
    base = "# owners\n*  @o/a\n\n[Section]\n/x/ @o/b\n"
    first = add_policy(base, "mmm", "@o/a", "M")
    assert first.splitlines() == [
        "# owners",
        "*  @o/a",
        "",
        "# M (mmm).",
        "/policy/mmm/ @o/a",
        "/changelog/mmm/ @o/a",
        "",
        "[Section]",
        "/x/ @o/b",
    ]
    second = add_policy(first, "zzz", "@o/b", "Z")
    assert second.index("/policy/mmm/") < second.index("/policy/zzz/") < second.index("[Section]")
    third = add_policy(second, "aaa", "@o/b", "A")
    assert third.index("# A (aaa).") < third.index("# M (mmm).")


def test_the_owner_column_follows_the_file() -> None:
    added = add_policy("*               @o/a\n", "p-q", "@o/a", "T")
    assert "/policy/p-q/     @o/a" not in added
    assert "/policy/p-q/    @o/a" in added
