"""The Dutch wording of the release notes, in one table: every fixed sentence, label and heading.

Pure data and two small formatters. The renderers never spell Dutch themselves; the reader of
committed notes (``tools/notes/readback.py``) recognises the same strings, so changing a message
here changes what is written and what is read back together.
"""

from __future__ import annotations

import datetime as dt

from tools.compare.impact import Impact

MONTHS = (
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

OUTCOME = {
    Impact.MAJOR: "Er verandert iets aan wat er van je verwacht wordt; lees de wijzigingen "
    "hieronder goed.",
    Impact.MINOR: "Je plichten blijven gelijk; er is nieuwe uitleg of een aanvulling.",
    Impact.PATCH: "Het gaat alleen om de formulering: wat er van je verwacht wordt, blijft "
    "gelijk en je hoeft niets te doen.",
    Impact.NONE: "Er is inhoudelijk niets veranderd.",
}

FIRST_VERSION = "Dit is de eerste versie van dit beleid."
COUNTS = {
    "new": ("nieuw artikel", "nieuwe artikelen"),
    "changed": ("gewijzigd artikel", "gewijzigde artikelen"),
    "removed": ("vervallen artikel", "vervallen artikelen"),
}

EFFECTIVE = "Geldt vanaf:"
PREVIOUS = "Vorige versie:"
KIND = "Soort wijziging:"

GROUPS = {"new": "Nieuw", "changed": "Gewijzigd", "removed": "Vervallen"}
APPROVED_BY = "Goedgekeurd door"
NO_CLAUSES = "Er zijn geen artikelen gewijzigd."

ACKNOWLEDGE = "Opnieuw lezen en bevestigen."
NO_ACKNOWLEDGEMENT = "Je hoeft het beleid niet opnieuw te bevestigen."

SECTION = "Hoofdstuk: "
WAS_CLAUSE = " · was artikel "
MOVED_FROM = " · verplaatst uit "
MOVED_ONLY = "Alleen de plaats van dit artikel is veranderd; de inhoud is gelijk gebleven."
WORDING_ONLY = "Alleen de formulering is verbeterd; wat er van je verwacht wordt, blijft gelijk."

NEW_TEXT = "Nieuwe tekst:"
TEXT = "Tekst:"
REMOVED_TEXT = "Dit artikel vervalt. De tekst was:"
REDLINE = "Wat er in de tekst veranderde"
REDLINE_LEGEND = " (voor reviewers: [-zo-] is weggehaald, {+zo+} is toegevoegd):"
REDLINE_LEGEND_MARKDOWN = " (voor reviewers: \\[-zo-] is weggehaald, \\{+zo+} is toegevoegd):"
"""The legend as the published Markdown has always spelled it (fewer escapes than
``escape_text`` writes, the same text in every renderer)."""

NOT_FOUND = "De releasenotes van deze versie zijn niet gevonden."

CHANGELOG_TITLE = "Wijzigingen in "
CHANGELOG_INTRO = (
    "Alle versies van dit beleid, de nieuwste bovenaan. Elke versie heeft releasenotes voor "
    "medewerkers; de volledige tekstvergelijking geeft `policy diff`."
)
"""Markdown: ``policy diff`` is code."""
CHANGELOG_IMPACT = {
    Impact.MAJOR: "wezenlijk (opnieuw bevestigen)",
    Impact.MINOR: "aanvulling of verduidelijking",
    Impact.PATCH: "redactioneel",
    Impact.NONE: "geen wijzigingen",
}
NOTES_LINK = "Releasenotes"
PAGE_LINK = "webpagina"
NOT_RELEASED = "Dit beleid is nog niet uitgebracht: er zijn nog geen versies."


def changelog_impact(impact: Impact) -> str:
    """``Impact: major (wezenlijk (opnieuw bevestigen)). ``, before the links to the notes."""
    return f"Impact: {impact} ({CHANGELOG_IMPACT[impact]}). "


def dutch_date(day: dt.date) -> str:
    """``1 maart 2027``: the long Dutch form, the same on every machine (no locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def count(number: int, group: str) -> str:
    one, many = COUNTS[group]
    return f"{number} {one if number == 1 else many}"


def acknowledge(effective: dt.date) -> str:
    """What follows ``ACKNOWLEDGE`` in bold: why and by when."""
    return (
        " Deze versie verandert wat er van je verwacht wordt. Lees het beleid en bevestig vóór "
        f"{dutch_date(effective)} dat je het gelezen hebt."
    )


def release_title(title: str, version: str) -> str:
    return f"{' '.join(title.split())}, versie {version}"
