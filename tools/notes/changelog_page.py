"""The committed ``CHANGELOG.md`` as the changelog page employees read: blocks, in plain Dutch.

Pure. ``CHANGELOG.md`` keeps Keep a Changelog's format for its parsers (``[1.1.0] - 2027-02-14``,
``### Added``); the page says the same in Dutch: *Versie 1.1.0*, *Uitgebracht op 14 februari
2027*, *Nieuw*. An empty ``[Unreleased]`` is left out. Each list of clauses, where it stands as
``tools/notes/changelog.py`` writes it, names its clauses (the site links them); everything
else, hand edits included, is Markdown as written. A changelog of the older format (the
effective date in the heading, then ``Impact: major (...)``) reads as plain Dutch too.
"""

from __future__ import annotations

import datetime as dt
import re

from schema.models import CLAUSE_ID
from tools.compare.impact import Impact
from tools.notes import wording
from tools.notes.blocks import Block, BulletList, Heading, Span, paragraph, text
from tools.notes.document import clause_line
from tools.notes.fragment import References, fragment, references
from tools.notes.readback import unescape
from tools.notes.render_markdown import block_markdown

_RELEASE = re.compile(r"^## \[(?P<version>[^\]\s]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$")
_UNRELEASED = re.compile(r"^## \[unreleased\]$", re.IGNORECASE)
_CATEGORIES = {"### Added": "new", "### Changed": "changed", "### Removed": "removed"}
_OLD_IMPACT = re.compile(r"^Impact: (?P<impact>major|minor|patch|none) \(.*?\)\. ")
_LABEL_GROUPS = {label: group for group, label in wording.GROUPS.items()}
_ITEM = re.compile(rf"^(?P<title>.+) \((?P<clause>{CLAUSE_ID.strip('^$')})\)$")

_LINKS = re.compile(
    r"^(?P<facts>Geldt vanaf [^\n\[\]]*?\. )\[Releasenotes\]\((?P<version>[0-9.]+)\.md\) · "
    r"\[webpagina\]\((?P=version)\.html\)$"
)

RELEASED = "Uitgebracht op "
UNRELEASED = "Nog niet uitgebracht"
INTRO = (
    "Alle versies van dit beleid, de nieuwste bovenaan: wanneer elke versie is uitgebracht, "
    "vanaf wanneer ze geldt en welke regels nieuw zijn, gewijzigd of vervallen."
)
"""The page's opening, instead of the file's (which names the file's format)."""
READ_NOTES = "Lees wat er verandert"


def read_changelog(markdown: str) -> tuple[Block, ...]:
    """The changelog page's blocks from the committed ``CHANGELOG.md``."""
    refs = references(markdown)
    chunks = markdown.removesuffix("\n").split("\n\n")
    blocks: list[Block] = []
    pending: list[str] = []
    for at, chunk in enumerate(chunks):
        before = chunks[at - 1] if at else ""
        after = chunks[at + 1] if at + 1 < len(chunks) else ""
        read = _read(chunk, before, after)
        if read is None:
            pending.append(_plain_impact(chunk))
            continue
        blocks += [*_markdown(pending, refs), *read]
        pending = []
    return (*blocks, *_markdown(pending, refs))


def _read(chunk: str, before: str, after: str) -> list[Block] | None:
    """What the page shows for ``chunk``; None: Markdown as written."""
    if chunk.startswith(wording.CHANGELOG_INTRO):
        return [paragraph(Span(INTRO))]
    links = _LINKS.match(chunk)
    if links is not None:
        page = Span(READ_NOTES, href=f"{links['version']}.html")
        return [paragraph(Span(links["facts"]), page)]
    if _UNRELEASED.match(chunk):
        return [] if not after or after.startswith("## ") else [Heading(2, text(UNRELEASED))]
    release = _RELEASE.match(chunk)
    if release is not None:
        return _release(release["version"], release["date"], old=bool(_OLD_IMPACT.match(after)))
    if chunk in _CATEGORIES:
        return [Heading(3, text(wording.GROUPS[_CATEGORIES[chunk]]))]
    # A list stands alone after its heading (or the older impact line) and before whatever
    # does not continue it (a chunk that starts with the same marker or an indent would).
    if (before in _CATEGORIES or _OLD_IMPACT.match(before)) and not after.startswith(
        ("-", " ", "\t")
    ):
        clauses = _clause_list(chunk, plain=before in _CATEGORIES)
        return None if clauses is None else [clauses]
    return None


def _release(version: str, day: str | None, *, old: bool) -> list[Block]:
    """``Versie 1.1.0`` and its day: released (or, in the older format, in effect)."""
    blocks: list[Block] = [Heading(2, text(f"Versie {version}"))]
    try:
        date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        date = None
    if date is not None:
        label = wording.EFFECTIVE + " " if old else RELEASED
        blocks.append(paragraph(Span(f"{label}{wording.dutch_date(date)}.")))
    return blocks


def _plain_impact(chunk: str) -> str:
    """The older ``Impact: major (...). `` line as ``Soort wijziging: ...``."""
    match = _OLD_IMPACT.match(chunk)
    if match is None:
        return chunk
    kind = wording.CHANGELOG_IMPACT[Impact[match["impact"].upper()]]
    return f"Soort wijziging: {kind}. {chunk[match.end() :]}"


def _markdown(chunks: list[str], refs: References) -> list[Block]:
    return [fragment("\n\n".join(chunks), refs)] if chunks else []


def _clause_list(chunk: str, *, plain: bool) -> Block | None:
    """``- Nieuw: Titel (sm-012)`` lines, exactly as the changelog writes them; on the page
    without ``Nieuw:`` (the heading above says it) but in the older format."""
    items = []
    labelled = []
    for line in chunk.split("\n"):
        label, _, rest = line[2:].partition(": ")
        group = _LABEL_GROUPS.get(label)
        match = _ITEM.match(rest)
        if not line.startswith("- ") or group is None or match is None:
            return None
        title, clause = unescape(match["title"]), match["clause"]
        item = clause_line(title, clause, linkable=group != "removed")
        items.append(item)
        labelled.append((Span(f"{label}: "), *item))
    if block_markdown(BulletList(tuple(labelled))) != chunk:
        return None
    return BulletList(tuple(items if plain else labelled))
