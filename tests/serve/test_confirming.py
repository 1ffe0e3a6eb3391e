"""Which version a page confirms, and when a posted form is stale."""

from __future__ import annotations

import datetime as dt

from tools.attest.obligations import Confirmed, PolicyFacts, ReleasedText
from tools.attest.rounds import Round
from tools.serve.confirming import (
    Posted,
    changes_since,
    last_confirmed,
    page_path,
    posted,
    stale,
    to_confirm,
)
from tools.serve.fragments import Change

DAY = dt.date(2027, 1, 1)
TEXTS = tuple(
    ReleasedText(v, f"sm/v{v}", DAY, v != "1.1.0", "t" * 40, d * 64)
    for v, d in [("1.0.0", "a"), ("1.1.0", "b"), ("2.0.0", "c")]
)
ROUNDS = (Round("sm", "1.0.0", "sm/v1.0.0", DAY), Round("sm", "2.0.0", "sm/v2.0.0", DAY))
POLICY = PolicyFacts("sm", "Social media", ROUNDS, None, 30, TEXTS)
FIELDS = {"policy": "sm", "version": "2.0.0", "digest": "c" * 64, "token": "1.x"}


def test_the_newest_release_is_confirmed_on_its_page() -> None:
    release = to_confirm(POLICY)
    assert release is not None and release.version == "2.0.0"
    assert page_path("sm", release, "2.0.0") == "sm/index.html"
    assert page_path("sm", release, "1.1.0") == "sm/versie-2.0.0.html"
    assert page_path("sm", release, None) == "sm/versie-2.0.0.html"
    assert to_confirm(PolicyFacts("sm", "x", (), None, 30, TEXTS)) is None  # no round asked


def test_forms() -> None:
    assert posted(FIELDS) == Posted("sm", "2.0.0", "c" * 64, "1.x")
    assert posted({**FIELDS, "person": "1002"}) is None
    assert posted({k: v for k, v in FIELDS.items() if k != "digest"}) is None
    assert posted({**FIELDS, "version": "2.0"}) is None
    assert posted({**FIELDS, "digest": "C" * 64}) is None
    assert posted({**FIELDS, "policy": "../x"}) is None
    release = TEXTS[-1]
    form = posted(FIELDS)
    assert form is not None and not stale(form, release)
    assert stale(Posted("sm", "1.1.0", "b" * 64, "1.x"), release)
    assert stale(Posted("sm", "2.0.0", "b" * 64, "1.x"), release)


def test_what_changed_since_the_last_confirmation() -> None:
    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert last_confirmed([]) is None
    assert last_confirmed([Confirmed("1.1.0", at), Confirmed("1.0.0", at)]) == "1.1.0"
    assert changes_since(POLICY, None, TEXTS[-1]) == []
    assert changes_since(POLICY, "1.0.0", TEXTS[-1]) == [
        Change("1.1.0", "1.1.0.html"), Change("2.0.0", "2.0.0.html"),
    ]  # fmt: skip
