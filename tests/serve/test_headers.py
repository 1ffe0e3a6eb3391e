"""The security headers and the form parser."""

from __future__ import annotations

import base64
import hashlib

from tools.notes.htmlpage import html_page
from tools.serve.headers import MAX_FORM, parse_form, security_headers, style_hashes


def test_the_csp_allows_the_pages_own_style_and_nothing_else() -> None:
    page = html_page("<p>x</p>\n", title="x", lang="nl")
    style = page.split("<style>")[1].split("</style>")[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert style_hashes(page) == [f"'sha256-{digest}'"]
    headers = security_headers(page)
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and f"style-src 'sha256-{digest}';" in csp
    assert "script-src" not in csp and "unsafe" not in csp
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "style-src 'none'" in security_headers("")["content-security-policy"]


def test_forms_parse_strictly() -> None:
    assert parse_form(b"policy=social-media&version=1.0.0") == {
        "policy": "social-media", "version": "1.0.0",
    }  # fmt: skip
    assert parse_form(b"email=noor%40voorbeeld.nl&hr=ja") == {
        "email": "noor@voorbeeld.nl", "hr": "ja",
    }  # fmt: skip
    assert parse_form(b"") == {}
    assert parse_form(b"a=1&a=2") is None  # a repeated field
    assert parse_form(b"a") is None
    assert parse_form(b"a=%zz") is None
    assert parse_form(b"a=%ff") is None  # not UTF-8
    assert parse_form("a=é".encode()) is None
    assert parse_form(b"Bad-Name=1") is None
    assert parse_form(b"a=" + b"x" * MAX_FORM) is None
