"""The checks of one policy across its files: what no single file can check about itself.

Pure functions over a loaded policy: clause ids unique and never reused, references resolve,
every required element covered, dates in order, departments known.
"""

from __future__ import annotations

from typing import Any

from schema.models import NORMATIVE_LEVELS, PolicyMeta
from tools.base.diagnostics import Diagnostic
from tools.base.loader import REGISTRY_PATH, LoadedFile, Policy


def check_policy(policy: Policy, departments: frozenset[str] | None) -> list[Diagnostic]:
    """All cross-file checks of one policy; ``departments`` None skips the department check."""
    problems = _check_identity(policy) + _check_dates(policy.meta) + _check_clause_ids(policy)
    problems += _check_elements(policy)
    if policy.complete:
        problems += _check_references(policy) + _check_coverage(policy)
    if departments is not None:
        problems += _check_departments(policy, departments)
    return problems


def diagnostic_at(
    file: LoadedFile[Any], loc: tuple[str | int, ...], code: str, message: str, hint: str
) -> Diagnostic:
    """A problem at the value ``loc`` of a loaded file, located in its node tree."""
    line, column = file.doc.locate(loc)
    return Diagnostic.at(file.path, code, message, hint, line=line, column=column)


def _check_identity(policy: Policy) -> list[Diagnostic]:
    problems = []
    if policy.meta.model.id != policy.id:
        problems.append(
            diagnostic_at(
                policy.meta,
                ("id",),
                "policy-id-mismatch",
                f"id '{policy.meta.model.id}' differs from the folder name '{policy.id}'",
                f"set id to '{policy.id}' or rename the folder",
            )
        )
    for section in policy.sections:
        expected = section.path.rsplit("/", 1)[1].removesuffix(".yaml")
        if section.model.id != expected:
            problems.append(
                diagnostic_at(
                    section,
                    ("id",),
                    "section-id-mismatch",
                    f"id '{section.model.id}' differs from the file name '{expected}'",
                    f"set id to '{expected}' or rename the file",
                )
            )
    return problems


def _check_dates(meta: LoadedFile[PolicyMeta]) -> list[Diagnostic]:
    effective, review = meta.model.effective, meta.model.next_review
    if review > effective:
        return []
    return [
        diagnostic_at(
            meta,
            ("next_review",),
            "bad-dates",
            f"next_review ({review}) is not after effective ({effective})",
            "set next_review to a later date, commonly one to three years after effective",
        )
    ]


def _check_clause_ids(policy: Policy) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    prefix = policy.meta.model.clause_prefix + "-"
    retired = set(policy.meta.model.retired)
    # Where each id is first used, located only for a duplicate: locating needs the file's
    # node tree, which a valid file does not keep.
    first: dict[str, tuple[LoadedFile[Any], int]] = {}
    for section, index, clause in policy.clauses():
        loc = ("clauses", index, "id")
        if not clause.id.startswith(prefix):
            problems.append(
                diagnostic_at(
                    section,
                    loc,
                    "bad-id",
                    f"clause id '{clause.id}' does not start with '{prefix}'",
                    f"use the policy's clause_prefix, e.g. {prefix}001",
                )
            )
        if clause.id in retired:
            problems.append(
                diagnostic_at(
                    section,
                    loc,
                    "retired-id",
                    f"clause id '{clause.id}' belonged to a removed clause",
                    "ids are never reused; give this clause a new id",
                )
            )
        if clause.id in first:
            earlier, earlier_index = first[clause.id]
            line, _ = earlier.doc.locate(("clauses", earlier_index, "id"))
            problems.append(
                diagnostic_at(
                    section,
                    loc,
                    "duplicate-id",
                    f"clause id '{clause.id}' is already used at {earlier.path}:{line}",
                    "give this clause a new, unused id",
                )
            )
        else:
            first[clause.id] = (section, index)
    return problems


