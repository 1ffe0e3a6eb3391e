"""Parsing change notes: the front matter model, the body rules, positions in the file."""

from __future__ import annotations

from tools.base.snapshot import MemorySnapshot
from tools.compare.impact import Impact
from tools.notes.changenotes import escape_body, parse_note, scaffold


def test_note_fields_and_positions() -> None:
    raw = b"---\nclauses:\n  - sm-001\n  - sm-002\nimpact: minor\n---\n\nJe mag nu meer.\n"
    note, problems = parse_note("n.md", raw)
    assert note is not None and not problems
    assert note.meta.clauses == ["sm-001", "sm-002"]
    assert note.impact is Impact.MINOR
    assert note.body == "Je mag nu meer."
    assert note.position(("clauses", 1)) == (4, 5)
    assert note.position(("impact",)) == (5, 9)


def test_scaffold_parses_once_its_placeholder_is_replaced() -> None:
    text = scaffold(
        [("sm-001", "Titel: met # teken", Impact.MAJOR), ("sm-002", "Twee", Impact.MINOR)]
    )
    note, problems = parse_note("n.md", text.encode())
    assert note is None and [p.code for p in problems] == ["unfinished-note"]
    note, problems = parse_note("n.md", text.replace("TODO:", "Klaar.").encode())
    assert note is not None and not problems
    assert note.meta.clauses == ["sm-001", "sm-002"] and note.impact is None


def test_empty_body_is_located_below_the_front_matter() -> None:
    _, problems = parse_note("n.md", b"---\nclauses: []\n---\n\n\n")
    assert [(p.line, p.code) for p in problems] == [(4, "empty-note")]


def test_bad_utf8_is_refused_located() -> None:
    _, problems = parse_note("n.md", b"---\nclauses: []\n---\n\xff\xfe tekst\n")
    assert [(p.line, p.column, p.code) for p in problems] == [(4, 1, "invalid-utf8")]


def test_escape_body_keeps_markdown_but_not_html_or_markers() -> None:
    escaped = escape_body("**vet** <b>x</b> {+a+} [-b-] [link](https://x.example)")
    assert escaped == "**vet** &lt;b>x&lt;/b> {\\+a+} [\\-b-] [link](https://x.example)"


def test_notes_folder_is_read_sorted_and_gitkeep_ignored() -> None:
    from tools.notes.changenotes import load_notes

    note = b"---\nclauses: []\n---\nAlgemeen.\n"
    snapshot = MemorySnapshot(
        {
            "changelog/mini/unreleased/b.md": note,
            "changelog/mini/unreleased/a.md": note,
            "changelog/mini/unreleased/.gitkeep": b"",
            "changelog/mini/unreleased/sub/c.md": note,
        }
    )
    notes, problems = load_notes(snapshot, "mini")
    assert [n.path.rsplit("/", 1)[1] for n in notes] == ["a.md", "b.md"]
    assert [(p.file, p.code) for p in problems] == [
        ("changelog/mini/unreleased/sub/c.md", "not-a-note")
    ]


def test_every_active_link_is_reported_once_at_its_start() -> None:
    """Two on a line: both; a link whose text wraps: once, where it starts."""
    body = (
        "Twee: [a](javascript:x) en [b](data:y), [c](https://x.example).\n"
        "Lees [de lange\nuitleg](vbscript:x)."
    )
    _, problems = parse_note("n.md", f"---\nclauses: []\n---\n{body}\n".encode())
    assert [(p.line, p.column, p.code) for p in problems] == [
        (4, 7, "unsafe-link"),
        (4, 28, "unsafe-link"),
        (5, 6, "unsafe-link"),
    ]


def test_a_huge_note_is_too_long_before_any_markdown_parse() -> None:
    """A 1 MiB note is refused on its length alone, at 1:1, not after parsing its Markdown;
    one just over the body limit is still parsed and located below its front matter."""
    body = "[" * 1_000_000  # nested link openers: the Markdown parser's slow case
    _, problems = parse_note("n.md", f"---\nclauses: []\n---\n{body}\n".encode())
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 1, "note-too-long")]
    assert "the note file is" in problems[0].message
    _, problems = parse_note("n.md", ("---\nclauses: []\n---\n" + "a" * 5001).encode())
    assert [(p.line, p.code) for p in problems] == [(4, "note-too-long")]


def test_key_point_is_one_short_line() -> None:
    raw = b'---\nclauses: []\nkey_point: "Je mag altijd je eigen salaris delen."\n---\nTekst.\n'
    note, problems = parse_note("n.md", raw)
    assert note is not None and not problems
    assert note.meta.key_point == "Je mag altijd je eigen salaris delen."
    for bad in (b'"twee\\nregels"', b'"' + b"x" * 161 + b'"', b'" spatie vooraan"', b"[lijst]"):
        _, problems = parse_note("n.md", b"---\nkey_point: " + bad + b"\n---\nTekst.\n")
        assert [(p.line, p.column, p.severity) for p in problems] == [(2, 12, "error")], bad
