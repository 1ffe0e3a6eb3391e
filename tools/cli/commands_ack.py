"""The attestation commands on rounds: ``ack confirm``, ``ack import``, ``ack status`` and
``ack overdue``. Rounds are read from git each time; people and confirmations from the store,
in one transaction per command. Refusals and diagnostics never quote an employee number."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.diagnostics import Diagnostic
from tools.base.errors import UsageError
from tools.cli.output import EXIT_OK, EXIT_PROBLEMS, plural, print_diagnostics

if TYPE_CHECKING:
    from tools.attest.acks_csv import AckRow
    from tools.attest.obligations import PolicyFacts
    from tools.attest.people_csv import PersonRow
    from tools.attest.record import Refusal
    from tools.attest.store_acks import Accepted
    from tools.base.gitio import GitRepository


def ack_confirm(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.gather_rounds import gather_policy
    from tools.attest.keystore import check_key
    from tools.attest.record import Refusal, Request, check
    from tools.attest.store import database_url, environment, transaction
    from tools.attest.store_acks import find_person, record
    from tools.base.clock import now

    url = database_url(args.db, environment(), repo.root)
    secret = chain_key(url, args)
    policy = gather_policy(repo, args.policy, evidence=True)
    request = Request(args.person, args.policy, args.version, "import")
    at = now()
    with transaction(url) as session:
        check_key(session, secret)  # the key the chain was made with, or exit 2
        found = find_person(session, args.person)
        outcome = check(request, found[1] if found else None, policy, at.date())
        if isinstance(outcome, Refusal):
            _refuse(outcome)
            return EXIT_PROBLEMS
        written = record(session, found[0] if found else None, secret, request, outcome, at)
    what = f"{policy.id} {outcome.version}"
    if not written:
        print(f"{what}: this person had already confirmed it; nothing changed")
        return EXIT_OK
    print(f"{what}: confirmation recorded (text {outcome.digest}, channel import)")
    return EXIT_OK


def _refuse(refusal: Refusal) -> None:
    hint = f"; {refusal.hint}" if refusal.hint else ""
    print(f"policy: error[{refusal.code}]: {refusal.message}{hint}", file=sys.stderr)


def ack_import(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest.acks_csv import DEFAULT_COLUMNS, read_acks
    from tools.attest.keystore import check_key
    from tools.attest.store import database_url, environment, transaction
    from tools.attest.store_acks import people_ids, record_all
    from tools.base.clock import now
    from tools.cli.commands_attest import read_text

    url = database_url(args.db, environment(), repo.root)
    secret = chain_key(url, args)
    file: Path = args.file
    rows, problems = read_acks(read_text(args.start / file), str(file),
                               args.columns or DEFAULT_COLUMNS)  # fmt: skip
    if not rows and problems:
        return _invalid(file, problems)
    policies = _policies_of(repo, rows)
    at = now()
    with transaction(url) as session:
        check_key(session, secret)
        people = people_ids(session, {row.employee for row in rows})
        checked, refused = _checked_rows(rows, people, policies, str(file), at)
        if problems or refused:
            return _invalid(file, sorted([*problems, *refused], key=_position))
        written = record_all(session, secret, checked)
    print(f"{file}: {plural(written, 'confirmation')} recorded, {len(rows) - written} already")
    return EXIT_OK


def _position(problem: Diagnostic) -> tuple[int, int]:
    return problem.line, problem.column


def _invalid(file: Path, problems: list[Diagnostic]) -> int:
    print_diagnostics(problems)
    print(f"policy: {file}: {plural(len(problems), 'problem')}; nothing was recorded")
    return EXIT_PROBLEMS


def _policies_of(repo: GitRepository, rows: list[AckRow]) -> dict[str, PolicyFacts]:
    from tools.attest.gather_rounds import gather_policy
    from tools.base.loader import ParseCache

    cache = ParseCache()
    wanted = sorted({row.policy for row in rows})
    return {p: gather_policy(repo, p, cache, evidence=True) for p in wanted}


_FIELD_OF = {
    "ack-person": "employee", "ack-leaver": "confirmed", "ack-audience": "employee",
    "ack-policy": "policy", "ack-other-person": "employee", "ack-future": "confirmed",
}  # fmt: skip
"""The CSV field a refusal points at (else the version)."""


def _checked_rows(
    rows: list[AckRow], people: Mapping[str, tuple[int, PersonRow]],
    policies: Mapping[str, PolicyFacts], file: str, now: dt.datetime,
) -> tuple[list[Accepted], list[Diagnostic]]:  # fmt: skip
    """(person id, request, release, time) per row, or every row's refusal, located."""
    from tools.attest.record import Refusal, Request, check

    checked, problems = [], []
    for row in rows:
        found = people.get(row.employee)
        request = Request(row.employee, row.policy, row.version, "import")
        outcome = check(request, found[1] if found else None, policies[row.policy], row.at.date())
        if row.at > now:
            outcome = Refusal("ack-future", "confirmed after today", "check the export's times")
        if isinstance(outcome, Refusal):
            problems.append(_located(file, row, outcome))
        else:
            checked.append((found[0] if found else None, request, outcome, row.at))
    return checked, problems


