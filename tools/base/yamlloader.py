"""ruamel.yaml set up once: the safe C loader every YAML module parses with, and how to find a
value in its node tree. The YAML modules (``yamlruamel``, ``yamlsyntax``, ``yamledit``, this one)
are the only ones that import ruamel.yaml, and ``yamlfile`` and ``yamlfast`` reach them only for
a file the fast path cannot read.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver


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


LOADER = _make_loader()


def child_node(node: Node, part: str | int, *, want_key: bool) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                return key_node if want_key else value_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
