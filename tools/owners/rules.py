"""Who owns a path: CODEOWNERS rules matched with GitHub's semantics, per GitLab section.

Pure. Patterns are compiled by ``tools/owners/pattern.py``, which follows the gitignore rules
as GitHub documents them for CODEOWNERS (a leading or middle ``/`` anchors, a trailing ``/``
means a directory and everything below it, ``*`` does not cross ``/``, ``docs/*`` matches
direct children only, ``**`` spans folders) without backtracking; the syntax GitHub does not
support (``!``, ``[ ]``, ``\\#``) never reaches it, ``tools/owners/codeowners.py`` reports it as an
error and makes no rule of the line. Within a section the last matching line wins and its
owners are alternatives; a line without owners leaves the path unowned. Every section is
evaluated on its own: a path needs every matching required section. Paths are case-sensitive
and must be canonical.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tools.base.diagnostics import Diagnostic
from tools.base.loader import collector_paused
from tools.owners.codeowners import Rule, Section
from tools.owners.pattern import CompiledPattern, compile_pattern


@dataclass(frozen=True)
class SectionOwners:
    """The owners of a path within one section."""

    section: Section
    owners: tuple[str, ...]
    """Alternatives: any one of them approves. Empty: the path is explicitly unowned."""
    rule: Rule


@dataclass(frozen=True)
class Ownership:
    path: str
    sections: tuple[SectionOwners, ...]
    """One entry per section with a matching line, in file order."""

    @property
    def owned(self) -> bool:
        """True when some required section names at least one owner for the path."""
        return any(s.owners for s in self.sections if not s.section.optional)


class CompiledRule:
    """A rule and its matcher, compiled on first use: ``owners_of`` stops at each section's
    last match, so in a long file most patterns are never needed. A pattern anchored at the
    root by a plain first folder is first checked against the path's first folder."""

    __slots__ = ("_first", "_pattern", "_shared", "rule", "section_key")

    def __init__(self, rule: Rule, shared: dict[str, CompiledPattern] | None = None) -> None:
        self.rule = rule
        self.section_key = _section_key(rule.section)
        self._first = _anchored_folder(rule.pattern)
        self._pattern: CompiledPattern | None = None
        # The patterns compiled for the file's other rules: a repeated pattern compiles once.
        self._shared = {} if shared is None else shared

    @property
    def pattern(self) -> CompiledPattern:
        if self._pattern is None:
            found = self._shared.get(self.rule.pattern)
            if found is None:
                found = self._shared[self.rule.pattern] = compile_pattern(self.rule.pattern)
            self._pattern = found
        return self._pattern

    def matches(self, path: str) -> bool:
        if self._first is not None and path.partition("/")[0] != self._first:
            return False
        return self.pattern.matches(path)


def _anchored_folder(pattern: str) -> str | None:
    """The literal first segment of a pattern anchored at the root (``/a/…``, ``a/b``), which
    a matching path must start with; None for any other pattern."""
    segments = pattern.split("/", 2)
    if segments[0] == "":
        first = segments[1] if len(segments) > 1 else ""
    elif len(segments) == 1 or (len(segments) == 2 and not segments[1]):
        return None  # one segment: matches at any depth
    else:
        first = segments[0]
    if not first or first == "**" or "*" in first or "?" in first:
        return None
    return first


def compile_rules(rules: Sequence[Rule]) -> tuple[CompiledRule, ...]:
    """Total: any pattern compiles (on first use, in time linear in its length)."""
    shared: dict[str, CompiledPattern] = {}
    with collector_paused():  # see parse_codeowners
        return tuple(CompiledRule(rule, shared) for rule in rules)


def _section_key(section: Section) -> str:
    # GitLab: section names are case-insensitive and sections with the same name are one.
    return section.name.casefold()


def owners_of(compiled: Sequence[CompiledRule], path: str) -> Ownership:
    """The last matching line of each section, for a canonical path (see ``path_problem``)."""
    winners: dict[str, CompiledRule] = {}
    # Backwards, so that a section's first match is its last line and the rest of the section
    # is skipped: a long CODEOWNERS under a catch-all costs one match per section. A pattern
    # repeated on many lines is matched once.
    answers: dict[str, bool] = {}
    for candidate in reversed(compiled):
        key = candidate.section_key
        if key in winners:
            continue
        hit = answers.get(candidate.rule.pattern)
        if hit is None:
            hit = answers[candidate.rule.pattern] = candidate.matches(path)
        if hit:
            winners[key] = candidate
    sections = sorted(winners.values(), key=lambda c: c.rule.section.line)
    return Ownership(
        path, tuple(SectionOwners(c.rule.section, c.rule.owners, c.rule) for c in sections)
    )


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a canonical repository path, or None: paths come from git as
    ``a/b/c``, relative, ``/``-separated, NFC-normalised, without ``.``/``..``/empty parts."""
    if not path or path.startswith("/") or "\\" in path:
        return "not a relative path with '/' separators"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "has an empty, '.' or '..' part"
    if unicodedata.normalize("NFC", path) != path:
        return "is not in Unicode normal form NFC"
    return None


def colliding_paths(paths: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of different paths that are the same after case folding and NFC normalisation:
    on some file systems they are one file, so ownership of one could stand for the other."""
    seen: dict[str, str] = {}
    pairs = []
    for path in sorted(paths):
        key = unicodedata.normalize("NFC", path).casefold()
        if key in seen and seen[key] != path:
            pairs.append((seen[key], path))
        seen.setdefault(key, path)
    return pairs


OTHER_LOCATIONS = (".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
"""Where GitHub or GitLab would also look for CODEOWNERS; a file there could shadow ours."""


def lint_ownership(
    compiled: Sequence[CompiledRule], codeowners_path: str, tracked: Sequence[str]
) -> list[Diagnostic]:
    """Every tracked file owned, no pattern that matches nothing, one CODEOWNERS, clean paths."""
    problems = [
        Diagnostic.at(
            other,
            "second-codeowners",
            f"a second CODEOWNERS file; GitHub or GitLab may use it instead of {codeowners_path}",
            f"delete it and keep all rules in {codeowners_path}",
        )
        for other in OTHER_LOCATIONS
        if other in tracked and other != codeowners_path
    ]
    used: set[int] = set()
    for path in tracked:
        found = owners_of(compiled, path)
        used.update(s.rule.line for s in found.sections)
        problem = path_problem(path)
        if problem:
            problems.append(
                Diagnostic.at(path, "bad-path", f"the path {problem}", "rename the file")
            )
        if not found.owned:
            problems.append(
                Diagnostic.at(
                    path,
                    "unowned-path",
                    "no department owns this file, so no one has to approve changes to it",
                    f"add a line for it to {codeowners_path}, or keep a catch-all '*' line",
                )
            )
    for first, second in colliding_paths(tracked):
        problems.append(
            Diagnostic.at(
                second,
                "colliding-paths",
                f"differs from {first} only in case or Unicode normalisation",
                "rename one of them; on some systems they are the same file",
            )
        )
    for candidate in compiled:
        if candidate.rule.line not in used and not any(map(candidate.matches, tracked)):
            problems.append(
                Diagnostic.at(
                    codeowners_path,
                    "dead-pattern",
                    f"the pattern '{candidate.rule.pattern}' matches no tracked file",
                    "correct the pattern (paths are case-sensitive) or remove the line",
                    line=candidate.rule.line,
                    column=1,
                )
            )
    return problems