def _check_elements(policy: Policy) -> list[Diagnostic]:
    known = {element.id for element in policy.meta.model.elements}
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for index, element in enumerate(policy.meta.model.elements):
        if element.id in seen:
            problems.append(
                diagnostic_at(
                    policy.meta,
                    ("elements", index, "id"),
                    "duplicate-element",
                    f"element '{element.id}' is listed twice",
                    "list each element once",
                )
            )
        seen.add(element.id)
    hint = f"use one of: {', '.join(sorted(known))}"
    for section in policy.sections:
        for index, element_id in enumerate(section.model.elements):
            if element_id not in known:
                problems.append(
                    diagnostic_at(
                        section,
                        ("elements", index),
                        "unknown-element",
                        f"element '{element_id}' is not defined in policy.yaml",
                        hint,
                    )
                )
        for c_index, clause in enumerate(section.model.clauses):
            for index, element_id in enumerate(clause.elements):
                if element_id not in known:
                    problems.append(
                        diagnostic_at(
                            section,
                            ("clauses", c_index, "elements", index),
                            "unknown-element",
                            f"element '{element_id}' is not defined in policy.yaml",
                            hint,
                        )
                    )
    return problems


def _check_references(policy: Policy) -> list[Diagnostic]:
    ids = {clause.id for section in policy.sections for clause in section.model.clauses}
    problems: list[Diagnostic] = []
    for section, index, clause in policy.clauses():
        if not clause.see:  # most clauses refer to none
            continue
        for ref_index, ref in enumerate(clause.see):
            loc = ("clauses", index, "see", ref_index)
            if ref == clause.id:
                problems.append(
                    diagnostic_at(
                        section,
                        loc,
                        "self-reference",
                        f"clause '{clause.id}' refers to itself",
                        "remove the reference",
                    )
                )
            elif ref not in ids:
                problems.append(
                    diagnostic_at(
                        section,
                        loc,
                        "dangling-reference",
                        f"clause '{ref}' does not exist in this policy",
                        "correct the id or remove the reference",
                    )
                )
    return problems


def covered_elements(policy: Policy) -> dict[str, int]:
    """Per element id, the number of normative clauses that cover it."""
    counts = {element.id: 0 for element in policy.meta.model.elements}
    for section in policy.sections:
        listed = set(section.model.elements)  # once per section, not per clause
        for clause in section.model.clauses:
            if clause.level not in NORMATIVE_LEVELS:
                continue
            for element_id in listed | set(clause.elements) if clause.elements else listed:
                if element_id in counts:
                    counts[element_id] += 1
    return counts


def _check_coverage(policy: Policy) -> list[Diagnostic]:
    needed = policy.meta.model.min_clauses_per_element
    counts = covered_elements(policy)
    return [
        diagnostic_at(
            policy.meta,
            ("elements", index, "id"),
            "missing-element",
            f"element '{element.id}' is covered by {counts[element.id]} normative clause(s); "
            f"{needed} needed",
            "add must/must-not/should/may clauses to a section whose 'elements' lists it, "
            "or list it in a clause's 'elements'",
        )
        for index, element in enumerate(policy.meta.model.elements)
        if counts[element.id] < needed
    ]


def _check_departments(policy: Policy, departments: frozenset[str]) -> list[Diagnostic]:
    known = ", ".join(sorted(departments))
    hint = f"use one of these ids (lower case), or add the department to {REGISTRY_PATH}"
    problems: list[Diagnostic] = []

    def check(file: LoadedFile[Any], loc: tuple[str | int, ...], value: str | None) -> None:
        if value is not None and value not in departments:
            problems.append(
                diagnostic_at(
                    file,
                    loc,
                    "unknown-department",
                    f"unknown department '{value}'; known: {known}",
                    hint,
                )
            )

    check(policy.meta, ("contact",), policy.meta.model.contact)
    for index, department in enumerate(policy.meta.model.acknowledgement_departments or ()):
        check(policy.meta, ("acknowledgement_departments", index), department)
    for section in policy.sections:
        check(section, ("contact",), section.model.contact)
        for index, clause in enumerate(section.model.clauses):
            check(section, ("clauses", index, "contact"), clause.contact)
    return problems
