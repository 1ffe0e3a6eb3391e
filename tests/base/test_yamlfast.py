"""The fast path (PyYAML's libyaml) reads what ruamel reads, or leaves the file to ruamel.

Each text is read both ways: when the fast path answers, its data must equal ruamel's and ruamel
must find no problem in the file; the YAML 1.1 pitfalls, duplicate keys and syntax errors must
come out of ``parse_yaml`` as they always did.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.bench.generate import Spec, make_policies, render_policy, render_section
from tools.base.errors import SnapshotError
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot, MemorySnapshot
from tools.base.yamlfast import _TABLE, fast_data
from tools.base.yamlfile import parse_yaml
from tools.base.yamlloader import LOADER
from tools.base.yamlruamel import check_keys
from tools.base.yamlruamel import construct as _construct

ROOT = Path(__file__).resolve().parents[2]

PITFALLS = [
    # YAML 1.1 reads these as booleans, 1.2 (ruamel, and so the fast path) as text.
    "acknowledgement: yes\n",
    "a: no\nb: on\nc: off\nd: y\ne: n\nf: Yes\ng: NO\n",
    "a: true\nb: false\nc: True\n",
    # Octal and sexagesimal forms: 1.1 numbers, 1.2 partly text.
    "a: 010\nb: 0o10\nc: 0x1F\nd: 1:20\ne: 0b101\nf: 1_000\n",
    "a: 1e3\nb: 1.5\nc: .inf\nd: -.Inf\ne: .nan\nf: +1\ng: -0\n",
    # Dates, a date-time and an impossible date (kept as text by the lenient constructor).
    "a: 2027-01-01\nb: 2027-13-01\nc: 2027-1-1\nd: 2027-01-01T10:00:00Z\ne: '2027-01-01'\n",
    "a: ~\nb: null\nc:\nd: Null\ne: NULL\nf: ''\n",
    # Keys: quoted, numeric, boolean, null and duplicates, also of another form.
    "'a': 1\n\"b\": 2\n",
    "1: a\n",
    "true: a\n",
    "~: a\n",
    "a: 1\na: 2\n",
    "1: a\n'1': b\n",
    "a: 1\n'a': 2\n",
    "? - x\n: y\n",
    "? a\n: b\n",
    # Block scalars, multi-line plain text, comments.
    "a: >-\n  gevouwen\n  tekst\n\n  meer\nb: |\n  letterlijk\n   ingesprongen\nc: |+\n  x\n\n",
    "a: een lange\n  regel die doorloopt\n# commentaar\nb: x # staart\n",
    "- a\n- b:\n    - c\n",
    "just text\n",
    "42\n",
    "",
    "# only a comment\n",
    # Left to ruamel: flow style, directives, document markers, escapes, tabs.
    "a: [1, 2]\nb: {c: d}\n",
    "%YAML 1.1\n---\na: yes\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    'a: "\\u00e9\\t"\n',
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "a: b\x85c: d\n",
    "a: b\u2028c: d\n",
    "a: \ufeffb\n",
    # Control characters, which both refuse.
    "a: b\x07\n",
    "a: b\x0bc\n",
    "a: b\x9f\n",
    # Syntax errors.
    "a: b: c\n",
    "a:\n  - b\n c: d\n",
    "a: 'open\n",
    "- a\nb: c\n",
]


def _ruamel(text: str) -> tuple[Any, list[Any]] | None:
    """ruamel's data and key problems, as ``parse_yaml`` found them before the fast path."""
    try:
        root = LOADER.compose(text)
    except Exception:
        return None
    if root is None:
        return None
    problems = check_keys("f.yaml", root)
    return (None if problems else _construct(root)), problems


def _agrees(text: str) -> bool:
    """The fast path answered (True) or declined (False); raises when it answered wrongly."""
    fast = fast_data(text)
    if fast is None:
        return False
    slow = _ruamel(text)
    assert slow is not None, f"ruamel cannot read what the fast path read: {text!r}"
    data, problems = slow
    assert problems == [], text
    assert fast[0] == data and repr(fast[0]) == repr(data), text
    return True


@pytest.mark.parametrize("text", PITFALLS)
def test_the_fast_path_reads_as_ruamel_or_not_at_all(text: str) -> None:
    """Same data and types (text stays text, a date a date), or the file goes to ruamel."""
    _agrees(text)


@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "1: a\n'1': b\n", "a: 1\n'a': 2\n", "? - x\n: y\n", "a: b: c\n", ""],
)
def test_what_ruamel_refuses_the_fast_path_declines(text: str) -> None:
    """Duplicate and complex keys, syntax errors and empty files are ruamel's to report."""
    assert fast_data(text) is None


