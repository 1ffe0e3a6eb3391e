"""The block model (``tools/notes/blocks.py``) as Markdown: blocks apart by one blank line.

Pure. Every piece of text is escaped so that it shows as exactly that text, in CommonMark and in
Python-Markdown alike; a ``Fragment`` (an author's note) is written as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.compare.redline import Segment, render_segments
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
    runs,
)
from tools.notes.fragment import Fragment

# Escapes that CommonMark and Python-Markdown both read (a backslash before ASCII punctuation
# that is also in Python-Markdown's list; entities elsewhere), and only where the character
# would start markup there: the published Markdown reads the same in any renderer.
_INLINE_MARKUP = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape, or break the line
    r"|[`*\[\]]"  # code, emphasis, links and images
    r"|(?<![^\W_])_|_(?![^\W_])"  # emphasis, except inside a word (foo_bar is text in both)
    r"|<(?=[A-Za-z/!?])"  # raw HTML and autolinks
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity
    r"|\{(?=[+#])|(?<=\+)\}"  # the release notes' own {+insert+} and the {#anchor} of a heading
    r"|#(?=[ \t]*$)",  # the closing sequence of a heading
    re.MULTILINE,
)
ENTITIES = {"<": "&lt;", "&": "&amp;", "=": "&#61;", "|": "&#124;"}
_LINE_START = re.compile(
    r"^(?P<lead>[ \t]*\d*)(?P<marker>"
    r"(?<=\d)[.)](?=[ \t]|$)"  # a numbered list
    r"|(?<!\d)[#>]"  # a heading, a quote
    r"|(?<!\d)[-+](?=[ \t]|$|-)"  # a list, a rule, a setext underline
    r"|(?<!\d)=(?==*[ \t]*$)"  # a setext underline
    r")",
    re.MULTILINE,
)
# A line that a table extension (GitHub's, markdown-it's) would read as a table's delimiter row.
_DELIMITER_ROW = re.compile(r"^[ \t]*[-:|][-:| \t]*$", re.MULTILINE)

DELETED = "[-{}-]"
INSERTED = "{{+{}+}}"
"""The release notes' own redline markers (format templates): ``[-old-]`` and ``{+new+}``."""


def escape_text(text: str) -> str:
    """Policy text as Markdown that renders as exactly that text (no markup, links or entities)
    in CommonMark and in Python-Markdown alike; plain where plain text will do."""
    return _escape_line_starts(_escape_inline(text))


def _escape_inline(text: str) -> str:
    return _INLINE_MARKUP.sub(lambda m: _escape_char(m.group()), text)


def _escape_line_starts(escaped: str) -> str:
    escaped = _LINE_START.sub(lambda m: m["lead"] + _escape_char(m["marker"]), escaped)
    return _DELIMITER_ROW.sub(lambda m: m.group().replace("|", ENTITIES["|"]), escaped)


def _escape_char(char: str) -> str:
    return ENTITIES.get(char, "\\" + char)


def redline_markdown(segments: Sequence[Segment]) -> str:
    """A word redline in the release notes' own markers, on one line."""
    # Escaped as one line: a run's text is at the start of the line only when it comes first.
    return _escape_line_starts(
        render_segments(
            segments,
            delete=DELETED,
            insert=INSERTED,
            escape=lambda text: _escape_inline(text.replace("\n", " ")),
        )
    )


def _span(span: Span) -> str:
    return span.markdown or escape_text(span.text)


def line_markdown(line: Line) -> str:
    written = []
    for style, href, spans in runs(line):
        inner = "".join(map(_span, spans))
        inner = {"strong": f"**{inner}**", "em": f"*{inner}*", "": inner}[style]
        written.append(f"[{inner}]({href})" if href else inner)
    return "".join(written)


def _outline_lines(block: Outline) -> list[str]:
    lines = []
    for item, children in block.entries:
        lines.append(f"- {line_markdown(item)}")
        lines += [f"  - {line_markdown(child)}" for child in children]
    return lines


def block_markdown(block: Block, link: ClauseLink = no_links) -> str:
    if isinstance(block, Heading):
        anchor = f" {{#{block.anchor}}}" if block.anchor else ""
        return f"{'#' * block.level} {line_markdown(linked(block.line, link))}{anchor}"
    if isinstance(block, Paragraph):
        return "\\\n".join(line_markdown(linked(line, link)) for line in block.lines)
    if isinstance(block, BulletList):
        return "\n".join(f"- {line_markdown(linked(item, link))}" for item in block.items)
    if isinstance(block, Outline):
        return "\n".join(_outline_lines(block))
    if isinstance(block, Quote):
        return "\n>\n".join(f"> {escape_text(text)}" for text in block.paragraphs)
    if isinstance(block, Redline):
        return f"> {redline_markdown(block.segments)}"
    assert isinstance(block, Fragment)
    return block.markdown


def render_markdown(blocks: Sequence[Block], link: ClauseLink = no_links) -> str:
    """The document as Markdown, each clause heading a link where ``link`` gives an address."""
    return "\n\n".join(block_markdown(block, link) for block in blocks) + "\n"
