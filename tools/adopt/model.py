"""A Word document as plain data: what ``word_read.py`` reads and ``importer.py`` turns into
policy files. Nothing here knows Word or YAML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """One paragraph of the body: a heading, a plain paragraph or a list item."""

    text: str
    """The paragraph's text, whitespace collapsed."""
    heading: int = 0
    """The heading level (1 for Heading 1); 0 for a paragraph that is no heading."""
    list_level: int | None = None
    """The list level of a numbered or bulleted item (0 the outermost); None outside a list."""
    lead_in: str = ""
    """The bold words the paragraph starts with (a title), when the rest is not bold."""


@dataclass(frozen=True)
class Unplaced:
    """Something the import cannot turn into a clause: a table, an image, a footnote or a text
    box, and the body paragraph (1-based, counting tables) where it stands."""

    kind: str
    paragraph: int
    excerpt: str = ""


@dataclass(frozen=True)
class WordDocument:
    """A Word policy: its title (the Title paragraph or the file's properties), the body's
    paragraphs in order, each with its 1-based place, and what could not be placed."""

    title: str
    blocks: tuple[tuple[int, Block], ...]
    unplaced: tuple[Unplaced, ...]
