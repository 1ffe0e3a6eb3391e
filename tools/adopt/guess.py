"""Guesses an author reviews: a clause's level from its wording (Dutch and English) and the
legal references its text cites. Pure: plain strings in, plain data out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema.models import Level

# Most specific first: "mag niet" is a prohibition before "mag" is a permission, "must not"
# before "must". Each pattern's match is quoted in the review marker.
_LEVEL_PATTERNS: tuple[tuple[Level, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        (Level.MUST_NOT, r"\b(?:mag|mogen)(?:\s+\w+){0,2}?\s+(?:niet|geen)\b"),
        (Level.MUST_NOT, r"\bis\s+niet\s+toegestaan\b|\bniet\s+toegestaan\b|\bverboden\b"),
        (Level.MUST_NOT, r"\b(?:must|may|shall)\s+not\b|\bmustn't\b|\bprohibited\b"),
        (Level.MUST, r"\b(?:moet|moeten|verplicht|verplichte|dient|dienen)\b"),
        (Level.MUST, r"\b(?:must|shall)\b"),
        (Level.SHOULD, r"\bwij\s+adviseren\b|\bwe\s+adviseren\b|\bhet\s+is\s+verstandig\b"),
        (Level.SHOULD, r"\bshould\b|\bwe\s+recommend\b"),
        (Level.MAY, r"\b(?:mag|mogen|kan|kunt|kunnen|may)\b"),
    )
)


@dataclass(frozen=True)
class LevelGuess:
    """A suggested level and the words it rests on (empty: no signal word, so ``info``)."""

    level: Level
    because: str

    def marker(self) -> str:
        """The YAML comment that asks the author to check the guess."""
        if not self.because:
            return "# review: level guessed (no signal word found, so info)"
        return f'# review: level guessed from "{self.because}"'


def guess_level(text: str) -> LevelGuess:
    """The level the wording suggests; ``info`` when no signal word is found."""
    for level, pattern in _LEVEL_PATTERNS:
        match = pattern.search(text)
        if match:
            return LevelGuess(level, " ".join(match.group().split()).lower())
    return LevelGuess(Level.INFO, "")


# Abbreviations and names a Dutch or English policy cites, with the name the policy writes.
LAWS: dict[str, str] = {
    "bw": "Burgerlijk Wetboek",
    "burgerlijk wetboek": "Burgerlijk Wetboek",
    "avg": "Algemene verordening gegevensbescherming (AVG)",
    "gdpr": "General Data Protection Regulation (GDPR)",
    "uavg": "Uitvoeringswet AVG",
    "aw": "Auteurswet",
    "auteurswet": "Auteurswet",
    "wor": "Wet op de ondernemingsraden",
    "wet op de ondernemingsraden": "Wet op de ondernemingsraden",
    "sr": "Wetboek van Strafrecht",
    "wetboek van strafrecht": "Wetboek van Strafrecht",
    "grondwet": "Grondwet",
    "evrm": "Europees Verdrag voor de Rechten van de Mens (EVRM)",
    "arbowet": "Arbeidsomstandighedenwet",
    "arbeidsomstandighedenwet": "Arbeidsomstandighedenwet",
    "telecommunicatiewet": "Telecommunicatiewet",
}

_LAW_NAMES = "|".join(sorted((re.escape(name) for name in LAWS), key=len, reverse=True))
_ARTICLE = (
    r"(?P<article>\d+(?::\d+)?[a-z]?(?:\s*\(\d+\))*(?:\(\w\))?"
    r"(?:\s+lid\s+\d+)?(?:\s+(?:sub|onder)\s+[a-z]\b)?)"
)
_LEGAL = re.compile(
    rf"\b(?:artikel|artikelen|art\.?|article)\s+{_ARTICLE}\s+(?:van\s+(?:de|het)\s+|of\s+the\s+)?"
    rf"(?P<law>{_LAW_NAMES})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LegalCitation:
    """A law and article the text cites, as a clause's ``legal`` entry holds them."""

    law: str
    article: str


def find_legal(text: str) -> list[LegalCitation]:
    """Every citation of an article of a known law, in order of appearance, without repeats."""
    found: list[LegalCitation] = []
    for match in _LEGAL.finditer(text):
        citation = LegalCitation(
            LAWS[match.group("law").lower()], " ".join(match.group("article").split())
        )
        if citation not in found:
            found.append(citation)
    return found


_DUTCH_WORDS = re.compile(r"\b(?:de|het|een|en|je|jij|van|niet|moet|mag|wij|voor|op)\b", re.I)
_ENGLISH_WORDS = re.compile(r"\b(?:the|a|and|you|of|not|must|may|we|for|on|is)\b", re.I)


def guess_language(text: str) -> str:
    """``nl`` or ``en``: which of the two the text's common words say (``nl`` when tied)."""
    dutch = len(_DUTCH_WORDS.findall(text))
    english = len(_ENGLISH_WORDS.findall(text))
    return "en" if english > dutch else "nl"
