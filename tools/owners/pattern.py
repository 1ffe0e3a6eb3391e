"""One CODEOWNERS pattern compiled to a matcher that cannot backtrack: any pattern, any path.

Pure. The semantics are gitignore's as GitHub documents them for CODEOWNERS, exactly as
``pathspec``'s ``GitIgnoreBasicPattern`` implements them (tests/owners/test_rules.py compares the
two on GitHub's vectors and on generated patterns): a leading or middle ``/`` anchors the pattern at
the root, a single segment matches at any depth, a trailing ``/`` (or ``/**``) means everything
below, ``**`` as a segment spans zero or more folders, ``*`` and ``?`` do not cross ``/``, a final
``*`` segment matches direct children only, and a pattern matches a folder's contents.

Why not a regular expression: Python's ``re`` backtracks, so ``*a*a*a…b`` or ``**/x/**/x/…``
take time exponential in the pattern on an unlucky path (a CODEOWNERS line of 30 stars kept a
check busy for minutes). Here a run of ``*`` collapses to one, a segment glob is matched by
placing its literal chunks leftmost (which is optimal when ``*`` is the only variable-length
wildcard), and a run of segments between ``**`` is placed at its leftmost fit (optimal for the
same reason one level up). A pattern that needs more characters or segments than the path has
fails before any search, so matching costs at most a polynomial in the path's length, whatever
the pattern's length.

Paths are canonical (``tools/owners/rules.py`` ``path_problem``): no empty, ``.`` or ``..`` parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class SegmentGlob:
    """A glob within one path segment: literal chunks with ``?`` wildcards, split at ``*``.

    ``chunks`` has one element when the glob has no ``*`` (an exact match), else the text
    before the first ``*``, between each pair, and after the last; a run of ``*`` is one."""

    chunks: tuple[str, ...]
    wildcards: bool
    """True when some chunk contains ``?``."""
    length: int
    """The fewest characters the glob matches."""

    def matches(self, segment: str) -> bool:
        chunks = self.chunks
        if len(chunks) == 1:
            return len(segment) == self.length and _chunk_at(chunks[0], segment, 0, self.wildcards)
        if len(segment) < self.length:
            return False
        first, last = chunks[0], chunks[-1]
        end = len(segment) - len(last)
        if not (_chunk_at(first, segment, 0, self.wildcards)) or not _chunk_at(
            last, segment, end, self.wildcards
        ):
            return False
        position = len(first)
        for chunk in chunks[1:-1]:
            found = _chunk_find(chunk, segment, position, end, self.wildcards)
            if found < 0:
                return False
            position = found + len(chunk)
        return True


def _chunk_at(chunk: str, text: str, start: int, wildcards: bool) -> bool:
    if not wildcards:
        return text.startswith(chunk, start)
    if start + len(chunk) > len(text):
        return False
    return all(c == "?" or c == text[start + i] for i, c in enumerate(chunk))


def _chunk_find(chunk: str, text: str, start: int, end: int, wildcards: bool) -> int:
    """The leftmost position >= start where ``chunk`` fits and ends by ``end``; -1 if none."""
    if not wildcards:
        return text.find(chunk, start, end)
    for position in range(start, end - len(chunk) + 1):
        if _chunk_at(chunk, text, position, True):
            return position
    return -1


def compile_glob(segment: str) -> SegmentGlob:
    chunks = tuple(segment.split("*"))
    if len(chunks) > 2:
        # Empty middle chunks are runs of '*': '**' inside a segment is one '*'.
        chunks = (chunks[0], *(c for c in chunks[1:-1] if c), chunks[-1])
    return SegmentGlob(chunks, "?" in segment, sum(map(len, chunks)))


class Tail(Enum):
    """What may follow the pattern's last segment."""

    REST = "rest"
    """Nothing or anything below: ``docs/a`` matches ``docs/a`` and ``docs/a/b``."""
    LAST = "last"
    """Nothing: a final ``*`` segment matches direct children only."""
    BELOW = "below"
    """At least one more segment: a trailing ``/`` or ``/**``."""


class Whole(Enum):
    """Patterns that need no segments: ``*`` and ``**`` match everything, ``*/`` and
    ``**/`` everything in a folder, an empty pattern nothing."""

    EVERY_PATH = "every path"
    NESTED_PATH = "nested path"
    NO_PATH = "no path"


