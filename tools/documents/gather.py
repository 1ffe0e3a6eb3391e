"""The shell of the documents: what they are made from, read from the repository.

The redline's date: ``SOURCE_DATE_EPOCH`` when set (the one clock, ``tools/base/clock.py``), else
the commit date of HEAD (the working tree's HEAD when no HEAD was given), so the same change gives
the same document on any day; a folder (``--head-dir``), or a repository without commits, has no
commit date: the clock's. The policy page: the working tree's (``policy render``), a release's
read at its tag (``policy render --version``), and the maker of a release's archive PDF that
``policy release`` hands to its plan (``tools/release/plan.py`` sits below this package and
cannot build it itself).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from tools.base import clock
from tools.base.errors import RevisionError
from tools.base.gitio import GitRepository
from tools.base.loader import ParseCache
from tools.documents.edition import archive_moment, released_page
from tools.documents.policy_pdf import policy_pdf
from tools.release.gather_history import release_history
from tools.site.build import gather_working_page, release_edition
from tools.site.policypage import PolicyPage
from tools.versions.gather import find_release, git_revision


def redline_moment(repo: GitRepository, head: str | None, policy_id: str | None) -> dt.datetime:
    """When the changes from BASE to ``head`` were made, as the document says."""
    if os.environ.get(clock.ENVIRONMENT, "").strip():
        return clock.now()
    try:
        _, seconds, _ = repo.commit_facts(git_revision(repo, head or "HEAD", policy_id))
    except RevisionError:
        return clock.now()
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def working_page(repo: GitRepository, policy_id: str) -> PolicyPage:
    """The policy as it is in the working tree."""
    return gather_working_page(repo, policy_id)


def release_page(
    repo: GitRepository, policy_id: str, version: str
) -> tuple[PolicyPage, dt.datetime]:
    """The text of release ``version``, read at its tag, and the instant its archive PDF is
    dated; a ``RevisionError`` when the policy has no such release."""
    cache = ParseCache()
    found = find_release(repo, policy_id, version)
    history = release_history(repo, policy_id, cache)
    release = next(r for r in history if r.version == found.version_text)
    page = release_edition(repo, cache, release, history).page
    page = released_page(page, release.version, release.effective)
    return page, archive_moment(release.date)


def archive_maker(
    repo: GitRepository, policy_id: str, day: dt.date, *, dry_run: bool = False
) -> Callable[[str, dt.date], bytes]:
    """For ``policy release``: the archive PDF of the working tree's text (the release's HEAD:
    the release is refused otherwise) as a version and effective date, dated ``day``. A dry
    run writes nothing, so it names the file without laying out the PDF (seconds)."""

    def make(version: str, effective: dt.date) -> bytes:
        if dry_run:
            return b""
        page = released_page(working_page(repo, policy_id), version, effective)
        return policy_pdf(page, archive_moment(day))

    return make
