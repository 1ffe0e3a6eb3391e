"""The fast path of reading a file: PyYAML's libyaml parser, ruamel's YAML 1.2 types, no node
tree kept.

Most files are valid, and a valid file needs no positions. PyYAML's C composer makes its nodes
at about half the cost of ruamel's, and the data is built straight from them. Whenever this
path cannot vouch that ruamel would read the same data without a problem, ``fast_data``
answers None and ``tools/base/yamlfile.py`` parses with ruamel as before, which finds and
locates every problem as it always did: a syntax error, a duplicate or complex key, a value
its constructor refuses.

The two libyaml copies differ (ruamel.yaml.clib bundles 0.1.7, PyYAML 0.2.5) in flow
collections, directives, document markers, escapes, tabs and some control characters, so text
with any of those goes the ruamel way; the block style of a policy file reads alike in both
(``tests/base/test_yamlfast.py`` holds both ways equal).
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.tag import Tag
from yaml.nodes import MappingNode

from tools.base.yamlloader import LOADER

try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml: ruamel reads every file
    CParser = None

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# Flow collections, escapes, tabs, carriage returns and other breaks, control characters, a
# BOM or surrogates: where the two libyaml versions may read a text differently.
_UNSURE_CHARACTERS = re.compile(
    "[][{}\\\\\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
_UNSURE_LINE_STARTS = ("%", "---", "...")


class _UnsureError(Exception):
    """The fast path cannot vouch for this text; ruamel reads it."""


def _resolver_table() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """ruamel's implicit types of YAML 1.2 by first character: 'yes' and 'on' stay text, '010'
    is ten, as ``policy validate`` has always read them."""
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = LOADER.resolver.versioned_resolver
    return table


_TABLE = _resolver_table()
_ANY_START = _TABLE.get(None, [])
_TYPES = {tag for resolvers in _TABLE.values() for tag, _ in resolvers}


class _FastParser(CParser):  # type: ignore[misc]
    """libyaml's composer with the resolver ruamel's safe loader uses."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if value is None:
            return _MAP if kind is MappingNode else _SEQ
        if implicit[0]:  # plain: typed by its form, as ruamel's ``VersionedResolver.resolve``
            for tag, pattern in _TABLE.get(value[0] if value else "", ()):
                if pattern.match(value):
                    return tag
            for tag, pattern in _ANY_START:
                if pattern.match(value):
                    return tag
        return _STR


def fast_data(text: str) -> tuple[Any] | None:
    """The file's data (in a 1-tuple: it may be None), or None when ruamel must read it."""
    if CParser is None or _UNSURE_CHARACTERS.search(text) or _odd_line_start(text):
        return None
    try:
        parser = _FastParser(text)
        try:
            root = parser.get_single_node()
        finally:
            parser.dispose()
        if root is None:
            return None
        return (_build(root),)
    except Exception:  # any doubt (a syntax error, a duplicate key): ruamel says what it is
        return None


def _odd_line_start(text: str) -> bool:
    return text.startswith(_UNSURE_LINE_STARTS) or any(
        "\n" + start in text for start in _UNSURE_LINE_STARTS
    )


def _build(node: Any) -> Any:
    """Plain data, as ``yamlfile._construct`` builds it from ruamel's nodes."""
    tag = node.tag
    if tag is _STR:
        return node.value
    if tag is _MAP:
        pairs = node.value
        data = {}
        for key, value in pairs:
            if key.tag is not _STR:  # a complex, numeric, boolean or null key
                raise _UnsureError
            data[key.value] = _build(value)
        if len(data) != len(pairs):  # a duplicate key
            raise _UnsureError
        return data
    if tag is _SEQ:
        return [_build(item) for item in node.value]
    if tag not in _TYPES or node.style:  # only plain scalars are typed by their form
        raise _UnsureError
    scalar = ScalarNode(Tag(suffix=tag), node.value)
    return LOADER.constructor.construct_non_recursive_object(scalar)
