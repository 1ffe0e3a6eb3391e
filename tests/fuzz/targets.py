"""The fuzz targets behind ``nox -s fuzz``: one function per parser that takes any bytes.

Each target runs the parser the way the CLI does and returns nothing: a problem with the input
must come back as ``Diagnostic`` values, so any exception is a defect, and so is an input that
takes longer than ``budget`` (1 s per 100 KiB started). The same functions run over the seed
corpus in ``tests/test_fuzz_targets.py``, without atheris and untimed (timing is the fuzzer's
and ``speed_cases``'), so the harness is tested with the suite. Seeds: the shipped files
(``policy/``, ``CODEOWNERS``, ``changelog/``), the test cases (``tests/*/cases/``), and a few
hostile shapes that once made a parser quadratic or backtrack.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern

from schema.models import ChangeNote, PolicyMeta, Registry, Section
from tools.base.loader import validate_document
from tools.base.yamlfile import parse_yaml
from tools.notes.changenotes import parse_note
from tools.owners.codeowners import owner_positions, parse_codeowners
from tools.owners.rules import compile_rules, lint_ownership, owners_of, path_problem

ROOT = Path(__file__).resolve().parents[2]
KIB = 1024


class TooSlowError(AssertionError):
    """An input took longer than its budget."""


def budget(size: int) -> float:
    """Seconds an input of ``size`` bytes may take: 1 s per 100 KiB started."""
    return float(max(1, -(-size // (100 * KIB))))


def timed(one_input: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """``one_input`` that also fails when the input takes longer than its budget."""

    def run(data: bytes) -> None:
        # CPU time, not wall time: the fuzzer shares the machine, and a wait is no defect.
        start = time.process_time()
        one_input(data)
        spent = time.process_time() - start
        if spent > budget(len(data)):
            raise TooSlowError(
                f"{len(data)} bytes took {spent:.2f} s; budget {budget(len(data))} s"
            )

    run.__name__ = one_input.__name__
    return run


# --- YAML: the loader as validate uses it -------------------------------------------------------

_MODELS = (Section, PolicyMeta, Registry, ChangeNote)


def yaml_input(data: bytes) -> None:
    """Parse as a policy file, then validate against each model (its errors located)."""
    doc, problems = parse_yaml("policy/p/sections/s.yaml", data)
    if doc is None:
        assert problems, "a file that does not parse must say why"
        return
    for model in _MODELS:
        value, problems = validate_document(doc, model, data)
        assert (value is None) == bool(problems)
        for problem in problems:
            assert problem.line >= 0 and problem.column >= 0, problem


# --- CODEOWNERS: the parser and the matcher -----------------------------------------------------

_PATHS = (
    "README.md",
    "CODEOWNERS",
    "policy/social-media/sections/monitoring.yaml",
    "docs/a/b/c.md",
    "a/b",
)
# The reference is a backtracking regex: compare only where it answers quickly.
_REFERENCE_MAX_STARS = 3
_REFERENCE_MAX_LENGTH = 48


def _codeowners_paths(text: str) -> list[str]:
    words = {w for w in text.split()[:64] if path_problem(w) is None and "\n" not in w}
    return [*_PATHS, *sorted(words)]


def codeowners_input(data: bytes) -> None:
    """Parse, compile, resolve paths (fixed ones and words of the input), lint."""
    text = data.decode("utf-8", "replace")
    rules, _ = parse_codeowners("CODEOWNERS", text)
    owner_positions(text)
    compiled = compile_rules(rules)
    paths = _codeowners_paths(text)
    for path in paths:
        owners_of(compiled, path)
    lint_ownership(compiled, "CODEOWNERS", paths)


def codeowners_reference(data: bytes) -> None:
    """The matcher agrees with pathspec's GitIgnoreBasicPattern on each short rule and path.
    Untimed: the reference is the backtracking regex (``/******x`` alone takes a second)."""
    text = data.decode("utf-8", "replace")
    rules, _ = parse_codeowners("CODEOWNERS", text)
    paths = [p for p in _codeowners_paths(text) if len(p) <= _REFERENCE_MAX_LENGTH]
    for candidate in compile_rules(rules)[:32]:
        pattern = candidate.rule.pattern
        if len(pattern) > _REFERENCE_MAX_LENGTH or pattern.count("*") > _REFERENCE_MAX_STARS:
            continue
        reference = GitIgnoreBasicPattern(pattern)
        for path in paths:
            expected = reference.match_file(path) is not None
            assert candidate.matches(path) == expected, (pattern, path, expected)


# --- Change notes ---------------------------------------------------------------------------------


def note_input(data: bytes) -> None:
    note, problems = parse_note("changelog/p/unreleased/n.md", data)
    assert (note is None) == bool(problems)


@dataclass(frozen=True)
class Target:
    name: str
    check: Callable[[bytes], None]
    """One input, untimed (the tests run it over the seeds; timing belongs to the fuzzer)."""
    seeds: Callable[[], Iterator[bytes]]
    reference: Callable[[bytes], None] | None = None
    """Compares the answers with a reference implementation; not timed."""

    def one_input(self, data: bytes) -> None:
        """What the fuzzer runs: ``check`` timed against its budget, then ``reference``."""
        timed(self.check)(data)
        if self.reference is not None:
            self.reference(data)


def _files(*patterns: str) -> Iterator[bytes]:
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                yield path.read_bytes()


def _yaml_seeds() -> Iterator[bytes]:
    yield from _files("policy/**/*.yaml", "tests/*/cases/**/*.yaml")
    # Each unknown key once made locating errors scan the mapping: quadratic.
    yield b"id: x\ntitle: X\n" + b"".join(b"k%d: v\n" % i for i in range(16_000))
    yield b"clauses:\n" + b'  - title: "a\\u200bb"\n    id: zz\n' * 4000


def _codeowners_seeds() -> Iterator[bytes]:
    yield from _files("CODEOWNERS", "tests/*/cases/**/CODEOWNERS")
    yield b"* @a\n[S][2] @s\n/docs/ @d\n^[O] @o\n*.md\n/a/**/b/ x@y.nl\n"
    yield b"! @x\nab\\ @x\no[z-a] @x\npath\\ with\\ spaces/ @x\n"
    yield b"[S][" + b"9" * 5000 + b"] @a\n* @b\n"  # int() refuses over 4,300 digits
    # Runs of '*' once made the regex matcher backtrack for minutes.
    yield b"*" * 30 + b"x @x\n" + b"*a" * 40 + b"*b @x\n" + b"a" * 200 + b"\n"
    yield b"".join(b"/d%d/*a*a*a*a*b @o\n" % i for i in range(40_000))


def _note_seeds() -> Iterator[bytes]:
    yield from _files("changelog/**/*.md", "tests/*/cases/**/changelog/**/*.md")
    yield b"---\nclauses:\n  - sm-001\nimpact: minor\n---\n\nJe mag nu meer.\n"
    yield b"---\nclauses: [sm-001]\n---\n# Kop\n\n![x](y)\n"
    # A note of about 1 MiB was parsed whole before its length was checked.
    yield b"---\nclauses: []\n---\n" + b"[" * 1_000_000


TARGETS = {
    target.name: target
    for target in (
        Target("yaml", yaml_input, _yaml_seeds),
        Target("codeowners", codeowners_input, _codeowners_seeds, codeowners_reference),
        Target("notes", note_input, _note_seeds),
    )
}


# --- The speed targets: 1 MiB inputs of the shapes that were slow -------------------------------

MIB = 1024 * KIB
_DEEP_PATH = "/".join(["a"] * 16) + "/x.md"


def _fill(line: bytes, size: int = MIB - KIB) -> bytes:
    """``line`` repeated to ``size`` bytes (cut at a line end)."""
    text = line * (size // len(line))
    return text


def _codeowners_case(raw: bytes) -> Callable[[], None]:
    def run() -> None:
        rules, _ = parse_codeowners("CODEOWNERS", raw.decode("utf-8", "replace"))
        owners_of(compile_rules(rules), _DEEP_PATH)

    return run


def _yaml_case(raw: bytes) -> Callable[[], None]:
    def run() -> None:
        doc, _ = parse_yaml("s.yaml", raw)
        if doc is not None:
            validate_document(doc, Section, raw)

    return run


def speed_cases() -> list[tuple[str, float, Callable[[], None]]]:
    """(label, limit in seconds, run): a 1 MiB CODEOWNERS resolves a path in 1 s; a parser
    judges a 1 MiB input in 2 s."""
    codeowners = {
        "catch-all lines": _fill(b"* @a\n"),
        "lines without owners": _fill(b"a\n"),
        "distinct folders": b"".join(b"/d%d/ @o\n" % i for i in range(MIB // 12)),
        "star patterns": _fill(b"*a*a*a*a*a*a*b @o\n"),
        "one run of stars": b"*" * (MIB - KIB) + b"x @x\n",
        "sections": b"".join(b"[S%d] @a\n* @b\n" % i for i in range(MIB // 16)),
        "folder spans": _fill(b"**/a/**/a/**/a/**/b @o\n"),
        "syntax errors": _fill(b"! @x\n"),
    }
    yaml = {
        "unknown keys": b"id: x\n" + b"".join(b"k%d: v\n" % i for i in range(MIB // 10)),
        "bad clauses": b"clauses:\n" + _fill(b"  - id: zz\n    bogus: 1\n"),
        "hidden characters": b"clauses:\n" + _fill(b'  - title: "a\\u200bb"\n'),
        "flow list": b"clauses: [" + _fill(b"1,") + b"1]\n",
        "long text": b"id: x\ntitle: " + b"a" * (MIB - KIB) + b"\n",
    }
    notes = {
        "link openers": b"---\nclauses: []\n---\n" + b"[" * (MIB - KIB),
        "emphasis": b"---\nclauses: []\n---\n" + _fill(b"*a_", 49_000),
        "nested quotes": b"---\nclauses: []\n---\n" + _fill(b"> ", 49_000),
    }
    return [
        *((f"CODEOWNERS {k}", 1.0, _codeowners_case(v)) for k, v in codeowners.items()),
        *((f"YAML {k}", 2.0, _yaml_case(v)) for k, v in yaml.items()),
        *((f"note {k}", 2.0, lambda v=v: note_input(v)) for k, v in notes.items()),
    ]
