"""Reading YAML the ruamel way, for a file the fast path (``tools/base/yamlfast.py``) and the
cheap text checks (``tools/base/yamlscan.py``) could not clear: the event scan for forbidden
features and for values past a limit, the node tree with duplicate or complex keys, and the
data built from it. Imported only then: most commands never load ruamel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
from tools.base.yamlscan import MAX_DEPTH, MAX_VALUES, may_hold_many_values
from tools.base.yamlsyntax import multiple_documents, reader_error, syntax_problems, unreadable


def count_values(path: str, text: str, limit: int) -> list[Diagnostic]:
    """A located error at the first value past ``limit``; parsing stops there."""
    count = 0
    for event in LOADER.parse(text):
        if isinstance(event, NodeEvent):
            count += 1
            if count > limit:
                return [
                    Diagnostic.at(
                        path,
                        "too-many-values",
                        f"the file holds more than {limit:,} values",
                        "split it into several files; a section of 100 clauses has about 1,000",
                        line=event.start_mark.line + 1,
                        column=event.start_mark.column + 1,
                    )
                ]
    return []


def scan_events(path: str, text: str) -> list[Diagnostic]:
    """Anchors, aliases, tags, merge keys, several documents and too deep nesting."""
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


def parse_with_nodes(path: str, text: str) -> tuple[Node | None, Any, list[Diagnostic]]:
    """The node tree and data of a text that passed the structure scan, or its problems."""
    try:
        problems = count_values(path, text, MAX_VALUES) if may_hold_many_values(text) else []
        if problems:
            return None, None, problems
        root = LOADER.compose(text)
        if root is None:
            return (
                None,
                None,
                [
                    Diagnostic.at(
                        path,
                        "empty-file",
                        "the file has no content",
                        "write the file's fields, or delete the file",
                        line=1,
                        column=1,
                    )
                ],
            )
        problems = check_keys(path, root)
        if problems:
            return None, None, problems
        return root, construct(root), []
    except MarkedYAMLError as error:
        return None, None, syntax_problems(path, text, error)
    except ReaderError as error:
        return None, None, [reader_error(path, text, error)]
    except (YAMLError, ValueError, TypeError) as error:
        return None, None, [unreadable(path, error)]


_STR_TAG = "tag:yaml.org,2002:str"


def construct(node: Node) -> Any:
    """Plain data from a node tree that passed the checks: no anchors or aliases (so no shared
    nodes), merge keys, tags, duplicate or complex keys, and at most ``MAX_DEPTH`` levels.

    Mappings, sequences and strings are built here; other scalars (dates, numbers, booleans,
    null) by the safe constructor. The same data as ruamel's ``construct_document``, at a third
    of its cost: it passes every node through several generic calls and memo tables, which only
    anchors and recursive structures need.
    """
    if isinstance(node, MappingNode):
        return {construct(key): construct(value) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [construct(item) for item in node.value]
    if node.tag == _STR_TAG:
        return node.value
    return LOADER.constructor.construct_non_recursive_object(node)
