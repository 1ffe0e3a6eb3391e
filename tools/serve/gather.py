"""What the server shows, gathered from git: the site's pages (``tools/site``, the same files
``policy site`` writes, held in memory) and each released policy's facts for attestation
(``tools/attest/gather_rounds.py``, with the tag object ids and text digests a confirmation
records). IO through the seam.

"Today" decides which release is in force, so the server gathers again on the first request of
a new day (``tools/base/clock.py``) and after a restart (a new release needs one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from tools.attest.gather_rounds import gather_policies
from tools.attest.obligations import PolicyFacts
from tools.base import clock
from tools.base.errors import LoadError
from tools.base.gitio import GitRepository
from tools.base.loader import load_registry
from tools.base.snapshot import DirSnapshot
from tools.serve.confirming import page_path, to_confirm
from tools.site.build import gather_site
from tools.site.plan import plan_site


@dataclass(frozen=True)
class Served:
    """The site as served on ``day``."""

    day: dt.date
    files: Mapping[str, str]
    """Site path -> text, as ``policy site`` would write them."""
    policies: Mapping[str, PolicyFacts]
    """Released policies by id, with their evidence."""
    confirm_pages: Mapping[str, str]
    """Site path of the page showing a policy's version to confirm -> the policy's id."""
    titles: Mapping[str, str]
    departments: Mapping[str, str]
    """Department id -> name."""


def gather_served(repo: GitRepository) -> Served:
    """Everything the server shows today."""
    day = clock.today()
    site = gather_site(repo)
    files = plan_site(site)
    in_force = {
        source.policy_id: source.current.release.version
        for source in site.policies
        if source.current is not None and source.current.release is not None
    }
    facts = {policy.id: policy for policy in gather_policies(repo, evidence=True)}
    pages = {}
    for policy in facts.values():
        release = to_confirm(policy)
        if release is not None:
            path = page_path(policy.id, release, in_force.get(policy.id))
            if path in files:
                pages[path] = policy.id
    titles = {source.policy_id: source.title for source in site.policies}
    return Served(day, files, facts, pages, titles, _departments(repo))


def _departments(repo: GitRepository) -> dict[str, str]:
    registry, problems = load_registry(DirSnapshot(repo.root))
    if registry is None or problems:
        raise LoadError("policy/departments.yaml does not load; fix it first", problems)
    return {d.id: " ".join(d.name.split()) for d in registry.model.departments}
