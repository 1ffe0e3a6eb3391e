"""Parsing CODEOWNERS into rules: pattern, owners, section, line.

GitHub's syntax plus GitLab's sections (``[Section]``, ``[Section][N]``, ``^[Section]`` with
default owners on the section line). This module only reads the file; matching paths against
the rules is the approval gate's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.base.diagnostics import Diagnostic
from tools.base.loader import collector_paused

CODEOWNERS_PATH = "CODEOWNERS"
MAX_APPROVALS = 1000
"""Most approvals a section may require (``[Section][N]``)."""

_SECTION = re.compile(
    r"^(?P<optional>\^)?\[(?P<name>[^\]]+)\](?:\[(?P<count>[0-9]+)\])?(?P<owners>.*)$"
)
# A pattern that might hold syntax GitHub does not support (checked in detail by _check_pattern).
_SUSPECT = re.compile(r"^!|[\[\]\\]")
_OWNER = re.compile(r"^(@[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$")


@dataclass(frozen=True)
class Section:
    """A GitLab-style section; the implicit first section has the name ''."""

    name: str
    approvals: int
    optional: bool
    default_owners: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Rule:
    """One pattern line: its owners (alternatives) within its section."""

    pattern: str
    owners: tuple[str, ...]
    section: Section
    line: int


_DEFAULT_SECTION = Section("", 1, False, (), 0)


def parse_codeowners(path: str, text: str) -> tuple[list[Rule], list[Diagnostic]]:
    """Rules in file order and the configuration errors found, each with its line."""
    # A 1 MiB file is half a million rules: without the cyclic collector walking them all
    # again and again, reading it takes half the time (they hold no cycles).
    with collector_paused():
        return _parse_lines(path, text)


def _parse_lines(path: str, text: str) -> tuple[list[Rule], list[Diagnostic]]:
    rules: list[Rule] = []
    problems: list[Diagnostic] = []
    section = _DEFAULT_SECTION
    # git ignores a UTF-8 byte order mark; left in, it would become part of the first pattern.
    valid_owners: set[str] = set()
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = (_strip_comment(raw) if "#" in raw else raw).strip()
        if not line:
            continue
        header = _SECTION.match(line) if line[0] in "[^" else None
        if header:
            defaults = tuple(header["owners"].split())
            # Digits beyond MAX_APPROVALS are not read: int() refuses over 4,300 of them.
            digits = (header["count"] or "1").lstrip("0") or "0"
            count = int(digits) if len(digits) <= 6 else MAX_APPROVALS + 1
            section = Section(
                header["name"].strip(), count, bool(header["optional"]), defaults, number
            )
            if not valid_owners.issuperset(defaults):
                problems += _check_owners(path, number, raw, defaults)
                valid_owners.update(o for o in defaults if _OWNER.match(o))
            if not 1 <= count <= MAX_APPROVALS:
                problems.append(
                    Diagnostic.at(
                        path,
                        "codeowners-syntax",
                        f"a section needs from 1 to {MAX_APPROVALS} approvals",
                        f"write [Section][N] with N from 1 to {MAX_APPROVALS}",
                        line=number,
                        column=1,
                    )
                )
            continue
        words = line.split()
        pattern, owners = words[0], tuple(words[1:])
        syntax = _check_pattern(path, number, pattern) if _SUSPECT.search(pattern) else []
        problems += syntax
        if owners and not valid_owners.issuperset(owners):
            # Checked once per distinct owner: a long file repeats the same few.
            problems += _check_owners(path, number, raw, owners)
            valid_owners.update(o for o in owners if _OWNER.match(o))
        if syntax:
            # A line that is not understood is no rule: the errors stop every caller (the
            # gate fails closed on them), and no guess about its meaning reaches the matcher.
            continue
        rules.append(Rule(pattern, owners or section.default_owners, section, number))
    return rules, problems


def _strip_comment(line: str) -> str:
    # '#' starts a comment at the start of a line or after whitespace ('a#b' is a path).
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


def _check_pattern(path: str, number: int, pattern: str) -> list[Diagnostic]:
    unsupported = [
        (pattern.startswith("!"), "negation ('!') is not supported by GitHub CODEOWNERS"),
        ("[" in pattern or "]" in pattern, "character ranges ('[ ]') are not supported"),
        ("\\" in pattern, "escapes ('\\') are not supported"),
    ]
    return [
        Diagnostic.at(
            path,
            "codeowners-syntax",
            message,
            "rewrite the pattern with '*', '**' and '/' only",
            line=number,
            column=1,
        )
        for bad, message in unsupported
        if bad
    ]


def _check_owners(path: str, number: int, raw: str, owners: tuple[str, ...]) -> list[Diagnostic]:
    return [
        Diagnostic.at(
            path,
            "codeowners-owner",
            f"'{owner}' is not a valid owner",
            "write an owner as @user, @org/team or an e-mail address",
            line=number,
            column=raw.find(owner) + 1,
        )
        for owner in owners
        if not _OWNER.match(owner)
    ]


def owner_positions(text: str) -> list[tuple[str, int, int]]:
    """Every owner written in the file with its 1-based line and column."""
    found: list[tuple[str, int, int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        header = _SECTION.match(line.strip())
        words = header["owners"].split() if header else line.split()[1:]
        for owner in words:
            found.append((owner, number, raw.find(owner) + 1))
    return found
