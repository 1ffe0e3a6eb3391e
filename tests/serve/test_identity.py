"""Who is asking: the header only from the proxy's addresses, bounded and well formed."""

from __future__ import annotations

import pytest

from tools.serve.identity import (
    Identity,
    IdentityRules,
    Rejection,
    identify,
    parse_groups,
    parse_networks,
    trusted,
    valid_email,
)

RULES = IdentityRules()


def test_the_header_from_loopback_signs_in() -> None:
    found = identify("127.0.0.1", {"x-forwarded-email": "Noor@Voorbeeld.NL"}, RULES)
    assert found == Identity("noor@voorbeeld.nl", frozenset())
    found = identify("::1", {"x-forwarded-email": "a@b.nl", "x-forwarded-groups": "hr, it"}, RULES)
    assert found == Identity("a@b.nl", frozenset({"hr", "it"}))


@pytest.mark.parametrize("peer", ["10.0.0.7", "192.168.1.2", "2001:db8::1", None, "testclient"])
def test_a_header_from_elsewhere_is_ignored_and_flagged(peer: str | None) -> None:
    found = identify(peer, {"x-forwarded-email": "sem@voorbeeld.nl"}, RULES)
    assert isinstance(found, Rejection) and found.suspicious
    assert "sem" not in found.reason  # the log never gets the address


def test_no_header_is_no_identity_and_not_suspicious() -> None:
    assert identify("127.0.0.1", {}, RULES) == Rejection("no identity header")
    found = identify("10.0.0.7", {}, RULES)
    assert isinstance(found, Rejection) and not found.suspicious


def test_configured_proxies_and_header_names() -> None:
    rules = IdentityRules(parse_networks(["10.1.2.0/24"]), "x-email", "x-groups")
    assert identify("10.1.2.9", {"x-email": "a@b.nl"}, rules) == Identity("a@b.nl", frozenset())
    assert isinstance(identify("127.0.0.1", {"x-email": "a@b.nl"}, rules), Rejection)
    # The default header name is not trusted when another is configured.
    assert identify("10.1.2.9", {"x-forwarded-email": "a@b.nl"}, rules) == Rejection(
        "no identity header"
    )
    assert trusted("::ffff:10.1.2.3", rules.proxies)  # an IPv4 peer on a dual-stack socket


@pytest.mark.parametrize(
    "value",
    ["", "noor", "a@b", "a b@c.nl", "a@b.nl, c@d.nl", "<a@b.nl>", "a@b.nl\r\nx: y",
     "x" * 250 + "@b.nl", "a@" + "b" * 300 + ".nl"],
)  # fmt: skip
def test_malformed_or_long_emails_are_refused(value: str) -> None:
    assert valid_email(value) is None
    found = identify("127.0.0.1", {"x-forwarded-email": value}, RULES)
    assert isinstance(found, Rejection)


def test_groups_are_bounded() -> None:
    assert parse_groups("") == frozenset()
    assert parse_groups("hr,,  beleid ") == frozenset({"hr", "beleid"})
    assert parse_groups("x" * 3000) is None
    assert parse_groups(",".join(f"g{i}" for i in range(65))) is None
    assert parse_groups("hr;drop") is None
    found = identify("127.0.0.1", {"x-forwarded-email": "a@b.nl", "x-forwarded-groups": "<"}, RULES)
    assert isinstance(found, Rejection) and found.suspicious
