"""Where a version of a policy comes from: the working tree, a folder, a git revision or a release.

Turns what the user typed (``HEAD~3``, ``main``, ``1.2.0``, a folder) into a ``Snapshot`` and
finds a policy's last release. Releases are tags ``<policy-id>/v<version>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tools.base.errors import RevisionError
from tools.base.gitio import GitRepository
from tools.base.gitsnapshot import GitSnapshot
from tools.base.snapshot import DirSnapshot, Snapshot
from tools.versions.releaseid import release_tag

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Release:
    """A released version of a policy and its tag."""

    policy: str
    version: tuple[int, int, int]
    tag: str

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


def releases(repo: GitRepository, policy_id: str) -> list[Release]:
    """The policy's releases from its tags, oldest first; none outside git."""
    if not repo.is_open():
        return []
    return releases_named(repo.tag_names(f"{policy_id}/v"), policy_id)


def releases_named(tag_names: Iterable[str], policy_id: str) -> list[Release]:
    """The policy's releases among these tags (``<policy>/v<version>``), oldest first."""
    found = []
    for name in tag_names:
        if not name.startswith(f"{policy_id}/v"):
            continue
        match = _VERSION.match(name.removeprefix(f"{policy_id}/"))
        if match:
            found.append(Release(policy_id, (int(match[1]), int(match[2]), int(match[3])), name))
    return sorted(found, key=lambda release: release.version)


def last_release(repo: GitRepository, policy_id: str) -> Release | None:
    found = releases(repo, policy_id)
    return found[-1] if found else None


def working_tree(root: Path) -> Snapshot:
    return DirSnapshot(root, label="working tree")


def folder(path: Path) -> Snapshot:
    """A plain folder holding ``policy/`` (no git needed)."""
    if not (path / "policy").is_dir():
        raise RevisionError(f"{path} has no 'policy/' folder; give the root of a policy tree")
    return DirSnapshot(path, label=str(path))


def revision(repo: GitRepository, spec: str, policy_id: str | None) -> GitSnapshot:
    """A git revision, or a release version of ``policy_id`` (``1.2.0`` -> its tag)."""
    name = git_revision(repo, spec, policy_id)
    snapshot = repo.snapshot(name)
    if name != spec:
        snapshot.label = f"{spec} ({name})"
    return snapshot


def find_release(repo: GitRepository, policy_id: str, version: str) -> Release:
    """Release ``version`` of ``policy_id``; a ``RevisionError`` naming the releases there are
    when it has none of that version."""
    found = releases(repo, policy_id)
    for release in found:
        if release.version_text == version.removeprefix("v"):
            return release
    known = ", ".join(release.version_text for release in found) or "none yet"
    raise RevisionError(f"'{policy_id}' has no release {version} (releases: {known})")


def git_revision(repo: GitRepository, spec: str, policy_id: str | None) -> str:
    """What git should read for ``spec``: the release tag when ``spec`` is a released version
    of ``policy_id``, else ``spec`` itself (a commit, branch, tag, ``HEAD~3``)."""
    if policy_id and _VERSION.match(spec):
        tag = release_tag(policy_id, spec)
        if tag in repo.tag_names(tag):
            return tag
        try:
            repo.commit_id(spec)  # a branch or tag of that name, not a release
        except RevisionError:
            known = ", ".join(release.version_text for release in releases(repo, policy_id))
            raise RevisionError(
                f"'{policy_id}' has no release {spec.removeprefix('v')} "
                f"(releases: {known or 'none yet'}); give a released version or a git revision"
            ) from None
    return spec
