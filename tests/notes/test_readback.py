"""Committed notes and changelogs read back into blocks: exactly what the renderers write reads
back to the blocks it was written from; anything else is read loosely, keeping its text."""

from __future__ import annotations

import pytest

from tests.notes.test_blocks import DOCUMENTS
from tests.notes.test_releasenotes import CASES, EXPECTED
from tools.compare.redline import Segment
from tools.notes.blocks import Heading, Span
from tools.notes.readback import read_committed, read_notes, redline_segments, unescape
from tools.notes.render_html import render_html
from tools.notes.render_markdown import escape_text, render_markdown


def _link(clause: str) -> str | None:
    return f"index.html#{clause}"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_written_notes_read_back_to_their_blocks(name: str) -> None:
    blocks = DOCUMENTS[name]
    assert read_notes(render_markdown(blocks)) == blocks


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_notes_read_back_and_render_as_committed(name: str) -> None:
    """The committed Markdown, read back, renders to the committed page's body."""
    committed = (CASES / name / "expected.md").read_text("utf-8")
    page = (CASES / name / "expected.html").read_text("utf-8")
    blocks = read_notes(committed)
    assert blocks is not None
    assert render_html(blocks) == page[page.index("<main>\n") + 7 : page.index("</main>")]


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace("## Gewijzigd", "## Aangepast"),
        lambda text: text.replace("**Nieuwe tekst:**", "**Tekst nu:**"),
        lambda text: text + "\nEen regel met de hand erbij.\n",
        lambda text: text.rstrip("\n"),
        lambda text: text.replace("{+en respectvol +}", "{+en respectvol +"),
    ],
)
def test_anything_else_is_not_read_strictly(edit: object) -> None:
    committed = (CASES / "02__added_changed_moved_removed" / "expected.md").read_text("utf-8")
    assert callable(edit)
    assert read_notes(edit(committed)) is None


def test_hand_edited_notes_keep_their_text_and_clause_links() -> None:
    """Read loosely: a clause heading still links (not under *Vervallen*); the rest is the
    Markdown as committed."""
    committed = (
        "# Mini, versie 1.1.0\n\n**Geldt vanaf:** 2027-01-01\n\n## Gewijzigd\n\n"
        "### Uitleg \\*x\\* (mi-003)\n\n*met de hand*\n\n## Vervallen\n\n### Oud (mi-009)\n\nWeg.\n"
    )
    blocks = read_committed(committed)
    assert read_notes(committed) is None
    assert [type(block).__name__ for block in blocks] == [
        "Fragment",
        "Heading",
        "Fragment",
        "Heading",
        "Fragment",
    ]
    assert render_markdown(blocks) == committed
    html = render_html(blocks, _link)
    assert '<h3><a href="index.html#mi-003">Uitleg *x* <span class="id">(mi-003)</span></a>' in html
    assert '<h3>Oud <span class="id">(mi-009)</span></h3>' in html
    assert "<p><em>met de hand</em></p>" in html


@pytest.mark.parametrize(
    "text",
    ["1. Geen lijst", "R&D &amp; <b> | a |", "een \\ en \\\\ en \\*", "{+x+} [-y-] {#z}", "C#"],
)
def test_unescape_inverts_escape_text(text: str) -> None:
    assert unescape(escape_text(text)) == text


def test_redline_segments_reads_markers_not_escaped_ones() -> None:
    written = "\\# a \\[-b-\\] [-c-\\]-]{+d+\\}+} e"
    assert redline_segments(written) == (
        Segment("equal", "# a [-b-] "),
        Segment("delete", "c-]"),
        Segment("insert", "d+}"),
        Segment("equal", " e"),
    )


def test_clause_heading_spans_name_their_clause() -> None:
    blocks = read_notes((CASES / "03__editorial_only" / "expected.md").read_text("utf-8"))
    assert blocks is not None
    headings = [b for b in blocks if isinstance(b, Heading) and b.level == 3]
    assert headings[0].line == (
        Span("Wees beleefd ", clause="mi-001"),
        Span("(mi-001)", clause="mi-001", css="id"),
    )
