"""Review markers: the ``# review: ...`` comments ``policy import`` leaves on every guess. Each
one left in a policy file is a warning, never an error: the draft is valid, but an author has
still to check what the comment says. Pure: a file's text in, warnings out."""

from __future__ import annotations

import re

from tools.base.diagnostics import Diagnostic

MARKER = "# review:"
# A comment starts at the line's start or after a space; the marker's text follows it.
_MARKER = re.compile(r"(?:^|\s)(#\s*review:\s*(.*))$")


def review_markers(path: str, text: str) -> list[Diagnostic]:
    """A warning for each review marker in ``text``, at its line and column."""
    if "review:" not in text:  # the common case: one scan at C speed
        return []
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _MARKER.search(line)
        if match:
            found.append(
                Diagnostic.at(
                    path,
                    "review-marker",
                    f"to review: {match.group(2).strip() or 'this line'}",
                    "check the value on this line, then delete the '# review:' comment",
                    line=number,
                    column=match.start(1) + 1,
                    severity="warning",
                )
            )
    return found
