"""A document as plain blocks: what the release notes (and the site's pages around them) say,
apart from how it is written. Two pure renderers write it: ``tools/notes/render_markdown.py``
(the published Markdown) and ``tools/notes/render_html.py`` (the page body, exactly the HTML
that markdown-it makes of that Markdown).

Text in a block is plain text, escaped by each renderer for its own format; an author's change
note is a ``Fragment`` (Markdown, parsed once). Links to clauses are not in the model: a span
names its clause, and the renderer is given, at render time, where a clause is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from tools.compare.redline import Segment
from tools.notes.fragment import Fragment

Style = Literal["", "strong", "em"]


class Span(NamedTuple):
    """A run of inline text; runs side by side with the same style and address are one."""

    text: str
    style: Style = ""
    href: str = ""
    """An address: the run is a link."""
    markdown: str = ""
    """How the Markdown spells it, when not as the escaped text (a fixed legend)."""
    clause: str = ""
    """A clause it names: a link to the clause where the renderer is told it is shown."""
    css: str = ""
    """Classes for the page's style sheet (a badge, an id that never breaks): the HTML wraps
    the text in ``<span class="...">``; Markdown and Word show the text alone."""


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    line: Line
    anchor: str = ""
    """Its id, the target of ``#anchor`` links (``{#anchor}`` in Markdown, as Pandoc writes)."""


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[Line, ...]
    """Lines separated by hard line breaks."""


@dataclass(frozen=True)
class BulletList:
    items: tuple[Line, ...]


@dataclass(frozen=True)
class Outline:
    """A list of items, each with a list of its own (a table of contents)."""

    entries: tuple[tuple[Line, tuple[Line, ...]], ...]
    folds: tuple[str, ...] = ()
    """When given, one per entry: the HTML folds the entry's own list into a ``<details>``
    with this summary (Markdown and Word show the list as it is)."""


@dataclass(frozen=True)
class Quote:
    """Quoted policy text, paragraph by paragraph (each on one line)."""

    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Redline:
    """A word redline in one quoted line: deleted and inserted runs between equal ones."""

    segments: tuple[Segment, ...]


Block = Heading | Paragraph | BulletList | Outline | Quote | Redline | Fragment


def text_paragraphs(text: str) -> list[str]:
    """A policy text as it is read: paragraphs split at blank lines, line breaks inside one
    folded (they are the author's wraps)."""
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


ClauseLink = Callable[[str], str | None]
"""Clause id -> the address that shows it, or None (no link)."""


def no_links(_clause: str) -> str | None:
    return None


def text(value: str) -> Line:
    """One line of plain text."""
    return (Span(value),)


def paragraph(*spans: Span) -> Paragraph:
    """A paragraph of one line."""
    return Paragraph((tuple(spans),))


def runs(line: Line) -> list[tuple[Style, str, list[Span]]]:
    """The line's spans grouped into runs of one style and address, in order."""
    grouped: list[tuple[Style, str, list[Span]]] = []
    for span in line:
        if grouped and grouped[-1][0] == span.style and grouped[-1][1] == span.href:
            grouped[-1][2].append(span)
        else:
            grouped.append((span.style, span.href, [span]))
    return grouped


def linked(line: Line, link: ClauseLink) -> Line:
    """The line with each span that names a clause ``link`` knows a link to it."""
    if link is no_links or not any(span.clause for span in line):
        return line  # the common case, kept cheap: a policy page has thousands of lines
    return tuple(
        span._replace(href=href) if span.clause and (href := link(span.clause)) else span
        for span in line
    )
