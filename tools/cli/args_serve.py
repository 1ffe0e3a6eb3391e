"""The arguments of ``policy serve``: the employees' site with sign-in, confirmations and HR's
coverage (``tools/serve/``, docs/serve.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.cli import args_attest

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[Any]


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (1-65535)")
    return int(value)


def _workers(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers (1-64)")
    return int(value)


def add_serve_parser(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the employees' site where people confirm policies and HR sees coverage",
        description="Serve the site `policy site` builds (the releases in force today), with "
        "sign-in from the single sign-on proxy in front (a header trusted only from the "
        "proxy's addresses), the form 'Ik heb het beleid gelezen' on the page of the version to "
        "confirm, 'Mijn beleid', and HR's coverage, overdue list and CSV. See docs/serve.md.",
    )
    serve.add_argument(
        "--db",
        metavar="URL",
        help="the attestation database: a SQLite file or a URL such as "
        "postgresql+psycopg://host/db (default: $POLICY_DB, else policy/attest.db in the "
        "user's data folder)",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: only the proxy on this machine "
        "reaches it)",
    )
    args_attest.add_key_file(serve)
    serve.add_argument("--port", type=_port, default=8080, help="the port (default 8080)")
    serve.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the configuration (TOML): trusted proxies, header names, HR group",
    )
    serve.add_argument(
        "--workers", type=_workers, default=1, metavar="N",
        help="worker processes (default 1; several need PostgreSQL to scale)",
    )  # fmt: skip
    serve.add_argument(
        "--dev-login",
        action="store_true",
        help="to try it on your own machine: a page where you sign in as anyone; refused on "
        "an address other than loopback",
    )
