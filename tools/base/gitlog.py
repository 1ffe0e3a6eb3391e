"""Git's facts as plain data, and the strict parsers of git's output that make them.

Pure: text in, data out. ``tools/base/gitio.py`` (the seam) runs git and hands its output here;
the approval rules (``tools/gate/rules.py``) take the data without ever seeing git.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tools.base.errors import RevisionError

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's id of the empty tree: what a first release is judged from."""

CommitFacts = tuple[str, int, dict[str, str]]
"""A commit's id, committer time (Unix seconds) and trailers."""


@dataclass(frozen=True)
class ChangedPath:
    """One path of ``git diff --no-renames --raw`` BASE HEAD."""

    path: str
    old_mode: int
    new_mode: int
    status: str
    """A added, D deleted, M modified, T type changed (file, symlink, submodule)."""


@dataclass(frozen=True)
class Contribution:
    """A commit between BASE and HEAD: who wrote it and which paths it changed itself."""

    commit: str
    identities: frozenset[str]
    """E-mail addresses of its author, committer and Co-authored-by trailers, casefolded."""
    paths: frozenset[str]
    """For a merge: only the paths that differ from every parent (what the merge wrote)."""
    how: str = ""
    """How they contributed, when it is not a commit (e.g. "opened the pull request")."""


_COMMIT_HEADER = re.compile(r"\n*\x01([0-9a-f]{40}|[0-9a-f]{64})")
"""A commit header of ``--format=%x01%H`` (sha-1 or sha-256), after git's newline."""


def raw_entries(output: str) -> Iterator[tuple[str, str, str]]:
    """(commit, metadata, path) per entry of ``--raw -z --no-renames`` output, with commit ''
    where the output has no headers (``diff-tree`` of two trees); a commit without entries
    yields (commit, '', '').

    The parse consumes exactly the fields git writes: a header, then per entry a ``:``
    metadata field and the one path after it. A path is never looked at for anything else,
    so no file name (any byte but NUL) can pass for a header or an entry. Output of any other
    shape fails closed."""
    fields = output.split("\0")
    commit, listed, index = "", True, 0
    while index < len(fields):
        field = fields[index]
        index += 1
        if not field.strip("\n"):
            continue
        if field.lstrip("\n").startswith(":"):
            if index >= len(fields):
                raise RevisionError("git's --raw output ends inside an entry; run it again")
            yield commit, field.lstrip("\n"), fields[index]
            listed, index = True, index + 1
            continue
        header = _COMMIT_HEADER.fullmatch(field)
        if header is None:
            raise RevisionError(f"unexpected field in git's --raw output: {field[:60]!r}")
        if not listed:
            yield commit, "", ""
        commit, listed = header.group(1), False
    if not listed:
        yield commit, "", ""


def parse_changed_paths(output: str) -> list[ChangedPath]:
    """The paths of ``git diff-tree -r --no-renames --raw -z`` output, sorted."""
    found = []
    for _, meta, path in raw_entries(output):
        old_mode, new_mode, _, _, status = meta[1:].split(" ")
        found.append(ChangedPath(path, int(old_mode, 8), int(new_mode, 8), status[0]))
    return sorted(found, key=lambda change: change.path)


def touched_paths(output: str) -> dict[str, set[str]]:
    """Commit -> the paths it changed, from ``git log --format=%x01%H --raw -z`` output (every
    commit listed, with no paths where it changed none)."""
    touched: dict[str, set[str]] = {}
    for sha, _, path in raw_entries(output):
        touched.setdefault(sha, set())
        if path:
            touched[sha].add(path)
    return touched


_CO_AUTHOR = re.compile(r"^\s*co-authored-by:.*<([^<>]+)>\s*$", re.IGNORECASE | re.MULTILINE)


