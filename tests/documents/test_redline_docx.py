"""The Word redline: every change kind, read back by an independent reader (tests/documents/
docxkit.py): accepting every change gives HEAD's texts, rejecting every change BASE's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI_FILES, ROOT, write_tree
from tests.documents import docxkit
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot
from tools.compare.diff import PolicyDiff, diff_policies
from tools.documents.redline_docx import AUTHOR, CLAUSE_FACTS, CLAUSE_TEXT, build_redline
from tools.gate.summary_wording import dutch_reason
from tools.notes.gather import compare

CASES = ROOT / "tests" / "compare" / "cases" / "diff"
MOMENT = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)
W = docxkit.W


def _case_diff(base: Path, head: Path) -> PolicyDiff:
    diff = compare(head, None, None, base_dir=base, head_dir=head)
    return dataclasses.replace(diff, base="base/", head="head/")


def _read(text: str) -> list[str]:
    """A clause text as a reader reads it: paragraphs at blank lines, whitespace folded."""
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def _assert_sides(diff: PolicyDiff, docx: bytes) -> None:
    """Accept all: HEAD's title and text of every changed clause; reject all: BASE's."""
    accepted = docxkit.resolve(docx, "accept", CLAUSE_TEXT)
    rejected = docxkit.resolve(docx, "reject", CLAUSE_TEXT)
    clauses = [change for change in diff.changes if change.clause is not None]
    assert sorted(accepted) == sorted(str(change.clause) for change in clauses)
    for change in clauses:
        after, before = accepted[str(change.clause)], rejected[str(change.clause)]
        assert after.text == (_read(change.head.text) if change.head else [])
        assert before.text == (_read(change.base.text) if change.base else [])
        if change.head:
            assert after.heading == f"{change.head.title} ({change.clause})"
        if change.base:
            assert before.heading == f"{change.base.title} ({change.clause})"


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_change_kind_accepts_to_head_and_rejects_to_base(name: str) -> None:
    diff = _case_diff(CASES / name / "base", CASES / name / "head")
    _assert_sides(diff, build_redline([diff], moment=MOMENT))


def _section(texts: dict[str, str]) -> str:
    clauses = "".join(
        f"  - id: {clause}\n    title: Regel {clause}\n    level: must\n    text: |\n"
        + "".join(f"      {line}\n" if line else "\n" for line in text.split("\n"))
        for clause, text in texts.items()
    )
    return f"id: algemeen\ntitle: Algemeen\nelements:\n  - gedrag\nclauses:\n{clauses}"


def test_paragraphs_split_joined_added_and_removed(tmp_path: Path) -> None:
    """Blank lines are paragraphs: a split, a join, a paragraph dropped, and multi-paragraph
    clauses added and removed, all as tracked paragraph marks."""
    base = {
        "mi-001": "Je bent beleefd.\n\nJe scheldt niet.",
        "mi-003": "Een.\n\nTwee.\n\nDrie.",
        "mi-004": "Weg met deze.\n\nEn deze alinea.",
        "mi-005": "Eerste deel. Tweede deel.",
    }
    head = {
        "mi-001": "Je bent altijd beleefd. Je scheldt niet.",
        "mi-003": "Een.\n\nDrie, gewijzigd.",
        "mi-005": "Eerste deel.\n\nTweede deel.",
        "mi-006": "Nieuw.\n\nOok nieuw.",
    }
    sides = {}
    for side, texts in (("base", base), ("head", head)):
        sides[side] = write_tree(
            tmp_path / side,
            {**MINI_FILES, "policy/mini/sections/algemeen.yaml": _section(texts)},
        )
    diff = _case_diff(sides["base"], sides["head"])
    assert {c.kind for c in diff.changes if c.clause} == {"modified", "added", "removed"}
    docx = build_redline([diff], moment=MOMENT)
    _assert_sides(diff, docx)
    marks = {docxkit.mark(p) for p in docxkit.paragraphs(docx) if docxkit.style(p) == CLAUSE_TEXT}
    assert marks == {"equal", "insert", "delete"}


def test_the_whole_shipped_policy_as_new() -> None:
    """Against no release: 66 clauses, each one insertion that rejecting removes entirely."""
    head, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert head is not None and not problems
    diff = diff_policies(None, head, base_label="leeg", head_label="HEAD")
    docx = build_redline([diff], moment=MOMENT)
    _assert_sides(diff, docx)
    assert len(docxkit.resolve(docx, "accept", CLAUSE_TEXT)) == 66
    assert all(not clause.text for clause in docxkit.resolve(docx, "reject", CLAUSE_TEXT).values())


def _metadata_diff() -> PolicyDiff:
    case = CASES / "08__should_to_must"
    return _case_diff(case / "base", case / "head")


def test_same_input_same_bytes_and_a_fixed_package() -> None:
    case = CASES / "05__negation_in_must"
    diff = _case_diff(case / "base", case / "head")
    docx = build_redline([diff], moment=MOMENT)
    assert docx == build_redline([diff], moment=MOMENT)
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        infos = package.infolist()
    names = [info.filename for info in infos]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert not [name for name in names if "thumbnail" in name]
    core = docxkit.part(docx, "docProps/core.xml")
    dates = [e.text for e in core if e.tag.endswith(("created", "modified"))]
    assert dates == ["2027-03-01T09:30:00Z"] * 2


def test_changes_and_comments_carry_author_date_and_unique_ids() -> None:
    """Every w:ins/w:del and comment: author 'policy diff', the moment given; the impact and
    its reason are the comment anchored on the clause's heading."""
    diff = _metadata_diff()
    docx = build_redline([diff], moment=MOMENT)
    document = docxkit.part(docx, "word/document.xml")
    tracked = [*document.iter(f"{W}ins"), *document.iter(f"{W}del")]
    comments = list(docxkit.part(docx, "word/comments.xml").iter(f"{W}comment"))
    assert tracked and comments
    for element in [*tracked, *comments]:
        assert element.get(f"{W}author") == AUTHOR
        assert element.get(f"{W}date") == "2027-03-01T09:30:00Z"
    ids = [element.get(f"{W}id") for element in [*tracked, *comments]]
    assert len(ids) == len(set(ids))
    (change,) = [c for c in diff.changes if c.clause]
    (comment,) = comments
    said = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in comment.iter(f"{W}p"))
    assert said.splitlines() == [
        "Impact: wezenlijk: wat er van je verwacht wordt verandert",
        f"Reden: {dutch_reason(change.reason)}",
    ]
    assert dutch_reason(change.reason), "the reason is said in Dutch, not the classifier's English"
    heading = next(p for p in docxkit.paragraphs(docx) if docxkit.style(p) == "Heading2")
    anchors = {e.get(f"{W}id") for e in heading if e.tag.startswith(f"{W}comment")}
    assert anchors == {comment.get(f"{W}id")}


