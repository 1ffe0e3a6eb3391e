"""The cumulative ``changelog/<policy-id>/CHANGELOG.md``, in Keep a Changelog's format.

An ``[Unreleased]`` section, then the releases, newest first: per release ``## [version] -
release date``, the day it takes effect, its kind and links to its release notes, then
``### Added``/``### Changed``/``### Removed`` (English, so Keep a Changelog's parsers read them)
with one line per clause in Dutch (``Nieuw: Titel (sm-012)``). Built as blocks
(``tools/notes/blocks.py``). A release adds its section below ``[Unreleased]``, above the
previous ones, and leaves the rest of the file as it is, so hand-written corrections survive.
Pure: text in, text out.
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
    intro = render_markdown(
        (
            paragraph(
                Span(wording.CHANGELOG_INTRO),
                Span("Keep a Changelog", href=KEEP_A_CHANGELOG),
                Span("."),
            ),
        )
    )
    return f"# {wording.CHANGELOG_TITLE}{title}\n\n{intro}\n{UNRELEASED}\n"


KEEP_A_CHANGELOG = "https://keepachangelog.com/nl/1.1.0/"
UNRELEASED = "## [Unreleased]"
CATEGORIES = {"new": "Added", "changed": "Changed", "removed": "Removed"}
"""Keep a Changelog's headings, in English so its parsers read them; each item says it in
Dutch (``Nieuw: ...``)."""


def version_heading(version: str, released: str) -> Heading:
    """``## [1.0.0] - 2027-02-14``, brackets and all, as Keep a Changelog writes it: the day
    of the release (the day it takes effect is in the line below)."""
    written = f"[{version}] - {released}"
    return Heading(2, (Span(written, markdown=written),))


def entry_blocks(notes: ReleaseNotes) -> tuple[Block, ...]:
    """One release's section: its version and release date, the day it takes effect, its
    kind, links to its release notes (beside the changelog) and, under Keep a Changelog's
    headings, a line per clause, each naming its clause (removed: not)."""
    version = notes.version
    released = notes.released or notes.effective
    blocks: list[Block] = [
        version_heading(version, released.isoformat()),
        paragraph(
            Span(wording.changelog_facts(notes.effective, notes.impact, first=notes.first)),
            Span(wording.NOTES_LINK, href=f"{version}.md"),
            Span(" · "),
            Span(wording.PAGE_LINK, href=f"{version}.html"),
        ),
    ]
    for group, entries, linkable in (
        ("new", notes.new, True),
        ("changed", notes.changed, True),
        ("removed", notes.removed, False),
    ):
        if entries:
            label = Span(f"{wording.GROUPS[group]}: ")
            items: list[Line] = [
                (label, *clause_line(e.title, e.clause, linkable=linkable)) for e in entries
            ]
            blocks += [Heading(3, (Span(CATEGORIES[group]),)), BulletList(tuple(items))]
    return tuple(blocks)


def render_entry(notes: ReleaseNotes) -> str:
    """One release's section, as Markdown: ``## [version] - release date`` and the rest."""
    return render_markdown(entry_blocks(notes))


def add_release(existing: str | None, notes: ReleaseNotes) -> str:
    """``existing`` (or a new changelog) with the release's section above the older ones and
    below ``[Unreleased]`` (added when missing)."""
    text = existing if existing is not None else _header(notes)
    if f"\n## [{notes.version}]" in "\n" + text:
        raise ChangelogError(f"the changelog already has a section for {notes.version}")
    entry = render_entry(notes)
    unreleased = ("\n" + text).find(f"\n{UNRELEASED}\n")
    after = 0 if unreleased < 0 else unreleased + len(UNRELEASED) + 1
    at = text.find("\n## [", after)
    if unreleased < 0:
        entry = f"{UNRELEASED}\n\n{entry}"
    if at < 0:
        return text.rstrip("\n") + "\n\n" + entry
    return text[: at + 1] + entry + "\n" + text[at + 1 :]