def identities(author: str, committer: str, message: str) -> frozenset[str]:
    """Who wrote a commit: its author, committer and Co-authored-by e-mail addresses,
    casefolded."""
    people = {author, committer}
    people.update(_CO_AUTHOR.findall(message))
    return frozenset(p.strip().casefold() for p in people if p.strip())


def status_paths(output: str) -> list[str]:
    """The paths of ``git status --porcelain=v1 -z`` output, both sides of a rename or copy."""
    found = []
    fields = output.split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        found.append(entry[3:])
        if entry[0] in "RC":  # a rename or copy names its source in the next field
            found.append(fields[index])
            index += 1
    return sorted(found)


def commit_trailers(message: str) -> dict[str, str]:
    """The ``Key: value`` trailers of a commit message's last paragraph (the last value wins)."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return {}
    found: dict[str, str] = {}
    for line in paragraphs[-1].splitlines():
        key, colon, value = line.partition(":")
        if colon and key and " " not in key.strip():
            found[key.strip()] = value.strip()
    return found


def with_trailer(output: str, key: str, value: str | None) -> list[CommitFacts]:
    """The commits of ``git log -z --format=%H%x1f%ct%x1f%B`` output whose message has the
    trailer ``key: value`` (None: ``key`` with any value), in git's order."""
    found = []
    for entry in output.split("\0"):
        if not entry.strip():
            continue
        sha, time, message = entry.strip("\n").split("\x1f", 2)
        trailers = commit_trailers(message)
        if key in trailers and value in (None, trailers[key]):
            found.append((sha, int(time), trailers))
    return found


def signing_failure(stderr: str) -> str:
    """The line of git's stderr that says why signing failed: git's own verdict ("fatal:",
    "error:") says more than the signer's warnings before it."""
    lines = [
        line.strip().removeprefix("stderr: ").strip("'")
        for line in stderr.splitlines()
        if line.strip()
    ]
    verdicts = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (verdicts or lines or ["the signer failed"])[0]


_TAG_FIELDS = ("objecttype", "objectname", "committerdate:unix", "contents")


def tag_facts_args(prefix: str) -> list[str]:
    """``git for-each-ref``'s arguments for ``tag_facts``: the tags starting with ``prefix``
    (a prefix with other characters than these asks for every tag, filtered after)."""
    safe = "/" in prefix and all(c.isalnum() or c in "-_./" for c in prefix)
    own = "%1f".join(f"%({field})" for field in _TAG_FIELDS)
    peeled = "%1f".join(f"%(*{field})" for field in _TAG_FIELDS)
    return [
        f"--format=%(refname:strip=2)%1f{own}%1f{peeled}%00",
        f"refs/tags/{prefix}*" if safe else "refs/tags/",
    ]


def tag_facts(output: str, prefix: str) -> dict[str, CommitFacts]:
    """Tag name -> (commit id, committer time, trailers) from ``git for-each-ref`` output of
    records (NUL-ended) of the name, then type, id, committer date and message of the tag's
    object and of the object an annotated tag names (fields split by U+001F). A tag naming
    anything but a commit, directly or through one annotated tag, is left out."""
    found: dict[str, CommitFacts] = {}
    for record in output.split("\0"):
        fields = record.lstrip("\n").split("\x1f")
        if len(fields) != 9 or not fields[0].startswith(prefix):
            continue
        name, kind, own, peeled = fields[0], fields[1], fields[2:5], fields[6:9]
        facts = own if kind == "commit" else peeled if fields[5] == "commit" else None
        if kind in ("commit", "tag") and facts is not None and facts[1].isdigit():
            found[name] = (facts[0], int(facts[1]), commit_trailers(facts[2]))
    return found


def tag_names_in(output: str) -> list[str]:
    """Every tag's name in the same ``git for-each-ref`` output as ``tag_facts`` reads (also a
    tag that names no commit, which ``tag_facts`` leaves out), sorted."""
    names = (record.lstrip("\n").split("\x1f", 1)[0] for record in output.split("\0"))
    return sorted(name for name in names if name)
