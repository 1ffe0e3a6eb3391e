"""The shipped policy reads at language level B1: Flesch-Douma per clause and sentence length.

What a clause's score covers: its ``text`` only (the binding words an employee reads), not its
title, summary or legal notes. The text is read as the pages show it (``text_paragraphs``:
paragraphs split at blank lines). Paragraphs are split into sentences after ``.``, ``?`` and
``!``. A paragraph that starts with ``- `` is a list item: it ends a sentence, with a full stop
added when it has no end mark, so that a list does not count as one long sentence. The score
is textstat's Flesch reading ease in Dutch (the Flesch-Douma formula) over those sentences;
every sentence has at most 25 words.
"""

from __future__ import annotations

import re
import statistics

import textstat

from tests.conftest import ROOT
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot
from tools.notes.blocks import text_paragraphs

FLOOR = 50.0
"""No clause reads harder than this (Flesch-Douma; 60-70 is plain language, B1)."""
MEDIAN_FLOOR = 65.0
"""Half of the clauses read at least this easily."""
MAX_WORDS = 25
"""No sentence is longer than this many words."""

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a clause text; each list item is one, ending in a full stop."""
    found: list[str] = []
    for block in text_paragraphs(text):
        item = block.startswith("- ")
        parts = [part for part in _SENTENCE_END.split(block.removeprefix("- ")) if part.strip()]
        if item and not parts[-1].endswith((".", "?", "!")):
            parts[-1] = parts[-1].rstrip(";,") + "."
        found += parts
    return found


def douma(text: str) -> float:
    """The Flesch-Douma score of a clause text, its list items read as sentences."""
    textstat.set_lang("nl")
    return float(textstat.flesch_reading_ease(" ".join(sentences(text))))


def _clause_texts() -> dict[str, str]:
    policy, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert policy is not None and not problems, problems
    return {clause.id: clause.text for _, _, clause in policy.clauses()}


def test_list_items_are_sentences() -> None:
    """A list item is a sentence: without it, one long list would count as one long sentence."""
    text = "Denk aan:\n\n- je naam\n\n- je adres;\n\n- je bank. En je pas\n\nKlaar. Of niet?"
    assert sentences(text) == [
        *("Denk aan:", "je naam.", "je adres.", "je bank.", "En je pas."),
        *("Klaar.", "Of niet?"),
    ]


def test_the_score_tells_hard_from_plain() -> None:
    """The measure itself separates officialese from plain Dutch, so the floor means something."""
    hard = (
        "De werkgever behoudt zich het recht voor om, in overeenstemming met de toepasselijke "
        "wet- en regelgeving, de noodzakelijke disciplinaire maatregelen te effectueren."
    )
    plain = "Houd je je niet aan de regels? Dan praten we eerst met je. Dat is meestal genoeg."
    assert douma(hard) < FLOOR < MEDIAN_FLOOR < douma(plain)


def test_every_clause_reads_at_b1() -> None:
    """Every clause scores at least FLOOR, the median at least MEDIAN_FLOOR."""
    scores = {clause: douma(text) for clause, text in _clause_texts().items()}
    hard = {clause: round(score, 1) for clause, score in scores.items() if score < FLOOR}
    assert not hard, f"clauses under {FLOOR} on Flesch-Douma: {hard}"
    assert statistics.median(scores.values()) >= MEDIAN_FLOOR


def test_no_sentence_over_25_words() -> None:
    """No sentence of any clause is longer than MAX_WORDS words."""
    long = {
        clause: sentence
        for clause, text in _clause_texts().items()
        for sentence in sentences(text)
        if len(sentence.split()) > MAX_WORDS
    }
    assert not long, long
