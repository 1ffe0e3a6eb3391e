"""The form's token: bound to the browser's cookie, the person, the fields and the time."""

from __future__ import annotations

import pytest

from tools.serve.csrf import MAX_AGE, check_token, make_token, origins, same_origin, valid_session

SECRET = b"k" * 32
SESSION = "s" * 43
FIELDS = ["social-media", "1.0.0", "a" * 64]
NOW = 1_800_000_000


def test_a_token_checks_for_exactly_what_it_was_made_for() -> None:
    token = make_token(SECRET, SESSION, "7", FIELDS, NOW)
    assert check_token(SECRET, token, SESSION, "7", FIELDS, NOW + 60)
    assert not check_token(SECRET, token, "t" * 43, "7", FIELDS, NOW)  # another browser
    assert not check_token(SECRET, token, SESSION, "8", FIELDS, NOW)  # another person
    assert not check_token(SECRET, token, SESSION, "7", ["social-media", "1.1.0", "a" * 64], NOW)
    assert not check_token(b"x" * 32, token, SESSION, "7", FIELDS, NOW)  # another server
    assert not check_token(SECRET, token, SESSION, "7", FIELDS, NOW + MAX_AGE + 1)  # too old
    assert not check_token(SECRET, token, SESSION, "7", FIELDS, NOW - 1)  # from the future


def test_malformed_tokens_and_sessions_are_refused() -> None:
    for token in ["", "x", "1.abc", f"{NOW}." + "g" * 64, f"-1.{'a' * 64}"]:
        assert not check_token(SECRET, token, SESSION, "7", FIELDS, NOW)
    assert not valid_session(None) and not valid_session("short") and not valid_session("s" * 99)
    token = make_token(SECRET, "bad session", "7", FIELDS, NOW)
    assert not check_token(SECRET, token, "bad session", "7", FIELDS, NOW)


def test_origin() -> None:
    own = ["http://beleid.test", "https://beleid.test"]
    assert same_origin({"origin": "https://beleid.test"}, own)
    assert not same_origin({"origin": "https://evil.example"}, own)
    assert not same_origin({"origin": "null"}, own)
    assert same_origin({"sec-fetch-site": "same-origin"}, own)
    assert not same_origin({"sec-fetch-site": "cross-site"}, own)
    assert not same_origin({}, own)


@pytest.mark.parametrize(
    ("host", "public", "dev", "expected"),
    [
        ("beleid.intern", None, False, ["http://beleid.intern", "https://beleid.intern"]),
        ("beleid.intern", "https://beleid.intern", False, ["https://beleid.intern"]),
        ("evil.example:8080", "https://beleid.intern", False, ["https://beleid.intern"]),
        ("127.0.0.1:8080", None, True, ["http://127.0.0.1:8080", "https://127.0.0.1:8080"]),
        ("localhost:8080", None, True, ["http://localhost:8080", "https://localhost:8080"]),
        ("[::1]:8080", None, True, ["http://[::1]:8080", "https://[::1]:8080"]),
        ("evil.example:8080", None, True, []),  # DNS rebinding to a --dev-login server
        ("127.0.0.1.evil.example", None, True, []),
        ("", None, False, []),
    ],
)
def test_the_origins_a_form_may_come_from(
    host: str, public: str | None, dev: bool, expected: list[str]
) -> None:
    assert origins(host, public, dev) == expected
