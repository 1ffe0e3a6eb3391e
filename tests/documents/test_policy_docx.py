"""The policy as a Word document, read back with an independent reader (zipfile and
xml.etree) and converted by a real LibreOffice."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from schema.models import LEVEL_DUTCH
from tests.conftest import MINI_FILES
from tests.documents.pages import (
    MOMENT,
    RESPONSIBLE,
    WordParagraph,
    mini_page,
    read_docx,
    shipped_page,
    shipped_policy,
    words,
)
from tools.documents.policy_docx import bookmark_names, policy_docx
from tools.site.policypage import SELF_REGULATION, Heading, is_self_regulation

HEADINGS = {"Title", "Heading1", "Heading2"}


@pytest.fixture(scope="module")
def shipped() -> bytes:
    return policy_docx(shipped_page(), MOMENT)


@pytest.fixture(scope="module")
def paragraphs(shipped: bytes) -> list[WordParagraph]:
    return read_docx(shipped)


def test_headings_are_the_policy_its_sections_and_clauses_in_word_styles(
    paragraphs: list[WordParagraph],
) -> None:
    policy = shipped_policy()
    expected = [("Title", "Social-mediabeleid")]
    for section in policy.sections:
        expected.append(("Heading1", words(section.model.title)))
        expected += [("Heading2", f"{words(c.title)} ({c.id})") for c in section.model.clauses]
    assert [(p.style, p.text) for p in paragraphs if p.style in HEADINGS] == expected


def test_each_clause_says_its_level_text_and_legal_references(
    paragraphs: list[WordParagraph],
) -> None:
    by_heading: dict[str, list[str]] = {}
    current = ""
    for paragraph in paragraphs:
        if paragraph.style in HEADINGS:
            current = paragraph.text
            by_heading[current] = []
        elif current:
            by_heading[current].append(words(paragraph.text))
    for _, _, clause in shipped_policy().clauses():
        body = by_heading[f"{words(clause.title)} ({clause.id})"]
        assert body[0].startswith(LEVEL_DUTCH[clause.level].capitalize() + " · "), body[0]
        for block in clause.text.split("\n\n"):
            assert words(block) in body
        for ref in clause.legal:
            label = SELF_REGULATION if is_self_regulation(ref) else "Wettelijke basis:"
            assert any(words(ref.law) in line and label in line for line in body)
    for section in shipped_policy().sections:
        body = by_heading[words(section.model.title)]
        assert body[0].startswith(f"Verantwoordelijk: {', '.join(RESPONSIBLE)} Vragen:")


def test_the_contents_are_a_toc_field_filled_in_with_every_section_and_clause(
    paragraphs: list[WordParagraph],
) -> None:
    fields = [field for p in paragraphs for field in p.fields]
    assert fields[0] == "begin" and fields[-1] == "end" and fields.count("begin") == 1
    assert re.fullmatch(r'\s*TOC \\o "1-2" \\h \\z \\u\s*', fields[1]), fields[1]
    assert fields[2] == "separate"
    entries = [(p.style, p.text) for p in paragraphs if p.style.startswith("TOC")]
    assert entries[0] == ("TOCHeading", "Inhoud")
    headings = [(p.style, p.text) for p in paragraphs if p.style in {"Heading1", "Heading2"}]
    assert [(s.replace("TOC", "Heading"), t) for s, t in entries[1:]] == headings


def test_every_link_goes_to_a_bookmark_on_its_heading(paragraphs: list[WordParagraph]) -> None:
    bookmarks = {name: p.text for p in paragraphs for name in p.bookmarks}
    for _, _, clause in shipped_policy().clauses():
        assert bookmarks[clause.id.replace("-", "_")].endswith(f"({clause.id})")
    anchors = [anchor for p in paragraphs for anchor in p.anchors]
    assert len(anchors) > 69 and set(anchors) <= set(bookmarks)


def test_word_updates_the_fields_on_open_and_the_footer_says_the_version(shipped: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(shipped)) as archive:
        settings = archive.read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings
    footer = [p.text for p in read_docx(shipped, "word/footer1.xml")]
    assert footer == ["Social-mediabeleid · versie 1.0.0 · geldt vanaf 1 januari 2027"]


def test_same_page_same_bytes_with_the_dates_of_the_clock_only(shipped: bytes) -> None:
    assert policy_docx(shipped_page(), MOMENT) == shipped
    with zipfile.ZipFile(io.BytesIO(shipped)) as archive:
        members = archive.infolist()
        core = archive.read("docProps/core.xml").decode()
        app = archive.read("docProps/app.xml").decode()
    assert members[0].filename == "[Content_Types].xml"
    assert {m.date_time for m in members} == {(1980, 1, 1, 0, 0, 0)}
    stamps = re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z?", core + app)
    assert stamps == ["2027-02-01T12:00:00Z", "2027-02-01T12:00:00Z"]
    assert "<dc:language>nl</dc:language>" in core
    # python-docx's template carries a thumbnail of another document: not in ours.
    assert not [m.filename for m in members if "thumbnail" in m.filename]


def test_policy_text_is_written_as_it_is() -> None:
    hostile = 'Tekst met <w:p>, &amp; "quotes", **geen vet** en {{veld}}.'
    path = "policy/mini/sections/algemeen.yaml"
    text = MINI_FILES[path].replace("Je bent beleefd op sociale media.", f"'{hostile}'")
    document = read_docx(policy_docx(mini_page({path: text}), MOMENT))
    assert hostile in [p.text for p in document]


def test_bookmark_names_are_words_of_at_most_40_characters_and_unique() -> None:
    blocks = [
        Heading(3, "a", "sm-001"),
        Heading(2, "b", "hoofdstuk-" + "x" * 60),
        Heading(2, "c", "hoofdstuk-" + "x" * 61),
        Heading(3, "d", "1-a"),
    ]
    names = bookmark_names(blocks)
    assert names["sm-001"] == "sm_001" and names["1-a"] == "a1_a"
    assert all(re.fullmatch(r"[A-Za-z]\w{0,39}", name) for name in names.values())
    assert len(set(names.values())) == 4


def _soffice(source: Path, target: str) -> Path:
    """LibreOffice converts ``source`` to the ``target`` filter, beside it (a few seconds)."""
    profile = (source.parent / "profile").as_uri()
    subprocess.run(
        [
            "soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
            "--outdir", str(source.parent), str(source),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return source.with_suffix("." + target.split(":", maxsplit=1)[0])


@pytest.fixture(scope="module")
def libreoffice(shipped: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The document as a real LibreOffice opened it."""
    source = tmp_path_factory.mktemp("soffice") / "policy.docx"
    source.write_bytes(shipped)
    return source


def test_libreoffice_reads_every_clause_in_order(libreoffice: Path) -> None:
    text = words(_soffice(libreoffice, "txt:Text (encoded):UTF8").read_text(encoding="utf-8-sig"))
    position = text.index("Verantwoordelijk:")  # past the contents, which list every clause too
    for _, _, clause in shipped_policy().clauses():
        position = text.index(f"{words(clause.title)} ({clause.id})", position)
        for block in clause.text.split("\n\n"):
            position = text.index(words(block), position)


def test_libreoffice_takes_the_field_as_a_table_of_contents_and_the_outline(
    libreoffice: Path,
) -> None:
    with zipfile.ZipFile(_soffice(libreoffice, "odt")) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert content.count("<text:table-of-content ") == 1
    levels = re.findall(r'<text:h [^>]*text:outline-level="(\d)"', content)
    policy = shipped_policy()
    assert levels.count("1") == len(policy.sections)
    assert levels.count("2") == len(list(policy.clauses()))