def test_pitfalls_come_out_of_parse_yaml_as_from_ruamel() -> None:
    """parse_yaml gives ruamel's data or ruamel's diagnostics for every pitfall."""
    for text in PITFALLS:
        doc, problems = parse_yaml("f.yaml", text.encode())
        slow = _ruamel(text)
        if doc is not None:
            assert slow is not None and repr(doc.data) == repr(slow[0]), text
        if slow is not None and slow[1]:
            assert [p.code for p in problems] == [p.code for p in slow[1]], text


def test_yes_stays_text_and_a_duplicate_is_located() -> None:
    """The two pitfalls a C loader of YAML 1.1 would let through: 'yes' is not true, and the
    second of two equal keys is an error at its own line, naming the first."""
    doc, _ = parse_yaml("f.yaml", b"acknowledgement: yes\nnotice: 010\n")
    assert doc is not None and doc.data == {"acknowledgement": "yes", "notice": 10}
    doc, problems = parse_yaml("f.yaml", b"id: a\ntitle: x\nid: b\n")
    assert doc is None
    assert [(p.code, p.line, p.column) for p in problems] == [("duplicate-key", 3, 1)]
    assert "first on line 1" in problems[0].message


def test_policy_files_take_the_fast_path() -> None:
    """The shipped policy and the bench's generated files are read fast, and alike."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("policy/**/*.yaml"))]
    policies = make_policies(Spec(clauses=300, releases=1, seed=5))
    texts += [render_policy(policy) for policy in policies]
    texts += [render_section(section) for policy in policies for section in policy.sections]
    assert all(_agrees(text) for text in texts)


def test_a_valid_file_keeps_no_tree_and_locates_on_demand() -> None:
    """A loaded section holds neither its data nor a node tree; a position asked for later is
    found by reading the file again, as ruamel would have placed it."""
    snapshot = MemorySnapshot(
        {
            path.relative_to(ROOT).as_posix(): path.read_bytes()
            for path in ROOT.glob("policy/**/*.yaml")
        }
    )
    policy, problems = load_policy(snapshot, "social-media")
    assert policy is not None and problems == []
    section = policy.sections[1]
    assert section.doc.data is None and section.doc._root == []
    line, column = section.doc.locate(("clauses", 1, "id"))
    text = section.doc.text.splitlines()
    assert text[line - 1][column - 1 :] == section.model.clauses[1].id


def test_a_file_changed_since_it_was_loaded_is_not_located_in_its_new_text(
    tmp_path: Path,
) -> None:
    """Re-reading a file to locate a problem checks its blob id: a file edited while the
    command ran is a located refusal (exit 2), not a position in text nobody checked."""
    for path in ROOT.glob("policy/**/*.yaml"):
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    policy, _ = load_policy(DirSnapshot(tmp_path), "social-media")
    assert policy is not None
    section = policy.sections[0]
    (tmp_path / section.path).write_text("id: x\n", encoding="utf-8")
    with pytest.raises(SnapshotError, match="changed while it was being checked"):
        section.doc.locate(("clauses", 0, "id"))


def test_the_type_table_is_ruamels() -> None:
    """The fast path's YAML 1.2 table is written out (to not import ruamel): the same first
    characters, tags, patterns and flags, in the same order, as ruamel's resolver."""

    def patterns(table: Any) -> dict[str | None, list[tuple[str, str, int]]]:
        # (ruamel's table may have a None key, for patterns of any first character: this
        # fast path has none, so the comparison fails should ruamel ever add one.)
        return {
            first: [(tag, match.__self__.pattern, match.__self__.flags) for tag, match in rows]
            for first, rows in table.items()
        }

    ruamel = LOADER.resolver.versioned_resolver
    assert patterns(_TABLE) == patterns(
        {first: [(tag, pattern.match) for tag, pattern in rows] for first, rows in ruamel.items()}
    )


def test_reading_valid_files_does_not_import_ruamel() -> None:
    """``policy validate`` on the shipped policy, and a typed value of every kind a policy
    file holds, need no ruamel; a flow list (left to ruamel) then loads it."""
    import subprocess
    import sys

    script = """
import sys
from tools.cli.main import main
from tools.base.yamlfile import parse_yaml
code = main(["validate"])
doc, problems = parse_yaml("f.yaml", b"a: 2027-01-01\\nb: 12\\nc: true\\nd: ~\\ne: tekst\\n")
assert not problems and "ruamel" not in sys.modules, sorted(sys.modules)
parse_yaml("g.yaml", b"a: [1, 2]\\n")
print(code, "ruamel.yaml" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stdout.split()[-2:] == ["0", "True"], done.stderr[-2000:]
