"""Building a diagnostic: ``Diagnostic.at`` names the file, the problem and the fix; a place
in the file only when one is meant."""

from __future__ import annotations

from tools.base.diagnostics import Diagnostic, render_text


def test_a_whole_file_problem_has_no_position() -> None:
    made = Diagnostic.at("CODEOWNERS", "missing-file", "CODEOWNERS does not exist", "create it")
    assert (made.line, made.column) == (0, 0)
    assert render_text(made) == (
        "CODEOWNERS:0:0: error[missing-file]: CODEOWNERS does not exist\n  hint: create it"
    )


def test_a_located_problem_keeps_its_place_and_sorts_by_it() -> None:
    later = Diagnostic.at("a.yaml", "x", "later", line=3, column=1)
    earlier = Diagnostic.at("a.yaml", "y", "earlier", line=1, column=5)
    assert later.to_json() == {
        "file": "a.yaml",
        "line": 3,
        "column": 1,
        "code": "x",
        "message": "later",
        "hint": "",
    }
    assert sorted([later, earlier]) == [earlier, later]


def test_a_repository_problem_is_printed_without_a_file() -> None:
    made = Diagnostic.at("", "nothing-to-release", "no change since 1.0.0")
    assert render_text(made) == "error[nothing-to-release]: no change since 1.0.0"
