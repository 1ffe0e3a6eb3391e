"""The shipped policy in a real repository with real keys, taken through changes and releases."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import run_cli, write_tree
from tests.gatekit import GateRepo, email, git_as, shipped_with_keys
from tools.gate.write import Approved

TODAY = dt.date(2026, 11, 25)
MOMENT = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
"""The instant the tests' releases are cut (``SOURCE_DATE_EPOCH``)."""
EPOCH = str(int(MOMENT.timestamp()))

PROFESSIONAL = "policy/social-media/sections/professioneel-gedrag.yaml"
MONITORING = "policy/social-media/sections/monitoring.yaml"
NOTES = "changelog/social-media/unreleased"
SHOULD_BEFORE = "Gebruik sociale media onder werktijd voor privézaken met mate. Je werk"
SHOULD_AFTER = "Gebruik sociale media onder werktijd voor privézaken beperkt. Je werk"
MUST_BEFORE = "kijken alleen naar informatie"
MUST_AFTER = "kijken vooral naar informatie"


def note(clauses: str, body: str) -> str:
    return f"---\nclauses: {clauses}\n---\n{body}\n"


def run_as(
    person: str,
    root: Path,
    *args: str,
    today: str = EPOCH,
    address: str | None = None,
    wrapper: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """The ``policy`` CLI run by ``person`` (their git identity, or ``address``), on a fixed
    day; ``wrapper`` runs it through another command (``faketime``)."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "SOURCE_DATE_EPOCH": today,
        "GIT_AUTHOR_NAME": person,
        "GIT_AUTHOR_EMAIL": address or email(person),
        "GIT_COMMITTER_NAME": person,
        "GIT_COMMITTER_EMAIL": address or email(person),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return run_cli(args, cwd=root, env=env, wrapper=wrapper)


@dataclass
class ShippedRepo(GateRepo):
    def edit(self, path: str, before: str, after: str) -> str:
        text = (self.root / path).read_text(encoding="utf-8")
        assert before in text, before
        return text.replace(before, after, 1)

    def change(self, path: str, before: str, after: str, *, notes: dict[str, str]) -> None:
        """An author's change to one file, with its change notes, committed by Mallory."""
        files = {path: self.edit(path, before, after)}
        files.update({f"{NOTES}/{name}.md": text for name, text in notes.items()})
        self.commit(files, author="mallory", message="change")

    def approve(  # type: ignore[override]
        self, person: str, *, department: str | None = None, commit: bool = True
    ) -> Approved:
        """``policy approve`` of everything since the last release (before the first: of
        every file), as a department member would run it."""
        return super().approve(
            person, department=department, base=None, commit=commit, policy="social-media"
        )

    def approve_first_release(self) -> None:
        """Every department that owns files approves the first release, each for what it
        owns (read from the trust root)."""
        for person in FIRST_APPROVERS:
            self.approve(person)

    def release(
        self, *args: str, today: str = EPOCH, wrapper: Sequence[str] = ()
    ) -> subprocess.CompletedProcess[str]:
        """``policy release`` run by Anouk (beleidsbeheer), who approves nothing."""
        return run_as("anouk", self.root, "release", *args, today=today, wrapper=wrapper)


FIRST_APPROVERS = (
    "anouk.mulder",  # beleidsbeheer: the governance files and everything not named
    "sanne.devries",  # communicatie
    "lotte.bakker",  # marketing
    "eva.visser",  # hr
    "pieter.vandijk",  # juridisch
    "fatima.yilmaz",  # ondernemingsraad
)
"""One member of each department of the shipped registry."""


def new_shipped_repo(
    root: Path, keys: dict[str, Path], *, first_approved: bool = True
) -> ShippedRepo:
    """The shipped policy, every member with a key, committed (the trust root); with
    ``first_approved``, every department's approval of the first release committed too."""
    root.mkdir(parents=True)
    write_tree(root, {f"{NOTES}/.gitkeep": ""})
    shipped_with_keys(root, keys)
    repo = ShippedRepo(root, keys)
    if first_approved:
        repo.approve_first_release()
    return repo


def repository_state(root: Path) -> dict[str, str]:
    """Everything a release may change: refs and tags, HEAD, the index, the files."""

    def git(*args: str) -> str:
        return git_as(root, "anouk", *args)

    files = {}
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        files[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "head": git("rev-parse", "HEAD"),
        "branch": git("symbolic-ref", "-q", "HEAD"),
        "refs": git("for-each-ref", "--format=%(refname) %(objectname)"),
        "index": git("ls-files", "-s"),
        "status": git("status", "--porcelain", "--untracked-files=all"),
        "files": "\n".join(f"{p} {h}" for p, h in files.items()),
    }
