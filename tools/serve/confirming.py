"""Which version a person confirms on the site, and whether a posted form may be stored. Pure.

The version to confirm is the policy's newest release (``PolicyFacts.latest``), shown on the
site's page for it: ``<policy>/index.html`` when it is in force, ``<policy>/versie-X.html``
when it takes effect later (people confirm before the effective date). A confirmation of the
newest release settles any round (``tools/attest/obligations.py``). A form must name exactly
that version and the digest of its text: anything else was read on an older page (stale) and is
refused, with the current page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tools.attest.obligations import Confirmed, PolicyFacts, ReleasedText
from tools.notes.releasenotes import version_key
from tools.serve.fragments import Change
from tools.site.plan import later_page

FIELDS = frozenset({"policy", "version", "digest", "token"})
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_VERSION = re.compile(r"[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}")
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Posted:
    """A well-formed confirmation form."""

    policy: str
    version: str
    digest: str
    token: str


def posted(fields: Mapping[str, str]) -> Posted | None:
    """The form, when it has exactly its four fields, each in its own form."""
    if set(fields) != FIELDS:
        return None
    ok = (
        _ID.fullmatch(fields["policy"])
        and _VERSION.fullmatch(fields["version"])
        and _DIGEST.fullmatch(fields["digest"])
    )
    if not ok:
        return None
    return Posted(fields["policy"], fields["version"], fields["digest"], fields["token"])


def to_confirm(policy: PolicyFacts) -> ReleasedText | None:
    """The release people confirm: the newest, when the policy has a round."""
    if not policy.rounds or policy.latest is None or policy.latest.digest is None:
        return None
    return policy.latest


def page_path(policy_id: str, release: ReleasedText, in_force: str | None) -> str:
    """The site page that shows ``release``: the policy's index when it is in force."""
    if release.version == in_force:
        return f"{policy_id}/index.html"
    return f"{policy_id}/{later_page(release.version)}"


def stale(form: Posted, release: ReleasedText) -> bool:
    """The form was made for another version or text than the one to confirm now."""
    return form.version != release.version or form.digest != release.digest


def last_confirmed(confirmed: Sequence[Confirmed]) -> str | None:
    """The highest version the person confirmed."""
    versions = [c.version for c in confirmed]
    return max(versions, key=version_key) if versions else None


def changes_since(
    policy: PolicyFacts, last: str | None, release: ReleasedText, folder: str = ""
) -> list[Change]:
    """The releases after ``last`` up to ``release``, each with its notes page."""
    if last is None:
        return []
    low, high = version_key(last), version_key(release.version)
    return [
        Change(r.version, f"{folder}{r.version}.html")
        for r in policy.releases
        if low < version_key(r.version) <= high
    ]
