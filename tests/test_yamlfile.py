"""Editing YAML the tools write to: only the named fields change, every other byte stays."""

from __future__ import annotations

import pytest

from tools.yamlfile import EditError, replace_scalars

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
