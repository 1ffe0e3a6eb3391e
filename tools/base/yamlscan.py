"""What a policy file may not hold, found before its data is built: anchors, aliases, tags,
merge keys, several documents, too deep nesting, too many values, duplicate or complex keys.

A policy file never needs these, and an attacker could use each of them (billion laughs, type
confusion, content that differs from what a reviewer sees), so they are errors. The slower
event scan for the forbidden features runs only when the raw text could contain one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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

from tools.base.diagnostics import Diagnostic
from tools.base.yamlloader import LOADER
from tools.base.yamlsyntax import multiple_documents, reader_error, syntax_problems, unreadable

MAX_DEPTH = 64
"""Deepest nesting accepted; a policy needs about 5 levels."""

MAX_VALUES = 20_000
"""Most values (scalars and collections) one file may hold: a section of 100 clauses has about
1,000. More is refused before the node tree is built, so any input of up to
``yamlfile.MAX_BYTES`` is judged in well under 2 seconds (building a tree of 500,000 values
takes about 10)."""

# Where an anchor (&), alias (*) or tag (!) can start a node: at the start of a line or after
# whitespace or a flow indicator; a directive (%) only at the start of a line. "R&D" or "Let
# op!" in a text cannot be one, so such text does not send a file down the slow scan.
_SUSPECT = re.compile(r"(?:^|[\s\[{,:])[&*!]|^%|<<", re.MULTILINE)
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


def _may_hold_many_values(text: str) -> bool:
    """False when the text certainly holds at most ``MAX_VALUES`` values.

    Every value but the document's own starts at an indicator (``-``, ``?``, ``:``, ``,``,
    ``[``, ``{``), and no indicator starts more than two (``k: v`` is a key and its value): a
    few counts at C speed, so an ordinary file pays nothing for the exact count."""
    indicators = sum(text.count(mark) for mark in "-?:,[{")
    return 2 * indicators + 1 > MAX_VALUES


def too_many_values(path: str, text: str) -> list[Diagnostic]:
    """A located error at the first value past ``MAX_VALUES``; parsing stops there."""
    if not _may_hold_many_values(text):
        return []
    count = 0
    for event in LOADER.parse(text):
        if isinstance(event, NodeEvent):
            count += 1
            if count > MAX_VALUES:
                return [
                    Diagnostic.at(
                        path,
                        "too-many-values",
                        f"the file holds more than {MAX_VALUES:,} values",
                        "split it into several files; a section of 100 clauses has about 1,000",
                        line=event.start_mark.line + 1,
                        column=event.start_mark.column + 1,
                    )
                ]
    return []


def scan_structure(path: str, text: str) -> list[Diagnostic]:
    # Cheap checks first: the event scan costs as much as the parse, so it runs only when the
    # text could hold a forbidden feature or nest too deep.
    suspect = any(mark in text for mark in _SUSPECT_CHARACTERS) and _SUSPECT.search(text)
    if not suspect and not _may_be_deep(text):
        return []
    try:
        return list(_forbidden_features(path, text))
    except MarkedYAMLError as error:
        return syntax_problems(path, text, error)
    except ReaderError as error:
        return [reader_error(path, text, error)]
    except YAMLError as error:
        return [unreadable(path, error)]


def _forbidden_features(path: str, text: str) -> Iterator[Diagnostic]:
    depth = 0
    # For each open mapping: True while the next scalar is a key.
    expecting_key: list[bool] = []
    documents = 0
    for event in LOADER.parse(text):
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        is_key = bool(expecting_key) and expecting_key[-1]
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                yield multiple_documents(path, line, column)
                return
        if isinstance(event, AliasEvent):
            yield Diagnostic.at(
                path,
                "yaml-alias",
                f"alias '*{event.anchor}' is not allowed in policy files",
                "write the value out in full instead of referring to an anchor",
                line=line,
                column=column,
            )
            return
        if isinstance(event, NodeEvent) and event.anchor:
            yield Diagnostic.at(
                path,
                "yaml-anchor",
                f"anchor '&{event.anchor}' is not allowed in policy files",
                "remove the anchor; policy files do not share values",
                line=line,
                column=column,
            )
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and _explicit_tag(event):
            yield Diagnostic.at(
                path,
                "yaml-tag",
                f"the tag '{event.tag}' is not allowed in policy files",
                "remove the tag; write the value as plain YAML",
                line=line,
                column=column,
            )
        if isinstance(event, ScalarEvent) and is_key and event.value == "<<" and not event.style:
            yield Diagnostic.at(
                path,
                "yaml-merge-key",
                "merge keys ('<<') are not allowed in policy files",
                "write out the fields instead of merging another mapping",
                line=line,
                column=column,
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                yield Diagnostic.at(
                    path,
                    "too-deep",
                    f"the YAML is nested more than {MAX_DEPTH} levels deep",
                    "flatten the structure; policy files need only a few levels",
                    line=line,
                    column=column,
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


def check_keys(path: str, node: Node) -> list[Diagnostic]:
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
                    Diagnostic.at(
                        path,
                        "yaml-complex-key",
                        "a key must be a plain word, not a list or mapping",
                        "use a simple field name as key",
                        line=line,
                        column=column,
                    )
                )
            elif key_node.value in seen:
                problems.append(
                    Diagnostic.at(
                        path,
                        "duplicate-key",
                        f"key '{key_node.value}' is repeated "
                        f"(first on line {seen[key_node.value]})",
                        "remove one of the two; YAML would silently keep only the last",
                        line=line,
                        column=column,
                    )
                )
            else:
                seen[key_node.value] = line
            stack.append(value_node)
    return problems
