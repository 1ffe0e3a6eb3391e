"""Who is asking: the identity the single sign-on proxy passes in a header, trusted only from the
proxy's own addresses.

Pure: the peer address and the request's headers in, an ``Identity`` or a ``Rejection`` out.
The classic hole of header sign-in is a server reachable without the proxy, where anyone can
send the header; so the header counts only when the TCP peer is a configured proxy address
(default: loopback only), and anything else is ignored and reported for the log. Values are
bounded and checked before use: an e-mail of at most 254 characters in one plain form, groups
as at most 64 names of a safe alphabet.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK: tuple[Network, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)
MAX_EMAIL = 254  # RFC 5321's limit on a forward path
MAX_GROUPS_HEADER = 2048
MAX_GROUPS = 64
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_GROUP = re.compile(r"[A-Za-z0-9._:@/ -]{1,128}")


@dataclass(frozen=True)
class IdentityRules:
    """Which peers may assert an identity, and in which headers (lower case)."""

    proxies: tuple[Network, ...] = LOOPBACK
    email_header: str = "x-forwarded-email"
    groups_header: str = "x-forwarded-groups"


@dataclass(frozen=True)
class Identity:
    """A signed-in user as the proxy says: the e-mail (lower case) and the groups."""

    email: str
    groups: frozenset[str]


@dataclass(frozen=True)
class Rejection:
    """No identity: ``reason`` is for the log (never the header's value, which may be an
    e-mail address); ``suspicious`` when someone sent a header they may not send."""

    reason: str
    suspicious: bool = False


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); ValueError names a bad
    one."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def trusted(peer: str | None, proxies: Sequence[Network]) -> bool:
    """Whether the TCP peer (never a forwarded-for header) is one of the proxies."""
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in proxies)


def valid_email(value: str) -> str | None:
    """The address in lower case, or None when it is too long or not one plain address."""
    value = value.strip()
    if len(value) > MAX_EMAIL or not _EMAIL.fullmatch(value):
        return None
    return value.lower()


def parse_groups(value: str) -> frozenset[str] | None:
    """Comma-separated group names; None when too long, too many, or with odd characters."""
    if len(value) > MAX_GROUPS_HEADER:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if len(names) > MAX_GROUPS or not all(_GROUP.fullmatch(name) for name in names):
        return None
    return frozenset(names)


def identify(
    peer: str | None, headers: Mapping[str, str], rules: IdentityRules
) -> Identity | Rejection:
    """The identity in ``headers`` when ``peer`` is a trusted proxy (``headers``: lower-case
    names)."""
    email = headers.get(rules.email_header)
    sent = email is not None or rules.groups_header in headers
    if not trusted(peer, rules.proxies):
        if sent:
            return Rejection("identity header from an untrusted address ignored", True)
        return Rejection("no identity: not through the sign-on proxy")
    if email is None:
        return Rejection("no identity header")
    address = valid_email(email)
    if address is None:
        return Rejection("malformed or too long identity header", True)
    groups = parse_groups(headers.get(rules.groups_header, ""))
    if groups is None:
        return Rejection("malformed or too long groups header", True)
    return Identity(address, groups)
