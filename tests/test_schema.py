"""The JSON Schema files for editors are generated from the models and kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from schema.models import Clause, Level, PolicyMeta
from tests.conftest import ROOT, run_policy
from tools.base.jsonschema import render_schemas


def test_committed_schemas_are_current() -> None:
    """CI fails when the models changed but schema/*.json was not regenerated."""
    for name, text in render_schemas().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, (
            f"schema/{name} is stale; run 'nox -s schema'"
        )


def test_schema_check_command_detects_stale(tmp_path: Path) -> None:
    """`policy schema --check` exits 1 on a stale file and `policy schema` repairs it."""
    (tmp_path / "policy").mkdir()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema/section.schema.json").write_text("{}\n")
    assert run_policy("schema", "--check", cwd=tmp_path).returncode == 1
    assert run_policy("schema", cwd=tmp_path).returncode == 0
    assert run_policy("schema", "--check", cwd=tmp_path).returncode == 0


def test_schema_describes_fields() -> None:
    """Field docstrings become descriptions, so editors explain fields to authors."""
    section = json.loads(render_schemas()["section.schema.json"])
    clause = section["$defs"]["Clause"]
    assert "never reused" in clause["properties"]["id"]["description"]
    assert clause["additionalProperties"] is False


def test_policy_files_carry_schema_comment() -> None:
    """Every shipped YAML file points editors at its JSON Schema."""
    for path in sorted((ROOT / "policy").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: schema comment points to missing {target}"


@pytest.mark.parametrize("value", [True, 1, 2.5, ["a"]])
def test_strict_types_reject_yaml_quirks(value: object) -> None:
    """A boolean, number or list is never silently taken as clause text."""
    with pytest.raises(ValidationError):
        Clause.model_validate({"id": "sm-001", "title": value, "level": "must", "text": "x"})


def test_level_is_closed_set() -> None:
    """Only the five levels exist."""
    assert {level.value for level in Level} == {"must", "must-not", "should", "may", "info"}


def test_quoted_date_is_accepted() -> None:
    """A quoted ISO date is read as a date (YAML quotes are an author's habit, not an error)."""
    meta = json.loads(
        json.dumps(
            {
                "id": "x1",
                "title": "T",
                "version": "1.0.0",
                "language": "nl",
                "effective": "2027-01-01",
                "next_review": "2028-01-01",
                "clause_prefix": "xx",
                "summary": "S",
                "audience": "A",
                "notice_days": 30,
                "contact": "hr",
                "elements": [{"id": "ab", "title": "E"}],
                "sections": ["ab"],
            }
        )
    )
    assert str(PolicyMeta.model_validate(meta).effective) == "2027-01-01"


@pytest.mark.parametrize(
    ("number", "valid"), [("01", False), ("001", True), ("10000", True), ("100000", False)]
)
def test_clause_ids_take_three_to_five_digits(number: str, valid: bool) -> None:
    """A policy can reach 10,000 clauses (the bench's largest holds that many), so its ids take
    a fifth digit; fewer than three stay refused."""
    clause = {"id": f"sm-{number}", "title": "T", "level": "must", "text": "x"}
    if valid:
        assert Clause.model_validate(clause).id == f"sm-{number}"
    else:
        with pytest.raises(ValidationError):
            Clause.model_validate(clause)


def test_every_hidden_character_is_unprintable() -> None:
    """``_check_visible`` lets text through on ``str.isprintable()`` before its search: that is
    only sound while no character of the hidden class is printable, in all of Unicode."""
    from schema.models import HIDDEN_CHARACTERS

    hidden = "".join(HIDDEN_CHARACTERS.findall("".join(map(chr, range(0x110000)))))
    assert len(hidden) > 60
    assert [f"U+{ord(char):04X}" for char in hidden if char.isprintable()] == []


@pytest.mark.parametrize("text", ["Let op\u200b", "twee\nregels\u00ad", "a\u2060b", "\u202e"])
def test_hidden_characters_are_refused_with_and_without_line_breaks(text: str) -> None:
    data = {"id": "sm-001", "title": "Titel", "level": "must", "text": text}
    with pytest.raises(ValidationError, match="invisible or control character"):
        Clause.model_validate(data)
    assert Clause.model_validate({**data, "text": "twee\nregels"}).text == "twee\nregels"
