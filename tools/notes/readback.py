"""Committed release notes read back into blocks: a small, strict reader of exactly what
``tools/notes/document.py`` writes, for the site.

Why a reader: the site shows releases already cut, and their notes exist only as the committed
``changelog/<policy>/<version>.md`` (and ``.html``): what was published is what the site shows,
even if the code that wrote it has changed since. Rebuilding the notes from git would show what
the code writes today; rewriting the committed HTML or Markdown with patterns tied to the
renderer's Dutch (as the site once did) breaks silently when either changes. Read into blocks,
the notes take the site's links (each clause heading to where the clause is shown) and its
crumbs like freshly made notes do, through the same renderers.

Strict: the text is cut into the blocks the renderer writes (one blank line apart), each
recognised by the wording of ``tools/notes/wording.py``; the authors' notes between them are kept
as Markdown fragments. The reading counts only if the blocks write back to exactly the committed
bytes. Notes that are not (corrected by hand, or of another format) are read loosely
(``read_committed``): a chunk that is only a clause heading is still one, and everything around
it is Markdown as written.
"""

from __future__ import annotations

import re

from schema.models import CLAUSE_ID, LEVEL_DUTCH
from tools.compare.redline import Op, Segment
from tools.notes import wording
from tools.notes.blocks import Block, BulletList, Heading, Redline, Span, paragraph, text
from tools.notes.document import about, clause_heading, key_points, legend, quote
from tools.notes.fragment import References, fragment, references
from tools.notes.render_markdown import ENTITIES, block_markdown, render_markdown

