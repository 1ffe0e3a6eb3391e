"""Editing YAML the tools write to: only the named fields change, every other byte stays."""

from __future__ import annotations

import pytest

from tools.base.errors import EditError
from tools.base.yamledit import replace_scalars
from tools.base.yamlfile import parse_yaml

ODD = """\
# kop  met   commentaar

id:   x      # de map
version:   "1.0.0"  # wordt gezet door de release
tags: [a,   b]     # flow-stijl blijft
effective:
    2027-01-01
quoted: 'ja'
x: >-
  gevouwen
  tekst
"""


def test_only_the_named_values_change() -> None:
    """Comments, blank lines, spacing, flow style and folded text are kept byte for byte."""
    edited = replace_scalars(ODD, {"version": "2.0.0", "effective": "2027-05-01"})
    assert edited == ODD.replace('"1.0.0"', '"2.0.0"').replace("2027-01-01", "2027-05-01")


def test_the_quoting_style_is_kept() -> None:
    """A single-quoted value stays single-quoted, a plain one plain."""
    assert "quoted: 'nee'\n" in replace_scalars(ODD, {"quoted": "nee"})
    assert "id:   y      # de map\n" in replace_scalars(ODD, {"id": "y"})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"x": "kort"}, "'x' is not a one-line value"),
        ({"missing": "1"}, "'missing' is not a one-line value"),
        ({"tags": "a"}, "'tags' is not a one-line value"),
        ({"id": "y # x"}, "would change more than those fields"),
        ({"id": "a: b"}, "would break the file"),
    ],
)
def test_an_edit_that_would_touch_more_is_refused(values: dict[str, str], message: str) -> None:
    """Block scalars, absent keys, collections and values that would need quoting are refused
    instead of written wrongly."""
    with pytest.raises(EditError, match=message):
        replace_scalars(ODD, values)


def test_errors_in_a_large_mapping_are_located_through_one_index() -> None:
    """Each of 2,000 unknown keys is located at its own line, the mapping indexed once rather
    than scanned per error (which made 8,000 unknown keys take 10x as long as 2,000); the first
    of two equal keys wins, as a scan would find it."""
    raw = b"id: x\n" + b"".join(b"k%d: v\n" % i for i in range(2000))
    doc, problems = parse_yaml("s.yaml", raw)
    assert doc is not None and not problems
    assert [doc.locate((f"k{i}",), key=True) for i in range(2000)] == [
        (i + 2, 1) for i in range(2000)
    ]
    assert doc.locate(("k7",)) == (9, 5)
    assert list(doc._keys) == [id(doc.root)]
    text = "id: x\ntitle: 'a\u200bb'\n"
    doc, _ = parse_yaml("s.yaml", text.encode())
    assert doc is not None
    assert doc.text_position(("title",), "\u200b", text) == (2, 10)


def test_a_file_with_too_many_values_is_refused_before_its_tree_is_built() -> None:
    """More than MAX_VALUES values (a 1 MiB flow list holds 500,000): one located error at the
    first value past the limit, in block and flow style; a file at the limit is read."""
    from tools.base.yamlscan import MAX_VALUES

    flow = b"clauses: [" + b"1," * 500_000 + b"1]\n"
    doc, problems = parse_yaml("s.yaml", flow)
    assert doc is None
    assert [(p.code, p.line) for p in problems] == [("too-many-values", 1)]
    # The mapping, its key and the list come first: the value past the limit is item
    # MAX_VALUES - 2, each item two characters ("1,").
    assert problems[0].column == len("clauses: [") + 2 * (MAX_VALUES - 3) + 1
    block = b"".join(b"k%d: v\n" % i for i in range(MAX_VALUES // 2 + 1))
    doc, problems = parse_yaml("s.yaml", block)
    assert doc is None and [p.code for p in problems] == ["too-many-values"]
    assert problems[0].line == MAX_VALUES // 2
    at_limit = b"".join(b"k%d: v\n" % i for i in range((MAX_VALUES - 1) // 2))
    doc, problems = parse_yaml("s.yaml", at_limit)
    assert problems == [] and doc is not None and len(doc.data) == (MAX_VALUES - 1) // 2


def test_text_full_of_indicators_is_still_read() -> None:
    """Prose with many dashes, colons and commas is counted exactly, not refused on a guess."""
    text = "a-b: c, d? [e] {f} " * 6_000
    doc, problems = parse_yaml("s.yaml", f"title: '{text}'\n".encode())
    assert problems == [] and doc is not None and doc.data["title"] == text
