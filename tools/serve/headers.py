"""The security headers of every response, and the small form parser. Pure.

The site's pages carry their style sheet in one ``<style>`` element (``tools/notes/htmlpage.py``:
a page loads nothing but itself). The Content-Security-Policy allows exactly those style
elements by their SHA-256, and nothing else: no script at all, no style attribute, no other
origin, no framing, forms posting only here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
MAX_FORM = 4096
"""Bytes: the confirmation form is four short fields."""
_NAME = re.compile(r"[a-z_]{1,32}")
_HEX = re.compile(r"[0-9A-Fa-f]{2}")


def style_hashes(page: str) -> list[str]:
    """The CSP sources of the page's ``<style>`` elements (``'sha256-...'``)."""
    found = []
    for body in _STYLE.findall(page):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        found.append(f"'sha256-{digest}'")
    return sorted(set(found))


def content_security_policy(page: str = "") -> str:
    """A strict policy: nothing by default; the page's own style elements; forms to itself."""
    styles = " ".join(style_hashes(page)) or "'none'"
    return (
        "default-src 'none'; "
        f"style-src {styles}; "
        "img-src 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def security_headers(page: str = "") -> dict[str, str]:
    """Every response's headers; ``page`` is the HTML whose styles the CSP allows."""
    return {
        "content-security-policy": content_security_policy(page),
        "x-content-type-options": "nosniff",
        # Not no-referrer: with it, a browser posts a form with ``Origin: null``, which the
        # origin check must refuse; same-origin tells no other site where a reader came from.
        "referrer-policy": "same-origin",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
        "cache-control": "no-store",
    }


def _unquote(value: str) -> str | None:
    """Percent-decoding (``+`` is a space) to UTF-8; None for a broken escape."""
    raw = bytearray()
    index = 0
    while index < len(value):
        char = value[index]
        if char == "%":
            pair = value[index + 1 : index + 3]
            if not _HEX.fullmatch(pair):
                return None
            raw.append(int(pair, 16))
            index += 3
            continue
        raw += b" " if char == "+" else char.encode("ascii")
        index += 1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def parse_form(body: bytes) -> Mapping[str, str] | None:
    """An ``application/x-www-form-urlencoded`` body as fields; None when it is too long,
    repeats a field, or is not well formed. The caller checks each value's own form."""
    if len(body) > MAX_FORM:
        return None
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return None
    fields: dict[str, str] = {}
    for pair in text.split("&") if text else []:
        name, equals, raw = pair.partition("=")
        value = _unquote(raw)
        if not equals or name in fields or not _NAME.fullmatch(name) or value is None:
            return None
        fields[name] = value
    return fields
