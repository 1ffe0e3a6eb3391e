"""What every command shares: exit codes and printing diagnostics."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tools.base.diagnostics import Diagnostic, render_github, render_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def print_diagnostics(diagnostics: Sequence[Diagnostic], output: str = "text") -> None:
    render = render_github if output == "github" else render_text
    for diagnostic in diagnostics:
        print(render(diagnostic), file=sys.stderr if output == "text" else sys.stdout)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