_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&(lt|amp|#61|#124);")
_NAMED = {entity: char for char, entity in ENTITIES.items()}
_CLAUSE = re.compile(rf"^### (?P<title>.+) \((?P<clause>{CLAUSE_ID.strip('^$')})\)$")
_LEVELS = "|".join(map(re.escape, LEVEL_DUTCH.values()))
_ABOUT = re.compile(
    rf"^\*{re.escape(wording.SECTION)}(?P<section>.+?) · (?P<level>{_LEVELS})"
    rf"(?:{re.escape(wording.WAS_CLAUSE)}(?P<previous>[a-z0-9-]+))?"
    rf"(?:{re.escape(wording.MOVED_FROM)}(?P<moved>.+))?\*$"
)
_FACTS = (wording.EFFECTIVE, wording.PREVIOUS, wording.KIND)
_GROUPS = {f"## {heading}": group for group, heading in wording.GROUPS.items()}
_APPROVED = f"## {wording.APPROVED_BY}"
_LABELS = {
    f"**{label}**": paragraph(Span(label, "strong")) for label in (wording.NEW_TEXT, wording.TEXT)
}
_PLAIN = (wording.MOVED_ONLY, wording.WORDING_ONLY, wording.REMOVED_TEXT, wording.NO_CLAUSES)
_MARKERS: dict[str, tuple[str, Op]] = {"[-": ("-]", "delete"), "{+": ("+}", "insert")}


class _UnreadError(Exception):
    """The text is not what the renderer writes."""


def unescape(escaped: str) -> str:
    """The text that ``escape_text`` wrote as ``escaped``."""
    return _UNESCAPE.sub(lambda m: m[1] or _NAMED[f"&{m[2]};"], escaped)


def _fact(line: str) -> tuple[Span, ...]:
    for label in _FACTS:
        bold = f"- **{label}**"
        if line.startswith(bold):
            return (Span(label, "strong"), Span(unescape(line[len(bold) :])))
    raise _UnreadError(line)


def _item(line: str) -> str:
    if not line.startswith("- "):
        raise _UnreadError(line)
    return line[2:]


def _acknowledgement(chunk: str) -> Block:
    for label in (wording.ACKNOWLEDGE, wording.ACKNOWLEDGE_FIRST):
        bold = f"**{label}**"
        if chunk.startswith(bold):
            return paragraph(Span(label, "strong"), Span(unescape(chunk[len(bold) :])))
    return paragraph(Span(unescape(chunk)))


def _key_points(reader: _Reader) -> list[Block]:
    """*Belangrijkste punten* and its list, when the notes have them."""
    if reader.peek() != f"**{wording.KEY_POINTS}**":
        return []
    reader.take()
    return key_points([unescape(_item(line)) for line in reader.take().split("\n")])


def _works_council(reader: _Reader) -> list[Block]:
    if not (reader.peek() or "").startswith(wording.WORKS_COUNCIL_START):
        return []
    return [paragraph(Span(unescape(reader.take())))]


def _about(chunk: str) -> Block:
    match = _ABOUT.match(chunk)
    if match is None:
        raise _UnreadError(chunk)
    moved = match["moved"]
    return about(
        unescape(match["section"]), match["level"], match["previous"], moved and unescape(moved)
    )


def _quote(chunk: str) -> Block:
    lines = chunk.split("\n")
    if any(not line.startswith("> ") for line in lines[::2]) or set(lines[1::2]) - {">"}:
        raise _UnreadError(chunk)
    return quote("\n\n".join(unescape(line[2:]) for line in lines[::2]))


def redline_segments(written: str) -> tuple[Segment, ...]:
    """The segments of a redline as ``redline_markdown`` writes it (without the ``> ``)."""
    segments: list[Segment] = []
    plain, at = "", 0
    while at < len(written):
        opener = written[at : at + 2]
        if written[at] == "\\":
            plain, at = plain + opener, at + 2
            continue
        if opener not in _MARKERS:
            plain, at = plain + written[at], at + 1
            continue
        closer, op = _MARKERS[opener]
        end = written.find(closer, at + 2)
        if end < 0:
            raise _UnreadError(written)
        segments += _segment("equal", plain) + _segment(op, written[at + 2 : end])
        plain, at = "", end + 2
    return tuple(segments + _segment("equal", plain))


def _segment(op: Op, escaped: str) -> list[Segment]:
    return [Segment(op, unescape(escaped))] if escaped else []


class _Reader:
    def __init__(self, chunks: list[str], refs: References) -> None:
        self.chunks = chunks
        self.refs = refs
        self.at = 0

    def peek(self) -> str | None:
        return self.chunks[self.at] if self.at < len(self.chunks) else None

    def take(self) -> str:
        chunk = self.peek()
        if chunk is None:
            raise _UnreadError("the text ends too soon")
        self.at += 1
        return chunk

    def notes(self, *stops: str) -> list[Block]:
        """The authors' notes: every chunk up to one the renderer writes after them."""
        bodies = []
        while (chunk := self.peek()) is not None and not _stops(chunk, stops):
            bodies.append(self.take())
        return _markdown(bodies, self.refs)


def _markdown(chunks: list[str], refs: References) -> list[Block]:
    """Chunks of Markdown as written (a note's body was escaped when it was written)."""
    return [fragment("\n\n".join(chunks), refs)] if chunks else []


def _stops(chunk: str, stops: tuple[str, ...]) -> bool:
    return chunk in stops or chunk.startswith(("## ", "### "))


def _read_entry(reader: _Reader, group: str) -> list[Block]:
    match = _CLAUSE.match(reader.take())
    if match is None:
        raise _UnreadError("a clause heading")
    title = unescape(match["title"])
    blocks: list[Block] = [clause_heading(title, match["clause"], linkable=group != "removed")]
    blocks += [_about(reader.take()), *reader.notes(*_PLAIN, *_LABELS)]
    if reader.peek() in (wording.MOVED_ONLY, wording.WORDING_ONLY):
        blocks.append(paragraph(Span(reader.take())))
    label = reader.take()
    if group == "removed":
        if label != wording.REMOVED_TEXT:
            raise _UnreadError(label)
        return [*blocks, paragraph(Span(label)), _quote(reader.take())]
    if label not in _LABELS:
        raise _UnreadError(label)
    blocks += [_LABELS[label], _quote(reader.take())]
    if reader.peek() == block_markdown(legend()):
        reader.take()
        written = reader.take()
        if not written.startswith("> "):
            raise _UnreadError(written)
        blocks += [legend(), Redline(redline_segments(written[2:]))]
    return blocks


def _read(reader: _Reader) -> list[Block]:
    title = reader.take()
    if not title.startswith("# "):
        raise _UnreadError(title)
    facts = BulletList(tuple(_fact(line) for line in reader.take().split("\n")))
    blocks: list[Block] = [Heading(1, text(unescape(title[2:]))), facts, *_key_points(reader)]
    blocks += [paragraph(Span(unescape(reader.take()))), _acknowledgement(reader.take())]
    blocks += [*_works_council(reader), *reader.notes(wording.NO_CLAUSES)]
    while (chunk := reader.peek()) in _GROUPS:
        assert chunk is not None
        group = _GROUPS[reader.take()]
        blocks.append(Heading(2, text(wording.GROUPS[group])))
        while (reader.peek() or "").startswith("### "):
            blocks += _read_entry(reader, group)
    if reader.peek() == wording.NO_CLAUSES:
        blocks.append(paragraph(Span(reader.take())))
    if reader.peek() == _APPROVED:
        reader.take()
        approvers = tuple(text(unescape(_item(line))) for line in reader.take().split("\n"))
        blocks += [Heading(2, text(wording.APPROVED_BY)), BulletList(approvers)]
    if reader.peek() is not None:
        raise _UnreadError("more than the renderer writes")
    return blocks


def read_notes(markdown: str, refs: References | None = None) -> tuple[Block, ...] | None:
    """The blocks ``markdown`` was written from, or None when it is not the renderer's;
    ``refs``: its link reference definitions, for the notes' Markdown."""
    if not markdown.endswith("\n"):
        return None
    try:
        blocks = tuple(_read(_Reader(markdown[:-1].split("\n\n"), refs or {})))
    except _UnreadError:
        return None
    return blocks if render_markdown(blocks) == markdown else None


def read_committed(markdown: str) -> tuple[Block, ...]:
    """Committed notes as blocks: as the renderer wrote them, or else loosely (every chunk that
    is only a clause heading is one, linkable unless under *Vervallen*; the rest is Markdown)."""
    refs = references(markdown)
    return read_notes(markdown, refs) or _loosely(markdown, refs)


def _loosely(markdown: str, refs: References) -> tuple[Block, ...]:
    blocks: list[Block] = []
    pending: list[str] = []
    group = ""
    for chunk in markdown.removesuffix("\n").split("\n\n"):
        if chunk.startswith("## "):
            group = chunk.split("\n", 1)[0][3:].strip()
        heading = _loose_heading(chunk, linkable=group != wording.GROUPS["removed"])
        if heading is None:
            pending.append(chunk)
            continue
        blocks += _markdown(pending, refs)
        blocks.append(heading)
        pending = []
    blocks += _markdown(pending, refs)
    return tuple(blocks)


def _loose_heading(chunk: str, *, linkable: bool) -> Block | None:
    """A clause heading, if ``chunk`` is one whose title is escaped as the renderer escapes."""
    match = _CLAUSE.match(chunk)
    if match is None:
        return None
    heading = clause_heading(unescape(match["title"]), match["clause"], linkable=linkable)
    return heading if block_markdown(heading) == chunk else None
