"""The pages of a policy's releases, as blocks (``tools/notes/blocks.py``): each release's notes
and the changelog, under the crumbs back to the policy.

Pure. The site shows what was published: the committed ``<version>.md`` and ``CHANGELOG.md``,
read back into blocks (``tools/notes/readback.py``), so that their clause headings and clause
lines take the site's links at render time; a short page says what is missing.
"""

from __future__ import annotations

from tools.notes.blocks import Block, Heading, Paragraph, Span, paragraph, text
from tools.notes.changelog_page import read_changelog
from tools.notes.readback import read_committed
from tools.notes.wording import (
    CHANGELOG_TITLE,
    EFFECTIVE,
    IMPACT_DUTCH,
    KIND,
    NOT_FOUND,
    NOT_RELEASED,
    dutch_date,
)
from tools.versions.releaseid import ReleaseRecord


def crumbs(policy_title: str) -> Block:
    """``Al het beleid › <policy>``, from a page in the policy's folder."""
    return paragraph(
        Span("Al het beleid", href="../index.html"),
        Span(" › "),
        Span(policy_title, href="index.html"),
    )


def notes_blocks(
    policy_title: str, title: str, release: ReleaseRecord, committed: str | None
) -> tuple[Block, ...]:
    """A release's notes page (``title``: the release's): the committed notes, or, when they
    are missing, its date and impact and that the notes are not found."""
    if committed is not None:
        return crumbs(policy_title), *read_committed(committed)
    facts = (
        (Span(EFFECTIVE, "strong"), Span(f" {dutch_date(release.effective)}")),
        (Span(KIND, "strong"), Span(f" {IMPACT_DUTCH[release.impact]}")),
    )
    return (
        crumbs(policy_title),
        Heading(1, text(title)),
        Paragraph(facts),
        paragraph(Span(NOT_FOUND)),
    )


def changelog_title(policy_title: str) -> str:
    return f"{CHANGELOG_TITLE}{policy_title}"


def changelog_blocks(policy_title: str, changelog: str | None) -> tuple[Block, ...]:
    """The changelog page: the committed changelog, or that there are no versions yet."""
    if changelog is not None:
        return crumbs(policy_title), *read_changelog(changelog)
    heading = Heading(1, text(changelog_title(policy_title)))
    return crumbs(policy_title), heading, paragraph(Span(NOT_RELEASED))
