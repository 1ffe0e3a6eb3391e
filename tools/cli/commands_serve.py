"""``policy serve``: check everything that can be checked before listening (the host, the
configuration, the database, the chain's key), then run the server until stopped."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.errors import UsageError
from tools.cli.output import EXIT_OK

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository

KEY_ENVIRONMENT = "POLICY_ACK_KEY"


def serve(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.store import database_url, environment
    from tools.attest.store_serve import open_database
    from tools.serve.gather import gather_served
    from tools.serve.serve_io import Start, check_host, new_form_secret, read_config, run

    check_host(args.host, args.dev_login)
    config = read_config(args.config)
    url = database_url(args.db, environment(), repo.root)
    open_database(url).close()  # upgrade the schema once, before the workers start
    gather_served(repo)  # the site and the rounds load, or the command stops here
    form_secret = _form_secret(config.secret_file) if config.secret_file else new_form_secret()
    start = Start(
        str(repo.root), url, str(args.config) if args.config else None,
        _chain_secret(url), form_secret, args.dev_login,
    )  # fmt: skip
    print(f"policy serve: http://{args.host}:{args.port}/ (Ctrl-C stops)")
    run(start, args.host, args.port, args.workers)
    return EXIT_OK


def _form_secret(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read secret_file {path}: {error}") from None
    if len(text) < 32:
        raise UsageError(f"{path}: the secret is shorter than 32 characters")
    return text.encode("utf-8").hex()


def _chain_secret(url: str) -> str:
    """The chain's key: ``POLICY_ACK_KEY``, else the file beside a SQLite database
    (``attest.db.key``, made on first use, owner only). The same rule as the attestation
    commands' key store (issue #18), which replaces this when merged."""
    given = os.environ.get(KEY_ENVIRONMENT, "").strip()
    if given:
        return given
    from tools.attest.store_serve import sqlite_file

    database = sqlite_file(url)
    if database is None:
        raise UsageError(f"a PostgreSQL store needs the chain's key: set {KEY_ENVIRONMENT}")
    beside = database.with_name(database.name + ".key")
    if not beside.exists():
        try:
            handle = os.open(beside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "w", encoding="ascii") as stream:
                stream.write(secrets.token_hex(32) + "\n")
        except FileExistsError:
            pass
    return beside.read_text(encoding="ascii").strip()
