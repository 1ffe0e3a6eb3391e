"""The evidence's pure core: the export's bytes, the head kept elsewhere, the retention."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from tools.attest.chain import GENESIS, Link, chain_hashes, link_hash
from tools.attest.evidence import (
    COLUMNS,
    ExportRow,
    PersonRecord,
    head,
    head_problem,
    past_retention,
    render_csv,
    render_json,
    render_person,
)


def _rows(count: int) -> list[ExportRow]:
    links = [
        Link(n, f"{n:064x}", "privacy", "1.0.0", "a" * 40, "b" * 64, "2026-12-01T09:30:00Z", "web")
        for n in range(1, count + 1)
    ]
    hashes = chain_hashes(links)
    return [
        ExportRow(
            link.seq, str(100 + link.seq), link.person_key, link.policy, link.version,
            link.tag_object, link.text_sha256, link.confirmed_at, link.channel,
            GENESIS if index == 0 else hashes[index - 1], hashes[index],
        )
        for index, link in enumerate(links)
    ]  # fmt: skip


def test_the_csv_has_every_field_and_the_head_is_its_last_hash() -> None:
    rows = _rows(3)
    text = render_csv(rows)
    parsed = list(csv.reader(io.StringIO(text)))
    assert tuple(parsed[0]) == COLUMNS and len(parsed) == 4
    assert parsed[-1][COLUMNS.index("row_hash")] == head(rows)
    assert text == render_csv(_rows(3)) and "\r" not in text


def test_the_json_carries_the_head_and_an_auditor_can_recheck_it_without_the_tool() -> None:
    rows = _rows(3)
    document = json.loads(render_json(rows))
    assert (document["head"], document["count"]) == (rows[-1].row_hash, 3)
    previous = GENESIS
    for row in document["confirmations"]:  # the recipe in docs/attestation.md
        fields = {k: row[k] for k in ("seq", "person_key", "policy", "version", "tag_object",
                                      "text_sha256", "confirmed_at", "channel")}  # fmt: skip
        assert row["prev_hash"] == previous
        previous = link_hash(Link(**fields), previous)
        assert row["row_hash"] == previous
    assert previous == document["head"]
    assert json.loads(render_json([])) == {"head": GENESIS, "count": 0, "confirmations": []}


def test_a_person_record_has_their_row_and_confirmations() -> None:
    record = PersonRecord("101", "An Eik", "an@example.org", "hr", "2020-01-01", None,
                          tuple(_rows(1)))  # fmt: skip
    document = json.loads(render_person(record))
    assert document["person"]["name"] == "An Eik"
    assert [c["seq"] for c in document["confirmations"]] == [1]


def test_the_head_kept_elsewhere() -> None:
    chain = [(row.seq, row.row_hash) for row in _rows(3)]
    assert head_problem(chain[-1][1].upper(), chain) is None
    appended = head_problem(chain[0][1], chain)
    assert (appended or "").startswith("2 confirmation(s) were appended after confirmation 1,")
    cut = head_problem("f" * 64, chain)
    assert cut is not None and "not in the chain" in cut
    assert head_problem(GENESIS, []) is None
    assert "3 confirmation(s) were added" in (head_problem(GENESIS, chain) or "")


def test_retention_counts_from_the_day_a_person_left() -> None:
    today = date(2026, 12, 1)
    assert past_retention(date(2024, 11, 30), today, 730)
    assert not past_retention(date(2024, 12, 1), today, 730)  # exactly 730 days: not more
    assert not past_retention(None, today, 730)
    assert past_retention(date(2026, 11, 30), today, 0)
