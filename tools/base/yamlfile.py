"""Reading YAML safely: the only module that imports ruamel.yaml.

A policy file never needs anchors, aliases, merge keys, tags or several documents, and an
attacker could use each of them (billion laughs, type confusion, content that differs from
what a reviewer sees), so they are errors. Parsing uses libyaml through ruamel's C-based safe
loader: the composed node tree gives every value's line and column, so the happy path parses
once and an error is located without parsing again. The slower event scan for the forbidden
features runs only when the raw text could contain one of them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from schema.models import character_name
from tools.base.diagnostics import Diagnostic
from tools.base.errors import EditError

MAX_BYTES = 1024 * 1024
"""Largest file accepted: a section of 100 long clauses is about 100 KiB."""

MAX_DEPTH = 64
"""Deepest nesting accepted; a policy needs about 5 levels."""

MAX_VALUES = 20_000
"""Most values (scalars and collections) one file may hold: a section of 100 clauses has about
1,000. More is refused before the node tree is built, so any input of up to ``MAX_BYTES`` is
judged in well under 2 seconds (building a tree of 500,000 values takes about 10)."""

# Where an anchor (&), alias (*) or tag (!) can start a node: at the start of a line or after
# whitespace or a flow indicator; a directive (%) only at the start of a line. "R&D" or "Let
# op!" in a text cannot be one, so such text does not send a file down the slow scan.
_SUSPECT = re.compile(r"(?:^|[\s\[{,:])[&*!]|^%|<<", re.MULTILINE)
_SUSPECT_CHARACTERS = ("&", "*", "!", "%", "<<")
# What libyaml or Python's splitlines also takes for a line break, besides "\n".
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


class _Constructor(SafeConstructor):
    """Safe construction, except that an impossible date (2027-13-01) stays text.

    The schema then reports it as a bad date at its position, instead of the whole file
    failing to load.
    """

    def construct_lenient_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _Constructor.construct_lenient_timestamp
)


class _Resolver(VersionedResolver):
    """ruamel's resolver, with its table of implicit types looked up once per loader.

    With the C parser, ruamel finds the YAML version anew for every scalar through attribute
    lookups that fail (``processing_version``): half the time of loading a large file. The
    version cannot change between files (the C parser ignores ``%YAML`` directives for it, and
    this loader's version is never set), so the table is the same for every scalar.
    """

    @property
    def versioned_resolver(self) -> Any:
        table = self.__dict__.get("_table")
        if table is None:
            table = self.__dict__["_table"] = super().versioned_resolver
        return table


def _make_loader() -> YAML:
    try:
        loader = YAML(typ="safe", pure=False)
    except Exception:  # pragma: no cover - only without ruamel.yaml.clib
        loader = YAML(typ="safe", pure=True)
    loader.Constructor = _Constructor
    loader.Resolver = _Resolver
    return loader


_LOADER = _make_loader()


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its plain data and the node tree that knows where each value stands."""

    path: str
    data: Any
    root: Node
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Per mapping node (by id), its keys: a file with thousands of errors locates each in
    constant time instead of scanning the mapping again (which made reporting quadratic)."""
    _lines: dict[str, tuple[list[int], list[int]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Per raw text, where its lines start (as ``splitlines`` and as ``\\n`` count them)."""

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
        if isinstance(node, MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
            pair = keys.get(str(part))
            return None if pair is None else pair[0] if want_key else pair[1]
        return _child(node, part, want_key=want_key)

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
    the last), and after each ``\\n`` (as ``_position`` counts)."""
    starts = [0]
    for text in raw.splitlines(keepends=True):
        starts.append(starts[-1] + len(text))
    newline_starts = [0, *(m.end() for m in re.finditer("\n", raw))]
    return starts, newline_starts


def _child(node: Node, part: str | int, *, want_key: bool) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                return key_node if want_key else value_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse_yaml(path: str, raw: bytes) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML file, refusing what a policy never needs; never raises on bad input."""
    text, problems = decode_text(path, raw)
    if text is None:
        return None, problems
    problems = _scan_structure(path, text)
    if problems:
        return None, problems
    try:
        problems = _too_many_values(path, text)
        if problems:
            return None, problems
        root = _LOADER.compose(text)
        if root is None:
            return None, [
                _error(
                    path,
                    1,
                    1,
                    "empty-file",
                    "the file has no content",
                    "write the file's fields, or delete the file",
                )
            ]
        problems = _check_keys(path, root)
        if problems:
            return None, problems
        data = _construct(root)
    except MarkedYAMLError as error:
        return None, _syntax_problems(path, text, error)
    except ReaderError as error:
        return None, [_reader_error(path, text, error)]
    except (YAMLError, ValueError, TypeError) as error:
        return None, [
            _error(
                path,
                1,
                1,
                "yaml-syntax",
                f"cannot read YAML: {error}",
                "check the file with a YAML linter",
            )
        ]
    return YamlDocument(path, data, root), []


_STR_TAG = "tag:yaml.org,2002:str"


def _construct(node: Node) -> Any:
    """Plain data from a node tree that passed the checks: no anchors or aliases (so no shared
    nodes), merge keys, tags, duplicate or complex keys, and at most ``MAX_DEPTH`` levels.

    Mappings, sequences and strings are built here; other scalars (dates, numbers, booleans,
    null) by the safe constructor. The same data as ruamel's ``construct_document``, at a third
    of its cost: it passes every node through several generic calls and memo tables, which only
    anchors and recursive structures need.
    """
    if isinstance(node, MappingNode):
        return {_construct(key): _construct(value) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [_construct(item) for item in node.value]
    if node.tag == _STR_TAG:
        return node.value
    return _LOADER.constructor.construct_non_recursive_object(node)


def decode_text(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, refusing oversized, binary and non-UTF-8 files."""
    if len(raw) > MAX_BYTES:
        return None, [
            _error(
                path,
                1,
                1,
                "file-too-large",
                f"the file is {len(raw):,} bytes; at most {MAX_BYTES:,} are accepted",
                "split the section into smaller section files",
            )
        ]
    if b"\x00" in raw:
        return None, [
            _error(
                path,
                1,
                1,
                "binary-file",
                "the file is binary, not YAML text",
                "replace it with a UTF-8 YAML file",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", "replace")
        line, column = _position(prefix, len(prefix))
        return None, [
            _error(
                path,
                line,
                column,
                "invalid-utf8",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


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


def _may_hold_many_values(text: str) -> bool:
    """False when the text certainly holds at most ``MAX_VALUES`` values.

    Every value but the document's own starts at an indicator (``-``, ``?``, ``:``, ``,``,
    ``[``, ``{``), and no indicator starts more than two (``k: v`` is a key and its value): a
    few counts at C speed, so an ordinary file pays nothing for the exact count."""
    indicators = sum(text.count(mark) for mark in "-?:,[{")
    return 2 * indicators + 1 > MAX_VALUES


def _too_many_values(path: str, text: str) -> list[Diagnostic]:
    """A located error at the first value past ``MAX_VALUES``; parsing stops there."""
    if not _may_hold_many_values(text):
        return []
    count = 0
    for event in _LOADER.parse(text):
        if isinstance(event, NodeEvent):
            count += 1
            if count > MAX_VALUES:
                return [
                    _error(
                        path,
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        "too-many-values",
                        f"the file holds more than {MAX_VALUES:,} values",
                        "split it into several files; a section of 100 clauses has about 1,000",
                    )
                ]
    return []


def _scan_structure(path: str, text: str) -> list[Diagnostic]:
    # Cheap checks first: the event scan costs as much as the parse, so it runs only when the
    # text could hold a forbidden feature or nest too deep.
    suspect = any(mark in text for mark in _SUSPECT_CHARACTERS) and _SUSPECT.search(text)
    if not suspect and not _may_be_deep(text):
        return []
    try:
        return list(_forbidden_features(path, text))
    except MarkedYAMLError as error:
        return _syntax_problems(path, text, error)
    except ReaderError as error:
        return [_reader_error(path, text, error)]
    except YAMLError as error:
        return [
            _error(
                path,
                1,
                1,
                "yaml-syntax",
                f"cannot read YAML: {error}",
                "check the file with a YAML linter",
            )
        ]


def _forbidden_features(path: str, text: str) -> Iterator[Diagnostic]:
    depth = 0
    # For each open mapping: True while the next scalar is a key.
    expecting_key: list[bool] = []
    documents = 0
    for event in _LOADER.parse(text):
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        is_key = bool(expecting_key) and expecting_key[-1]
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                yield _error(
                    path,
                    line,
                    column,
                    "multiple-documents",
                    "the file holds more than one YAML document",
                    "keep one document per file and remove the '---' separator",
                )
                return
        if isinstance(event, AliasEvent):
            yield _error(
                path,
                line,
                column,
                "yaml-alias",
                f"alias '*{event.anchor}' is not allowed in policy files",
                "write the value out in full instead of referring to an anchor",
            )
            return
        if isinstance(event, NodeEvent) and event.anchor:
            yield _error(
                path,
                line,
                column,
                "yaml-anchor",
                f"anchor '&{event.anchor}' is not allowed in policy files",
                "remove the anchor; policy files do not share values",
            )
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and _explicit_tag(event):
            yield _error(
                path,
                line,
                column,
                "yaml-tag",
                f"the tag '{event.tag}' is not allowed in policy files",
                "remove the tag; write the value as plain YAML",
            )
        if isinstance(event, ScalarEvent) and is_key and event.value == "<<" and not event.style:
            yield _error(
                path,
                line,
                column,
                "yaml-merge-key",
                "merge keys ('<<') are not allowed in policy files",
                "write out the fields instead of merging another mapping",
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                yield _error(
                    path,
                    line,
                    column,
                    "too-deep",
                    f"the YAML is nested more than {MAX_DEPTH} levels deep",
                    "flatten the structure; policy files need only a few levels",
                )
                return
        # Advance the key/value alternation of the enclosing mapping.
        if isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)) and expecting_key:
            expecting_key[-1] = not expecting_key[-1]
        if isinstance(event, MappingStartEvent):
            expecting_key.append(True)
        elif isinstance(event, MappingEndEvent):
            depth -= 1
            expecting_key.pop()
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _explicit_tag(event: ScalarEvent | CollectionStartEvent) -> bool:
    if not event.tag:
        return False
    implicit = event.implicit
    if isinstance(implicit, tuple):
        return not any(implicit)
    return not implicit


def _check_keys(path: str, node: Node) -> list[Diagnostic]:
    """Duplicate and non-scalar keys, found on the node tree with both positions."""
    problems: list[Diagnostic] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        if not isinstance(current, MappingNode):
            continue
        seen: dict[str, int] = {}
        for key_node, value_node in current.value:
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, ScalarNode):
                problems.append(
                    _error(
                        path,
                        line,
                        column,
                        "yaml-complex-key",
                        "a key must be a plain word, not a list or mapping",
                        "use a simple field name as key",
                    )
                )
            elif key_node.value in seen:
                problems.append(
                    _error(
                        path,
                        line,
                        column,
                        "duplicate-key",
                        f"key '{key_node.value}' is repeated "
                        f"(first on line {seen[key_node.value]})",
                        "remove one of the two; YAML would silently keep only the last",
                    )
                )
            else:
                seen[key_node.value] = line
            stack.append(value_node)
    return problems


# What a word processor puts where YAML wants plain ASCII: Unicode spaces that look like
# indentation, and typographic quotes that look like YAML quotes. YAML takes both for text, so
# the parser's own message ("mapping values are not allowed here") names neither.
_PASTED_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_PASTED_INDENT = re.compile(f"^[ \t]*([{_PASTED_SPACES}])", re.MULTILINE)
_CURLY_QUOTE = re.compile(
    r"^[ \t]*(?:-[ \t]+)*(?:[A-Za-z_][\w-]*:[ \t]+)?([\u2018\u2019\u201a\u201c\u201d\u201e])",
    re.MULTILINE,
)


def _syntax_problems(path: str, text: str, error: MarkedYAMLError) -> list[Diagnostic]:
    """The syntax error, or the pasted characters that caused it, each named and located."""
    syntax = _syntax_error(path, error)
    pasted = [
        _error(
            path,
            *_position(text, match.start(1)),
            "pasted-character",
            f"{character_name(match.group(1))} used as indentation",
            "replace it with ordinary spaces (text pasted from a word processor brings these)",
        )
        for match in _PASTED_INDENT.finditer(text)
    ]
    pasted += [
        _error(
            path,
            *_position(text, match.start(1)),
            "pasted-character",
            f"{character_name(match.group(1))} used as a YAML quote",
            "YAML only knows straight quotes: write \" or ' instead, or leave the quotes out",
        )
        for match in _CURLY_QUOTE.finditer(text)
        if _position(text, match.start(1))[0] == syntax.line
    ]
    # A pasted character at or before the error is its likely cause: the parser's message
    # would only confuse (fixing them shows any error that remains).
    if any(problem.line <= syntax.line for problem in pasted):
        return pasted
    return [*pasted, syntax]


def _syntax_error(path: str, error: MarkedYAMLError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = error.problem or error.context or "invalid YAML"
    if "expected a single document" in str(error):
        return _error(
            path,
            line,
            column,
            "multiple-documents",
            "the file holds more than one YAML document",
            "keep one document per file and remove the '---' separator",
        )
    if "special characters are not allowed" in problem:
        return _error(
            path,
            line,
            column,
            "hidden-character",
            "the file contains a control character",
            "remove the character; it is invisible in most editors",
        )
    return _error(
        path,
        line,
        column,
        "yaml-syntax",
        f"invalid YAML: {problem}",
        "fix the YAML syntax at this position (indentation, quotes, colons)",
    )


def _reader_error(path: str, text: str, error: ReaderError) -> Diagnostic:
    line, column = _position(text, error.position)
    return _error(
        path,
        line,
        column,
        "hidden-character",
        f"the control character U+{error.character:04X} is not allowed",
        "remove the character; it is invisible in most editors",
    )


def _error(path: str, line: int, column: int, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(path, line, column, code, message, hint)


def replace_scalars(text: str, values: dict[str, str]) -> str:
    """``text`` with the top-level scalar fields in ``values`` set, and nothing else changed.

    ruamel's round-trip composer finds each value's exact extent and quoting; the new value is
    written in its place, in the same quoting style. Unlike a round-trip dump, this keeps every
    byte the author wrote elsewhere: comments, blank lines, key order, indentation, line width
    and flow style. The result is parsed again to prove that only those fields changed.
    """
    try:
        root = YAML(typ="rt", pure=True).compose(text)
    except YAMLError as error:
        raise EditError(f"the file does not parse: {error}") from None
    if not isinstance(root, MappingNode):
        raise EditError("the file is not a mapping")
    spans: list[tuple[int, int, str]] = []
    for key, new in values.items():
        node = _child(root, key, want_key=False)
        if not isinstance(node, ScalarNode) or node.style in ("|", ">"):
            raise EditError(f"'{key}' is not a one-line value; set it by hand first")
        quote = node.style if node.style in ('"', "'") else ""
        spans.append((node.start_mark.index, node.end_mark.index, f"{quote}{new}{quote}"))
    edited = text
    for start, end, new in sorted(spans, reverse=True):
        edited = edited[:start] + new + edited[end:]
    try:
        before, after = _LOADER.load(text), _LOADER.load(edited)
    except YAMLError:
        raise EditError(f"setting {', '.join(values)} would break the file") from None
    expected = {**before, **{key: after.get(key) for key in values}}
    if after != expected or any(str(after.get(key)) != new for key, new in values.items()):
        raise EditError(f"setting {', '.join(values)} would change more than those fields")
    return edited
