"""The block model (``tools/notes/blocks.py``) as an HTML body: exactly the HTML markdown-it
makes of what ``tools/notes/render_markdown.py`` writes (the golden pages hold them equal), but
straight from the blocks, without parsing Markdown back.

Pure. Text is escaped as markdown-it escapes it; a redline's runs become ``<del>`` and ``<ins>``;
an author's note (a ``Fragment``) is rendered by markdown-it from its tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

from tools.notes.blocks import (
    Block,
    BulletList,
    ClauseLink,
    Heading,
    Line,
    Outline,
    Paragraph,
    Quote,
    Redline,
    Span,
    linked,
    no_links,
)
from tools.notes.fragment import Fragment, fragment_html

_TAGS = {"delete": "del", "insert": "ins"}
_BREAK = "<br />\n"


def escape(text: str) -> str:
    """As markdown-it escapes text: ``&``, ``<``, ``>`` and ``"``. Most text has none of them,
    and four tests cost a fifth of four replacements (a site page escapes 100,000 texts)."""
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return (
            text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
        )
    return text


def _text(span: Span) -> str:
    text = escape(span.text)
    return f'<span class="{escape(span.css)}">{text}</span>' if span.css else text


def _run(style: str, href: str, inner: str) -> str:
    """``inner`` (HTML) in the run's style and link."""
    styled = f"<{style}>{inner}</{style}>" if style else inner
    return f'<a href="{escape(href)}">{styled}</a>' if href else styled


def line_html(line: Line) -> str:
    """The line's runs (spans side by side with one style and address) as elements."""
    if not line:
        return ""
    if len(line) == 1:  # most lines: kept cheap, a policy page has thousands
        return _run(line[0].style, line[0].href, _text(line[0]))
    written: list[str] = []
    style, href, inner = line[0].style, line[0].href, _text(line[0])
    for span in line[1:]:
        if span.style == style and span.href == href:
            inner += _text(span)
            continue
        written.append(_run(style, href, inner))
        style, href, inner = span.style, span.href, _text(span)
    written.append(_run(style, href, inner))
    return "".join(written)


def _redline(block: Redline) -> str:
    parts = []
    for segment in block.segments:
        text = escape(segment.text.replace("\n", " "))
        tag = _TAGS.get(segment.op)
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return f"<blockquote>\n<p>{''.join(parts)}</p>\n</blockquote>\n"


def _outline(block: Outline) -> str:
    items = []
    for at, (item, children) in enumerate(block.entries):
        nested = "".join(f"<li>{line_html(child)}</li>\n" for child in children)
        inner = f"\n<ul>\n{nested}</ul>\n" if children else ""
        if children and block.folds:
            summary = f"<summary>{escape(block.folds[at])}</summary>"
            inner = f"\n<details>\n{summary}{inner}</details>\n"
        items.append(f"<li>{line_html(item)}{inner}</li>\n")
    return f"<ul>\n{''.join(items)}</ul>\n"


def block_html(block: Block, link: ClauseLink = no_links) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        inner = line_html(linked(block.line, link))
        return f"<h{block.level}{anchor}>{inner}</h{block.level}>\n"
    if isinstance(block, Paragraph):
        return f"<p>{_BREAK.join(line_html(linked(line, link)) for line in block.lines)}</p>\n"
    if isinstance(block, BulletList):
        items = "".join(f"<li>{line_html(linked(item, link))}</li>\n" for item in block.items)
        return f"<ul>\n{items}</ul>\n"
    if isinstance(block, Outline):
        return _outline(block)
    if isinstance(block, Quote):
        inner = "".join(f"<p>{escape(text)}</p>\n" for text in block.paragraphs)
        return f"<blockquote>\n{inner}</blockquote>\n"
    if isinstance(block, Redline):
        return _redline(block)
    assert isinstance(block, Fragment)
    return fragment_html(block)


def render_html(blocks: Sequence[Block], link: ClauseLink = no_links) -> str:
    """The document as an HTML body, each clause heading a link where ``link`` gives one."""
    return "".join(block_html(block, link) for block in blocks)
