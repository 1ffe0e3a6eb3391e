"""Protection of the confirmation form against cross-site and replayed requests.

Pure. Three layers, each enough against a plain cross-site form:

1. a browser cookie ``policy_session`` (random, HttpOnly, ``SameSite=Strict``): a browser never
   sends it with a request another site starts;
2. the form's token: HMAC-SHA256, under the server's secret, of that cookie, the signed-in
   person, the form's fields (policy, version, text digest) and the time it was issued; it is
   refused for another cookie, person, policy, version or text, and after ``MAX_AGE``;
3. the request's ``Origin`` (or, without it, ``Sec-Fetch-Site``) must be the server's own.

A replay of the very form that was sent is idempotent: the store keeps one confirmation per
person and version. The secret is random per server start unless the configuration gives one
(several workers must share it).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Mapping, Sequence

MAX_AGE = 12 * 3600
"""Seconds a form stays valid: a working day's tab, not a week-old copy."""
COOKIE = "policy_session"
_SESSION = re.compile(r"[A-Za-z0-9_-]{32,64}")
_TOKEN = re.compile(r"([0-9]{1,12})\.([0-9a-f]{64})")


def valid_session(value: str | None) -> bool:
    """A cookie value this server could have made (``secrets.token_urlsafe(32)``)."""
    return value is not None and _SESSION.fullmatch(value) is not None


def _mac(secret: bytes, session: str, person: str, fields: Sequence[str], issued: int) -> str:
    message = "\x1f".join([session, person, *fields, str(issued)])
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def make_token(secret: bytes, session: str, person: str, fields: Sequence[str], issued: int) -> str:
    """The form's token: ``ISSUED.MAC``."""
    return f"{issued}.{_mac(secret, session, person, fields, issued)}"


def check_token(
    secret: bytes, token: str, session: str, person: str, fields: Sequence[str], now: int
) -> bool:
    """The token was made by this secret for this cookie, person and fields, within
    ``MAX_AGE`` (and not in the future)."""
    match = _TOKEN.fullmatch(token)
    if match is None or not valid_session(session):
        return False
    issued = int(match.group(1))
    if not 0 <= now - issued <= MAX_AGE:
        return False
    return hmac.compare_digest(match.group(2), _mac(secret, session, person, fields, issued))


def same_origin(headers: Mapping[str, str], own: Sequence[str]) -> bool:
    """The request comes from the server's own pages: its ``Origin`` is one of ``own``
    (``http://host:port`` as the browser saw it), or, when a browser sends no Origin, its
    ``Sec-Fetch-Site`` is ``same-origin``. Neither header: refused."""
    origin = headers.get("origin")
    if origin is not None:
        return origin in own
    return headers.get("sec-fetch-site") == "same-origin"


def origins(host: str, public_origin: str | None, dev_login: bool) -> list[str]:
    """The origins a form of this server may come from: the configured public one only, when
    set; else the ``Host`` asked for, and with ``--dev-login`` only a loopback one, so a page
    on another name that resolves here (DNS rebinding) cannot sign in as anyone."""
    if public_origin:
        return [public_origin]
    if not host or (dev_login and not loopback_host(host)):
        return []
    return [f"http://{host}", f"https://{host}"]


def loopback_host(host: str) -> bool:
    """A ``Host`` header naming this machine: ``localhost``, 127.0.0.0/8 or ``[::1]``, with or
    without a port."""
    if host.startswith("["):  # [::1] or [::1]:8080
        name = host[1 : host.find("]")] if "]" in host else ""
    else:  # a name or an IPv4 address, perhaps with a port
        name = host.split(":", 1)[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
