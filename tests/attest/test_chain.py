"""The hash chain: any edited, inserted, deleted or reordered link is found."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace

import pytest

from tools.attest.chain import GENESIS, Link, chain_hashes, first_break, link_hash, person_key

KEY = person_key(b"secret", "1")
LINKS = [
    Link(n, KEY, "social-media", "1.0.0", "a" * 40, "b" * 64, f"2026-12-0{n}T09:00:00Z", "web")
    for n in range(1, 5)
]


def _stored(links: list[Link]) -> list[tuple[Link, str, str]]:
    hashes = chain_hashes(links)
    return list(zip(links, [GENESIS, *hashes[:-1]], hashes, strict=True))


def test_an_intact_chain_verifies_and_is_deterministic() -> None:
    assert first_break(_stored(LINKS)) is None
    assert chain_hashes(LINKS) == chain_hashes(list(LINKS))
    assert person_key(b"secret", "1") != person_key(b"other", "1")


@pytest.mark.parametrize(
    ("tamper", "broken"),
    [
        (lambda s: [s[0], (replace(s[1][0], channel="import"), *s[1][1:]), *s[2:]], 1),
        (lambda s: [s[0], s[2], s[1], s[3]], 1),
        (lambda s: [s[0], s[2], s[3]], 1),
        (lambda s: [s[0], (replace(s[0][0], seq=2), s[0][2], s[0][2]), *s[1:]], 1),
    ],
    ids=["edited", "reordered", "deleted", "inserted"],
)
def test_tampering_is_found(tamper, broken) -> None:  # type: ignore[no-untyped-def]
    assert first_break(tamper(_stored(LINKS))) == broken


def test_a_link_hashes_the_bytes_of_canonical_json() -> None:
    """``link_hash`` fills in a template; it hashes what ``json.dumps`` with sorted keys would
    give for every field of the link (a new field breaks this), escapes and all."""
    chance = random.Random(18)
    alphabet = 'az09 "\\/\n\t\x00\x7féü€😀-'
    for seq in (1, 9, 10**12):
        words = ["".join(chance.choices(alphabet, k=chance.randrange(12))) for _ in range(8)]
        link = Link(seq, *words[:7])  # type: ignore[arg-type]
        fields = {**vars(link), "previous": words[7]}
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        assert link_hash(link, words[7]) == hashlib.sha256(canonical.encode()).hexdigest()
