"""The floors: load a repository's policy files with a C-based YAML loader, nothing else.

``python tests/bench/floor.py ROOT`` uses ruamel.yaml's safe C loader, ``... ROOT pyyaml``
PyYAML's ``CSafeLoader`` (``... - models``: import Pydantic and build the schema's
validators, for reference). Each runs as a fresh process, as ``policy validate`` does, so both
pay the same interpreter start, and imports only its own library."""

from __future__ import annotations

import sys
from pathlib import Path


def load_all(root: Path) -> int:
    """Load every ``.yaml`` file under ``root/policy`` with ruamel; the number of files."""
    from ruamel.yaml import YAML

    loader = YAML(typ="safe", pure=False)
    paths = sorted((root / "policy").rglob("*.yaml"))
    for path in paths:
        loader.load(path.read_text(encoding="utf-8"))
    return len(paths)


def load_all_pyyaml(root: Path) -> int:
    """Load every ``.yaml`` file under ``root/policy`` with PyYAML's libyaml loader."""
    import yaml

    paths = sorted((root / "policy").rglob("*.yaml"))
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return len(paths)


def build_models() -> None:
    """Import the schema and build the validators that ``policy validate`` and ``policy diff``
    use (the models are built on first use): Pydantic's share of a small command."""
    from schema.models import PolicyMeta, Registry, Section

    for model in (PolicyMeta, Registry, Section):
        model.model_rebuild()


if __name__ == "__main__":
    if sys.argv[2:] == ["models"]:
        build_models()
    elif sys.argv[2:] == ["pyyaml"]:
        load_all_pyyaml(Path(sys.argv[1]))
    else:
        load_all(Path(sys.argv[1]))
