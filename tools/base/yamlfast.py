"""The fast path of reading a file: PyYAML's libyaml parser, ruamel's YAML 1.2 types, no node
tree kept.

Most files are valid, and a valid file needs no positions. PyYAML's C composer makes its nodes
at about half the cost of ruamel's, and the data is built straight from them. Whenever this
path cannot vouch that ruamel would read the same data without a problem, ``fast_data``
answers None and ``tools/base/yamlfile.py`` parses with ruamel as before, which finds and
locates every problem as it always did: a syntax error, a duplicate or complex key, a value
its constructor refuses.

The two libyaml copies differ (ruamel.yaml.clib bundles 0.1.7, PyYAML 0.2.5) in flow
collections, directives, document markers, escapes, tabs and line breaks, so text
with any of those goes the ruamel way; the block style of a policy file reads alike in both
(``tests/base/test_yamlfast.py`` holds both ways equal).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from yaml.nodes import MappingNode

try:
    from yaml.cyaml import CParser

    LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML without libyaml: ruamel reads every file
    CParser = object
    LIBYAML = False

_STR = "tag:yaml.org,2002:str"

# Flow collections, escapes, tabs, carriage returns and the other line breaks, a BOM: where
# the two libyaml versions may read a text differently. (Control characters both refuse, and
# then ruamel reports them.) A search for one character runs at memory speed, a regular
# expression's character class at a tenth of it.
_UNSURE_CHARACTERS = ("[", "]", "{", "}", "\\", "\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff")
_UNSURE_LINE_STARTS = ("%", "---", "...")


class _UnsureError(Exception):
    """The fast path cannot vouch for this text; ruamel reads it."""


Matcher = Callable[[str], "re.Match[str] | None"]

# ruamel's implicit types of YAML 1.2 (its ``VersionedResolver`` for 1.2), by a plain scalar's
# first character: 'yes' and 'on' stay text, '010' is ten, as ``policy validate`` has always
# read them. Written out here so that reading a valid file does not import ruamel (a fifth of
# a small command's start-up); ``tests/base/test_yamlfast.py`` holds the table equal to
# ruamel's.
_Y = "tag:yaml.org,2002:"


def _matcher(pattern: str, flags: int = 0) -> Matcher:
    return re.compile(pattern, flags).match


_BOOL_MATCH = _matcher("^(?:true|True|TRUE|false|False|FALSE)$", re.X)
_FLOAT = _matcher(
    "^(?:\n"
    "         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n"
    "        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n"
    "        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n"
    "        |[-+]?\\.(?:inf|Inf|INF)\n"
    "        |\\.(?:nan|NaN|NAN))$",
    re.X,
)
_INT = _matcher(
    "^(?:[-+]?0b[0-1_]+\n"
    "        |[-+]?0o?[0-7_]+\n"
    "        |[-+]?[0-9_]+\n"
    "        |[-+]?0x[0-9a-fA-F_]+)$",
    re.X,
)
_TIMESTAMP = _matcher(
    "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n"
    "        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n"
    "        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n"
    "        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n"
    "        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
    re.X,
)
_MERGE_MATCH = _matcher("^(?:<<)$")
_NULL_MATCH = _matcher(
    "^(?: ~\n        |null|Null|NULL\n        | )$",
    re.X,
)
_VALUE_MATCH = _matcher("^(?:=)$")
_YAML_MATCH = _matcher("^(?:!|&|\\*)$")
_BOOL = [(f"{_Y}bool", _BOOL_MATCH)]
_NULL = [(f"{_Y}null", _NULL_MATCH)]
_YAML = [(f"{_Y}yaml", _YAML_MATCH)]
_NUMBER = [(f"{_Y}float", _FLOAT), (f"{_Y}int", _INT)]
_DIGIT = [*_NUMBER, (f"{_Y}timestamp", _TIMESTAMP)]
_TABLE: dict[str, list[tuple[str, Matcher]]] = {
    "": _NULL,
    "~": _NULL,
    "n": _NULL,
    "N": _NULL,
    "t": _BOOL,
    "T": _BOOL,
    "f": _BOOL,
    "F": _BOOL,
    "!": _YAML,
    "&": _YAML,
    "*": _YAML,
    "+": _NUMBER,
    "-": _NUMBER,
    ".": [(f"{_Y}float", _FLOAT)],
    "<": [(f"{_Y}merge", _MERGE_MATCH)],
    "=": [(f"{_Y}value", _VALUE_MATCH)],
    **{digit: _DIGIT for digit in "0123456789"},
}
_NONE: list[tuple[str, Matcher]] = []
_TYPED_STARTS = frozenset(_TABLE)
"""First characters of plain scalars that may be other than text."""
_SIMPLE_INT = re.compile(r"0|[1-9][0-9]{0,17}").fullmatch
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


class _FastParser(CParser):  # type: ignore[misc]
    """libyaml's composer, its per-node calls into Python made C calls.

    The composer calls ``descend_resolver`` and ``ascend_resolver`` around every node (for path
    resolvers, of which there are none here) and ``resolve(kind, value, implicit)`` for every
    untagged node. As class attributes, builtins are called without binding ``self``: ``slice``
    takes any two or three arguments, so ``resolve`` leaves ``slice(kind, value, implicit)`` as
    the node's tag and ``_build`` types the value from it. That is a third less time than the
    same as Python methods.
    """

    descend_resolver = slice
    ascend_resolver = tuple
    resolve = slice


def fast_data(text: str) -> tuple[Any] | None:
    """The file's data (in a 1-tuple: it may be None), or None when ruamel must read it."""
    if not LIBYAML or any(c in text for c in _UNSURE_CHARACTERS) or _odd_line_start(text):
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
    """Plain data, as ``yamlruamel.construct`` builds it from ruamel's nodes."""
    kind = node.tag  # slice(kind, value, implicit), or a string: an explicit tag
    if kind.__class__ is not slice:
        raise _UnsureError
    value = kind.stop
    if value is None:  # a collection
        if kind.start is not MappingNode:
            return [_build(item) for item in node.value]
        pairs = node.value
        data = {_key(key): _build(item) for key, item in pairs}
        if len(data) != len(pairs):  # a duplicate key
            raise _UnsureError
        return data
    if not kind.step[0] or (value and value[0] not in _TYPED_STARTS):
        return value  # quoted or block text, or plain text that cannot be of another type
    tag = _plain_tag(value)
    if tag is _STR:
        return value
    return _typed(tag, value)


