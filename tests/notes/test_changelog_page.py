"""The changelog page: the committed CHANGELOG.md (Keep a Changelog's format) read as blocks in
plain Dutch, clause lines linked, hand edits kept as Markdown."""

from __future__ import annotations

from tests.notes.test_releasenotes import case_notes
from tools.notes.blocks import BulletList
from tools.notes.changelog import add_release
from tools.notes.changelog_page import read_changelog
from tools.notes.fragment import Fragment
from tools.notes.render_html import render_html


def _link(clause: str) -> str | None:
    return f"index.html#{clause}"


def _two_releases() -> str:
    text = add_release(None, case_notes("01__first_release"))
    return add_release(text, case_notes("02__added_changed_moved_removed"))


def test_changelog_page_is_plain_dutch_and_links_clause_lines() -> None:
    text = _two_releases().replace("## [Unreleased]\n", "## [Unreleased]\n\n- eigen *lijst*\n")
    blocks = read_changelog(text)
    assert sum(isinstance(block, BulletList) for block in blocks) == 4
    html = render_html(blocks, _link)
    assert '<h3>Nieuw</h3>\n<ul>\n<li><a href="index.html#mi-004">Deel nieuws' in html
    assert '<h3>Vervallen</h3>\n<ul>\n<li>Geen klantgegevens <span class="id">(mi-002)' in html
    assert "<p>Alle versies van dit beleid, de nieuwste bovenaan: wanneer" in html
    assert (
        "Soort wijziging: wezenlijk (opnieuw lezen en bevestigen). "
        '<a href="2.0.0.html">Lees wat er verandert</a></p>' in html
    )
    assert "<h2>Nog niet uitgebracht</h2>\n<ul>\n<li>eigen <em>lijst</em></li>" in html
    assert "<h2>Versie 2.0.0</h2>" in html
    assert "<h3>Nieuw</h3>" in html and "<h3>Vervallen</h3>" in html
    assert "Geldt vanaf 1 maart 2027." in html
    words = ("Impact", "policy diff", "[2.0.0]", "Added", "Unreleased", "2027-03-01", "Keep a")
    for jargon in words:
        assert jargon not in html


def test_empty_unreleased_section_is_left_out() -> None:
    html = render_html(read_changelog(_two_releases()))
    assert "Nog niet uitgebracht" not in html
    assert html.index("Versie 2.0.0") < html.index("Versie 1.0.0")


def test_changelog_clause_list_changed_by_hand_stays_markdown() -> None:
    text = add_release(None, case_notes("03__editorial_only"))
    text = text.replace("- Gewijzigd: Uitleg (mi-003)", "- Gewijzigd: Uitleg (mi-003), zie ook")
    blocks = read_changelog(text)
    assert not any(isinstance(block, BulletList) for block in blocks)
    assert any(isinstance(block, Fragment) for block in blocks)
    assert "index.html#" not in render_html(blocks, _link)


def test_older_format_reads_as_plain_dutch() -> None:
    """The format before Keep a Changelog's headings: the effective date in the heading, the
    impact in English, the clause lines right below it."""
    old = (
        "# Wijzigingen in Mini\n\n"
        "## [1.0.1] - 2027-01-01\n\n"
        "Impact: patch (redactioneel). [Releasenotes](1.0.1.md) · [webpagina](1.0.1.html)\n\n"
        "- Gewijzigd: Wees beleefd (mi-001)\n"
    )
    html = render_html(read_changelog(old), _link)
    assert "<h2>Versie 1.0.1</h2>\n<p>Geldt vanaf: 1 januari 2027.</p>" in html
    assert "<p>Soort wijziging: redactioneel. <a href=" in html
    assert '<li>Gewijzigd: <a href="index.html#mi-001">Wees beleefd' in html
    assert "Impact" not in html