@dataclass(frozen=True)
class CompiledPattern:
    """Runs of segment globs separated by ``**``; the first run is anchored at the root
    unless the pattern starts with ``**``; the last run is followed by ``tail``."""

    whole: Whole | None
    runs: tuple[tuple[SegmentGlob, ...], ...]
    floating: bool
    tail: Tail
    segments: int
    """How many segments the runs need together."""

    def matches(self, path: str) -> bool:
        if self.whole is not None:
            return _whole_matches(self.whole, path)
        parts = path.split("/")
        if len(parts) < self.segments:
            return False
        position = 0
        for index, run in enumerate(self.runs):
            floating = self.floating or index > 0
            if index == len(self.runs) - 1 and self.tail is Tail.LAST:
                start = len(parts) - len(run)
                fits = start == position or (floating and start > position)
                return fits and _run_at(run, parts, start)
            if floating:
                position = _run_find(run, parts, position)
                if position < 0:
                    return False
            elif not _run_at(run, parts, position):
                return False
            position += len(run)
        return self.tail is Tail.REST or position < len(parts)


def _whole_matches(whole: Whole, path: str) -> bool:
    if whole is Whole.EVERY_PATH:
        return bool(path)
    return whole is Whole.NESTED_PATH and "/" in path


def _run_at(run: tuple[SegmentGlob, ...], parts: list[str], start: int) -> bool:
    if start + len(run) > len(parts):
        return False
    return all(glob.matches(parts[start + i]) for i, glob in enumerate(run))


def _run_find(run: tuple[SegmentGlob, ...], parts: list[str], start: int) -> int:
    """The leftmost index >= start where ``run`` matches; leftmost leaves the most room for
    what follows, so no later choice can do better."""
    for position in range(start, len(parts) - len(run) + 1):
        if _run_at(run, parts, position):
            return position
    return -1


def compile_pattern(pattern: str) -> CompiledPattern:
    """The matcher for one pattern as ``GitIgnoreBasicPattern`` normalises it. Total: a
    pattern the parser reports as an error (``!``, ``[ ]``, ``\\``) is matched literally,
    though ``tools/owners/codeowners.py`` never makes a rule of it."""
    segments = _normalise(pattern)
    if isinstance(segments, Whole):
        return CompiledPattern(segments, (), False, Tail.REST, 0)
    tail = Tail.REST
    if segments[-1] == "**":
        tail = Tail.BELOW
        segments = segments[:-1]
    elif segments[-1] == "*":
        tail = Tail.LAST
    floating = segments[0] == "**"
    runs: list[tuple[SegmentGlob, ...]] = []
    current: list[SegmentGlob] = []
    for segment in segments[1:] if floating else segments:
        if segment == "**":
            runs.append(tuple(current))
            current = []
        else:
            current.append(compile_glob(segment))
    runs.append(tuple(current))
    need = sum(map(len, runs)) + (1 if tail is Tail.BELOW else 0)
    return CompiledPattern(None, tuple(runs), floating, tail, need)


def _normalise(pattern: str) -> list[str] | Whole:
    """The pattern's segments, ``**`` where it spans folders (GitIgnoreBasicPattern's
    normalisation step by step), or the whole-path case it reduces to."""
    if not pattern:
        return Whole.NO_PATH
    segments = pattern.split("/")
    folder = not segments[-1] and pattern != "/"
    if not segments[0]:
        del segments[0]  # a leading '/' anchors at the root
    elif (len(segments) == 1 or (len(segments) == 2 and not segments[1])) and segments[0] != "**":
        segments.insert(0, "**")  # one segment matches at any depth
    if not segments[-1]:
        segments[-1] = "**"  # a trailing '/' means everything below
    collapsed = [
        s for i, s in enumerate(segments) if not (s == "**" and segments[i - 1 : i] == ["**"])
    ]
    if collapsed == ["**"]:
        return Whole.NESTED_PATH if folder else Whole.EVERY_PATH
    if collapsed == ["**", "*"]:
        return Whole.EVERY_PATH
    if collapsed == ["**", "*", "**"]:
        return Whole.NESTED_PATH
    return collapsed
