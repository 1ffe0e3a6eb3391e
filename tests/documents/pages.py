"""The pages the document tests build, and an independent reader of Word's XML.

The reader uses zipfile and xml.etree only, never python-docx or the code that wrote the
document: it reads what Word and LibreOffice read."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from tests.conftest import MINI_FILES, ROOT
from tools.base.loader import Policy, load_policy
from tools.base.snapshot import DirSnapshot, MemorySnapshot
from tools.site.policypage import PolicyPage

MOMENT = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)
RESPONSIBLE = ("Human Resources", "Ondernemingsraad")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def shipped_policy() -> Policy:
    policy, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert policy is not None and not problems, problems
    return policy


def shipped_page() -> PolicyPage:
    policy = shipped_policy()
    responsible = {s.model.id: RESPONSIBLE for s in policy.sections}
    departments = {"hr": "Human Resources", "communicatie": "Communicatie"}
    return PolicyPage(policy, responsible, departments, {"sm-001": "1.0.0"}, ("1.0.0",))


def mini_page(files: dict[str, str] | None = None) -> PolicyPage:
    policy, problems = load_policy(MemorySnapshot({**MINI_FILES, **(files or {})}), "mini")
    assert policy is not None and not problems, problems
    return PolicyPage(
        policy, {"algemeen": ("HR",)}, {"hr": "HR", "communicatie": "Communicatie"}, {}
    )


def words(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class WordParagraph:
    style: str
    text: str
    bookmarks: tuple[str, ...]
    anchors: tuple[str, ...]
    """The bookmarks its links go to."""
    fields: tuple[str, ...]
    """Its field characters (begin, separate, end) and instructions, in order."""


def read_docx(data: bytes, part: str = "word/document.xml") -> list[WordParagraph]:
    """Every paragraph of ``part``: its style id, text (``w:br`` as a newline), bookmarks,
    link targets and field codes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ET.fromstring(archive.read(part))
    found = []
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        text, fields = [], []
        for element in paragraph.iter():
            if element.tag == f"{W}t":
                text.append(element.text or "")
            elif element.tag == f"{W}br":
                text.append("\n")
            elif element.tag == f"{W}fldChar":
                fields.append(element.get(f"{W}fldCharType", ""))
            elif element.tag == f"{W}instrText":
                fields.append(element.text or "")
        found.append(
            WordParagraph(
                style.get(f"{W}val", "") if style is not None else "",
                "".join(text),
                tuple(b.get(f"{W}name", "") for b in paragraph.iter(f"{W}bookmarkStart")),
                tuple(h.get(f"{W}anchor", "") for h in paragraph.iter(f"{W}hyperlink")),
                tuple(fields),
            )
        )
    return found
