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
FIRST_KIND = "eerste versie"
"""The kind of change of a first release, instead of its impact (nothing was there before)."""
COUNTS = {
    "new": ("nieuwe regel", "nieuwe regels"),
    "changed": ("gewijzigde regel", "gewijzigde regels"),
    "removed": ("vervallen regel", "vervallen regels"),
}

EFFECTIVE = "Geldt vanaf:"
PREVIOUS = "Vorige versie:"
KIND = "Soort wijziging:"

GROUPS = {"new": "Nieuw", "changed": "Gewijzigd", "removed": "Vervallen"}
APPROVED_BY = "Goedgekeurd door"
NO_CLAUSES = "Er zijn geen regels gewijzigd."

ACKNOWLEDGE = "Opnieuw lezen en bevestigen."
ACKNOWLEDGE_FIRST = "Lezen en bevestigen."
NO_ACKNOWLEDGEMENT = "Je hoeft het beleid niet opnieuw te bevestigen."
NO_ACKNOWLEDGEMENT_FIRST = "Je hoeft niet te bevestigen dat je het beleid gelezen hebt."
KEY_POINTS = "Belangrijkste punten"
WORKS_COUNCIL_START = "De ondernemingsraad "
WORKS_COUNCIL_PENDING = f"{WORKS_COUNCIL_START}moet nog instemmen met dit beleid."

SECTION = "Hoofdstuk: "
WAS_CLAUSE = " · was regel "
MOVED_FROM = " · verplaatst uit "
MOVED_ONLY = "Alleen de plaats van deze regel is veranderd; de inhoud is gelijk gebleven."
WORDING_ONLY = "Alleen de formulering is verbeterd; wat er van je verwacht wordt, blijft gelijk."

NEW_TEXT = "Nieuwe tekst:"
TEXT = "Tekst:"
REMOVED_TEXT = "Deze regel vervalt. De tekst was:"
REDLINE = "Wat er in de tekst veranderde"
REDLINE_LEGEND = " (voor reviewers: [-zo-] is weggehaald, {+zo+} is toegevoegd):"
REDLINE_LEGEND_MARKDOWN = " (voor reviewers: \\[-zo-] is weggehaald, \\{+zo+} is toegevoegd):"
"""The legend as the published Markdown has always spelled it (fewer escapes than
``escape_text`` writes, the same text in every renderer)."""

NOT_FOUND = "De releasenotes van deze versie zijn niet gevonden."

CHANGELOG_TITLE = "Wijzigingen in "
CHANGELOG_INTRO = (
    "Alle versies van dit beleid, de nieuwste bovenaan, met de dag waarop elke versie is "
    "uitgebracht en de dag waarop ze geldt. Bij elke versie horen releasenotes voor "
    "medewerkers. Dit bestand volgt "
)
"""Then a link to Keep a Changelog and a full stop."""
CHANGELOG_IMPACT = {
    Impact.MAJOR: "wezenlijk (opnieuw lezen en bevestigen)",
    Impact.MINOR: "aanvulling of verduidelijking",
    Impact.PATCH: "redactioneel",
    Impact.NONE: "geen wijzigingen",
}
NOTES_LINK = "Releasenotes"
PAGE_LINK = "webpagina"
NOT_RELEASED = "Dit beleid is nog niet uitgebracht: er zijn nog geen versies."


def changelog_facts(effective: dt.date, impact: Impact, *, first: bool = False) -> str:
    """``Geldt vanaf 1 maart 2027. Soort wijziging: redactioneel. ``, before the links."""
    kind = FIRST_KIND if first else CHANGELOG_IMPACT[impact]
    return f"Geldt vanaf {dutch_date(effective)}. Soort wijziging: {kind}. "


def dutch_date(day: dt.date) -> str:
    """``1 maart 2027``: the long Dutch form, the same on every machine (no locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def count(number: int, group: str) -> str:
    one, many = COUNTS[group]
    return f"{number} {one if number == 1 else many}"


def counts(numbers: dict[str, int]) -> str:
    """``1 nieuwe regel en 2 gewijzigde regels``: the groups that have any, in order."""
    parts = [count(numbers[group], group) for group in COUNTS if numbers.get(group)]
    if not parts:
        return "geen gewijzigde regels"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def acknowledge(effective: dt.date, *, first: bool = False) -> str:
    """What follows ``ACKNOWLEDGE`` (``ACKNOWLEDGE_FIRST``) in bold: why and by when."""
    why = "" if first else " Deze versie verandert wat er van je verwacht wordt."
    by = dutch_date(effective)
    return f"{why} Lees het beleid en bevestig vóór {by} dat je het gelezen hebt."


def works_council(consented: dt.date | None) -> str:
    """Whether the works council consented, for a policy that needs its consent."""
    if consented is None:
        return WORKS_COUNCIL_PENDING
    return f"{WORKS_COUNCIL_START}heeft op {dutch_date(consented)} ingestemd met dit beleid."


def release_title(title: str, version: str) -> str:
    return f"{' '.join(title.split())}, versie {version}"
