"""YAML text in the house style of the shipped policy, written by hand from plain strings:
plain scalars where YAML reads them back as the same string, double quotes otherwise, and
long text as a folded block (``>-``) wrapped at 100 columns. Pure."""

from __future__ import annotations

import json
import re

WIDTH = 100

# A plain scalar that YAML reads back as this string: starts with a letter, holds no
# indicator that could end or change it, and is no word YAML 1.1 reads as a boolean or null.
_PLAIN = re.compile(r"[^\W\d_][\w ,.'()/-]*[\w.)]|[^\W\d_]", re.UNICODE)
_SPECIAL_WORDS = {"yes", "no", "true", "false", "null", "on", "off", "y", "n"}


def scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar."""
    if _PLAIN.fullmatch(value) and value.lower() not in _SPECIAL_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def folded(key: str, text: str, indent: int, comment: str = "") -> list[str]:
    """``key: >-`` and ``text`` wrapped below it; paragraphs (split on blank lines) stay
    paragraphs. The text must have no line that starts with a space (it has none: the
    importer collapses whitespace)."""
    pad = " " * indent
    head = f"{pad}{key}: >-" + (f"  {comment}" if comment else "")
    lines = [head]
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            lines.append("")
        lines += _wrap(paragraph.split(), pad + "  ")
    return lines


def _wrap(words: list[str], pad: str) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(pad) + len(current) + 1 + len(word) > WIDTH:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(pad + current)
    return lines
