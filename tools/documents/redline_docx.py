"""The redline of a policy diff as a Word document, for legal reviewers.

Pure: ``build_redline`` turns ``PolicyDiff`` values into the bytes of a ``.docx``. One heading
per changed clause (its title and id), a line with its section, its level in Dutch and the kind
of change, then its text with the word-level changes (``tools/compare/redline.py``) as native
tracked changes by ``AUTHOR``: an added clause is one insertion, a removed one one deletion.
Accepting every change gives HEAD's texts, rejecting every change BASE's. The impact and its
reason are a comment on the heading; moves and id changes a line under it; changes to titles,
dates and intros a table at the end.

Paragraphs (blank lines in a clause's text) survive the word diff: they are joined with
``PARAGRAPH_BREAK``, a character no policy text uses, which the tokenizer keeps as a token of
its own, and an inserted or deleted break becomes a tracked paragraph mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from schema.models import LEVEL_DUTCH, Clause
from tools.compare.diff import Change, PolicyDiff
from tools.compare.redline import Segment, redline
from tools.documents.word import Change as Op
from tools.documents.word import Text, WordDocument
from tools.gate.summary_wording import dutch_reason
from tools.notes.blocks import text_paragraphs
from tools.notes.wording import IMPACT_DUTCH, dutch_date

AUTHOR = "policy diff"
"""Every tracked change and comment is by this author, so a reviewer can tell them apart."""

PARAGRAPH_BREAK = "\ue000"
"""A private-use character: a token of its own for the word diff, never in a policy text."""

CLAUSE_TEXT = "Regeltekst"
"""The style of a clause's text paragraphs (and only those)."""

CLAUSE_FACTS = "Regelgegevens"

_KINDS = {
    "added": "nieuw artikel",
    "removed": "vervallen artikel",
    "modified": "gewijzigd artikel",
    "moved": "verplaatst artikel",
    "id-changed": "artikel met een nieuw id",
}

# Field names as the reader knows them (the labels of the employees' page).
_FIELDS = {
    "title": "titel",
    "level": "niveau",
    "text": "tekst",
    "summary": "samenvatting",
    "legal": "wettelijke basis",
    "applies_to": "geldt voor",
    "monitoring": "monitoring",
    "see": "zie ook",
    "contact": "contact",
    "elements": "elementen",
    "next_review": "volgende herziening",
    "intro": "inleiding",
    "effective": "ingangsdatum",
    "version": "versie",
    "section": "sectie",
}


def tracked_paragraphs(base: str | None, head: str | None) -> list[tuple[list[Text], Op]]:
    """The paragraphs of a clause text with their tracked runs, each with how its paragraph
    mark changed. ``base`` None: all inserted; ``head`` None: all deleted."""
    if base is None or head is None:
        op: Op = "insert" if base is None else "delete"
        text = head if base is None else base
        segments = [Segment(op, PARAGRAPH_BREAK.join(text_paragraphs(text or "")))]
    else:
        op = "equal"
        segments = redline(_joined(base), _joined(head))
    result: list[tuple[list[Text], Op]] = []
    current: list[Text] = []
    for segment in segments:
        for index, piece in enumerate(segment.text.split(PARAGRAPH_BREAK)):
            if index:
                result.append((current, segment.op))
                current = []
            if piece:
                current.append(Text(piece, segment.op))
    result.append((current, op))
    return result


def _joined(text: str) -> str:
    return PARAGRAPH_BREAK.join(text_paragraphs(text))


def build_redline(diffs: Sequence[PolicyDiff], *, moment: dt.datetime) -> bytes:
    """The ``.docx`` of the diffs, every tracked change and comment dated ``moment``."""
    document = WordDocument(
        author=AUTHOR, moment=moment, title="Wijzigingen in het beleid", language="nl-NL"
    )
    document.paragraph_style(CLAUSE_FACTS, italic=True, size=9)
    document.paragraph_style(CLAUSE_TEXT)
    document.heading([Text("Wijzigingen in het beleid")], 0)
    for diff in diffs:
        _policy(document, diff)
    return document.to_bytes()


