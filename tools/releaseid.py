"""How a release is named in git: an annotated tag ``<policy-id>/v<version>`` on a release commit
whose message ends with trailers naming the policy, version, impact and effective date, so the
history can be read where the tags were not fetched. Pure: names and text only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tools.impact import Impact

TRAILER_POLICY = "Policy"
TRAILER_VERSION = "Policy-Version"
TRAILER_IMPACT = "Policy-Impact"
TRAILER_EFFECTIVE = "Policy-Effective"


def release_tag(policy_id: str, version: str) -> str:
    return f"{policy_id}/v{version.removeprefix('v')}"


def release_trailers(policy_id: str, version: str, impact: Impact, effective: dt.date) -> str:
    """The trailer block that ends a release commit's message."""
    return (
        f"{TRAILER_POLICY}: {policy_id}\n{TRAILER_VERSION}: {version}\n"
        f"{TRAILER_IMPACT}: {impact}\n{TRAILER_EFFECTIVE}: {effective.isoformat()}\n"
    )


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
