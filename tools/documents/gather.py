"""The shell of the documents: the policy page they are made from, read from the repository.

The working tree's page (``policy render``), the page of a release read at its tag (``policy
render --version``), and the maker of a release's archive PDF that ``policy release`` hands to
its plan (``tools/release/plan.py`` sits below this package and cannot build it itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tools.base.snapshot import RevisionError
from tools.documents.edition import archive_moment, released_page
from tools.documents.policy_pdf import policy_pdf
from tools.site.build import _release_edition, gather_working_page
from tools.site.policypage import PolicyPage


def working_page(root: Path, policy_id: str) -> PolicyPage:
    """The policy as it is in the working tree."""
    return gather_working_page(root, policy_id)


def release_page(root: Path, policy_id: str, version: str) -> tuple[PolicyPage, dt.datetime]:
    """The text of release ``version``, read at its tag, and the instant its archive PDF is
    dated; a ``RevisionError`` when the policy has no such release."""
    from tools.release.history import release_history

    history = release_history(root, policy_id)
    release = next((r for r in history if r.version == version.removeprefix("v")), None)
    if release is None:
        known = ", ".join(r.version for r in history) or "none yet"
        raise RevisionError(f"'{policy_id}' has no release {version} (releases: {known})")
    page = _release_edition(root, release, history).page
    page = released_page(page, release.version, release.effective)
    return page, archive_moment(release.date)


def archive_maker(root: Path, policy_id: str, day: dt.date) -> Callable[[str, dt.date], bytes]:
    """For ``policy release``: the archive PDF of the working tree's text (the release's HEAD:
    the release is refused otherwise) as a version and effective date, dated ``day``."""

    def make(version: str, effective: dt.date) -> bytes:
        page = released_page(working_page(root, policy_id), version, effective)
        return policy_pdf(page, archive_moment(day))

    return make
