"""The checks of the departments registry and of CODEOWNERS against it: ids, handles and
members unique, GitHub logins and SSH keys well formed, every CODEOWNERS owner a department."""

from __future__ import annotations

from collections.abc import Iterator

from schema.models import Registry
from tools.base.diagnostics import Diagnostic
from tools.base.errors import SignatureFormatError
from tools.base.loader import REGISTRY_PATH, LoadedFile
from tools.owners.codeowners import CODEOWNERS_PATH, owner_positions
from tools.signing.sshsig import key_blob
from tools.validate.policy import diagnostic_at


def check_registry(registry: LoadedFile[Registry]) -> list[Diagnostic]:
    """Department ids and handles unique; each person once per department."""
    problems: list[Diagnostic] = []
    ids: set[str] = set()
    handles: set[str] = set()
    for index, department in enumerate(registry.model.departments):
        if department.id in ids:
            problems.append(
                diagnostic_at(
                    registry,
                    ("departments", index, "id"),
                    "duplicate-department",
                    f"department '{department.id}' is defined twice",
                    "merge the two entries",
                )
            )
        if department.handle in handles:
            problems.append(
                diagnostic_at(
                    registry,
                    ("departments", index, "handle"),
                    "duplicate-handle",
                    f"handle '{department.handle}' belongs to two departments",
                    "give each department its own CODEOWNERS handle",
                )
            )
        ids.add(department.id)
        handles.add(department.handle)
        emails: set[str] = set()
        for m_index, member in enumerate(department.members):
            if member.email.lower() in emails:
                problems.append(
                    diagnostic_at(
                        registry,
                        ("departments", index, "members", m_index, "email"),
                        "duplicate-member",
                        f"{member.email} is listed twice in '{department.id}'",
                        "list each person once per department",
                    )
                )
            emails.add(member.email.lower())
    return problems + _check_keys(registry) + _check_logins(registry)


def _check_logins(registry: LoadedFile[Registry]) -> list[Diagnostic]:
    """A GitHub login belongs to one person: a review by it must say who approved."""
    problems: list[Diagnostic] = []
    holders: dict[str, str] = {}
    for index, department in enumerate(registry.model.departments):
        for m_index, member in enumerate(department.members):
            if member.github is None:
                continue
            person = member.email.casefold()
            holder = holders.setdefault(member.github.casefold(), person)
            if holder != person:
                problems.append(
                    diagnostic_at(
                        registry,
                        ("departments", index, "members", m_index, "github"),
                        "shared-login",
                        f"the GitHub login {member.github} also belongs to {holder}",
                        "each person has a GitHub account of their own",
                    )
                )
    return problems


def _keys(registry: Registry) -> Iterator[tuple[str, str, str, tuple[str | int, ...]]]:
    """Every key line in the registry: its person, field, text and place."""
    for index, department in enumerate(registry.departments):
        for m_index, member in enumerate(department.members):
            for field in ("ssh_keys", "revoked_keys"):
                for k_index, line in enumerate(getattr(member, field)):
                    place = ("departments", index, "members", m_index, field, k_index)
                    yield member.email.casefold(), field, line, place


def _check_keys(registry: LoadedFile[Registry]) -> list[Diagnostic]:
    """Every key readable; a key belongs to one person (whoever else has it could sign as
    them); a revoked key is not also listed as current."""
    problems: list[Diagnostic] = []
    holders: dict[bytes, str] = {}
    current: list[tuple[bytes, tuple[str | int, ...]]] = []
    revoked: set[bytes] = set()
    for person, field, line, place in _keys(registry.model):
        try:
            blob = key_blob(line)
        except SignatureFormatError as error:
            message = f"not a usable public key: {error}"
            hint = "paste the whole line of your .pub file"
            problems.append(diagnostic_at(registry, place, "bad-key", message, hint))
            continue
        if field == "revoked_keys":
            revoked.add(blob)
            continue
        current.append((blob, place))
        if holders.setdefault(blob, person) != person:
            message = f"this key also belongs to {holders[blob]}"
            hint = "each person signs with a key of their own"
            problems.append(diagnostic_at(registry, place, "shared-key", message, hint))
    message = "this key is revoked elsewhere in the registry"
    hint = "remove it from ssh_keys; a revoked key never counts"
    problems += [
        diagnostic_at(registry, place, "revoked-key-listed", message, hint)
        for blob, place in current
        if blob in revoked
    ]
    return problems


def check_codeowners_handles(text: str, registry: Registry) -> list[Diagnostic]:
    """Every owner named in CODEOWNERS is the handle of a department in the registry."""
    handles = {department.handle for department in registry.departments}
    return [
        Diagnostic.at(
            CODEOWNERS_PATH,
            "unknown-owner",
            f"owner '{owner}' is not the handle of a department in {REGISTRY_PATH}",
            f"use one of: {', '.join(sorted(handles))}, or add the department",
            line=line,
            column=column,
        )
        for owner, line, column in owner_positions(text)
        if owner not in handles
    ]
