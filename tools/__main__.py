"""``python -m tools``: the same CLI as the ``policy`` command."""

import sys

from tools.cli import main

sys.exit(main())
