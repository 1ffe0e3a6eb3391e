"""Release notes for employees: what changes for them, from when, in the policy's language.

Pure: ``plan_release`` turns the diff since the last release and the authors' notes into a
``ReleaseNotes`` value (the next version, the effective date, the changes grouped as new,
changed and removed), and ``render_markdown`` writes it as Dutch Markdown. Every piece of
policy text is escaped, so a clause that contains ``<script>`` or ``[a](b)`` shows as text;
the authors' notes are Markdown, with raw HTML shown as text. The HTML page is rendered from
this Markdown by ``tools/notes/htmlpage.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schema.models import LEVEL_DUTCH, Level
from tools.base.loader import Policy
from tools.compare.diff import Change, PolicyDiff
from tools.compare.impact import Impact
from tools.compare.redline import Segment, render_segments
from tools.notes.changenotes import Note, escape_body
from tools.notes.check import change_ids, effective_impact

# Escapes that CommonMark and Python-Markdown both read (a backslash before ASCII punctuation
# that is also in Python-Markdown's list; entities elsewhere), and only where the character
# would start markup there: the published Markdown reads the same in any renderer.
_INLINE_MARKUP = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape, or break the line
    r"|[`*\[\]]"  # code, emphasis, links and images
    r"|(?<![^\W_])_|_(?![^\W_])"  # emphasis, except inside a word (foo_bar is text in both)
    r"|<(?=[A-Za-z/!?])"  # raw HTML and autolinks
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity
    r"|\{(?=[+#])|(?<=\+)\}"  # the release notes' own {+insert+} and the {#anchor} of a heading
    r"|#(?=[ \t]*$)",  # the closing sequence of a heading
    re.MULTILINE,
)
_ENTITIES = {"<": "&lt;", "&": "&amp;", "=": "&#61;", "|": "&#124;"}
_LINE_START = re.compile(
    r"^(?P<lead>[ \t]*\d*)(?P<marker>"
    r"(?<=\d)[.)](?=[ \t]|$)"  # a numbered list
    r"|(?<!\d)[#>]"  # a heading, a quote
    r"|(?<!\d)[-+](?=[ \t]|$|-)"  # a list, a rule, a setext underline
    r"|(?<!\d)=(?==*[ \t]*$)"  # a setext underline
    r")",
    re.MULTILINE,
)
# A line that a table extension (GitHub's, markdown-it's) would read as a table's delimiter row.
_DELIMITER_ROW = re.compile(r"^[ \t]*[-:|][-:| \t]*$", re.MULTILINE)

_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

IMPACT_DUTCH = {
    Impact.MAJOR: "wezenlijk: wat er van je verwacht wordt verandert",
    Impact.MINOR: "aanvulling of verduidelijking: je plichten blijven gelijk",
    Impact.PATCH: "redactioneel: alleen de formulering, niet de inhoud",
    Impact.NONE: "geen wijzigingen",
}


def dutch_date(day: dt.date) -> str:
    """``1 maart 2027``: the long Dutch form, the same on every machine (no locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def bump(version: str, impact: Impact) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if impact is Impact.MAJOR:
        return f"{major + 1}.0.0"
    if impact is Impact.MINOR:
        return f"{major}.{minor + 1}.0"
    if impact is Impact.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return version


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def next_version(previous: str | None, impact: Impact, declared: str) -> str:
    """The version a release gets: the policy's own version at the first release; after that
    the last release bumped by the impact, or the declared version when that is higher."""
    if previous is None:
        return declared
    bumped = bump(previous, impact)
    return declared if version_key(declared) > version_key(bumped) else bumped


@dataclass(frozen=True)
class Entry:
    """One clause in the release notes."""

    clause: str
    title: str
    kind: str
    impact: Impact
    section: str
    """The title of the clause's section."""
    level: Level
    text: str
    """The new text; the old one for a removed clause."""
    notes: tuple[str, ...]
    redline: tuple[Segment, ...] | None
    previous_id: str | None = None
    moved_from: str | None = None
    """The section it came from, when it moved to another section."""


@dataclass(frozen=True)
class ReleaseNotes:
    policy: str
    title: str
    version: str
    previous: str | None
    effective: dt.date
    impact: Impact
    acknowledgement: bool
    """True when employees must read the policy again and confirm it."""
    summary: str
    new: tuple[Entry, ...]
    changed: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    general: tuple[str, ...]
    """Bodies of notes that name no clause: about the policy as a whole."""
    approvers: tuple[str, ...] = ()
    """Who approved the release, as ``Name (department)``: from its archived evidence."""


def plan_release(
    diff: PolicyDiff,
    head: Policy,
    base: Policy | None,
    notes: Sequence[Note],
    previous: str | None,
) -> ReleaseNotes:
    """The release notes for releasing ``head``, the last release being ``base``/``previous``."""
    clause_changes = [change for change in diff.changes if change.clause is not None]
    impact = max(
        (effective_impact(change, notes) for change in clause_changes),
        default=max(diff.impact, Impact.PATCH) if diff.changes else Impact.NONE,
    )
    meta = head.meta.model
    titles = _section_titles(head, base)
    entries = [_entry(change, notes, titles) for change in clause_changes]
    grouped = {
        group: tuple(entry for entry in entries if _group(entry.kind) == group)
        for group in ("new", "changed", "removed")
    }
    acknowledgement = meta.acknowledgement and impact is Impact.MAJOR
    return ReleaseNotes(
        policy=head.id,
        title=meta.title,
        version=next_version(previous, impact, meta.version),
        previous=previous,
        effective=meta.effective,
        impact=impact,
        acknowledgement=acknowledgement,
        summary=_summary(previous, meta.summary, grouped, impact),
        new=grouped["new"],
        changed=grouped["changed"],
        removed=grouped["removed"],
        general=tuple(note.body for note in notes if not note.meta.clauses),
    )


def _section_titles(head: Policy, base: Policy | None) -> dict[str, str]:
    titles = {s.model.id: s.model.title for s in base.sections} if base else {}
    titles.update({s.model.id: s.model.title for s in head.sections})
    return titles


def _group(kind: str) -> str:
    return {"added": "new", "removed": "removed"}.get(kind, "changed")


def _entry(change: Change, notes: Sequence[Note], titles: dict[str, str]) -> Entry:
    clause = change.head or change.base
    assert clause is not None and change.clause is not None  # a clause change has one
    ids = set(change_ids(change))
    moved_from = None
    if change.moved_from and change.moved_to and change.moved_from.section != change.section:
        moved_from = titles.get(change.moved_from.section, change.moved_from.section)
    return Entry(
        clause=change.clause,
        title=change.title,
        kind=change.kind,
        impact=effective_impact(change, notes),
        section=titles.get(change.section or "", change.section or ""),
        level=clause.level,
        text=clause.text,
        notes=tuple(note.body for note in notes if ids.intersection(note.meta.clauses)),
        redline=change.redline if change.kind in ("modified", "id-changed") else None,
        previous_id=change.previous_id,
        moved_from=moved_from,
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _summary(
    previous: str | None, policy_summary: str, grouped: dict[str, tuple[Entry, ...]], impact: Impact
) -> str:
    if previous is None:
        return f"Dit is de eerste versie van dit beleid. {' '.join(policy_summary.split())}"
    parts = [
        _count(len(grouped["new"]), "nieuw artikel", "nieuwe artikelen"),
        _count(len(grouped["changed"]), "gewijzigd artikel", "gewijzigde artikelen"),
        _count(len(grouped["removed"]), "vervallen artikel", "vervallen artikelen"),
    ]
    counts = ", ".join(parts[:2]) + " en " + parts[2]
    outcome = {
        Impact.MAJOR: "Er verandert iets aan wat er van je verwacht wordt; lees de wijzigingen "
        "hieronder goed.",
        Impact.MINOR: "Je plichten blijven gelijk; er is nieuwe uitleg of een aanvulling.",
        Impact.PATCH: "Het gaat alleen om de formulering: wat er van je verwacht wordt, blijft "
        "gelijk en je hoeft niets te doen.",
        Impact.NONE: "Er is inhoudelijk niets veranderd.",
    }[impact]
    return f"Deze versie heeft {counts} ten opzichte van versie {previous}. {outcome}"


# --- Markdown ----------------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """Policy text as Markdown that renders as exactly that text (no markup, links or entities)
    in CommonMark and in Python-Markdown alike; plain where plain text will do."""
    return _escape_line_starts(_escape_inline(text))


def _escape_inline(text: str) -> str:
    return _INLINE_MARKUP.sub(lambda m: _escape_char(m.group()), text)


def _escape_line_starts(escaped: str) -> str:
    escaped = _LINE_START.sub(lambda m: m["lead"] + _escape_char(m["marker"]), escaped)
    return _DELIMITER_ROW.sub(lambda m: m.group().replace("|", _ENTITIES["|"]), escaped)


def _escape_char(char: str) -> str:
    return _ENTITIES.get(char, "\\" + char)


def _paragraphs(text: str, prefix: str = "") -> list[str]:
    """Policy text paragraph by paragraph, each on one line (line breaks inside are wraps)."""
    blocks = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append(prefix.rstrip())
        lines.append(prefix + escape_text(block))
    return lines


def _redline(segments: Sequence[Segment]) -> str:
    """Word redline in the release notes' own markers: ``[-old-]`` and ``{+new+}``."""
    # Escaped as one line: a run's text is at the start of the line only when it comes first.
    return _escape_line_starts(
        render_segments(
            segments,
            delete="[-{}-]",
            insert="{{+{}+}}",
            escape=lambda text: _escape_inline(text.replace("\n", " ")),
        )
    )


def _heading(entry: Entry) -> str:
    return f"### {escape_text(' '.join(entry.title.split()))} ({entry.clause})"


_CLAUSE_HEADING = re.compile(r"^### (?P<heading>.* \((?P<clause>[a-z][a-z0-9]{1,9}-[0-9]{3,4})\))$")


def link_clause_headings(markdown: str, target: Callable[[str], str | None]) -> str:
    """Release notes (as ``render_markdown`` writes them) with each clause heading a link to
    ``target(clause id)``; no link where it gives None, nor under *Vervallen* (removed)."""
    lines = []
    group = ""
    for line in markdown.split("\n"):
        if line.startswith("## "):
            group = line[3:].strip()
        match = _CLAUSE_HEADING.match(line)
        href = target(match["clause"]) if match and group != "Vervallen" else None
        # The heading text is escaped (no unescaped brackets), so it is safe as link text.
        lines.append(f"### [{match['heading']}]({href})" if match and href else line)
    return "\n".join(lines)


def _about(entry: Entry) -> str:
    level = LEVEL_DUTCH[entry.level]
    about = f"Hoofdstuk: {escape_text(entry.section)} · {level}"
    if entry.previous_id:
        about += f" · was artikel {entry.previous_id}"
    if entry.moved_from:
        about += f" · verplaatst uit {escape_text(entry.moved_from)}"
    return f"*{about}*"


def _entry_lines(entry: Entry, group: str) -> list[str]:
    lines = ["", _heading(entry), "", _about(entry)]
    for body in entry.notes:
        lines += ["", escape_body(body)]
    if not entry.notes and entry.impact <= Impact.PATCH:
        lines += ["", _editorial_line(entry)]
    if group == "removed":
        lines += ["", "Dit artikel vervalt. De tekst was:", ""]
        return lines + _paragraphs(entry.text, "> ")
    lines += ["", "**Nieuwe tekst:**" if group == "changed" else "**Tekst:**", ""]
    lines += _paragraphs(entry.text, "> ")
    if entry.redline is not None and any(s.op != "equal" for s in entry.redline):
        lines += [
            "",
            "**Wat er in de tekst veranderde** (voor reviewers: \\[-zo-] is weggehaald, "
            "\\{+zo+} is toegevoegd):",
            "",
            "> " + _redline(entry.redline),
        ]
    return lines


def _editorial_line(entry: Entry) -> str:
    if entry.kind == "moved":
        return "Alleen de plaats van dit artikel is veranderd; de inhoud is gelijk gebleven."
    return "Alleen de formulering is verbeterd; wat er van je verwacht wordt, blijft gelijk."


def release_title(notes: ReleaseNotes) -> str:
    return f"{' '.join(notes.title.split())}, versie {notes.version}"


def render_markdown(notes: ReleaseNotes) -> str:
    """The release notes as Markdown: deterministic, Dutch, one page."""
    lines = [f"# {escape_text(release_title(notes))}", ""]
    facts = [f"**Geldt vanaf:** {dutch_date(notes.effective)}"]
    if notes.previous is not None:
        facts.append(f"**Vorige versie:** {notes.previous}")
    facts.append(f"**Soort wijziging:** {IMPACT_DUTCH[notes.impact]}")
    # A list, not lines ending in a backslash: every Markdown renderer reads it the same.
    lines += [f"- {fact}" for fact in facts] + ["", escape_text(notes.summary)]
    lines += ["", _acknowledgement(notes)]
    for body in notes.general:
        lines += ["", escape_body(body)]
    for group, heading, entries in (
        ("new", "Nieuw", notes.new),
        ("changed", "Gewijzigd", notes.changed),
        ("removed", "Vervallen", notes.removed),
    ):
        if entries:
            lines += ["", f"## {heading}"]
            for entry in entries:
                lines += _entry_lines(entry, group)
    if not (notes.new or notes.changed or notes.removed):
        lines += ["", "Er zijn geen artikelen gewijzigd."]
    if notes.approvers:
        lines += ["", "## Goedgekeurd door", ""]
        lines += [f"- {escape_text(who)}" for who in notes.approvers]
    return "\n".join(lines) + "\n"


def _acknowledgement(notes: ReleaseNotes) -> str:
    if notes.acknowledgement:
        return (
            f"**Opnieuw lezen en bevestigen.** Deze versie verandert wat er van je verwacht "
            f"wordt. Lees het beleid en bevestig vóór {dutch_date(notes.effective)} dat je het "
            "gelezen hebt."
        )
    return "Je hoeft het beleid niet opnieuw te bevestigen."
