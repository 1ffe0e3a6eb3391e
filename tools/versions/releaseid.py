"""How a release is named in git: an annotated tag ``<policy-id>/v<version>`` on a release commit
whose message ends with trailers naming the policy, version, impact and effective date, so the
history can be read where the tags were not fetched. Pure: names and text only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tools.compare.impact import Impact

TRAILER_POLICY = "Policy"
TRAILER_VERSION = "Policy-Version"
TRAILER_IMPACT = "Policy-Impact"
TRAILER_EFFECTIVE = "Policy-Effective"
TRAILER_CLAUSES = "Policy-Clauses"
"""The clauses a release added, reworded or renumbered, space-separated; ``all`` for a first
release. What each clause's "last changed in" version is read from, without parsing old files."""
ALL_CLAUSES = "all"

CHANGED_KINDS = frozenset({"added", "modified", "id-changed"})
"""Changes that make a clause new in a release: a move changes neither its text nor its duty."""


def release_tag(policy_id: str, version: str) -> str:
    return f"{policy_id}/v{version.removeprefix('v')}"


def release_trailers(
    policy_id: str,
    version: str,
    impact: Impact,
    effective: dt.date,
    clauses: Sequence[str] | None,
) -> str:
    """The trailer block that ends a release commit's message; ``clauses`` None: every clause
    (a first release)."""
    changed = ALL_CLAUSES if clauses is None else " ".join(sorted(clauses))
    return (
        f"{TRAILER_POLICY}: {policy_id}\n{TRAILER_VERSION}: {version}\n"
        f"{TRAILER_IMPACT}: {impact}\n{TRAILER_EFFECTIVE}: {effective.isoformat()}\n"
        f"{TRAILER_CLAUSES}: {changed}\n"
    )


def parse_clauses(value: str | None) -> tuple[str, ...] | None:
    """The ``Policy-Clauses`` trailer: the ids, ``(ALL_CLAUSES,)``, or None when absent."""
    if value is None:
        return None
    return (ALL_CLAUSES,) if value.strip() == ALL_CLAUSES else tuple(value.split())


@dataclass(frozen=True)
class ReleaseRecord:
    """A release as the history knows it."""

    policy: str
    version: str
    tag: str
    commit: str
    date: dt.date
    """The release commit's committer date (UTC)."""
    impact: Impact
    effective: dt.date
    tagged: bool = True
    """False when only the commit's trailers know the release (its tag was not fetched)."""
    clauses: tuple[str, ...] | None = None
    """The clauses it added, reworded or renumbered (``Policy-Clauses``); ``(ALL_CLAUSES,)``
    for a first release; None when the release commit does not say."""
    time: dt.datetime | None = None
    """The release commit's committer time (UTC), to the second: orders a day's releases."""