def chain_key(url: str, args: argparse.Namespace) -> bytes:
    """The chain's key (the HMAC secret behind ``person_key``): ``--key-file``, else
    ``POLICY_ACK_KEY``, else the file beside a SQLite store (``tools/attest/keystore.py``)."""
    from tools.attest.keystore import chain_secret
    from tools.attest.store import environment

    return chain_secret(url, args.key_file, environment())


def _located(file: str, row: AckRow, refusal: Refusal) -> Diagnostic:
    line, column = row.places[_FIELD_OF.get(refusal.code, "version")]
    return Diagnostic.at(file, refusal.code, refusal.message, refusal.hint, line=line,
                         column=column)  # fmt: skip


def ack_status(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest import ackreport
    from tools.attest.obligations import coverage
    from tools.base.clock import today

    policies = _wanted_policies(repo, args.policy)
    if args.department is not None and args.department not in _departments(repo):
        raise UsageError(
            f"--department {args.department}: not a department id of policy/departments.yaml"
        )
    people, settled = _stored(repo, args, policies)
    day = today()
    rows = coverage(policies, people, settled, day)
    if args.department is not None:
        rows = [r for r in rows if r.department == args.department]
    if args.format == "json":
        print(ackreport.status_json(policies, rows, day.isoformat()), end="")
    elif args.format == "csv":
        print(ackreport.status_csv(policies, rows), end="")
    else:
        print(ackreport.status_text(policies, rows), end="")
    return EXIT_OK


def ack_overdue(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.attest import ackreport
    from tools.attest.gather_rounds import gather_policies
    from tools.attest.obligations import overdue
    from tools.base.clock import today

    policies = gather_policies(repo)
    people, settled = _stored(repo, args, policies)
    day = today()
    rows = overdue(policies, people, settled, day)
    if args.format == "json":
        print(ackreport.overdue_json(rows, day.isoformat()), end="")
    elif args.format == "csv":
        print(ackreport.overdue_csv(rows), end="")
    else:
        print(ackreport.overdue_text(rows), end="")
    return EXIT_OK


def _wanted_policies(repo: GitRepository, wanted: str | None) -> list[PolicyFacts]:
    from tools.attest.gather_rounds import gather_policies

    policies = gather_policies(repo)
    if wanted is None:
        return policies
    chosen = [p for p in policies if p.id == wanted]
    if not chosen:
        known = ", ".join(p.id for p in policies) or "none yet"
        raise UsageError(f"no released policy '{wanted}' (released: {known})")
    return chosen


def _stored(
    repo: GitRepository, args: argparse.Namespace, policies: list[PolicyFacts]
) -> tuple[list[PersonRow], dict[str, set[str]]]:
    """Everyone stored and who settled each policy's round, read in one transaction."""
    from tools.attest.store import database_url, environment, stored_people, transaction
    from tools.attest.store_acks import settled_people

    url = database_url(args.db, environment(), repo.root)
    with transaction(url) as session:
        return stored_people(session), settled_people(session, policies)


def _departments(repo: GitRepository) -> frozenset[str]:
    from tools.cli.commands_attest import departments

    return departments(repo.root)
