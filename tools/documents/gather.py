"""The redline's facts from git: the date its tracked changes carry.

``SOURCE_DATE_EPOCH`` when set (the one clock, ``tools/base/clock.py``), else the commit date
of HEAD (the working tree's HEAD when no HEAD was given): the same change gives the same
document on any day. A folder (``--head-dir``), or a repository without commits, has no commit
date: the clock's.
"""

from __future__ import annotations

import datetime as dt
import os

from tools.base import clock
from tools.base.errors import RevisionError
from tools.base.gitio import GitRepository
from tools.versions.gather import git_revision


def redline_moment(repo: GitRepository, head: str | None, policy_id: str | None) -> dt.datetime:
    """When the changes from BASE to ``head`` were made, as the document says."""
    if os.environ.get(clock.ENVIRONMENT, "").strip():
        return clock.now()
    try:
        _, seconds, _ = repo.commit_facts(git_revision(repo, head or "HEAD", policy_id))
    except RevisionError:
        return clock.now()
    return dt.datetime.fromtimestamp(seconds, dt.UTC)
