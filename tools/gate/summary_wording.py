"""The first screen's wording, in one table per language: Dutch for a Dutch policy, English for
any other. Every fixed phrase of ``tools/gate/summary.py`` is here, and the Dutch wording of
each impact reason ``tools/compare/impact.py`` and ``tools/compare/diff.py`` give.

The reasons are English sentences with values in them ("new must clause: a new duty for
employees"); ``REASONS`` matches each form and says it in Dutch. A reason no form matches is
shown as it is (``tests/gate/test_summary.py`` checks that every reason the classifier can give
has a Dutch form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema.models import LEVEL_DUTCH, Level
from tools.compare.impact import Impact


@dataclass(frozen=True)
class Wording:
    impact: dict[Impact, str]
    version: str
    """``{title}: version {version}``, then ``FIRST`` or ``PREVIOUS``."""
    first: str
    previous: str
    counts: str
    """``Clauses: {parts}; impact: {impact}``, the parts joined by ``, ``."""
    count_kinds: tuple[str, str, str]
    """``{n} new``, ``{n} changed``, ``{n} removed``; a count of zero is left out."""
    other_changes: str
    no_changes: str
    not_loading: str
    top: str
    employees: str
    actions: dict[str, str]
    from_date: str
    next_release: str
    to_approve: str
    departments: tuple[str, str]
    approved: str
    cannot_judge: str
    members_or: str
    nobody: str
    more_people: str
    groups: dict[str, str]
    clause_groups: tuple[str, str, str, str]
    """One clause, clauses; one section, sections: ``{n} clauses in {m} sections``."""
    blocks: str
    ready: str
    more: str
    blockers: dict[str, str]
    fixes: dict[str, str]
    """The command that fixes each blocker, ``{policy}`` and ``{option}`` filled in."""


DUTCH = Wording(
    impact={
        Impact.MAJOR: "wezenlijk",
        Impact.MINOR: "aanvulling of verduidelijking",
        Impact.PATCH: "redactioneel",
        Impact.NONE: "geen",
    },
    version="{title}: versie {version}",
    first=" (eerste versie)",
    previous=" (was {previous})",
    counts="Regels: {parts}; impact: {impact}",
    count_kinds=("{n} nieuw", "{n} gewijzigd", "{n} vervallen"),
    other_changes=" (en {n} overige wijzigingen)",
    no_changes="Geen wijzigingen.",
    not_loading="Het beleid laadt niet: policy validate",
    top="Zwaarste wijziging: {what}: {reason}",
    employees="Medewerkers: {action}, {when}",
    actions={
        "confirm": "opnieuw lezen en bevestigen",  # as the release notes say (ACKNOWLEDGE)
        "confirm-first": "lezen en bevestigen",  # a first version is read for the first time
        "read": "lezen",
        "nothing": "niets te doen",
    },
    from_date="geldt vanaf {date}",
    next_release="geldt vanaf de volgende release",
    to_approve="Nog goedkeuren ({n}):",
    departments=("afdeling", "afdelingen"),
    approved="Goedkeuringen: compleet",
    cannot_judge="Goedkeuringen: niet te beoordelen (zie hieronder)",
    members_or=" of ",
    nobody="niemand in het register",
    more_people=" of nog {n}",
    groups={
        "policy": "beleidsgegevens",
        "notes": "wijzigingsnotities",
        "released": "releasenotes",
        "other": "beheerbestanden",
    },
    clause_groups=("regel", "regels", "hoofdstuk", "hoofdstukken"),
    blocks="Blokkeert de release:",
    ready="Niets blokkeert de release: {command}",
    more="… en {n} meer: {command}",
    blockers={
        "not-approved": "nog niet goedgekeurd",
        "gate-closed": "de goedkeuringscontrole is dicht",
        "gate-error": "de goedkeuringscontrole kan niet draaien",
        "invalid": "het beleid is niet geldig",
        "change-notes": "de wijzigingsnotities kloppen niet",
        "dirty-tree": "er zijn niet-vastgelegde bestanden",
        "nothing-to-release": "er is niets veranderd sinds de vorige release",
        "version-too-low": "het versienummer is te laag",
        "tag-exists": "de tag van deze versie bestaat al",
        "tags-not-fetched": "de tags van eerdere releases ontbreken",
        "changelog-clash": "de changelog heeft deze versie al",
        "notice-period": "de ingangsdatum valt binnen de aankondigingstermijn",
        "bad-effective-date": "de ingangsdatum klopt niet",
        "cannot-edit": "policy.yaml kan niet worden bijgewerkt",
    },
    fixes={
        "not-approved": "de leden hierboven: policy approve",
        "gate-closed": "policy approvals",
        "gate-error": "policy approvals",
        "invalid": "policy validate",
        "change-notes": "policy changelog new, dan policy changelog check",
        "dirty-tree": "git commit (of git stash)",
        "nothing-to-release": "wijzig eerst het beleid",
        "version-too-low": "policy release {policy} {option}",
        "tag-exists": "policy release {policy} --version (hoger)",
        "tags-not-fetched": "git fetch --tags",
        "changelog-clash": "git fetch --tags",
        "notice-period": "policy release {policy} {option}",
        "bad-effective-date": "policy release {policy} {option}",
        "cannot-edit": "policy validate",
        "": "zie policy release {policy} --dry-run --verbose",
    },
)

ENGLISH = Wording(
    impact={
        Impact.MAJOR: "material",
        Impact.MINOR: "guidance or clarification",
        Impact.PATCH: "editorial",
        Impact.NONE: "none",
    },
    version="{title}: version {version}",
    first=" (first version)",
    previous=" (was {previous})",
    counts="Clauses: {parts}; impact: {impact}",
    count_kinds=("{n} new", "{n} changed", "{n} removed"),
    other_changes=" (and {n} other changes)",
    no_changes="No changes.",
    not_loading="The policy does not load: policy validate",
    top="Most material change: {what}: {reason}",
    employees="Employees: {action}, {when}",
    actions={
        "confirm": "read and confirm again",
        "confirm-first": "read and confirm",
        "read": "read",
        "nothing": "nothing to do",
    },
    from_date="in force from {date}",
    next_release="in force from the next release",
    to_approve="Still to approve ({n}):",
    departments=("department", "departments"),
    approved="Approvals: complete",
    cannot_judge="Approvals: cannot be judged (see below)",
    members_or=" or ",
    nobody="nobody in the registry",
    more_people=" or {n} more",
    groups={
        "policy": "policy metadata",
        "notes": "change notes",
        "released": "release notes",
        "other": "governance files",
    },
    clause_groups=("clause", "clauses", "section", "sections"),
    blocks="Blocks the release:",
    ready="Nothing blocks the release: {command}",
    more="… and {n} more: {command}",
    blockers={
        "not-approved": "not approved yet",
        "gate-closed": "the approval gate is closed",
        "gate-error": "the approval gate cannot run",
        "invalid": "the policy does not validate",
        "change-notes": "the change notes are not right",
        "dirty-tree": "uncommitted files",
        "nothing-to-release": "nothing changed since the last release",
        "version-too-low": "the version is too low",
        "tag-exists": "this version's tag exists already",
        "tags-not-fetched": "the tags of earlier releases are missing",
        "changelog-clash": "the changelog has this version already",
        "notice-period": "the effective date is inside the notice period",
        "bad-effective-date": "the effective date is wrong",
        "cannot-edit": "policy.yaml cannot be updated",
    },
    fixes={**DUTCH.fixes, "not-approved": "the members above: policy approve"}
    | {
        "change-notes": "policy changelog new, then policy changelog check",
        "dirty-tree": "git commit (or git stash)",
        "nothing-to-release": "change the policy first",
        "tag-exists": "policy release {policy} --version (higher)",
        "": "see policy release {policy} --dry-run --verbose",
    },
)


def wording(language: str) -> Wording:
    """Dutch for ``nl`` and ``nl-XX``; English for any other language."""
    return DUTCH if language.split("-", maxsplit=1)[0] == "nl" else ENGLISH


LEVEL_ADJECTIVE = {
    Level.MUST: "verplichte",
    Level.MUST_NOT: "verboden",
    Level.SHOULD: "aanbevolen",
    Level.MAY: "toegestane",
    Level.INFO: "informatieve",
}
"""A level before ``regel``: een verplichte regel."""


FIELDS = {
    "title": "de titel",
    "summary": "de samenvatting",
    "legal": "de juridische grondslag",
    "see": "de verwijzingen",
    "contact": "de contactafdeling",
    "intro": "de inleiding",
    "audience": "de doelgroep",
    "notice_days": "de aankondigingstermijn",
    "acknowledgement": "het bevestigen",
    "acknowledgement_departments": "wie moet bevestigen",
    "acknowledgement_days": "de bevestigingstermijn",
    "language": "de taal",
    "version": "de versie",
    "effective": "de ingangsdatum",
    "next_review": "de evaluatiedatum",
    "sections": "de hoofdstukken",
    "retired": "de vervallen nummers",
    "clause_prefix": "het voorvoegsel",
    "min_clauses_per_element": "het minimum aantal regels",
    "elements": "de onderwerpen",
    "applies_to": "de soorten accounts",
    "monitoring": "monitoring",
}

_L = r"(?P<level>must-not|must|should|may|info)"
_N = r"(?P<name>[a-z_]+)"
_LEVELS = r"level (?P<base>[a-z-]+) -> (?P<head>[a-z-]+)"

REASONS: tuple[tuple[str, str], ...] = (
    (rf"new {_L} clause: a new duty for employees", "nieuwe {level} regel, een nieuwe plicht"),
    (rf"new {_L} clause: new guidance", "nieuwe {level} regel, nieuwe uitleg of ruimte"),
    (rf"{_L} clause removed: a duty or a right disappears", "{level} regel vervalt"),
    (r"moved: position only, the clause itself is unchanged", "alleen verplaatst"),
    (
        r"monitoring flag changed: whether employees are monitored changes",
        "of medewerkers gevolgd worden is gewijzigd",
    ),
    (rf"{_N} changed: bookkeeping, not read by employees", "{name} is gewijzigd (administratief)"),
    (
        rf"{_LEVELS}: an obligation became a prohibition or back",
        "van {base} naar {head}: een plicht werd een verbod of andersom",
    ),
    (rf"{_LEVELS}: the clause binds more strongly", "van {base} naar {head}: bindt sterker"),
    (rf"{_LEVELS}: a relaxation", "van {base} naar {head}: een versoepeling"),
    (r"text: whitespace, line wrapping or typography only", "alleen de opmaak van de tekst"),
    (
        rf"text of a {_L} clause reworded: the duty may change",
        "de tekst van een {level} regel is gewijzigd",
    ),
    (
        rf"text of a {_L} clause reworded: guidance clarified",
        "de tekst van een {level} regel is verduidelijkt",
    ),
    (r"applies_to written differently, same account types", "alleen anders geschreven"),
    (r"applies_to: a duty now covers more account types", "een plicht geldt voor meer accounts"),
    (
        r"applies_to: a permission now covers fewer account types",
        "iets wat mag, geldt voor minder accounts",
    ),
    (r"applies_to: the account types covered changed", "geldt voor andere soorten accounts"),
    (rf"{_N}: whitespace or typography only", "alleen de opmaak van {name}"),
    (rf"{_N} changed: clarification, no change in duties", "{name} is verduidelijkt"),
    (rf"{_N} changed: administrative", "{name} is gewijzigd (administratief)"),
    (
        rf"{_N} changed: how the policy is introduced or acknowledged",
        "{name} is gewijzigd: hoe het beleid wordt gebracht of bevestigd",
    ),
    (r"new section", "nieuw hoofdstuk"),
    (r"section removed \(its clauses are listed one by one\)", "hoofdstuk vervalt"),
    (
        r"id changed from (?P<old>\S+) to (?P<new>\S+); ids must stay stable.*",
        "nummer gewijzigd van {old} in {new}",
    ),
)

_COMPILED = tuple((re.compile(pattern), dutch) for pattern, dutch in REASONS)


def dutch_reason(reason: str) -> str | None:
    """The Dutch form of an impact reason, or None when no form matches."""
    for pattern, dutch in _COMPILED:
        found = pattern.fullmatch(reason)
        if found is None:
            continue
        values = {key: _dutch_value(key, value) for key, value in found.groupdict().items()}
        return dutch.format(**values)
    return None


def _dutch_value(key: str, value: str) -> str:
    if key == "level":
        return LEVEL_ADJECTIVE[Level(value)]
    if key in ("base", "head"):
        return LEVEL_DUTCH[Level(value)]
    if key == "name":
        return FIELDS.get(value, value)
    return value
