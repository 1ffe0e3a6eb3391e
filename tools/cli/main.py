"""The ``policy`` command: runs what ``tools/cli/args.py`` parsed, prints, picks the exit code.

Exit codes: 0 ok, 1 ran and found problems, 2 could not run as asked (usage, environment,
unreadable input, a refusal). Engines return data or raise a ``PolicyError``
(``tools/base/errors.py``); only ``tools/cli/`` prints: this module dispatches to the
``commands_*`` modules, one per domain.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

    from tools.base.gitio import GitRepository


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder at or above ``start`` that has ``policy/``."""
    from tools.base.errors import UsageError

    for folder in (start, *start.parents):
        if (folder / "policy").is_dir():
            return folder
    raise UsageError(
        f"no policy repository found at or above {start} (no 'policy/' folder); "
        "run the command inside a policy repository"
    )


def main(argv: Sequence[str] | None = None) -> int:
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # The one answer that needs no parser: start-up alone (argparse prints the same).
        from tools import __version__

        print(f"policy {__version__}")
        return 0
    with _closed_pipes_quiet():
        return _run(argv)


class _PipeGuard:
    """A text stream that stops writing, quietly, once its reader went away (``| head``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.broken = stream, False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self.broken = True
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self.broken = True

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextmanager
def _closed_pipes_quiet() -> Iterator[None]:
    """Output to a closed pipe ends quietly: the command runs to its end and exits with its own
    code (a release that happened is never reported as failed). Python's recipe: what is left
    goes to devnull, so the final flush at exit cannot fail either."""
    streams = sys.stdout, sys.stderr
    guards = _PipeGuard(sys.stdout), _PipeGuard(sys.stderr)
    sys.stdout, sys.stderr = guards
    try:
        yield
    finally:
        for guard in guards:
            guard.flush()
        sys.stdout, sys.stderr = streams
        devnull = os.open(os.devnull, os.O_WRONLY)
        for guard in guards:
            if guard.broken:
                with suppress(OSError, ValueError):  # no file descriptor: nothing to redirect
                    os.dup2(devnull, guard.stream.fileno())
        os.close(devnull)


def _run(argv: Sequence[str] | None) -> int:
    # Imported here, not at the top: ``policy --version`` answers before any of them.
    from tools.base.diagnostics import render_text
    from tools.base.errors import LoadError, PolicyError
    from tools.cli.args import build_parser
    from tools.cli.output import EXIT_USAGE

    try:
        args = build_parser().parse_args(argv)
        start = (args.directory or Path.cwd()).resolve()
        both_dirs = args.command == "diff" and args.base_dir and args.head_dir
        if args.command == "init":
            root = start  # the new repository is made, not found
        else:
            root = args.head_dir.resolve() if both_dirs else find_root(start)
        args.start = start
        from tools.base.gitio import GitRepository  # here: `policy --version` needs no git

        # The one handle on the repository: opened when a command first reads git.
        return _command(args.command)(GitRepository(root), args)
    except LoadError as error:
        for diagnostic in error.diagnostics:
            print(render_text(diagnostic), file=sys.stderr)
        print(f"policy: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except PolicyError as error:
        print(f"policy: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


# Every command, as ``module:function`` under ``tools.cli``: a command imports only its own
# module (and what that needs), so a small command starts fast.
_COMMANDS: dict[str, str] = {
    "validate": "commands_check:validate",
    "diff": "commands_check:diff",
    "owners": "commands_check:owners",
    "changelog": "commands_notes:changelog",
    "approve": "commands_gate:approve",
    "approvals": "commands_gate:approvals",
    "release": "commands_release:release",
    "history": "commands_release:history",
    "report": "commands_gate:report",
    "due": "commands_release:due",
    "schema": "commands_check:schema",
    "site": "commands_site:site",
    "render": "commands_site:render",
    "import": "commands_import:import_",
    "init": "commands_adopt:init",
    "new": "commands_adopt:new",
    "people": "commands_attest:people",
    "ack": "commands_attest:ack",
    "serve": "commands_serve:serve",
}


def _command(name: str) -> Callable[[GitRepository, argparse.Namespace], int]:
    """The function of command ``name``: ``(the repository, parsed arguments) -> exit code``."""
    module, _, function = _COMMANDS[name].partition(":")
    found: Callable[[GitRepository, argparse.Namespace], int] = getattr(
        importlib.import_module(f"tools.cli.{module}"), function
    )
    return found
