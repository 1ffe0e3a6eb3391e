"""An independent reader of Word documents for the tests: zipfile and ElementTree only.

It never uses python-docx or the code that wrote the document. ``resolve`` walks
``word/document.xml`` as Word's "Accept all" or "Reject all" would: it keeps the text of
unchanged runs and of one side's tracked runs (``w:ins``/``w:t`` or ``w:del``/``w:delText``),
and a paragraph whose mark (``w:pPr/w:rPr/w:ins|w:del``) is dropped joins the next one.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Side = Literal["accept", "reject"]

_CLAUSE_ID = re.compile(r"\((?P<id>[a-z][a-z0-9]{1,9}-[0-9]{3,5})\)$")


def part(docx: bytes, name: str) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return ET.fromstring(package.read(name))


def paragraphs(docx: bytes) -> list[ET.Element]:
    """The body's paragraphs, in order (table cells excluded)."""
    body = part(docx, "word/document.xml").find(f"{W}body")
    assert body is not None
    return body.findall(f"{W}p")


def style(paragraph: ET.Element) -> str:
    found = paragraph.find(f"{W}pPr/{W}pStyle")
    return found.get(f"{W}val", "") if found is not None else ""


def _runs(paragraph: ET.Element) -> Iterator[tuple[str, str]]:
    """(kind, text) per text element: kind equal, insert or delete. Checks that deleted text
    is always ``w:delText`` and never ``w:t``, as Word requires."""
    for child in paragraph:
        if child.tag == f"{W}r":
            assert child.find(f"{W}delText") is None, "w:delText outside w:del"
            yield "equal", "".join(t.text or "" for t in child.iter(f"{W}t"))
        elif child.tag in (f"{W}ins", f"{W}del"):
            inserted = child.tag == f"{W}ins"
            assert child.get(f"{W}author") and child.get(f"{W}date") and child.get(f"{W}id")
            tag = f"{W}t" if inserted else f"{W}delText"
            other = f"{W}delText" if inserted else f"{W}t"
            assert not list(child.iter(other)), f"{other} inside {child.tag}"
            text = "".join(t.text or "" for t in child.iter(tag))
            yield ("insert" if inserted else "delete"), text


def mark(paragraph: ET.Element) -> str:
    """How the paragraph's mark changed: equal, insert or delete."""
    properties = paragraph.find(f"{W}pPr/{W}rPr")
    if properties is None:
        return "equal"
    if properties.find(f"{W}ins") is not None:
        return "insert"
    return "delete" if properties.find(f"{W}del") is not None else "equal"


def text(paragraph: ET.Element, side: Side) -> str:
    dropped = "delete" if side == "accept" else "insert"
    return "".join(piece for kind, piece in _runs(paragraph) if kind != dropped)


def kept(paragraph: ET.Element, side: Side) -> bool:
    return mark(paragraph) != ("delete" if side == "accept" else "insert")


@dataclass
class Clause:
    """One clause's heading and text paragraphs, as read on one side."""

    heading: str
    text: list[str] = field(default_factory=list)
    pending: str = ""


def resolve(docx: bytes, side: Side, text_style: str) -> dict[str, Clause]:
    """Clause id -> its heading and text paragraphs after accepting or rejecting all."""
    clauses: dict[str, Clause] = {}
    current: Clause | None = None
    for paragraph in paragraphs(docx):
        name = style(paragraph)
        if name.startswith("Heading"):
            _flush(current)
            heading = text(paragraph, side)
            found = _CLAUSE_ID.search(heading)
            current = clauses.setdefault(found["id"], Clause(heading)) if found else None
        elif name == text_style:
            assert current is not None, "clause text outside a clause"
            current.pending += text(paragraph, side)
            if kept(paragraph, side):
                current.text.append(current.pending)
                current.pending = ""
    _flush(current)
    return clauses


def _flush(clause: Clause | None) -> None:
    """Text left at a clause's end would join the next heading: a fault, made visible."""
    if clause is not None and clause.pending:
        clause.text.append(f"<joined into the next paragraph>{clause.pending}")
        clause.pending = ""