def _policy(document: WordDocument, diff: PolicyDiff) -> None:
    document.heading([Text(f"{diff.policy}: van {diff.base} naar {diff.head}")], 1)
    clauses = [change for change in diff.changes if change.clause is not None]
    metadata = [change for change in diff.changes if change.clause is None]
    if not diff.changes:
        document.paragraph([Text("Geen wijzigingen.")])
        return
    document.paragraph(
        [
            Text("Impact: ", bold=True),
            Text(f"{IMPACT_DUTCH[diff.impact]}. "),
            Text(
                f"{len(clauses)} {'artikel' if len(clauses) == 1 else 'artikelen'} gewijzigd. "
                "Elke wijziging in de tekst is een bijgehouden wijziging van "
                f"'{AUTHOR}': alles accepteren geeft de nieuwe tekst, alles weigeren de oude. "
                "De impact en de reden staan als opmerking bij elk artikel."
            ),
        ]
    )
    for change in clauses:
        _clause(document, change)
    if metadata:
        document.heading([Text("Overige wijzigingen")], 2)
        document.table(["Onderdeel", "Veld", "Was", "Wordt"], [_row(c) for c in metadata])


def _clause(document: WordDocument, change: Change) -> None:
    base, head = change.base, change.head
    reason = dutch_reason(change.reason) or change.reason  # the classifier says it in English
    comment = f"Impact: {IMPACT_DUTCH[change.impact]}\nReden: {reason}"
    document.heading([*_title(change), Text(f" ({change.clause})")], 2, comment=comment)
    document.paragraph(_facts(change), style=CLAUSE_FACTS)
    for line in _lines(change):
        document.paragraph([Text(line)], style=CLAUSE_FACTS)
    for runs, mark in tracked_paragraphs(base.text if base else None, head.text if head else None):
        document.paragraph(runs, style=CLAUSE_TEXT, mark=mark)


def _title(change: Change) -> list[Text]:
    if change.base and change.head and change.base.title != change.head.title:
        return _texts(redline(change.base.title, change.head.title))
    return [Text(change.title)]


def _texts(segments: Iterable[Segment]) -> list[Text]:
    return [Text(segment.text, segment.op) for segment in segments]


def _level(clause: Clause | None) -> str:
    return LEVEL_DUTCH[clause.level] if clause else ""


def _facts(change: Change) -> list[Text]:
    before, after = _level(change.base), _level(change.head)
    if change.base is None or change.head is None or before == after:
        level = [Text(before or after)]
    else:
        level = [Text(before, "delete"), Text(after, "insert")]
    return [
        Text(f"Sectie: {change.section} · Niveau: "),
        *level,
        Text(f" · {_KINDS.get(change.kind, change.kind)}"),
    ]


def _lines(change: Change) -> list[str]:
    """The lines under the heading: an id change, a move, the other fields changed."""
    lines: list[str] = []
    if change.previous_id:
        lines.append(f"Id gewijzigd: was {change.previous_id}, nu {change.clause}.")
    origin, to = change.moved_from, change.moved_to
    if origin and to and change.kind != "removed" and _moved(change):
        lines.append(
            f"Verplaatst: van {origin.section} (plaats {origin.position}) "
            f"naar {to.section} (plaats {to.position})."
        )
    others = [_field(name) for name in change.fields if name not in ("id", "title", "level")]
    others = [name for name in others if name != "tekst"]
    if change.kind != "moved" and others:
        lines.append(f"Ook gewijzigd: {', '.join(others)}.")
    return lines


def _moved(change: Change) -> bool:
    """An id change always has both places; it counts as a move only across sections."""
    origin, to = change.moved_from, change.moved_to
    if change.kind == "id-changed":
        return origin is not None and to is not None and origin.section != to.section
    return change.kind in ("modified", "moved")


def _field(name: str) -> str:
    return _FIELDS.get(name, name)


def _row(change: Change) -> list[str]:
    part = f"sectie {change.section}" if change.section else "beleid"
    before, after = change.values if change.values else (None, None)
    fields = ", ".join(_field(name) for name in change.fields)
    return [part, fields, _plain(before), _plain(after)]


def _plain(value: Any) -> str:
    """A metadata value as a reader reads it."""
    if value is None or value in ([], ()):
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return dutch_date(value)
    if isinstance(value, list | tuple):
        return "; ".join(_plain(item) for item in value)
    if hasattr(value, "model_dump"):
        return ", ".join(_plain(item) for item in value.model_dump().values() if item)
    return " ".join(str(value).split())