def _facts(docx: bytes, side: docxkit.Side) -> list[str]:
    return [
        docxkit.text(p, side) for p in docxkit.paragraphs(docx) if docxkit.style(p) == CLAUSE_FACTS
    ]


def test_level_in_dutch_as_a_tracked_change() -> None:
    docx = build_redline([_metadata_diff()], moment=MOMENT)
    assert _facts(docx, "accept") == ["Sectie: algemeen · Niveau: verplicht · gewijzigd artikel"]
    assert _facts(docx, "reject") == ["Sectie: algemeen · Niveau: aanbevolen · gewijzigd artikel"]


@pytest.mark.parametrize(
    ("name", "line"),
    [
        (
            "11__moved_to_other_section",
            "Verplaatst: van algemeen (plaats 3) naar privacy (plaats 2).",
        ),
        ("13__id_changed_same_text", "Id gewijzigd: was mi-004, nu mi-006."),
    ],
)
def test_moves_and_id_changes_are_a_line_under_the_heading(name: str, line: str) -> None:
    diff = _case_diff(CASES / name / "base", CASES / name / "head")
    assert line in _facts(build_redline([diff], moment=MOMENT), "accept")


def test_metadata_changes_in_a_table_at_the_end() -> None:
    case = CASES / "14__metadata_changed"
    docx = build_redline([_case_diff(case / "base", case / "head")], moment=MOMENT)
    body = docxkit.part(docx, "word/document.xml").find(f"{W}body")
    assert body is not None
    (table,) = body.findall(f"{W}tbl")
    rows = [
        ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
        for row in table.iter(f"{W}tr")
    ]
    assert rows == [
        ["Onderdeel", "Veld", "Was", "Wordt"],
        ["beleid", "titel", "Mini", "Mini-beleid"],
        ["beleid", "ingangsdatum", "1 januari 2027", "1 februari 2027"],
    ]


def test_no_changes_says_so() -> None:
    case = CASES / "01__no_changes"
    docx = build_redline([_case_diff(case / "base", case / "head")], moment=MOMENT)
    texts = [docxkit.text(p, "accept") for p in docxkit.paragraphs(docx)]
    assert "Geen wijzigingen." in texts
    assert not docxkit.resolve(docx, "accept", CLAUSE_TEXT)
