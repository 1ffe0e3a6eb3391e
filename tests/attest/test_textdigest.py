"""The text digest: recomputable from the files alone, sensitive to every byte and name."""

from __future__ import annotations

import hashlib

from tools.attest.textdigest import text_digest

FILES = {
    "policy/p/sections/b.yaml": b"b: 2\n",
    "policy/p/policy.yaml": b"id: p\n",
}


def test_the_digest_is_the_documented_recipe() -> None:
    expected = hashlib.sha256(
        b"policy/p/policy.yaml\x006\x00id: p\npolicy/p/sections/b.yaml\x005\x00b: 2\n"
    ).hexdigest()
    assert text_digest(FILES) == expected
    assert text_digest(dict(reversed(FILES.items()))) == expected  # order given does not count
    assert text_digest({}) == hashlib.sha256(b"").hexdigest()


def test_a_changed_byte_name_or_split_changes_it() -> None:
    base = text_digest(FILES)
    assert text_digest({**FILES, "policy/p/policy.yaml": b"id: q\n"}) != base
    renamed = {
        "policy/p/sections/c.yaml" if k.endswith("b.yaml") else k: v for k, v in FILES.items()
    }
    assert text_digest(renamed) != base
    # The length keeps the boundary between a name and the bytes unambiguous.
    assert text_digest({"a": b"bc"}) != text_digest({"ab": b"c"})
    assert text_digest({"a": b"", "b": b""}) != text_digest({"a": b"\x001\x00b"})
