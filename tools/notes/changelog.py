"""The cumulative ``changelog/<policy-id>/CHANGELOG.md``, in the Keep a Changelog spirit.

Newest release first, one section per release with its effective date, its impact and a link
to its release notes, built as blocks (``tools/notes/blocks.py``). A release adds its section
above the previous ones and leaves the rest of the file as it is, so hand-written corrections
survive. Pure: text in, text out.
"""

from __future__ import annotations

from tools.base.errors import ChangelogError
from tools.notes import wording
from tools.notes.blocks import Block, BulletList, Heading, Line, Span, paragraph
from tools.notes.document import clause_line
from tools.notes.releasenotes import ReleaseNotes
from tools.notes.render_markdown import escape_text, render_markdown


def release_files(policy_id: str, version: str) -> tuple[str, str]:
    """Where a release's notes are written: Markdown and HTML, beside ``CHANGELOG.md``."""
    folder = f"changelog/{policy_id}"
    return f"{folder}/{version}.md", f"{folder}/{version}.html"


def changelog_path(policy_id: str) -> str:
    return f"changelog/{policy_id}/CHANGELOG.md"


def _header(notes: ReleaseNotes) -> str:
    title = escape_text(" ".join(notes.title.split()))
    return f"# {wording.CHANGELOG_TITLE}{title}\n\n{wording.CHANGELOG_INTRO}\n"


def version_heading(version: str, effective: str) -> Heading:
    """``## [1.0.0] - 2027-03-01``, brackets and all, as Keep a Changelog writes it."""
    written = f"[{version}] - {effective}"
    return Heading(2, (Span(written, markdown=written),))


def entry_blocks(notes: ReleaseNotes) -> tuple[Block, ...]:
    """One release's section: its version and date, its impact, links to its release notes
    (beside the changelog) and a line per clause, each naming its clause (removed: not)."""
    version = notes.version
    blocks: list[Block] = [
        version_heading(version, notes.effective.isoformat()),
        paragraph(
            Span(wording.changelog_impact(notes.impact)),
            Span(wording.NOTES_LINK, href=f"{version}.md"),
            Span(" · "),
            Span(wording.PAGE_LINK, href=f"{version}.html"),
        ),
    ]
    items: list[Line] = [
        (Span(f"{wording.GROUPS[group]}: "), *clause_line(e.title, e.clause, linkable=linkable))
        for group, entries, linkable in (
            ("new", notes.new, True),
            ("changed", notes.changed, True),
            ("removed", notes.removed, False),
        )
        for e in entries
    ]
    return (*blocks, BulletList(tuple(items))) if items else tuple(blocks)


def render_entry(notes: ReleaseNotes) -> str:
    """One release's section, as Markdown: ``## [version] - effective date`` and the rest."""
    return render_markdown(entry_blocks(notes))


def add_release(existing: str | None, notes: ReleaseNotes) -> str:
    """``existing`` (or a new changelog) with the release's section above the older ones."""
    text = existing if existing is not None else _header(notes)
    if f"\n## [{notes.version}]" in "\n" + text:
        raise ChangelogError(f"the changelog already has a section for {notes.version}")
    entry = render_entry(notes)
    at = text.find("\n## [")
    if at < 0:
        return text.rstrip("\n") + "\n\n" + entry
    return text[: at + 1] + entry + "\n" + text[at + 1 :]
