"""The cumulative CHANGELOG.md: newest first, hand edits kept, one section per version."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import keepachangelog
import pytest

from tests.notes.test_releasenotes import case_notes
from tools.base.errors import ChangelogError
from tools.notes.changelog import add_release, render_entry


def test_new_release_goes_on_top_and_keeps_the_rest() -> None:
    first = case_notes("01__first_release")
    second = case_notes("02__added_changed_moved_removed")
    text = add_release(None, first)
    text = text.replace("# Wijzigingen in Mini\n", "# Wijzigingen in Mini\n\n<!-- eigen -->\n")
    text = add_release(text, second)
    assert text.index("## [2.0.0] - 2027-03-01") < text.index("## [1.0.0] - 2027-01-01")
    assert "<!-- eigen -->" in text
    assert "[Releasenotes](2.0.0.md)" in text
    assert "- Vervallen: Geen klantgegevens (mi-002)" in text


def test_same_version_twice_is_refused() -> None:
    first = case_notes("01__first_release")
    with pytest.raises(ChangelogError, match=r"1\.0\.0"):
        add_release(add_release(None, first), first)


def test_entry_links_the_release_notes_and_lists_each_clause() -> None:
    notes = replace(case_notes("03__editorial_only"), released=dt.date(2026, 12, 14))
    entry = render_entry(notes)
    assert entry.splitlines()[0] == "## [1.0.1] - 2026-12-14"
    assert "Geldt vanaf 1 januari 2027. Soort wijziging: redactioneel." in entry
    assert "### Changed\n\n- Gewijzigd: Wees beleefd (mi-001)" in entry


def test_keep_a_changelog_parser_reads_it() -> None:
    """keepachangelog (PyPI), a parser of the format, finds every release with its release date,
    its clauses under Added/Changed/Removed, and the [Unreleased] section."""
    first = replace(case_notes("01__first_release"), released=dt.date(2026, 12, 1))
    second = replace(case_notes("02__added_changed_moved_removed"), released=dt.date(2027, 1, 30))
    text = add_release(add_release(None, first), second)
    parsed = keepachangelog.to_dict(text.splitlines(), show_unreleased=True)
    assert list(parsed) == ["unreleased", "2.0.0", "1.0.0"]
    assert parsed["2.0.0"]["metadata"]["release_date"] == "2027-01-30"
    assert parsed["1.0.0"]["metadata"]["release_date"] == "2026-12-01"
    assert parsed["2.0.0"]["removed"] == ["Vervallen: Geen klantgegevens (mi-002)"]
    assert any(line.startswith("Nieuw: Deel nieuws") for line in parsed["2.0.0"]["added"])
    assert set(parsed["2.0.0"]) == {"metadata", "uncategorized", "added", "changed", "removed"}
    assert parsed["2.0.0"]["uncategorized"][0].startswith("Geldt vanaf 1 maart 2027.")
