"""The cheap text checks for what a policy file may not hold: anchors, aliases, tags, merge
keys, several documents, too deep nesting, too many values.

A policy file never needs these, and an attacker could use each of them (billion laughs, type
confusion, content that differs from what a reviewer sees), so they are errors. These checks
only clear a text, at C speed; a text they cannot clear goes to the event scan of
``tools/base/yamlruamel.py``, which finds and locates the problem (and duplicate or complex
keys, on the node tree).
"""

from __future__ import annotations

import re

from tools.base.diagnostics import Diagnostic

MAX_DEPTH = 64
"""Deepest nesting accepted; a policy needs about 5 levels."""

MAX_VALUES = 20_000
"""Most values (scalars and collections) one file may hold: a section of 100 clauses has about
1,000. More is refused before the node tree is built, so any input of up to
``yamlfile.MAX_BYTES`` is judged in well under 2 seconds (building a tree of 500,000 values
takes about 10)."""

# Where an anchor (&), alias (*) or tag (!) can start a node: at the start of a line or after
# whitespace or a flow indicator, an anchor or alias with its name right after it; a directive
# (%) only at the start of a line. "R&D", "Media & Marketing" or "Let op!" in a text cannot be
# one, so such text does not send a file down the slow scan.
_SUSPECT = re.compile(r"(?:^|[\s\[{,:])(?:[&*]\S|!)|^%|<<", re.MULTILINE)
_SUSPECT_CHARACTERS = ("&", "*", "!", "%", "<<")
# What libyaml or Python's splitlines also takes for a line break, besides "\n".
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _may_be_deep(text: str) -> bool:
    """False when the text certainly nests at most ``MAX_DEPTH`` levels.

    Each flow bracket opens at most one level. In block style a nested collection is indented
    deeper than its parent or follows an indicator (``- ``, ``? ``, ``: ``) on the same line;
    only a sequence under a mapping key may keep the key's indentation, and its entries start
    past the ``- ``. So the depth is at most the brackets plus two levels per column of the
    deepest line start (indentation and indicators): one regex search, not a loop over lines.
    """
    brackets = text.count("[") + text.count("{")
    if brackets >= MAX_DEPTH - 2:
        return True
    columns = (MAX_DEPTH - brackets) // 2
    # A file may break its lines with "\r" alone, NEL or LS too: those become "\n" first, so
    # that one literal "\n" starts the pattern (found by a fast scan, unlike "^" with MULTILINE).
    if any(mark in text for mark in _OTHER_BREAKS):
        text = re.sub(f"[{''.join(_OTHER_BREAKS)}]", "\n", text)
    return re.search(rf"\n[ \t?:-]{{{columns},}}", "\n" + text) is not None


def may_hold_many_values(text: str) -> bool:
    """False when the text certainly holds at most ``MAX_VALUES`` values.

    Every value but the document's own starts at an indicator (``-``, ``?``, ``:``, ``,``,
    ``[``, ``{``), and no indicator starts more than two (``k: v`` is a key and its value): a
    few counts at C speed, so an ordinary file pays nothing for the exact count."""
    indicators = sum(text.count(mark) for mark in "-?:,[{")
    return 2 * indicators + 1 > MAX_VALUES


def scan_structure(path: str, text: str) -> list[Diagnostic]:
    # Cheap checks first: the event scan costs as much as the parse, so it runs only when the
    # text could hold a forbidden feature or nest too deep. Its module imports ruamel, which a
    # file that passes these checks never needs (a fifth of a small command's start-up).
    suspect = any(mark in text for mark in _SUSPECT_CHARACTERS) and _SUSPECT.search(text)
    if not suspect and not _may_be_deep(text):
        return []
    from tools.base.yamlruamel import scan_events

    return scan_events(path, text)
