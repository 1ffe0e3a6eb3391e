"""The configuration of ``policy serve``: a TOML file (docs/serve.md), read into plain data.

Pure: the file's text in, a ``ServeConfig`` or located diagnostics out. Every key is optional;
the defaults are the safe ones (identity trusted from loopback only, secure cookies). An unknown
key is an error, so a misspelt security setting never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from tools.base.diagnostics import Diagnostic
from tools.serve.identity import LOOPBACK, IdentityRules, Network, parse_networks

_HEADER = re.compile(r"[A-Za-z0-9-]{1,64}")
_KNOWN = {
    "trusted_proxies", "email_header", "groups_header", "hr_group", "person_match",
    "secret_file", "secure_cookie", "public_origin",
}  # fmt: skip
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


@dataclass(frozen=True)
class ServeConfig:
    identity: IdentityRules = field(default_factory=IdentityRules)
    hr_group: str = "hr"
    """The group (from the groups header) whose members see coverage and the overdue list."""
    person_match: str = "email"
    """How a signed-in e-mail finds a person: the people table's e-mail, case-insensitive."""
    secret_file: str | None = None
    """A file holding the CSRF secret, shared by several workers; None: random per start."""
    secure_cookie: bool = True
    """The session cookie only over HTTPS (the proxy's side); off for ``--dev-login``."""
    public_origin: str | None = None
    """The address employees use (``https://beleid.intern``), for the Origin check."""


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(key):
            return number
    return 1


def _problem(path: str, text: str, key: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic.at(path, "serve-config", message, hint, line=_line_of(text, key), column=1)


def _string(data: dict[str, object], key: str, default: str | None) -> str | None:
    value = data.get(key, default)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def _proxies(data: dict[str, object]) -> tuple[Network, ...]:
    value = data.get("trusted_proxies")
    if value is None:
        return LOOPBACK
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("trusted_proxies must be a list of addresses")
    networks = parse_networks([str(v) for v in value])
    for network in networks:  # "0.0.0.0/0" trusts anyone's identity header: the classic hole
        if network.prefixlen < (16 if network.version == 4 else 48):
            raise ValueError(
                f"trusted_proxies: {network} is wider than a /16 (IPv6: /48); name the "
                "addresses of the sign-on proxy only"
            )
    return networks


def _header(data: dict[str, object], key: str, default: str) -> str:
    value = _string(data, key, default) or default
    if not _HEADER.fullmatch(value):
        raise ValueError(f"{key} must be a header name (letters, digits, hyphens)")
    return value.lower()


def _build(data: dict[str, object]) -> ServeConfig:
    rules = IdentityRules(
        _proxies(data),
        _header(data, "email_header", "X-Forwarded-Email"),
        _header(data, "groups_header", "X-Forwarded-Groups"),
    )
    if _string(data, "person_match", "email") != "email":
        raise ValueError('person_match must be "email" (the people table\'s e-mail)')
    origin = _string(data, "public_origin", None)
    if origin is not None and not _ORIGIN.fullmatch(origin):
        raise ValueError("public_origin must be like https://beleid.intern (no path)")
    secure = data.get("secure_cookie", True)
    if not isinstance(secure, bool):
        raise ValueError("secure_cookie must be true or false")
    return ServeConfig(
        rules, _string(data, "hr_group", "hr") or "hr", "email",
        _string(data, "secret_file", None), secure, origin,
    )  # fmt: skip


def parse_config(path: str, text: str) -> tuple[ServeConfig | None, list[Diagnostic]]:
    """The configuration in ``text`` (TOML), or the located problems."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        message = str(error).split(" (at ")[0]
        return None, [
            Diagnostic.at(path, "serve-config", message, "fix the TOML syntax",
                          line=line, column=column)
        ]  # fmt: skip
    for key in sorted(data.keys() - _KNOWN):
        hint = "the keys are: " + ", ".join(sorted(_KNOWN))
        return None, [_problem(path, text, key, f"unknown key {key!r}", hint)]
    try:
        return _build(data), []
    except ValueError as error:
        key = str(error).split(" ")[0]
        if key not in _KNOWN:
            key = next((k for k in _KNOWN if k in str(error)), "")
        return None, [_problem(path, text, key, str(error), "see docs/serve.md")]
