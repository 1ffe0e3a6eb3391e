"""Reading YAML safely: bytes to plain data and the node tree that locates each value.

A file is read by libyaml through PyYAML when it can be (``tools/base/yamlfast.py``), else
through ruamel's C-based safe loader (``tools/base/yamlruamel.py``), whose node tree gives every
value's line and column: a valid file parses once and keeps no tree, a file with a problem is
parsed again by ruamel to locate it. What a policy file may not hold is refused first
(``tools/base/yamlscan.py``); syntax errors become diagnostics in ``tools/base/yamlsyntax.py``.
Only the ``yaml*`` modules of ``tools/base/`` import ruamel.yaml, and only when a file needs it:
a command that reads valid files never loads it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tools.base.diagnostics import Diagnostic
from tools.base.yamlfast import fast_data
from tools.base.yamlscan import may_hold_many_values, scan_structure

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

MAX_BYTES = 1024 * 1024
"""Largest file accepted: a section of 100 long clauses is about 100 KiB."""


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its plain data, and the node tree that knows where each value stands."""

    path: str
    data: Any
    source: str | Callable[[], str] = field(compare=False, repr=False)
    """The decoded text, or how to read it again. A valid file's node tree is composed from it
    only when a position is asked for: keeping every file's tree made memory grow with the
    repository (204 MiB at 50,000 clauses)."""
    _root: list[Node] = field(default_factory=list, compare=False, repr=False)
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Per mapping node (by id), its keys: a file with thousands of errors locates each in
    constant time instead of scanning the mapping again (which made reporting quadratic)."""
    _lines: dict[str, tuple[list[int], list[int]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Per raw text, where its lines start (as ``splitlines`` and as ``\\n`` count them)."""

    @property
    def text(self) -> str:
        return self.source if isinstance(self.source, str) else self.source()

    @property
    def root(self) -> Node:
        if not self._root:
            from tools.base.yamlloader import LOADER

            self._root.append(LOADER.compose(self.text))
        return self._root[0]

    def detached(self, reread: Callable[[], str]) -> YamlDocument:
        """This document without its data and text, which ``reread`` gives back when a position
        is asked for: a loaded repository then holds little more than its models."""
        return YamlDocument(self.path, None, reread, self._root)

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``, or of the nearest existing parent.

        With ``key=True`` the position of the last mapping key is given, which is where an
        unknown field is written.
        """
        node: Node = self.root
        for index, part in enumerate(loc):
            child = self._child(node, part, want_key=key and index == len(loc) - 1)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _child(self, node: Node, part: str | int, *, want_key: bool) -> Node | None:
        from ruamel.yaml.nodes import MappingNode, ScalarNode

        from tools.base.yamlloader import child_node

        if isinstance(node, MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
            pair = keys.get(str(part))
            return None if pair is None else pair[0] if want_key else pair[1]
        return child_node(node, part, want_key=want_key)

    def text_position(
        self,
        loc: Sequence[str | int],
        needle: str,
        raw: str,
        *,
        after: tuple[int, int] = (0, 0),
    ) -> tuple[int, int]:
        """Position of ``needle`` in the raw text at or after the value at ``loc``, and past
        the position ``after`` (to find the next of several)."""
        line, column = max(self.locate(loc), (after[0], after[1] + 1))
        if raw not in self._lines:
            self._lines.clear()  # one text per document; keep only the latest
            self._lines[raw] = _line_starts(raw)
        starts, newline_starts = self._lines[raw]
        offset = starts[min(line - 1, len(starts) - 1)] + column - 1
        found = raw.find(needle, offset)
        if found < 0:
            return line, column
        number = bisect_right(newline_starts, found)
        return number, found - newline_starts[number - 1] + 1


def _line_starts(raw: str) -> tuple[list[int], list[int]]:
    """Offsets where lines start: as ``splitlines`` breaks them (plus the end, for a line past
    the last), and after each ``\\n`` (as ``position`` counts)."""
    starts = [0]
    for text in raw.splitlines(keepends=True):
        starts.append(starts[-1] + len(text))
    newline_starts = [0, *(m.end() for m in re.finditer("\n", raw))]
    return starts, newline_starts


def parse_yaml(path: str, raw: bytes) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML file, refusing what a policy never needs; never raises on bad input."""
    text, problems = decode_text(path, raw)
    if text is None:
        return None, problems
    problems = scan_structure(path, text)
    if problems:
        return None, problems
    if not may_hold_many_values(text):
        fast = fast_data(text)
        if fast is not None:
            return YamlDocument(path, fast[0], text), []
    from tools.base.yamlruamel import parse_with_nodes

    root, data, problems = parse_with_nodes(path, text)
    if root is None:
        return None, problems
    return YamlDocument(path, data, text, [root]), []


def decode_text(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, refusing oversized, binary and non-UTF-8 files."""
    if len(raw) > MAX_BYTES:
        return None, [
            Diagnostic.at(
                path,
                "file-too-large",
                f"the file is {len(raw):,} bytes; at most {MAX_BYTES:,} are accepted",
                "split the section into smaller section files",
                line=1,
                column=1,
            )
        ]
    if b"\x00" in raw:
        return None, [
            Diagnostic.at(
                path,
                "binary-file",
                "the file is binary, not YAML text",
                "replace it with a UTF-8 YAML file",
                line=1,
                column=1,
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", "replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        return None, [
            Diagnostic.at(
                path,
                "invalid-utf8",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
                line=line,
                column=column,
            )
        ]
    return text.removeprefix("\ufeff"), []
