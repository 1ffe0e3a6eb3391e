"""What every document of a policy says on each page, and the page of a release to archive.

Pure. The documents are built from the employees' page (``tools/site/policypage.py``); this
module adds the running line (title, version, effective date) that Word's footer and the PDF's
page margins repeat, and the page of a version about to be released, for its archive PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from tools.notes.wording import dutch_date
from tools.site.policypage import PolicyPage, policy_title, version_label


def page_version(page: PolicyPage) -> str:
    """The version the page shows: a release's, else ``version`` of ``policy.yaml``."""
    return page.version if page.version is not None else page.policy.meta.model.version


def page_effective(page: PolicyPage) -> dt.date:
    """The date the page's text takes effect: a release's, else ``effective`` of policy.yaml."""
    return page.effective if page.effective is not None else page.policy.meta.model.effective


def running_line(page: PolicyPage) -> str:
    """``Social-mediabeleid · versie 1.2.0 · geldt vanaf 1 maart 2027``."""
    version = version_label(page_version(page), page.released)
    effective = dutch_date(page_effective(page))
    return f"{policy_title(page.policy)} · versie {version} · geldt vanaf {effective}"


def released_page(page: PolicyPage, version: str, effective: dt.date) -> PolicyPage:
    """The working tree's page as release ``version`` will show it: that version and date, and
    that version on each clause changed since the last release (those have none yet). The
    site's links and facts are left out: an archived document stands alone."""
    clauses = [clause.id for _, _, clause in page.policy.clauses()]
    versions = {clause: page.clause_versions.get(clause, version) for clause in clauses}
    released = tuple(dict.fromkeys((*page.released, version)))
    return replace(
        page,
        clause_versions=versions,
        released=released,
        links=(),
        version=version,
        effective=effective,
        lead="",
        facts=(),
    )


def archive_moment(day: dt.date) -> dt.datetime:
    """The instant a release's archive PDF is dated: the start (UTC) of the release's day, which
    the release history keeps, so ``policy render --version`` makes the same bytes again."""
    return dt.datetime.combine(day, dt.time(), dt.UTC)
