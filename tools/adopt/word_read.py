"""Reading a Word policy (``.docx`` bytes) into the plain model of ``model.py``: headings,
paragraphs with their list level and bold lead-in, and what cannot become a clause (tables,
images, footnotes, text boxes) with its place. The only module of ``adopt`` that knows Word;
python-docx reads the document, and its element objects show what it has no API for (tracked
changes, footnote references, text boxes). Input it cannot use is a ``WordReadError``.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from tools.adopt.model import Block, Unplaced, WordDocument
from tools.base.errors import WordReadError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx is an OLE container whose streams include "EncryptionInfo" (MS-OFFCRYPTO).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_TRACKED = tuple(qn(tag) for tag in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"))
_HEADING = re.compile(r"^(?:heading|kop)\s*([1-9])$", re.IGNORECASE)
_TITLE = {"title", "titel"}
_LIST_STYLE = re.compile(
    r"^(?:list|lijst)\s*(?:bullet|number|paragraph|alinea|opsommingsteken|nummering)?\s*([2-9])?$",
    re.IGNORECASE,
)


def read_word(name: str, data: bytes) -> WordDocument:
    """The document ``data`` (read from the file ``name``) as plain data; a ``WordReadError``,
    one line naming the file, for an old ``.doc``, an encrypted, corrupt or empty file, or one
    with pending tracked changes."""
    document = _open(name, data)
    body = document.element.body
    if any(True for _ in body.iter(*_TRACKED)):
        raise WordReadError(
            f"{name}: the document has tracked changes; accept or reject them in Word first"
        )
    title, blocks, unplaced = "", [], []
    place = 0
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            place += 1
            unplaced.append(Unplaced("table", place, _excerpt(_table_text(child))))
        elif child.tag == qn("w:p"):
            place += 1
            paragraph = Paragraph(child, document)
            unplaced += _unplaced_in(child, place)
            block = _block(paragraph)
            if block is None:
                continue
            if not title and _style(paragraph).lower() in _TITLE:
                title = block.text
            else:
                blocks.append((place, block))
    if not any(block.text for _, block in blocks):
        raise WordReadError(f"{name}: the document is empty; there is nothing to import")
    title = title or " ".join((document.core_properties.title or "").split())
    return WordDocument(title, tuple(blocks), tuple(unplaced))


def _open(name: str, data: bytes) -> Any:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise WordReadError(
                f"{name}: the document is password-protected; save it without a password first"
            )
        raise WordReadError(
            f"{name}: an old binary Word file (.doc); save it as .docx in Word first"
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises a zoo (zip, XML, missing parts): all mean "damaged"
        raise WordReadError(f"{name}: not a Word document (.docx), or it is damaged") from None


def _style(paragraph: Paragraph) -> str:
    style = paragraph.style
    return (style.name or "") if style is not None else ""


def _block(paragraph: Paragraph) -> Block | None:
    text = " ".join(paragraph.text.split())
    if not text:
        return None
    style = _style(paragraph)
    heading = _HEADING.match(style)
    if heading:
        return Block(text, heading=int(heading.group(1)))
    lead_in = " ".join(_lead_in(paragraph).split())
    return Block(text, list_level=_list_level(paragraph, style), lead_in=lead_in)


def _list_level(paragraph: Paragraph, style: str) -> int | None:
    """The item's level from its numbering (``w:numPr``; numId 0 switches numbering off), or
    else from its list style (``List Bullet 2`` is level 1)."""
    numbering = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if numbering is not None:
        number = numbering.find(qn("w:numId"))
        if number is not None and number.get(qn("w:val")) not in (None, "0"):
            level = numbering.find(qn("w:ilvl"))
            value = level.get(qn("w:val")) if level is not None else "0"
            return int(value) if value and value.isdigit() else 0
    match = _LIST_STYLE.match(style)
    if match:
        return int(match.group(1)) - 1 if match.group(1) else 0
    return None


def _lead_in(paragraph: Paragraph) -> str:
    """The bold text the paragraph opens with; empty when it has none or is bold throughout
    (then the bold says nothing about a title)."""
    bold, rest = [], False
    for run in paragraph.runs:
        if not run.text.strip():
            if not rest:
                bold.append(run.text)
            continue
        if run.bold and not rest:
            bold.append(run.text)
        else:
            rest = True
    return "".join(bold) if rest else ""


def _unplaced_in(element: Any, place: int) -> list[Unplaced]:
    found = []
    if any(True for _ in element.iter(qn("w:txbxContent"))):
        text = " ".join(t.text or "" for t in element.iter(qn("w:t")))
        found.append(Unplaced("text box", place, _excerpt(text)))
    elif any(True for _ in element.iter(qn("w:drawing"), qn("w:pict"))):
        found.append(Unplaced("image", place))
    for tag, kind in (("w:footnoteReference", "footnote"), ("w:endnoteReference", "endnote")):
        found += [Unplaced(kind, place) for _ in element.iter(qn(tag))]
    return found


def _table_text(element: Any) -> str:
    return " ".join(t.text or "" for t in element.iter(qn("w:t")))


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")
