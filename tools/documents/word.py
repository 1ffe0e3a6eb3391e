"""A Word document from plain data: python-docx, plus the raw OOXML it does not cover.

With ``policy_docx.py``, the only module importing python-docx (and lxml for it), and the one
that makes a package deterministic for both. python-docx writes headings, styles,
tables and the comments part; tracked changes are written here as raw WordprocessingML:
``w:ins`` and ``w:del`` around runs, and a tracked paragraph mark (``w:pPr/w:rPr/w:ins``) when
a paragraph break itself was inserted or deleted, so Word's and LibreOffice's Accept and Reject
give exactly one side's text. Pure: ``to_bytes`` returns the package; the same calls give the
same bytes (fixed zip timestamps and member order, dates only from the ``moment`` given).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

Change = Literal["equal", "insert", "delete"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's timestamp: the zip format's earliest, so no build leaks its clock."""


@dataclass(frozen=True)
class Text:
    """A run of text, unchanged or tracked as inserted or deleted."""

    text: str
    change: Change = "equal"
    bold: bool = False
    italic: bool = False


class WordDocument:
    """A document written top to bottom; every tracked change by ``author`` at ``moment``."""

    def __init__(self, *, author: str, moment: dt.datetime, title: str, language: str) -> None:
        self._document = docx.Document()
        self._author = author
        self._moment = moment.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
        self._date = self._moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        self._annotation = 0
        """The last id given: changes and comments share one sequence, so no two collide."""
        self._properties(title, language)

    def _properties(self, title: str, language: str) -> None:
        core = self._document.core_properties
        core.title, core.author, core.last_modified_by = title, self._author, self._author
        core.comments, core.revision = "", 1
        core.created = core.modified = self._moment
        for lang in self._document.styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), language)
        drop_thumbnail(self._document)
        settings = self._document.settings.element
        # The reviewer's own edits are tracked too (trackRevisions precedes defaultTabStop).
        tab_stop = settings.find(qn("w:defaultTabStop"))
        if tab_stop is not None:
            tab_stop.addprevious(OxmlElement("w:trackRevisions"))

    def paragraph_style(
        self, name: str, *, italic: bool = False, size: float | None = None
    ) -> None:
        """A paragraph style based on Normal (a reader, and a test, finds its paragraphs)."""
        style: Any = self._document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self._document.styles["Normal"]
        style.font.italic = italic or None
        if size is not None:
            style.font.size = Pt(size)

    def heading(self, runs: Sequence[Text], level: int, *, comment: str = "") -> None:
        paragraph = self._document.add_heading("", level)
        self._fill(paragraph, runs, "equal", comment)

    def paragraph(
        self,
        runs: Sequence[Text],
        *,
        style: str | None = None,
        mark: Change = "equal",
        comment: str = "",
    ) -> None:
        """A paragraph; ``mark``: whether its paragraph break was inserted or deleted."""
        self._fill(self._document.add_paragraph("", style), runs, mark, comment)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        table = self._document.add_table(rows=1, cols=len(header))
        table.style = self._document.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.paragraphs[0].add_run(text)

    def _fill(self, paragraph: Paragraph, runs: Sequence[Text], mark: Change, comment: str) -> None:
        element = paragraph._p
        if mark != "equal":
            properties = element.get_or_add_pPr()
            run_properties = OxmlElement("w:rPr")
            run_properties.append(self._tracked("w:ins" if mark == "insert" else "w:del"))
            properties.append(run_properties)
        for run in runs:
            element.append(self._run(run))
        if comment:
            self._comment(paragraph, comment)

    def _next_id(self) -> int:
        self._annotation += 1
        return self._annotation

    def _tracked(self, tag: str) -> Any:
        tracked = OxmlElement(tag)
        tracked.set(qn("w:id"), str(self._next_id()))
        tracked.set(qn("w:author"), self._author)
        tracked.set(qn("w:date"), self._date)
        return tracked

    def _run(self, text: Text) -> Any:
        run = OxmlElement("w:r")
        if text.bold or text.italic:
            properties = OxmlElement("w:rPr")
            for flag, tag in ((text.bold, "w:b"), (text.italic, "w:i")):
                if flag:
                    properties.append(OxmlElement(tag))
            run.append(properties)
        content = OxmlElement("w:delText" if text.change == "delete" else "w:t")
        content.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        content.text = text.text
        run.append(content)
        if text.change == "equal":
            return run
        tracked = self._tracked("w:ins" if text.change == "insert" else "w:del")
        tracked.append(run)
        return tracked

    def _comment(self, paragraph: Paragraph, text: str) -> None:
        """A comment on the whole paragraph, by the author, dated like the changes."""
        comment = self._document.comments.add_comment(text, self._author, "PD")
        element = comment._comment_elm
        element.date = self._moment
        identifier = str(self._next_id())
        element.set(qn("w:id"), identifier)
        element = paragraph._p
        start, end = OxmlElement("w:commentRangeStart"), OxmlElement("w:commentRangeEnd")
        start.set(qn("w:id"), identifier)
        end.set(qn("w:id"), identifier)
        properties = element.pPr
        if properties is not None:
            properties.addnext(start)
        else:
            element.insert(0, start)
        element.append(end)
        reference_run, reference = OxmlElement("w:r"), OxmlElement("w:commentReference")
        reference.set(qn("w:id"), identifier)
        reference_run.append(reference)
        element.append(reference_run)

    def to_bytes(self) -> bytes:
        stream = io.BytesIO()
        self._document.save(stream)
        return deterministic(stream.getvalue())


def drop_thumbnail(document: Any) -> None:
    """python-docx's template ships a preview picture of another document: left out."""
    package_relationships = document.part.package.rels
    for key, relationship in list(package_relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package_relationships[key]
    settings = document.settings.element
    for preview in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(preview)


def deterministic(package: bytes) -> bytes:
    """The package again: [Content_Types].xml first, the rest by name, fixed timestamps and
    permissions."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    order = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, members[name])
    return output.getvalue()
