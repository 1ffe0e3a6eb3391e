"""The policy data model (``schema/models.py``) and the JSON Schema files generated from it."""

import os

# Pydantic looks for plugins in the entry points of every installed package when it builds its
# first validator; this tool uses none, so it skips that scan (a start-up cost of every
# command). Set PYDANTIC_DISABLE_PLUGINS yourself to choose otherwise (docs/performance.md).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
