"""What a policy's pages on the site are made of, as one key: the incremental build's test.

Pure. A policy's files on the site (``<policy>/...``: its text in force, the versions that take
effect later, its release notes and changelog) depend only on the tool, on whether the site is
a draft, and on that policy's own inputs: its releases (each release's text is read at its
commit, so the commit id stands for the text, the registry and ``CODEOWNERS`` of that
release), which of them is in force today and which take effect later,
the committed release notes and changelog, and, when no release is shown, ``policy.yaml`` of
the working tree (the policy's name). ``policy_key`` hashes exactly these;
``tools/site/build.py`` keeps a policy's files from the previous output when its key is the
same as the one the previous output was made from (kept in its manifest).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tools.versions.releaseid import ReleaseRecord


@dataclass(frozen=True)
class PolicyInputs:
    """The inputs of one policy's pages, besides the tool (see the module)."""

    policy_id: str
    releases: Sequence[ReleaseRecord]
    in_force: ReleaseRecord | None
    later: Sequence[ReleaseRecord]
    """The releases that take effect later, shown beside the one in force."""
    notes: Mapping[str, str]
    changelog: str | None
    working_meta: bytes | None
    """``policy.yaml`` of the working tree, when no release is shown (else None)."""


def _digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _record(release: ReleaseRecord) -> list[object]:
    clauses = list(release.clauses) if release.clauses is not None else None
    return [
        release.version, release.tag, release.commit, release.date.isoformat(),
        int(release.impact), release.effective.isoformat(), release.tagged, clauses,
    ]  # fmt: skip


def policy_key(tool: str, inputs: PolicyInputs) -> str:
    """The SHA-256 of the tool (its version and source, ``tool``) and the policy's inputs."""
    data = {
        "tool": tool,
        "policy": inputs.policy_id,
        "releases": [_record(release) for release in inputs.releases],
        "in_force": None if inputs.in_force is None else inputs.in_force.version,
        "later": [release.version for release in inputs.later],
        "notes": {version: _digest(text) for version, text in sorted(inputs.notes.items())},
        "changelog": None if inputs.changelog is None else _digest(inputs.changelog),
        "meta": None if inputs.working_meta is None else _digest(inputs.working_meta),
    }
    return _digest(json.dumps(data, sort_keys=True, separators=(",", ":")))
