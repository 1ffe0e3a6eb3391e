"""Editing a YAML file's top-level scalars in place, every other byte kept."""

from __future__ import annotations

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode

from tools.base.errors import EditError
from tools.base.yamlloader import LOADER, child_node


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
        node = child_node(root, key, want_key=False)
        if not isinstance(node, ScalarNode) or node.style in ("|", ">"):
            raise EditError(f"'{key}' is not a one-line value; set it by hand first")
        quote = node.style if node.style in ('"', "'") else ""
        spans.append((node.start_mark.index, node.end_mark.index, f"{quote}{new}{quote}"))
    edited = text
    for start, end, new in sorted(spans, reverse=True):
        edited = edited[:start] + new + edited[end:]
    try:
        before, after = LOADER.load(text), LOADER.load(edited)
    except YAMLError:
        raise EditError(f"setting {', '.join(values)} would break the file") from None
    expected = {**before, **{key: after.get(key) for key in values}}
    if after != expected or any(str(after.get(key)) != new for key, new in values.items()):
        raise EditError(f"setting {', '.join(values)} would change more than those fields")
    return edited
