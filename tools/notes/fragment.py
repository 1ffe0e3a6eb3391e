"""A piece of Markdown inside a generated document: an author's change note, or a page the site
writes as Markdown. Parsed once, by markdown-it-py, when the fragment is made; written back
verbatim as Markdown and rendered from its tokens as HTML.

The one parser is plain CommonMark with tables, raw HTML shown as text (``html: False``) and
images off, so a page loads nothing but itself. Nothing of the release notes' own syntax is
taught to it: the notes are a block model (``tools/notes/blocks.py``) with their own renderers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@functools.cache
def _parser() -> MarkdownIt:
    """Made when first needed: a site without Markdown pages never imports markdown-it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")


@dataclass(frozen=True)
class Fragment:
    """Markdown as written, with its parse."""

    markdown: str
    tokens: tuple[Token, ...] = field(compare=False, repr=False)


References = Mapping[str, Any]
"""Link reference definitions (``[label]: address``) as markdown-it collects them."""


def fragment(markdown: str, references: References | None = None) -> Fragment:
    """``markdown`` parsed; ``references``: those of the document it is cut from, so that a
    reference-style link resolves as it does in the whole document."""
    env = {"references": dict(references)} if references else {}
    return Fragment(markdown, tuple(_parser().parse(markdown, env)))


def references(markdown: str) -> References:
    """The link reference definitions of a whole document."""
    env: dict[str, Any] = {}
    _parser().parse(markdown, env)
    found: References = env.get("references", {})
    return found


def fragment_html(piece: Fragment) -> str:
    """The fragment as HTML, as markdown-it renders it (links it finds unsafe are not links)."""
    html: str = _parser().renderer.render(list(piece.tokens), _parser().options, {})
    return html
