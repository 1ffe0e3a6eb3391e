"""An Atom feed (RFC 4287) of policy releases, so employees can subscribe to new versions.

Pure: entries in, deterministic XML out. Every time is a release's, from the history (the
release commit's time, so two releases of one day are ordered), never the time of the build,
so building the same history twice gives the same bytes; a feed without entries is dated the
day it is built (midnight UTC). Ids are ``urn:uuid:`` names derived from what never changes
about a release (its tag and commit) or about the site (the organisation), not from the
address the site is published at: moving the site does not make every feed reader show all
releases again. Links are relative to the feed's own address unless a base URL is given (RFC
4287 allows relative references; they resolve against the feed document).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

NO_RELEASE_DATE = dt.date(1970, 1, 1)
"""``updated`` of a feed without entries when the day it is built is not known."""


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    href: str
    """The release notes page, relative to the site root."""
    updated: dt.datetime
    """The release's time (UTC)."""
    summary: str


def escape(text: str) -> str:
    """XML character data: as ``xml.sax.saxutils.escape`` (whose import pulls in ``urllib``,
    ``http.client`` and ``ssl``, a tenth of a small build's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes: as ``xml.sax.saxutils.quoteattr``."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def stable_id(name: str) -> str:
    """An absolute IRI that depends on ``name`` only."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in UTC: the time of a release known only by its day."""
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _address(href: str, base_url: str | None) -> str:
    return f"{base_url.rstrip('/')}/{href}" if base_url else href


def render_feed(
    *,
    feed_id: str,
    title: str,
    author: str,
    home: str,
    entries: Sequence[FeedEntry],
    base_url: str | None,
    lang: str,
    empty_date: dt.date | None = None,
) -> str:
    """The feed, newest entry first (``entries`` come oldest first; of one day, the later in the
    list is the newer); ``home`` and entry links are site-relative paths; ``empty_date``: the
    feed's date while it has no entries (the day it is built)."""
    ordered = sorted(reversed(entries), key=lambda entry: entry.updated, reverse=True)
    empty = midnight(empty_date or NO_RELEASE_DATE)
    updated = max((entry.updated for entry in ordered), default=empty)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(lang)}>',
        f"  <id>{escape(feed_id)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{_timestamp(updated)}</updated>",
        f"  <author><name>{escape(author)}</name></author>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(_address(home, base_url))}/>',
    ]
    if base_url:
        self_href = quoteattr(_address("feed.xml", base_url))
        lines.append(f'  <link rel="self" type="application/atom+xml" href={self_href}/>')
    for entry in ordered:
        href = quoteattr(_address(entry.href, base_url))
        lines += [
            "  <entry>",
            f"    <id>{escape(entry.id)}</id>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <updated>{_timestamp(entry.updated)}</updated>",
            f"    <published>{_timestamp(entry.updated)}</published>",
            f'    <link rel="alternate" type="text/html" href={href}/>',
            f"    <summary>{escape(entry.summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
