"""``python -m tools``: the same CLI as the ``policy`` command."""

import sys

from tools.cli.main import main

sys.exit(main())
