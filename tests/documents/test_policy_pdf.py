"""The policy as an archival PDF, read back with poppler (pdftotext, pdffonts) and pypdf, never
with WeasyPrint. veraPDF, the PDF/A validator, is in no package registry this project reaches;
the PDF/A identification, output intent, embedded fonts and matching dates are checked here."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from tests.documents.pages import MOMENT, mini_page, shipped_page, shipped_policy, words
from tools.documents.policy_pdf import document_html, policy_pdf

EDITION = "versie 1.0.0 · geldt vanaf 1 januari 2027"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"


@pytest.fixture(scope="module")
def shipped() -> bytes:
    return policy_pdf(shipped_page(), MOMENT)


@pytest.fixture(scope="module")
def pages(shipped: bytes, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """pdftotext's text of each page."""
    path = tmp_path_factory.mktemp("pdf") / "policy.pdf"
    path.write_bytes(shipped)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1]


def _running(line: str) -> bool:
    return (
        line in {"Social-mediabeleid", EDITION}
        or re.fullmatch(r"pagina \d+ van \d+", line) is not None
    )


def test_every_page_says_the_version_and_effective_date(pages: list[str]) -> None:
    assert len(pages) > 10
    for number, page in enumerate(pages, 1):
        lines = page.splitlines()
        assert EDITION in lines and f"pagina {number} van {len(pages)}" in lines


def test_pdftotext_reads_every_clause_id_and_text_in_order(pages: list[str]) -> None:
    body = " ".join(line for page in pages for line in page.splitlines() if not _running(line))
    # pdftotext joins a word broken at a hyphen at the end of a line ("LinkedIn-" "profiel"):
    # hyphens are compared by their absence.
    text = words(body).replace("-", "")
    position = text.index("Verantwoordelijk:")  # past the contents, which list every clause
    for _, _, clause in shipped_policy().clauses():
        position = text.index(f"({clause.id.replace('-', '')})", position)
        for block in clause.text.split("\n\n"):
            position = text.index(words(block).replace("-", ""), position)


def test_pdfa_3b_identification_in_the_xmp_and_dates_from_the_clock(shipped: bytes) -> None:
    reader = PdfReader(io.BytesIO(shipped))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3</pdfaid:part>', raw), raw
    assert re.search(r'pdfaid:conformance="B"|<pdfaid:conformance>B<', raw), raw
    assert "<xmp:CreateDate>2027-02-01T12:00:00Z</xmp:CreateDate>" in raw
    assert "<xmp:ModifyDate>2027-02-01T12:00:00Z</xmp:ModifyDate>" in raw
    info = reader.metadata
    assert info is not None and info["/CreationDate"] == "D:20270201120000Z"
    assert info["/ModDate"] == "D:20270201120000Z" and info["/Title"] == "Social-mediabeleid"
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert root["/Lang"] == "nl"


def test_tagged_with_a_structure_tree(shipped: bytes) -> None:
    root = PdfReader(io.BytesIO(shipped)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    kinds: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                kinds.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert kinds.count("/H3") == len(list(shipped_policy().clauses()))
    assert {"/H1", "/H2", "/P", "/L"} <= set(kinds)


def test_every_font_is_embedded(shipped: bytes, tmp_path: Path) -> None:
    path = tmp_path / "policy.pdf"
    path.write_bytes(shipped)
    table = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = table.stdout.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), table.stdout


def test_one_bookmark_per_section_with_its_clauses_below(shipped: bytes) -> None:
    reader = PdfReader(io.BytesIO(shipped))
    found: list[tuple[int, str]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                found.append((depth, item.title or ""))

    walk(list(reader.outline), 1)
    expected = []
    for section in shipped_policy().sections:
        expected.append((1, words(section.model.title)))
        expected += [(2, f"{words(c.title)} ({c.id})") for c in section.model.clauses]
    assert found == expected


def test_same_page_same_bytes_and_the_dates_are_the_given_instant() -> None:
    page = mini_page()
    first = policy_pdf(page, MOMENT)
    assert policy_pdf(page, MOMENT) == first
    later = PdfReader(io.BytesIO(policy_pdf(page, MOMENT + dt.timedelta(days=1)))).metadata
    assert later is not None and later["/CreationDate"] == "D:20270202120000Z"


def test_weasyprint_takes_every_rule_of_the_style(caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint logs (and ignores) CSS it does not know: none of ours."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        policy_pdf(mini_page(), MOMENT)
    assert not caplog.records, [record.getMessage() for record in caplog.records]


def test_margin_text_is_escaped_for_css() -> None:
    page = mini_page({"policy/mini/policy.yaml": _title('Mini "\\" }')})
    html = document_html(replace(page, version="2.0.0"), MOMENT)
    assert 'content: "Mini \\22 \\5c \\22  }"' in html


def _title(title: str) -> str:
    from tests.conftest import MINI_FILES

    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return MINI_FILES["policy/mini/policy.yaml"].replace("title: Mini", f'title: "{escaped}"')
