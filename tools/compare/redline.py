"""Word-level redlines and the text normalisation that decides what is only editorial.

Text is cut into words, punctuation marks (each its own token) and whitespace; runs of
whitespace compare equal however they are wrapped, so a re-wrapped paragraph shows no change.
``difflib`` (standard library) aligns the tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

# Typographic variants that do not change meaning: curly and low quotes, dashes, ellipsis,
# non-breaking and narrow spaces.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


@dataclass(frozen=True)
class Segment:
    """A run of text that is equal on both sides, only in head (insert) or only in base."""

    op: Op
    text: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


def tokenize(text: str) -> list[str]:
    """Words, single punctuation marks, and whitespace runs folded to one space."""
    return [" " if token.isspace() else token for token in _TOKEN.findall(text.strip())]


def normalize(text: str) -> str:
    """The text with whitespace and typography made uniform: equal means editorial only."""
    folded = text.translate(_TYPOGRAPHY).replace("\u2026", "...")
    return " ".join(folded.split())


def redline(base: str, head: str) -> list[Segment]:
    """Segments that turn ``base`` into ``head``, adjacent segments of one kind merged."""
    base_tokens, head_tokens = tokenize(base), tokenize(head)
    matcher = SequenceMatcher(None, base_tokens, head_tokens, autojunk=False)
    segments: list[Segment] = []
    for tag, b1, b2, h1, h2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "equal", "".join(base_tokens[b1:b2]))
            continue
        if tag in ("delete", "replace"):
            _append(segments, "delete", "".join(base_tokens[b1:b2]))
        if tag in ("insert", "replace"):
            _append(segments, "insert", "".join(head_tokens[h1:h2]))
    return segments


def _append(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def similarity(base: str, head: str) -> float:
    """How alike two texts are, 0 to 1, on their tokens (for spotting a changed id)."""
    return SequenceMatcher(
        None, tokenize(normalize(base)), tokenize(normalize(head)), autojunk=False
    ).ratio()


def render_segments(
    segments: Iterable[Segment],
    *,
    delete: str,
    insert: str,
    escape: Callable[[str], str] = str,
) -> str:
    """The redline as one string: each run's escaped text put into the template of its kind
    (``{}`` marks the text; equal runs stand as they are)."""
    templates = {"delete": delete, "insert": insert, "equal": "{}"}
    return "".join(templates[s.op].format(escape(s.text)) for s in segments)
