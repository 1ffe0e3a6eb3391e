"""``policy serve``: check everything that can be checked before listening (the host, the
configuration, the database, the chain's key against the one its confirmations were made
with), then run the server until stopped."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.errors import UsageError
from tools.cli.output import EXIT_OK

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def serve(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.keystore import check_key
    from tools.attest.store import database_url, environment, transaction
    from tools.attest.store_serve import open_database
    from tools.cli.commands_ack import chain_key
    from tools.serve.gather import gather_served
    from tools.serve.serve_io import Start, check_host, listen, new_form_secret, read_config, run

    check_host(args.host, args.dev_login)
    config = read_config(args.config)
    url = database_url(args.db, environment(), repo.root)
    open_database(url).close()  # upgrade the schema once, before the workers start
    secret = chain_key(url, args)
    with transaction(url) as session:
        check_key(session, secret)  # the key the chain was made with, or exit 2
    gather_served(repo)  # the site and the rounds load, or the command stops here
    form_secret = _form_secret(config.secret_file) if config.secret_file else new_form_secret()
    start = Start(
        str(repo.root), url, str(args.config) if args.config else None,
        secret.decode("utf-8"), form_secret, args.dev_login,
    )  # fmt: skip
    sock = listen(args.host, args.port)  # a port in use stops here, before the line below
    print(f"policy serve: http://{args.host}:{args.port}/ (Ctrl-C stops)")
    run(start, sock, args.workers)
    return EXIT_OK


def _form_secret(path: str) -> str:
    try:
        mode = Path(path).stat().st_mode
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read secret_file {path}: {error}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):  # whoever reads it can forge forms
        raise UsageError(
            f"{path}: the secret_file can be read by others; allow its owner only: chmod 600 {path}"
        )
    if len(text) < 32:
        raise UsageError(f"{path}: the secret is shorter than 32 characters")
    return text.encode("utf-8").hex()
