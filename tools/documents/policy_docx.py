"""One policy as a Word document (``policy render --format docx``), for legal's reviewers.

Pure: a ``PolicyPage`` and an instant in, the bytes of a ``.docx`` out. The document walks the
employees' page block by block (``tools/site/policypage.py``), so it says what the page says:
the policy's title in Word's *Title* style, each section a *Heading 1* and each clause a
*Heading 2* (navigation pane, outline and table of contents follow them), each clause's level in
Dutch and id, its legal references and each section's responsible departments. The page's list
of contents becomes a ``TOC`` field that Word and LibreOffice update (with page numbers); its
result is filled in already, so the contents read right before any update. Every heading with an
anchor is a bookmark, and the page's links to clauses are links to those bookmarks.

Deterministic: the core properties carry the given instant (``tools/base/clock.py``), never the
clock, and the zip is written again with fixed timestamps in python-docx's member order
(``[Content_Types].xml`` first), so the same page gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph as DocxParagraph

from tools.documents.edition import running_line
from tools.documents.word import deterministic, drop_thumbnail
from tools.notes.blocks import Block, Heading, Line, Outline, Paragraph, Span
from tools.site.policypage import PolicyPage, page_blocks, policy_title

GENERATOR = "policy render"
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2"}
"""The page's heading levels as Word's built-in styles: the policy, a section, a clause."""
TOC_INSTRUCTION = r' TOC \o "1-2" \h \z \u '
"""Headings 1 to 2 (sections and clauses), as links, no page numbers on the web view."""
TOC_STYLES = ("TOC 1", "TOC 2")


def bookmark_names(blocks: Sequence[Block]) -> dict[str, str]:
    """Anchor -> a Word bookmark name: letters, digits and ``_``, at most 40 characters,
    starting with a letter (Word drops other names), unique."""
    names: dict[str, str] = {}
    for block in blocks:
        if isinstance(block, Heading) and block.anchor and block.anchor not in names:
            name = re.sub(r"[^A-Za-z0-9_]", "_", block.anchor)
            name = (name if name[:1].isalpha() else f"a{name}")[:40]
            taken, number = set(names.values()), 2
            base = name
            while name in taken:
                name = f"{base[: 40 - len(str(number)) - 1]}_{number}"
                number += 1
            names[block.anchor] = name
    return names


class _Writer:
    """Appends the page's blocks to a document; holds the bookmark ids and names."""

    def __init__(self, document: Document, names: dict[str, str]) -> None:
        self.document = document
        self.names = names
        self.bookmarks = 0

    def heading(self, block: Heading) -> None:
        paragraph = self.document.add_paragraph(style=HEADING_STYLES.get(block.level, "Heading 3"))
        if block.anchor:
            self._bookmark(paragraph, self.names[block.anchor], _plain(block.line))
        else:
            paragraph.add_run(_plain(block.line))

    def paragraph(self, block: Paragraph) -> None:
        self.lines(self.document.add_paragraph(), block.lines)

    def lines(self, paragraph: DocxParagraph, lines: Sequence[Line]) -> None:
        for number, line in enumerate(lines):
            if number:
                paragraph.add_run().add_break()
            for span in line:
                self.span(paragraph, span)

    def span(self, paragraph: DocxParagraph, span: Span) -> None:
        if not span.href:
            run = paragraph.add_run(span.text)
            run.bold = span.style == "strong" or None
            run.italic = span.style == "em" or None
            return
        link = OxmlElement("w:hyperlink")
        if span.href.startswith("#") and span.href[1:] in self.names:
            link.set(qn("w:anchor"), self.names[span.href[1:]])
        else:
            part = self.document.part
            rid = part.relate_to(span.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            link.set(qn("r:id"), rid)
        link.set(qn("w:history"), "1")
        link.append(_run(span.text, link_style=True))
        paragraph._p.append(link)

    def contents(self, heading: Heading, block: Outline) -> None:
        """The page's contents as a TOC field, its result filled in from the same entries."""
        self.document.add_paragraph(_plain(heading.line), style="TOC Heading")
        entries = [
            (depth, line)
            for section, clauses in block.entries
            for depth, line in [(0, section), *((1, clause) for clause in clauses)]
        ]
        if not entries:
            return
        for number, (depth, line) in enumerate(entries):
            paragraph = self.document.add_paragraph(style=TOC_STYLES[depth])
            if number == 0:
                _field_char(paragraph, "begin")
                _instruction(paragraph, TOC_INSTRUCTION)
                _field_char(paragraph, "separate")
            for span in line:
                self.span(paragraph, span)
            if number == len(entries) - 1:
                _field_char(paragraph, "end")

    def _bookmark(self, paragraph: DocxParagraph, name: str, text: str) -> None:
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmarks))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmarks))
        self.bookmarks += 1
        paragraph._p.append(start)
        paragraph.add_run(text)
        paragraph._p.append(end)


def _plain(line: Line) -> str:
    return "".join(span.text for span in line)


def _run(text: str, *, link_style: bool = False) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    if link_style:  # the look of a link: Word's own Hyperlink style is not in the template
        properties = OxmlElement("w:rPr")
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "0563C1")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        properties.append(color)
        properties.append(underline)
        run.append(properties)
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def _field_char(paragraph: DocxParagraph, kind: str) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    paragraph._p.append(run)


def _instruction(paragraph: DocxParagraph, text: str) -> None:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    run.append(instruction)
    paragraph._p.append(run)


def _pairs(blocks: Sequence[Block]) -> Iterator[tuple[Block, Block | None]]:
    for number, block in enumerate(blocks):
        yield block, blocks[number + 1] if number + 1 < len(blocks) else None


def _body(document: Document, blocks: Sequence[Block]) -> None:
    writer = _Writer(document, bookmark_names(blocks))
    for block, following in _pairs(blocks):
        if isinstance(block, Heading) and isinstance(following, Outline):
            writer.contents(block, following)
        elif isinstance(block, Heading):
            writer.heading(block)
        elif isinstance(block, Paragraph):
            writer.paragraph(block)


def _prepare(document: Document, page: PolicyPage, moment: dt.datetime) -> None:
    """Styles the template lacks, the language, the footer and the core properties."""
    styles = document.styles
    for depth, name in enumerate(TOC_STYLES):
        if name not in [style.name for style in styles]:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.paragraph_format.left_indent = docx.shared.Cm(0.6 * depth)
            style.paragraph_format.space_after = docx.shared.Pt(2)
    language = page.policy.meta.model.language
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), language)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = running_line(page)
    core = document.core_properties
    core.title = policy_title(page.policy)
    core.comments = ""
    core.author = GENERATOR
    core.last_modified_by = GENERATOR
    core.language = language
    core.revision = 1
    core.created = core.modified = moment.replace(tzinfo=None)
    _update_fields(document)
    drop_thumbnail(document)


_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
}  # fmt: skip
"""The settings that follow ``updateFields`` in the schema's sequence (Word checks the order)."""


def _update_fields(document: Document) -> None:
    """``w:updateFields``: Word offers to update the table of contents (page numbers) on open."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    for child in settings:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in _AFTER_UPDATE_FIELDS:
            child.addprevious(update)
            return
    settings.append(update)


def policy_docx(page: PolicyPage, moment: dt.datetime) -> bytes:
    """The policy page as a Word document; ``moment``: its creation date (the one clock)."""
    document = docx.Document()
    _prepare(document, page, moment)
    _body(document, page_blocks(page))
    out = io.BytesIO()
    document.save(out)
    return deterministic(out.getvalue())
