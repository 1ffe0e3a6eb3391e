"""The evidence's commands: ``ack export`` (the auditor's file, or one person's record),
``ack verify --head`` (the head kept elsewhere) and ``ack purge`` (the retention period).
Counts and hashes are printed, never a name; the files written are personal data (employee
numbers), so they are private to their owner (0600) and never inside the repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.errors import UsageError
from tools.cli.output import EXIT_OK, EXIT_PROBLEMS, plural

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def ack_export(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.evidence import head, render_csv, render_json
    from tools.attest.evidence_store import export_rows
    from tools.attest.store import database_url, environment, transaction

    url = database_url(args.db, environment(), repo.root)
    if args.output is not None:
        _outside(args.output, repo.root)
    if args.person is not None:
        return _export_person(url, args)
    with transaction(url) as session:
        rows = export_rows(session)
    _write(args.output, render_json(rows) if args.format == "json" else render_csv(rows))
    if args.output is not None:
        print(f"wrote {args.output}: {plural(len(rows), 'confirmation')}, head {head(rows)}")
    return EXIT_OK


def _export_person(url: str, args: argparse.Namespace) -> int:
    """A request for access (AVG art. 15): the person's row and confirmations, as JSON."""
    from tools.attest.evidence import render_person
    from tools.attest.evidence_store import person_record
    from tools.attest.store import transaction

    with transaction(url) as session:
        record = person_record(session, args.person)
    if record is None:
        print(_NOTHING, file=sys.stderr)
        return EXIT_PROBLEMS
    _write(args.output, render_person(record))
    if args.output is not None:
        count = plural(len(record.confirmations), "confirmation")
        print(f"wrote {args.output}: the person's row and {count}")
    return EXIT_OK


_NOTHING = (
    "policy: nothing is stored about that employee number (never imported, or purged after "
    "the retention period); nothing was written"
)


def _outside(output: Path, root: Path) -> None:
    if output.resolve().is_relative_to(root.resolve()):
        raise UsageError(
            f"{output}: inside the repository; the export is personal data (employee numbers) "
            "and never goes into git: write it elsewhere"
        )


def _write(output: Path | None, text: str) -> None:
    from tools.base.fileio import write_atomic

    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output.resolve(), text, mode=0o600)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def ack_verify(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.chain import GENESIS, first_break
    from tools.attest.evidence import first_mislinked, head_problem
    from tools.attest.keystore import chain_secret, check_key, key_path
    from tools.attest.store import (
        chain_links,
        database_url,
        environment,
        linked_people,
        transaction,
    )

    env = environment()
    url = database_url(args.db, env, repo.root)
    given = args.key_file is not None or env.get("POLICY_ACK_KEY", "").strip()
    known = given or _exists(key_path(url))  # never makes a key file: only checks one
    mislinked = None
    with transaction(url) as session:
        if known:  # a key this tool would use: refuse it now if it is not the chain's
            secret = chain_secret(url, args.key_file, env)
            check_key(session, secret, remember=False)
            mislinked = first_mislinked(linked_people(session), secret)
        links = chain_links(session)
    broken = first_break(links)
    if broken is not None:
        print(f"the chain is broken at confirmation {links[broken][0].seq}: a row was edited, "
              "inserted, deleted or moved; compare with the last export")  # fmt: skip
        return EXIT_PROBLEMS
    if mislinked is not None:
        print(f"confirmation {mislinked} is linked to a person whose employee number is not "
              "the one its chained key names: its person was changed in the database")  # fmt: skip
        return EXIT_PROBLEMS
    chain = [(link.seq, stored) for link, _, stored in links]
    last = chain[-1][1] if chain else GENESIS
    problem = head_problem(args.head, chain) if args.head else None
    if problem is not None:
        print(f"the chain holds but its head {last} is not the one kept elsewhere: {problem}")
        return EXIT_PROBLEMS
    print(f"the chain holds: {plural(len(chain), 'confirmation')}, head {last}")
    return EXIT_OK


def _exists(path: Path | None) -> bool:
    return path is not None and path.exists()


def ack_purge(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.evidence_store import purge
    from tools.attest.store import database_url, environment, transaction
    from tools.base.clock import today

    url = database_url(args.db, environment(), repo.root)
    with transaction(url) as session:
        done = purge(session, today(), args.retention_days, args.dry_run)
    verb = "would erase" if args.dry_run else "erased"
    people = f"{done.people} {'person' if done.people == 1 else 'people'}"
    print(
        f"{verb} the personal data of {people} who left more "
        f"than {args.retention_days} days ago; {plural(done.unlinked, 'confirmation')} "
        "unlinked from them, kept in the chain"
    )
    return EXIT_OK
