"""Recording a confirmation: every refusal as a unit, then the store call on both databases."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from datetime import date

import pytest

from tools.attest.chain import person_key
from tools.attest.obligations import PolicyFacts, ReleasedText
from tools.attest.people_csv import PersonRow
from tools.attest.people_diff import PeoplePlan
from tools.attest.record import Refusal, Request, check, link
from tools.attest.rounds import Round
from tools.attest.store import apply_people, transaction, verify_chain
from tools.attest.store_acks import confirmations_by_person, find_person, record, record_all

TODAY = date(2027, 2, 1)
AT = dt.datetime(2027, 2, 1, 9, 30, tzinfo=dt.UTC)
SECRET = b"0123456789abcdef0123456789abcdef"


def _text(version: str, opens: bool) -> ReleasedText:
    tag = f"social-media/v{version}"
    return ReleasedText(version, tag, date(2027, 1, 1), opens, "a" * 40, version[0] * 64)


RELEASES = (
    _text("1.0.0", True),
    _text("1.1.0", False),
    _text("2.0.0", True),
    _text("2.1.0", False),
)
ROUNDS = (
    Round("social-media", "1.0.0", "social-media/v1.0.0", date(2027, 1, 1)),
    Round("social-media", "2.0.0", "social-media/v2.0.0", date(2027, 3, 1)),
)
POLICY = PolicyFacts("social-media", "Social-mediabeleid", ROUNDS, frozenset({"hr"}), 30, RELEASES)
ANNA = PersonRow("1001", "Anna Invented", "anna@example.org", "hr", date(2020, 1, 1))


def _check(
    version: str | None = None, *, person: PersonRow | None = ANNA,
    policy: PolicyFacts | None = POLICY, digest: str | None = None, signed_in: str | None = None,
) -> ReleasedText | Refusal:  # fmt: skip
    request = Request("1001", "social-media", version, "web", digest, signed_in)
    return check(request, person, policy, TODAY)


def _code(outcome: ReleasedText | Refusal) -> str:
    assert isinstance(outcome, Refusal), outcome
    return outcome.code


def test_a_round_or_a_later_release_is_accepted_the_latest_by_default() -> None:
    assert _check("1.0.0") == RELEASES[0]  # an earlier round, e.g. imported history
    assert _check("2.0.0") == RELEASES[2]
    assert _check("2.1.0") == RELEASES[3]  # a minor after the round counts
    assert _check() == RELEASES[3]
    assert _check("2.0.0", digest="2" * 64, signed_in="1001") == RELEASES[2]


def test_every_refusal() -> None:
    assert _code(_check(person=None)) == "ack-person"
    assert _code(_check(person=PersonRow("1001", "n", "e@x.nl", "hr", date(2020, 1, 1),
                                         date(2027, 1, 31)))) == "ack-leaver"  # fmt: skip
    assert _code(_check(person=PersonRow("1001", "n", "e@x.nl", "sales", date(2020, 1, 1)))) == (
        "ack-audience"
    )
    assert _code(_check("1.1.0")) == "ack-no-round"  # superseded by round 2.0.0
    assert _code(_check("3.0.0")) == "ack-version"
    assert _code(_check("2.0.0", digest="f" * 64)) == "ack-stale-text"
    later = replace(RELEASES[3], released=date(2027, 2, 2))  # released the day after
    dated = replace(POLICY, releases=(*RELEASES[:3], later))
    assert _code(_check("2.1.0", policy=dated)) == "ack-before-release"
    assert _check("2.0.0", policy=dated) == RELEASES[2]
    assert _code(_check(signed_in="1002")) == "ack-other-person"
    assert _code(_check(policy=None)) == "ack-policy"
    silent = PolicyFacts("social-media", "S", (), None, 30, RELEASES)  # acknowledgement: false
    assert _code(_check("1.0.0", policy=silent)) == "ack-no-round"


def test_refusals_are_one_line_without_personal_data() -> None:
    outcomes = [_check(person=None), _check("1.1.0"), _check("3.0.0"), _check(digest="0" * 64)]
    for outcome in outcomes:
        assert isinstance(outcome, Refusal)
        text = f"{outcome.message} {outcome.hint}"
        assert "\n" not in text and "1001" not in text and "Anna" not in text


def test_the_link_carries_the_evidence() -> None:
    request = Request("1001", "social-media", None, "import")
    made = link(SECRET, request, RELEASES[2], AT)
    assert made.person_key == person_key(SECRET, "1001")
    assert (made.version, made.tag_object, made.text_sha256) == ("2.0.0", "a" * 40, "2" * 64)
    assert (made.confirmed_at, made.channel) == ("2027-02-01T09:30:00Z", "import")
    with pytest.raises(ValueError, match="evidence"):
        link(SECRET, request, ReleasedText("2.0.0", "t", date(2027, 1, 1), True), AT)


def test_recording_twice_stores_one_row(db_url: str) -> None:
    request = Request("1001", "social-media", "2.0.0", "import")
    with transaction(db_url) as session:
        apply_people(session, PeoplePlan(added=[ANNA], updated=[], ended=[], unchanged=0))
    for _ in range(2):
        with transaction(db_url) as session:
            found = find_person(session, "1001")
            assert found is not None and found[1] == ANNA
            written = record(session, found[0], SECRET, request, RELEASES[2], AT)
        assert written is (_ == 0)
    with transaction(db_url) as session:
        assert find_person(session, "9999") is None
        stored = confirmations_by_person(session)
        broken, count, _head = verify_chain(session)
    assert stored["1001"]["social-media"][0].version == "2.0.0"
    assert stored["1001"]["social-media"][0].at == AT
    assert (broken, count) == (None, 1)


def test_recording_many_at_once_extends_the_same_chain(db_url: str) -> None:
    people = [
        PersonRow(str(n), "Invented", f"p{n}@example.org", "hr", date(2020, 1, 1))
        for n in range(1001, 1005)
    ]
    with transaction(db_url) as session:
        apply_people(session, PeoplePlan(added=people, updated=[], ended=[], unchanged=0))
        ids = {p.employee: find_person(session, p.employee)[0] for p in people}  # type: ignore[index]
        first = Request("1001", "social-media", "2.0.0", "import")
        assert record(session, ids["1001"], SECRET, first, RELEASES[2], AT)
    batch = [
        (ids[n], Request(n, "social-media", v, "import"), RELEASES[i], AT)
        for n, v, i in [("1001", "2.0.0", 2), ("1002", "2.0.0", 2), ("1002", "2.0.0", 2),
                        ("1003", "2.1.0", 3), ("1004", "1.0.0", 0)]
    ]  # fmt: skip
    with transaction(db_url) as session:
        assert record_all(session, SECRET, batch) == 3  # 1001 had, 1002 twice in the batch
    with transaction(db_url) as session:
        assert record_all(session, SECRET, batch) == 0
        broken, count, _head = verify_chain(session)
        stored = confirmations_by_person(session)
    assert (broken, count) == (None, 4)
    assert [c.version for c in stored["1003"]["social-media"]] == ["2.1.0"]
