"""The cumulative CHANGELOG.md: newest first, hand edits kept, one section per version."""

from __future__ import annotations

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
    entry = render_entry(case_notes("03__editorial_only"))
    assert entry.splitlines()[0] == "## [1.0.1] - 2027-01-01"
    assert "Impact: patch (redactioneel)." in entry
    assert "- Gewijzigd: Wees beleefd (mi-001)" in entry
