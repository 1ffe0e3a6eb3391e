"""The cumulative ``changelog/<policy-id>/CHANGELOG.md``, in the Keep a Changelog spirit.

Newest release first, one section per release with its effective date, its impact and a link
to its release notes. A release adds its section above the previous ones and leaves the rest
of the file as it is, so hand-written corrections survive. Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tools.compare.impact import Impact
from tools.notes.releasenotes import Entry, ReleaseNotes
from tools.notes.render_markdown import escape_text

_IMPACT_WORD = {
    Impact.MAJOR: "wezenlijk (opnieuw bevestigen)",
    Impact.MINOR: "aanvulling of verduidelijking",
    Impact.PATCH: "redactioneel",
    Impact.NONE: "geen wijzigingen",
}


class ChangelogError(ValueError):
    """The changelog cannot take this release (it is there already)."""


def release_files(policy_id: str, version: str) -> tuple[str, str]:
    """Where a release's notes are written: Markdown and HTML, beside ``CHANGELOG.md``."""
    folder = f"changelog/{policy_id}"
    return f"{folder}/{version}.md", f"{folder}/{version}.html"


def changelog_path(policy_id: str) -> str:
    return f"changelog/{policy_id}/CHANGELOG.md"


def _header(notes: ReleaseNotes) -> str:
    title = escape_text(" ".join(notes.title.split()))
    return (
        f"# Wijzigingen in {title}\n\n"
        "Alle versies van dit beleid, de nieuwste bovenaan. Elke versie heeft releasenotes "
        "voor medewerkers; de volledige tekstvergelijking geeft `policy diff`.\n"
    )


def _line(label: str, entry: Entry) -> str:
    return f"- {label}: {escape_text(' '.join(entry.title.split()))} ({entry.clause})"


_CLAUSE_LINE = re.compile(
    r"^- (?P<label>Nieuw|Gewijzigd): (?P<item>.* \((?P<clause>[a-z][a-z0-9]{1,9}-[0-9]{3,4})\))$"
)


def link_clause_lines(text: str, target: Callable[[str], str | None]) -> str:
    """The changelog with each new or changed clause's line a link to ``target(clause id)``;
    no link where it gives None, nor for a removed clause (*Vervallen*)."""
    lines = []
    for line in text.split("\n"):
        match = _CLAUSE_LINE.match(line)
        href = target(match["clause"]) if match else None
        # The title is escaped (no unescaped brackets), so it is safe as link text.
        lines.append(f"- {match['label']}: [{match['item']}]({href})" if match and href else line)
    return "\n".join(lines)


def render_entry(notes: ReleaseNotes) -> str:
    """One release's section: ``## [version] - effective date``, its impact and its clauses."""
    lines = [
        f"## [{notes.version}] - {notes.effective.isoformat()}",
        "",
        f"Impact: {notes.impact} ({_IMPACT_WORD[notes.impact]}). "
        f"[Releasenotes]({notes.version}.md) · [webpagina]({notes.version}.html)",
    ]
    items = [_line("Nieuw", entry) for entry in notes.new]
    items += [_line("Gewijzigd", entry) for entry in notes.changed]
    items += [_line("Vervallen", entry) for entry in notes.removed]
    if items:
        lines += ["", *items]
    return "\n".join(lines) + "\n"


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
