"""Adding a new policy's lines to ``CODEOWNERS``, keeping its order and its comments.

Pure: text in, text out. The lines go into the first (default) section, among the other
policies' lines in the order of their ids; a comment above another policy's lines stays with
them. Later sections (``[Ondernemingsraad]``) are left as they are.
"""

from __future__ import annotations

import re

_RULE = re.compile(r"^(?P<pattern>[^\s#]\S*)(?P<gap>\s+)\S")
_POLICY_PATTERN = re.compile(r"^/(?:policy|changelog)/(?P<id>[^/\s]+)/")


def policy_lines(policy_id: str, owner: str, width: int = 0) -> list[str]:
    """The rules of a new policy: its folder and its change notes' folder."""
    patterns = (f"/policy/{policy_id}/", f"/changelog/{policy_id}/")
    return [f"{pattern:<{max(width, len(pattern) + 1)}}{owner}" for pattern in patterns]


def _section_end(lines: list[str]) -> int:
    """The index of the first section header: where the default section ends."""
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("[", "^[")):
            return index
    return len(lines)


def _owner_column(lines: list[str]) -> int:
    for line in lines:
        match = _RULE.match(line)
        if match:
            return len(match["pattern"]) + len(match["gap"])
    return 0


def _policy_of(line: str) -> str | None:
    match = _POLICY_PATTERN.match(line.strip())
    return match["id"] if match and "." not in match["id"] else None


def add_policy(text: str, policy_id: str, owner: str, title: str) -> str:
    """``text`` with the lines of policy ``policy_id`` owned by ``owner`` added."""
    lines = text.splitlines()
    end = _section_end(lines)
    width = _owner_column(lines)
    comment = "# " + " ".join(title.split()) + f" ({policy_id})."
    block = [comment, *policy_lines(policy_id, owner, width)]
    owned = [index for index in range(end) if _policy_of(lines[index]) is not None]
    later = [index for index in owned if (_policy_of(lines[index]) or "") > policy_id]
    if later:
        at = later[0]
        while at > 0 and lines[at - 1].lstrip().startswith("#"):
            at -= 1  # the comment above the next policy's lines stays with them
        new = [*lines[:at], *block, "", *lines[at:]]
    else:
        at = owned[-1] + 1 if owned else end
        while not owned and at > 0 and not lines[at - 1].strip():
            at -= 1  # after the last rule, before the blank lines that end the section
        new = [*lines[:at], "", *block, *lines[at:]]
    return "\n".join(new).lstrip("\n") + "\n"
