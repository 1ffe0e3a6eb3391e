"""Rounds: the first and every major release open one; deadlines and statuses."""

from __future__ import annotations

from datetime import date

from tools.attest.rounds import Round, deadline, employed, rounds, status
from tools.compare.impact import Impact
from tools.versions.releaseid import ReleaseRecord


def _release(version: str, impact: Impact, effective: date) -> ReleaseRecord:
    tag = f"social-media/v{version}"
    return ReleaseRecord("social-media", version, tag, "c" * 40, effective, impact, effective)


HISTORY = [
    _release("1.0.0", Impact.MAJOR, date(2027, 1, 1)),
    _release("1.1.0", Impact.MINOR, date(2027, 3, 1)),
    _release("2.0.0", Impact.MAJOR, date(2027, 6, 1)),
    _release("2.0.1", Impact.PATCH, date(2027, 7, 1)),
]
FIRST = Round("social-media", "1.0.0", "social-media/v1.0.0", date(2027, 1, 1))


def test_the_first_and_every_major_release_open_a_round() -> None:
    assert [r.version for r in rounds(HISTORY, acknowledgement=True)] == ["1.0.0", "2.0.0"]
    assert rounds(HISTORY, acknowledgement=False) == []
    assert rounds([_release("1.0.0", Impact.NONE, date(2027, 1, 1))], True)[0] == FIRST


def test_a_later_joiner_gets_their_own_deadline() -> None:
    assert deadline(FIRST, date(2020, 1, 1), 30) == date(2027, 1, 1)
    assert deadline(FIRST, date(2027, 3, 1), 30) == date(2027, 3, 31)


def test_status_and_who_owes_it() -> None:
    start = date(2020, 1, 1)
    assert status(FIRST, start, set(), date(2026, 12, 1), 30) == "pending"
    assert status(FIRST, start, set(), date(2027, 1, 2), 30) == "overdue"
    assert status(FIRST, start, {"1.1.0"}, date(2027, 1, 2), 30) == "confirmed"  # later counts
    second = rounds(HISTORY, True)[1]
    assert status(second, start, {"1.1.0"}, date(2027, 5, 1), 30) == "pending"  # earlier not
    assert employed(start, None, date(2027, 1, 1))
    assert not employed(start, date(2026, 6, 30), date(2027, 1, 1))
    assert not employed(date(2027, 2, 1), None, date(2027, 1, 1))
