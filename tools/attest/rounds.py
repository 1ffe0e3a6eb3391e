"""Rounds of attestation: which releases people must confirm, by when, and where each person
stands. Pure: the release history and plain facts in, rounds and statuses out.

A policy with ``acknowledgement: true`` opens a round with its first release and with every
release of impact ``major`` (duties or rights changed). A ``minor`` or ``patch`` release opens
none: a confirmation of the last material version, or of any later version, still counts. The
deadline is the round's effective date, or for someone who starts later their start date plus
the policy's acknowledgement period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from tools.compare.impact import Impact
from tools.notes.releasenotes import version_key
from tools.versions.releaseid import ReleaseRecord

Status = Literal["confirmed", "pending", "overdue"]


@dataclass(frozen=True)
class Round:
    """A release people must confirm: ``tag`` names the text, ``effective`` is the deadline."""

    policy: str
    version: str
    tag: str
    effective: dt.date


def rounds(history: Sequence[ReleaseRecord], acknowledgement: bool) -> list[Round]:
    """The rounds a policy's releases (oldest first) opened, oldest first."""
    if not acknowledgement:
        return []
    return [
        Round(r.policy, r.version, r.tag, r.effective)
        for index, r in enumerate(history)
        if index == 0 or r.impact is Impact.MAJOR
    ]


def deadline(round_: Round, start: dt.date, days: int) -> dt.date:
    """The round's effective date; for someone who joined later, their start plus ``days``."""
    return max(round_.effective, start + timedelta(days=days))


def employed(start: dt.date, end: dt.date | None, today: dt.date) -> bool:
    """Started and not yet ended: who owes a confirmation today (leavers owe nothing; the
    audience by department is ``obligations.in_audience``)."""
    return start <= today and (end is None or end > today)


def status(
    round_: Round, start: dt.date, confirmed: Collection[str], today: dt.date, days: int
) -> Status:
    """Confirmed when a version at or after the round's was confirmed; else pending until the
    deadline, then overdue."""
    floor = version_key(round_.version)
    if any(version_key(v) >= floor for v in confirmed):
        return "confirmed"
    return "overdue" if today > deadline(round_, start, days) else "pending"
