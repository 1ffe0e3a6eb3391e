"""Release notes as a document: ``ReleaseNotes`` (``tools/notes/releasenotes.py``) as blocks
(``tools/notes/blocks.py``), and those as the published Markdown and HTML page.

Pure. The wording is ``tools/notes/wording.py``'s; each piece of policy text is its own span,
escaped by the renderer, so a clause that contains ``<script>`` or ``[a](b)`` shows as text.
The authors' notes are Markdown (a ``Fragment``), raw HTML shown as text and the redline
markers not forgeable (``escape_body``); the notes on one clause are one fragment, as they
are one stretch of the published Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from schema.models import LEVEL_DUTCH
from tools.compare.impact import Impact
from tools.notes import wording
from tools.notes.blocks import (
    Block,
    BulletList,
    ClauseLink,
    Heading,
    Line,
    Quote,
    Redline,
    Span,
    no_links,
    paragraph,
    text,
    text_paragraphs,
)
from tools.notes.changenotes import escape_body
from tools.notes.fragment import fragment
from tools.notes.htmlpage import html_page
from tools.notes.releasenotes import Entry, ReleaseNotes, release_title
from tools.notes.render_html import render_html
from tools.notes.render_markdown import render_markdown as blocks_markdown


def notes_fragment(bodies: Sequence[str]) -> list[Block]:
    """The authors' notes as one Markdown fragment (none when there are none)."""
    return [fragment("\n\n".join(map(escape_body, bodies)))] if bodies else []


def clause_heading(title: str, clause: str, *, linkable: bool = True) -> Heading:
    """``Titel (sm-012)``; ``linkable``: a link where the page says the clause is shown."""
    return Heading(3, clause_line(title, clause, linkable=linkable))


def clause_line(title: str, clause: str, *, linkable: bool = True) -> Line:
    """``Titel (sm-012)``, one link where the page says the clause is shown."""
    named = clause if linkable else ""
    # The id never breaks across lines (a class for the page's style sheet).
    return (
        Span(f"{' '.join(title.split())} ", clause=named),
        Span(f"({clause})", clause=named, css="id"),
    )


def about(section: str, level: str, previous_id: str | None, moved_from: str | None) -> Block:
    """``*Hoofdstuk: Privacy · verboden · was regel mi-002 · verplaatst uit Algemeen*``."""
    spans = [Span(wording.SECTION, "em"), Span(section, "em"), Span(f" · {level}", "em")]
    if previous_id:
        spans.append(Span(f"{wording.WAS_CLAUSE}{previous_id}", "em"))
    if moved_from:
        spans += [Span(wording.MOVED_FROM, "em"), Span(moved_from, "em")]
    return paragraph(*spans)


def _editorial(entry: Entry) -> str:
    return wording.MOVED_ONLY if entry.kind == "moved" else wording.WORDING_ONLY


def quote(policy_text: str) -> Quote:
    """Policy text paragraph by paragraph, each on one line (line breaks inside are wraps)."""
    return Quote(tuple(text_paragraphs(policy_text)))


def legend() -> Block:
    return paragraph(
        Span(wording.REDLINE, "strong"),
        Span(wording.REDLINE_LEGEND, markdown=wording.REDLINE_LEGEND_MARKDOWN),
    )


def _entry(entry: Entry, group: str) -> list[Block]:
    blocks: list[Block] = [clause_heading(entry.title, entry.clause, linkable=group != "removed")]
    level = LEVEL_DUTCH[entry.level]
    blocks += [about(entry.section, level, entry.previous_id, entry.moved_from)]
    blocks += notes_fragment(entry.notes)
    if not entry.notes and entry.impact <= Impact.PATCH:
        blocks.append(paragraph(Span(_editorial(entry))))
    if group == "removed":
        return [*blocks, paragraph(Span(wording.REMOVED_TEXT)), quote(entry.text)]
    label = wording.NEW_TEXT if group == "changed" else wording.TEXT
    blocks += [paragraph(Span(label, "strong")), quote(entry.text)]
    if entry.redline is not None and any(s.op != "equal" for s in entry.redline):
        blocks += [legend(), Redline(entry.redline)]
    return blocks


def _facts(notes: ReleaseNotes) -> BulletList:
    facts = [(wording.EFFECTIVE, wording.dutch_date(notes.effective))]
    if notes.previous is not None:
        facts.append((wording.PREVIOUS, notes.previous))
    kind = wording.FIRST_KIND if notes.first else wording.IMPACT_DUTCH[notes.impact]
    facts.append((wording.KIND, kind))
    # A list, not lines ending in a backslash: every Markdown renderer reads it the same.
    return BulletList(tuple((Span(label, "strong"), Span(f" {value}")) for label, value in facts))


def _acknowledgement(notes: ReleaseNotes) -> Block:
    if notes.acknowledgement:
        label = wording.ACKNOWLEDGE_FIRST if notes.first else wording.ACKNOWLEDGE
        why = wording.acknowledge(notes.effective, first=notes.first)
        return paragraph(Span(label, "strong"), Span(why))
    if notes.first:
        return paragraph(Span(wording.NO_ACKNOWLEDGEMENT_FIRST))
    return paragraph(Span(wording.NO_ACKNOWLEDGEMENT))


def key_points(points: Sequence[str]) -> list[Block]:
    """*Belangrijkste punten*: the notes' key points as a list (none: nothing)."""
    if not points:
        return []
    return [paragraph(Span(wording.KEY_POINTS, "strong")), BulletList(tuple(map(text, points)))]


def _works_council(notes: ReleaseNotes) -> list[Block]:
    council = notes.works_council
    if council is None or not council.consent_required:
        return []
    return [paragraph(Span(wording.works_council(council.consented)))]


def release_blocks(notes: ReleaseNotes) -> tuple[Block, ...]:
    """The release notes, block by block, in reading order."""
    blocks: list[Block] = [Heading(1, text(release_title(notes))), _facts(notes)]
    blocks += key_points(notes.key_points)
    blocks += [paragraph(Span(notes.summary)), _acknowledgement(notes), *_works_council(notes)]
    blocks += notes_fragment(notes.general)
    groups = (("new", notes.new), ("changed", notes.changed), ("removed", notes.removed))
    for group, entries in groups:
        if entries:
            blocks.append(Heading(2, text(wording.GROUPS[group])))
            for entry in entries:
                blocks += _entry(entry, group)
    if not (notes.new or notes.changed or notes.removed):
        blocks.append(paragraph(Span(wording.NO_CLAUSES)))
    if notes.approvers:
        blocks.append(Heading(2, text(wording.APPROVED_BY)))
        blocks.append(BulletList(tuple(text(who) for who in notes.approvers)))
    return tuple(blocks)


def render_markdown(notes: ReleaseNotes) -> str:
    """The release notes as Markdown: deterministic, Dutch, one page."""
    return blocks_markdown(release_blocks(notes))


def render_notes_html(notes: ReleaseNotes, link: ClauseLink = no_links) -> str:
    """The release notes' HTML body."""
    return render_html(release_blocks(notes), link)


def notes_page(notes: ReleaseNotes, *, lang: str) -> str:
    """The release notes as a standalone HTML page (``<version>.html``, the preview)."""
    return html_page(render_notes_html(notes), title=release_title(notes), lang=lang)