def _typed(tag: str, value: str) -> Any:
    """A typed plain scalar, as ruamel's safe constructor builds it: the forms a policy file
    holds (null, a boolean, a small whole number, a date) here, any other by ruamel itself."""
    if tag == f"{_Y}null":
        return None
    if tag == f"{_Y}bool":
        return value[0] in "tT"
    if tag == f"{_Y}int" and _SIMPLE_INT(value):
        return int(value)
    if tag == f"{_Y}timestamp" and _DATE(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # 2027-13-01: text, which the schema reports as a bad date
            return value
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.tag import Tag

    from tools.base.yamlloader import LOADER

    return LOADER.constructor.construct_non_recursive_object(ScalarNode(Tag(suffix=tag), value))


def _key(node: Any) -> str:
    kind = node.tag
    if kind.__class__ is not slice or kind.stop is None:  # an explicit tag, a complex key
        raise _UnsureError
    key: str = kind.stop
    if kind.step[0] and _plain_tag(key) is not _STR:  # a numeric, boolean or null key
        raise _UnsureError
    return key


def _plain_tag(value: str) -> str:
    """A plain scalar's type as ruamel's ``VersionedResolver.resolve`` finds it by its form
    (``10``, ``true``, ``2027-01-01``); quoted and block scalars are always text."""
    for tag, match in _TABLE.get(value[0] if value else "", _NONE):
        if match(value):
            return tag
    return _STR
