"""What every command shares: exit codes, printing diagnostics, writing an output file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from tools.base.diagnostics import Diagnostic, render_github, render_text
from tools.base.errors import UsageError
from tools.base.fileio import write_atomic

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def print_diagnostics(diagnostics: Sequence[Diagnostic], output: str = "text") -> None:
    render = render_github if output == "github" else render_text
    for diagnostic in diagnostics:
        print(render(diagnostic), file=sys.stderr if output == "text" else sys.stdout)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def check_output(output: Path | None, fmt: str, option: str = "--output") -> None:
    """A Word document needs a file; a text format never goes to a ``.docx`` name."""
    if fmt == "docx" and output is None:
        raise UsageError("--format docx writes a Word document: give --output FILE")
    if fmt != "docx" and output is not None and output.suffix.lower() == ".docx":
        raise UsageError(
            f"{option} {output}: a .docx name for {fmt} output; use --format docx or another name"
        )


def write_output(path: Path, data: str | bytes) -> None:
    """Write atomically (a reader sees the old file or the new, never half); a path that cannot
    be written is a usage error (exit 2) in one line."""
    try:
        write_atomic(path.resolve(), data, mode=0o644)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
