"""The guesses on plain strings: a level from the wording, Dutch and English; legal
references; the language; and the YAML scalars the importer writes."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from schema.models import Level
from tools.adopt.guess import LegalCitation, find_legal, guess_language, guess_level
from tools.adopt.importer import slug
from tools.adopt.scaffold import default_prefix
from tools.adopt.yamltext import folded, scalar


@pytest.mark.parametrize(
    ("text", "level", "because"),
    [
        ("Je moet je badge dragen.", Level.MUST, "moet"),
        ("Het gebruik van een VPN is verplicht.", Level.MUST, "verplicht"),
        ("De werknemer dient dit te melden.", Level.MUST, "dient"),
        ("Je mag niet roken in het gebouw.", Level.MUST_NOT, "mag niet"),
        ("Je mag hier geen foto's maken.", Level.MUST_NOT, "mag hier geen"),
        ("Privégebruik is niet toegestaan.", Level.MUST_NOT, "is niet toegestaan"),
        ("Het is verboden te roken.", Level.MUST_NOT, "verboden"),
        ("Wij adviseren je een wachtwoordmanager.", Level.SHOULD, "wij adviseren"),
        ("Het is verstandig om vooraf te overleggen.", Level.SHOULD, "het is verstandig"),
        ("Je mag thuiswerken.", Level.MAY, "mag"),
        ("Je kan een cursus volgen.", Level.MAY, "kan"),
        ("Dit beleid geldt voor iedereen.", Level.INFO, ""),
        ("You must lock your screen.", Level.MUST, "must"),
        ("Employees shall report incidents.", Level.MUST, "shall"),
        ("You must not share passwords.", Level.MUST_NOT, "must not"),
        ("Visitors may not enter the server room.", Level.MUST_NOT, "may not"),
        ("You should use a password manager.", Level.SHOULD, "should"),
        ("You may work from home.", Level.MAY, "may"),
        ("This policy applies to everyone.", Level.INFO, ""),
        ("Je MOET dit doen.", Level.MUST, "moet"),
        ("Een maggie-blokje is geen regel.", Level.INFO, ""),
    ],
)
def test_the_level_is_guessed_from_the_wording(text: str, level: Level, because: str) -> None:
    guess = guess_level(text)
    assert (guess.level, guess.because) == (level, because)


def test_each_guess_has_its_review_marker() -> None:
    assert guess_level("Je moet.").marker() == '# review: level guessed from "moet"'
    assert guess_level("Uitleg.").marker().startswith("# review: level guessed (no signal")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("zoals artikel 7:611 BW zegt", [LegalCitation("Burgerlijk Wetboek", "7:611")]),
        (
            "op grond van art. 6 AVG en art. 6 AVG",
            [LegalCitation("Algemene verordening gegevensbescherming (AVG)", "6")],
        ),
        (
            "artikel 6 lid 1 sub f van de AVG",
            [LegalCitation("Algemene verordening gegevensbescherming (AVG)", "6 lid 1 sub f")],
        ),
        (
            "Article 6(1)(f) GDPR",
            [LegalCitation("General Data Protection Regulation (GDPR)", "6(1)(f)")],
        ),
        (
            "artikel 27 WOR, artikel 15 Auteurswet",
            [
                LegalCitation("Wet op de ondernemingsraden", "27"),
                LegalCitation("Auteurswet", "15"),
            ],
        ),
        ("artikel 12 van het reglement", []),
        ("geen verwijzing", []),
    ],
)
def test_legal_references_are_found(text: str, found: list[LegalCitation]) -> None:
    assert find_legal(text) == found


def test_the_language_is_guessed() -> None:
    assert guess_language("Je moet de deur op slot doen en het licht uit.") == "nl"
    assert guess_language("You must lock the door and switch off the light.") == "en"


def test_ids_from_titles() -> None:
    assert slug("Vertrouwelijkheid & privacy", "x") == "vertrouwelijkheid-privacy"
    assert slug("Privégebruik", "x") == "privegebruik"
    assert slug("2024", "sectie-3") == "sectie-3"
    assert default_prefix("social-media") == "sm"
    assert default_prefix("privacy") == "pr"


@pytest.mark.parametrize(
    "value",
    ["Gewoon", "Burgerlijk Wetboek", "7:611", "yes", "Let op: dit", "a # b", "'quoted'",
     "Regel (AVG)", "ja, nee", "- dash", "Privé"],
)  # fmt: skip
def test_scalars_read_back_as_written(value: str) -> None:
    assert YAML(typ="safe").load(f"key: {scalar(value)}\n") == {"key": value}


def test_folded_text_reads_back_with_its_paragraphs() -> None:
    text = "Een lange regel " * 20 + "einde.\n\n- een item: met # teken"
    lines = folded("text", text.replace("  ", " "), 0)
    assert all(len(line) <= 100 for line in lines)
    loaded = YAML(typ="safe").load("\n".join(lines) + "\n")
    # A blank line in a folded block is one line break: a new paragraph, as in the shipped policy.
    assert loaded == {"text": text.replace("  ", " ").replace("\n\n", "\n")}
