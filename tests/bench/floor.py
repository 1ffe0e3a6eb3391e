"""The floor: load a repository's policy files with ruamel.yaml's C-based safe loader, nothing
else. Run as a fresh process (``python tests/bench/floor.py ROOT``), as ``policy validate`` is,
so both pay the same interpreter start."""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML


def load_all(root: Path) -> int:
    """Load every ``.yaml`` file under ``root/policy``; the number of files loaded."""
    loader = YAML(typ="safe", pure=False)
    paths = sorted((root / "policy").rglob("*.yaml"))
    for path in paths:
        loader.load(path.read_text(encoding="utf-8"))
    return len(paths)


if __name__ == "__main__":
    load_all(Path(sys.argv[1]))
