"""Review markers are warnings: listed at their line, never an error."""

from __future__ import annotations

from tools.base.diagnostics import Diagnostic, render_github, render_text
from tools.validate.markers import review_markers


def test_a_marker_is_a_warning_at_its_place() -> None:
    text = 'id: x\nlevel: must  # review: level guessed from "moet"\n# review: the title\n'
    found = review_markers("policy/x/policy.yaml", text)
    assert [(d.line, d.column, d.severity) for d in found] == [
        (2, 14, "warning"),
        (3, 1, "warning"),
    ]
    assert found[0].message == 'to review: level guessed from "moet"'
    assert render_text(found[0]).startswith("policy/x/policy.yaml:2:14: warning[review-marker]")
    assert render_github(found[0]).startswith("::warning file=policy/x/policy.yaml,line=2")


def test_no_marker_no_warning() -> None:
    assert review_markers("p.yaml", "title: Review: een titel\ntext: preview:\n") == []


def test_an_error_stays_an_error() -> None:
    error = Diagnostic.at("p.yaml", "bad", "wrong")
    assert error.severity == "error" and "severity" not in error.to_json()
