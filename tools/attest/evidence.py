"""The evidence, pure: the auditor's export, a person's own record (right of access), the
comparison with a head hash kept elsewhere, and who is past the retention period.

The export carries each confirmation's employee number (the auditor checks who was required
against HR's own list, which is keyed by it), never a name or an e-mail address (not needed for
that: data minimisation). Same rows, same bytes: no time of export, keys sorted, ``\\n`` lines.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from tools.attest.chain import GENESIS, person_key

RETENTION_DAYS = 730
"""Two years after a person leaves, then ``policy ack purge`` erases their personal data."""


@dataclass(frozen=True)
class ExportRow:
    """One confirmation as the auditor gets it: the chain's fields, both hashes, and the
    employee number (empty once the person was purged)."""

    seq: int
    employee: str
    person_key: str
    policy: str
    version: str
    tag_object: str
    text_sha256: str
    confirmed_at: str
    channel: str
    prev_hash: str
    row_hash: str


COLUMNS = tuple(f.name for f in fields(ExportRow))


def head(rows: Sequence[ExportRow]) -> str:
    """The chain's head: the last row's hash, the genesis for no rows."""
    return rows[-1].row_hash if rows else GENESIS


def render_csv(rows: Sequence[ExportRow]) -> str:
    """A header and one line per confirmation in chain order; the head is the last row_hash."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(row, name) for name in COLUMNS] for row in rows)
    return out.getvalue()


def render_json(rows: Sequence[ExportRow]) -> str:
    """The head hash, the count and every confirmation, as canonical-looking JSON."""
    document = {
        "head": head(rows),
        "count": len(rows),
        "confirmations": [asdict(row) for row in rows],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class PersonRecord:
    """Everything stored about one person: their people row and their confirmations."""

    employee: str
    name: str
    email: str
    department: str
    start_date: str
    end_date: str | None
    confirmations: tuple[ExportRow, ...]


def render_person(record: PersonRecord) -> str:
    """The right-of-access answer (AVG art. 15) as JSON."""
    person = asdict(record)
    person.pop("confirmations")
    document = {
        "person": person,
        "confirmations": [asdict(row) for row in record.confirmations],
        "stored_elsewhere": "nothing: no IP address, browser or other data is recorded",
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def head_problem(kept: str, chain: Sequence[tuple[int, str]]) -> str | None:
    """Why the chain's head is not the one ``kept`` elsewhere (None when it is), given each
    confirmation's (seq, hash) in order: rows appended after it, or ``kept`` no longer in the
    chain (rows cut at the end, or the chain rewritten)."""
    kept = kept.strip().lower()
    hashes = [row_hash for _, row_hash in chain]
    if kept == (hashes[-1] if hashes else GENESIS):
        return None
    if kept == GENESIS:
        return f"{len(hashes)} confirmation(s) were added since the chain was empty"
    if kept in hashes:
        index = hashes.index(kept)
        return (
            f"{len(hashes) - 1 - index} confirmation(s) were appended after confirmation "
            f"{chain[index][0]}, whose hash is the head kept elsewhere: check them against the "
            "confirmations collected since"
        )
    return (
        "the head kept elsewhere is not in the chain: confirmations were cut at the end, or the "
        "chain was rewritten"
    )


def past_retention(end: date | None, today: date, days: int) -> bool:
    """True for a person who left more than ``days`` days before ``today``."""
    return end is not None and today - end > timedelta(days=days)


def first_mislinked(linked: Sequence[tuple[int, str, str]], secret: bytes) -> int | None:
    """The ``seq`` of the first confirmation whose person (``person_id``, which the chain does
    not cover: a purge clears it) is not the one its chained ``person_key`` names; ``linked``
    holds (seq, person_key, the linked person's employee number) of every linked row."""
    for seq, key, employee in linked:
        if person_key(secret, employee) != key:
            return seq
    return None
