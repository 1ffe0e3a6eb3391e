"""The site rebuild's change: a copy of a synthetic repository with one more release of its
first policy, in which one clause is reworded, made as ``policy release`` makes it (a commit
with the ``Policy-*`` trailers and an annotated tag).

The bench builds the site of the repository, then times ``policy site`` over that output in
the copy (the release) and back in the original (the release undone): two rebuilds after a
one-clause change, each keeping the pages of the four policies that did not change.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

from tools.compare.impact import Impact
from tools.versions.releaseid import release_trailers

POLICY = "verlof"
CLAUSE_TEXT = re.compile(r"(  - id: (?P<id>[a-z0-9-]+)\n(?:    .*\n)*?    text: >-\n      )(\w+)")
_VERSION = re.compile(r"^version: (\d+)\.(\d+)\.(\d+)$", re.MULTILINE)
_EFFECTIVE = re.compile(r"^effective: (\S+)$", re.MULTILINE)


def _git(cwd: Path, *args: str) -> str:
    env_args = ["-c", "user.name=Bench", "-c", "user.email=bench@voorbeeld.nl"]
    done = subprocess.run(
        ["git", *env_args, *args], cwd=cwd, check=True, capture_output=True, text=True
    )
    return done.stdout


def ensure(repo: Path) -> Path:
    """The copy of ``repo`` with the one-clause release, made once beside it."""
    copy = repo.with_name(f"{repo.name}-site-release")
    done = copy / ".git" / "bench-complete"
    if done.exists():
        return copy
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", "--local", str(repo), str(copy)], check=True)
    section = copy / "policy" / POLICY / "sections" / "hoofdstuk-1.yaml"
    text = section.read_text(encoding="utf-8")
    found = CLAUSE_TEXT.search(text)
    assert found is not None, "the first section has no folded clause text"
    section.write_text(text[: found.start(3)] + "Eerst" + text[found.end(3) :], encoding="utf-8")
    meta_path = copy / "policy" / POLICY / "policy.yaml"
    meta = meta_path.read_text(encoding="utf-8")
    version_found, effective_found = _VERSION.search(meta), _EFFECTIVE.search(meta)
    assert version_found is not None and effective_found is not None
    major, minor, _ = (int(part) for part in version_found.groups())
    version = f"{major}.{minor + 1}.0"
    effective = dt.date.fromisoformat(effective_found.group(1)) + dt.timedelta(days=1)
    meta = _VERSION.sub(f"version: {version}", meta)
    meta_path.write_text(_EFFECTIVE.sub(f"effective: {effective.isoformat()}", meta), "utf-8")
    trailers = release_trailers(POLICY, version, Impact.MINOR, effective, [found.group("id")])
    message = f"Release {POLICY} {version}: 1 clause reworded\n\n{trailers}"
    _git(copy, "commit", "-q", "-a", "-m", message)
    _git(copy, "tag", "-a", "-m", f"{POLICY} {version}", f"{POLICY}/v{version}")
    done.write_text("ok\n", encoding="utf-8")
    return copy
