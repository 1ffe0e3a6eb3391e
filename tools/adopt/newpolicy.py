"""Planning ``policy new``: the checks of what was asked against the repository, and the files
and CODEOWNERS text that result. Pure: the CLI reads the repository and writes the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from schema.models import Registry
from tools.adopt.codeowners_edit import add_policy
from tools.adopt.scaffold import NewPolicy, default_prefix, policy_files
from tools.base.errors import RefusalError
from tools.owners.codeowners import parse_codeowners
from tools.owners.rules import compile_rules, owners_of


def default_owner(registry: Registry, codeowners: str, policy_id: str) -> str:
    """Who owns the new policy when no ``--owner`` is given: the department that owns its
    folder now (the catch-all), else the registry's first department."""
    rules, _ = parse_codeowners("CODEOWNERS", codeowners)
    ownership = owners_of(compile_rules(rules), f"policy/{policy_id}/policy.yaml")
    handles = {department.handle for department in registry.departments}
    for section in ownership.sections:
        for owner in section.owners:
            if section.section.name == "" and owner in handles:
                return owner
    return registry.departments[0].handle


def plan_policy(
    policy_id: str,
    title: str,
    *,
    prefix: str | None,
    owner: str | None,
    registry: Registry,
    prefixes: Mapping[str, str],
    codeowners: str,
    today: dt.date,
) -> tuple[dict[str, str], str]:
    """The new policy's files and the new CODEOWNERS text. ``prefixes``: the clause prefix of
    every existing policy, by id. Refuses an existing id, a prefix in use, an unknown owner."""
    if policy_id in prefixes:
        raise RefusalError(f"policy '{policy_id}' exists already (policy/{policy_id}/)")
    chosen = prefix or default_prefix(policy_id)
    users = sorted(other for other, used in prefixes.items() if used == chosen)
    if users:
        raise RefusalError(
            f"clause prefix '{chosen}' is used by policy '{users[0]}'; give another with --prefix"
        )
    handle = owning_handle(registry, codeowners, policy_id, owner)
    department = next(d.id for d in registry.departments if d.handle == handle)
    new = NewPolicy(policy_id, title, chosen, department, handle, today)
    return policy_files(new), add_policy(codeowners, policy_id, handle, title)


def owning_handle(registry: Registry, codeowners: str, policy_id: str, owner: str | None) -> str:
    """The handle that will own a new policy (``owner``, else ``default_owner``); a refusal
    when it is no department's."""
    handle = owner or default_owner(registry, codeowners, policy_id)
    departments = {department.handle for department in registry.departments}
    if handle not in departments:
        known = ", ".join(sorted(departments))
        raise RefusalError(
            f"owner {handle} is no department's handle in policy/departments.yaml; known: {known}"
        )
    return handle
