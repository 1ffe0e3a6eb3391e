"""The block model and its two renderers on plain data: what each block is as Markdown and as
HTML, and that the HTML is what markdown-it makes of the Markdown (with the release notes' own
redline markers, whose reference rule lives here: the tools never parse them back)."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from tests.notes.test_published_markdown import _hostile_notes
from tests.notes.test_releasenotes import EXPECTED, case_notes
from tools.compare.redline import Segment
from tools.notes.blocks import (
    Block,
    BulletList,
    Heading,
    Paragraph,
    Quote,
    Redline,
    Span,
    linked,
    paragraph,
    runs,
    text,
)
from tools.notes.document import release_blocks
from tools.notes.fragment import fragment, references
from tools.notes.render_html import render_html
from tools.notes.render_markdown import render_markdown

_MARKERS = {"[-": ("-]", "del"), "{+": ("+}", "ins")}


def _redline_rule(state: StateInline, silent: bool) -> bool:
    """``[-old-]`` and ``{+new+}`` as ``<del>`` and ``<ins>``, the text inside unescaped."""
    opener = state.src[state.pos : state.pos + 2]
    if opener not in _MARKERS:
        return False
    closer, tag = _MARKERS[opener]
    end = state.src.find(closer, state.pos + 2, state.posMax)
    if end < 0:
        return False
    if not silent:
        state.push(f"{tag}_open", tag, 1)
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 2, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push(f"{tag}_close", tag, -1)
    state.pos = end + 2
    return True


_REFERENCE = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
_REFERENCE.inline.ruler.before("link", "redline", _redline_rule)


def _link(clause: str) -> str | None:
    return f"index.html#{clause}" if clause != "mi-002" else None


DOCUMENTS: dict[str, tuple[Block, ...]] = {
    **{name: release_blocks(case_notes(name)) for name in EXPECTED},
    "hostile": release_blocks(_hostile_notes()),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_html_is_markdown_it_of_the_markdown(name: str) -> None:
    """Straight HTML and markdown-it's HTML of the Markdown are the same, links included."""
    blocks = DOCUMENTS[name]
    assert _plain(render_html(blocks)) == _REFERENCE.render(render_markdown(blocks))
    plain = _plain(render_html(blocks, _link))
    assert plain == _REFERENCE.render(render_markdown(blocks, _link))


def _plain(html: str) -> str:
    """Without the style sheet's classes, the one thing the direct HTML adds."""
    return re.sub(r'<span class="[^"]*">|</span>', "", html)


@pytest.mark.parametrize(
    ("block", "markdown", "html"),
    [
        (Heading(1, text("# Kop <b>")), "# \\# Kop &lt;b>", "<h1># Kop &lt;b&gt;</h1>\n"),
        (
            paragraph(Span("Let op:", "strong"), Span(" *niet* vet")),
            "**Let op:** \\*niet\\* vet",
            "<p><strong>Let op:</strong> *niet* vet</p>\n",
        ),
        (
            Paragraph((text("een"), text("twee"))),
            "een\\\ntwee",
            "<p>een<br />\ntwee</p>\n",
        ),
        (
            BulletList((text("- a"), text("b"))),
            "- \\- a\n- b",
            "<ul>\n<li>- a</li>\n<li>b</li>\n</ul>\n",
        ),
        (
            Quote(("Eerste & <x>.", "1. Tweede")),
            "> Eerste & &lt;x>.\n>\n> 1\\. Tweede",
            "<blockquote>\n<p>Eerste &amp; &lt;x&gt;.</p>\n<p>1. Tweede</p>\n</blockquote>\n",
        ),
        (
            Redline((Segment("equal", "# a "), Segment("delete", "b-]"), Segment("insert", "c"))),
            "> \\# a [-b-\\]-]{+c+}",
            "<blockquote>\n<p># a <del>b-]</del><ins>c</ins></p>\n</blockquote>\n",
        ),
        (
            paragraph(Span("[-zo-]", markdown="\\[-zo-]")),
            "\\[-zo-]",
            "<p>[-zo-]</p>\n",
        ),
        (
            fragment("Lees *dit* <b>x</b>.\n\n- een"),
            "Lees *dit* <b>x</b>.\n\n- een",
            "<p>Lees <em>dit</em> &lt;b&gt;x&lt;/b&gt;.</p>\n<ul>\n<li>een</li>\n</ul>\n",
        ),
    ],
)
def test_each_block_as_markdown_and_html(block: Block, markdown: str, html: str) -> None:
    assert render_markdown((block,)) == markdown + "\n"
    assert render_html((block,)) == html


def test_blocks_are_one_blank_line_apart() -> None:
    blocks = (Heading(2, text("Nieuw")), paragraph(Span("a")), paragraph(Span("b")))
    assert render_markdown(blocks) == "## Nieuw\n\na\n\nb\n"


def test_runs_of_one_style_are_one_element() -> None:
    line = (Span("a", "em"), Span("b", "em"), Span("c"), Span("d", "em"))
    assert [(style, [s.text for s in spans]) for style, _, spans in runs(line)] == [
        ("em", ["a", "b"]),
        ("", ["c"]),
        ("em", ["d"]),
    ]
    assert render_markdown((paragraph(*line),)) == "*ab*c*d*\n"
    assert render_html((paragraph(*line),)) == "<p><em>ab</em>c<em>d</em></p>\n"


def test_clause_spans_link_only_where_the_page_shows_the_clause() -> None:
    line = (Span("Nieuw: "), Span("Titel", clause="mi-001"), Span(" (mi-001)", clause="mi-001"))
    other = (Span("Oud", clause="mi-002"),)
    assert linked(other, _link) == other
    blocks = (BulletList((line, other)),)
    assert render_markdown(blocks, _link) == "- Nieuw: [Titel (mi-001)](index.html#mi-001)\n- Oud\n"
    assert render_markdown(blocks) == "- Nieuw: Titel (mi-001)\n- Oud\n"
    assert render_html(blocks, _link) == (
        '<ul>\n<li>Nieuw: <a href="index.html#mi-001">Titel (mi-001)</a></li>\n'
        "<li>Oud</li>\n</ul>\n"
    )


def test_a_fragment_resolves_references_of_its_document() -> None:
    """A reference-style link cut apart from its definition still resolves when given the
    document's definitions, as it does in the whole document."""
    whole = "Zie [de uitleg].\n\n[de uitleg]: https://intranet.example/uitleg"
    alone = render_html((fragment("Zie [de uitleg]."),))
    assert "<a " not in alone
    cut = render_html((fragment("Zie [de uitleg].", references(whole)),))
    assert cut == '<p>Zie <a href="https://intranet.example/uitleg">de uitleg</a>.</p>\n'


def test_a_fragment_never_makes_unsafe_links() -> None:
    html = render_html((fragment("Klik [hier](javascript:alert(1))."),))
    assert "<a " not in html and "javascript" in html
