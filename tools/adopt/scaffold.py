"""The files of a new policy repository (``policy init``) and of a new policy (``policy new``).

Pure: plain values in, a mapping ``path -> text`` out; the same inputs give the same bytes. The
CI workflows, noxfile and README are templates shipped in ``templates/`` (package data, read
with ``importlib.resources``: data of this package, not the user's files); the YAML is built
here, in the house style of the shipped policy (policy/social-media/).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from tools.base.jsonschema import render_schemas
from tools.notes.changenotes import notes_folder

INIT_TRAILER = "Policy-Init"
"""The trailer of the first commit ``policy init`` makes: how it recognises its own repository."""

GOVERNANCE = "beleidsbeheer"
"""The department that owns everything no other line names (CODEOWNERS' catch-all)."""

NOTICE_DAYS = 30
"""A new policy's notice period: days between a material release and its effective date."""

PLACEHOLDER = "VERVANG:"
"""Starts every text of a new policy that its authors must replace."""

# Template file -> its path in the new repository (dot names are kept out of package data).
_TEMPLATES = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "noxfile.py.in": "noxfile.py",
    "requirements-policy.txt": "requirements-policy.txt",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "gitlab/ci/policy.gitlab-ci.yml": ".gitlab/ci/policy.gitlab-ci.yml",
    "gitlab/ci/mr_note.py.in": ".gitlab/ci/mr_note.py",
    "github/workflows/main.yml": ".github/workflows/main.yml",
    "github/workflows/pull-request.yml": ".github/workflows/pull-request.yml",
    "github/workflows/review-due.yml": ".github/workflows/review-due.yml",
}

# The example departments: id, name. The first is the governance department.
_DEPARTMENTS = (
    (GOVERNANCE, "Beleidsbeheer"),
    ("hr", "Human Resources"),
    ("juridisch", "Juridisch"),
)

_LEGAL_FORMS = {"bv", "nv", "vof", "cv", "bvba", "gmbh", "ltd", "inc", "stichting", "vereniging"}


def template(name: str) -> str:
    """A shipped template's text."""
    return resources.files("tools.adopt").joinpath("templates", name).read_text("utf-8")


def handle_org(organisation: str) -> str:
    """The forge organisation the example handles use: ``Naam B.V.`` -> ``naam``."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower().replace(".", ""))
    kept = [word for word in words if word not in _LEGAL_FORMS] or words
    return "-".join(kept)[:39].strip("-") or "organisatie"


def _scalar(text: str) -> str:
    """A YAML scalar: plain when it reads back as the same string, else double-quoted (JSON)."""
    plain = re.fullmatch(r"[A-Za-z][\w .,'&()/-]*[\w.)]", text) and ": " not in text
    return text if plain and " #" not in text else json.dumps(text, ensure_ascii=False)


def registry_yaml(organisation: str) -> str:
    org = handle_org(organisation)
    lines = [
        "# yaml-language-server: $schema=../schema/departments.schema.json",
        "# The departments that own policy files. Who owns which file is said in CODEOWNERS (by",
        "# the handle below); who may approve for a department is said here (its members).",
        "# VERVANG: these are examples. Give each department its team on GitHub or GitLab",
        "# (handle) and the people who approve for it; remove the ones you do not need.",
        f"organisation: {_scalar(organisation)}",
        "departments:",
    ]
    for slug, name in _DEPARTMENTS:
        lines += [
            f"  - id: {slug}",
            f"    name: {name}",
            f'    handle: "@{org}/{slug}"',
            "    members:",
            f"      - name: Naam van {name}",
            f"        email: {slug}@example.org",
        ]
    return "\n".join(lines) + "\n"


def codeowners_text(organisation: str) -> str:
    owner = f"@{handle_org(organisation)}/{GOVERNANCE}"
    rows = ["*", "/CODEOWNERS", "/policy/departments.yaml", "/schema/", "/requirements-policy.txt"]
    ci = ["/.github/", "/.gitlab/", "/.gitlab-ci.yml", "/noxfile.py"]
    return (
        "# Who must approve a change, per path. The last matching line wins; the owners on one\n"
        "# line are alternatives. Handles are the departments of policy/departments.yaml.\n"
        "# `policy new` adds the lines of a new policy below.\n\n"
        f"# Everything not named below, and the governance files: {GOVERNANCE}.\n"
        + "".join(f"{pattern:<40}{owner}\n" for pattern in rows)
        + "# The CI that runs the checks and the release: a pull request that edits it edits its\n"
        "# own gate, so it needs the review of the governance department.\n"
        + "".join(f"{pattern:<40}{owner}\n" for pattern in ci)
    )


def repository_files(organisation: str, tool: str) -> dict[str, str]:
    """Every file of a new policy repository, by path. ``tool``: the pip requirement that
    installs the ``policy`` tool (requirements-policy.txt)."""
    values = {"@@ORG@@": organisation, "@@TOOL@@": tool}
    files = {}
    for name, path in _TEMPLATES.items():
        text = template(name)
        for key, value in values.items():
            text = text.replace(key, value)
        files[path] = text
    files["policy/departments.yaml"] = registry_yaml(organisation)
    files["CODEOWNERS"] = codeowners_text(organisation)
    files["changelog/README.md"] = template("changelog-README.md")
    files.update({f"schema/{name}": text for name, text in render_schemas().items()})
    return dict(sorted(files.items()))


def init_message(organisation: str) -> str:
    return f"Start the policy repository of {organisation}\n\n{INIT_TRAILER}: {organisation}\n"


@dataclass(frozen=True)
class NewPolicy:
    """What ``policy new`` was asked for, checked."""

    id: str
    title: str
    prefix: str
    contact: str
    """The department id employees contact (the owner's department)."""
    owner: str
    """The CODEOWNERS handle that owns the policy."""
    today: dt.date


def default_prefix(policy_id: str) -> str:
    """``social-media`` -> ``sm``; ``privacy`` -> ``pr``: the initials, or a one-word id's first
    two letters."""
    words = [word for word in policy_id.split("-") if word]
    prefix = "".join(word[0] for word in words) if len(words) > 1 else policy_id[:2]
    prefix = re.sub(r"[^a-z0-9]", "", prefix)[:10]
    return prefix if re.fullmatch(r"[a-z][a-z0-9]{1,9}", prefix) else "pol"


def _next_year(day: dt.date) -> dt.date:
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def policy_files(new: NewPolicy) -> dict[str, str]:
    """The files of a new policy: its ``policy.yaml``, a first section and the change notes'
    folder. Valid as it stands; each text starts with ``VERVANG:`` (replace it)."""
    title = _scalar(new.title)
    # The first release is material: it takes effect after the notice period, not before.
    effective = new.today + dt.timedelta(days=NOTICE_DAYS)
    meta = f"""\
# yaml-language-server: $schema=../../schema/policy.schema.json
# A new policy: replace every text that starts with {PLACEHOLDER}
id: {new.id}
title: {title}
version: 1.0.0
language: nl
effective: {effective.isoformat()}
next_review: {_next_year(effective).isoformat()}
clause_prefix: {new.prefix}
summary: >-
  {PLACEHOLDER} waarom dit beleid er is en wat het regelt, in een paar zinnen.
audience: >-
  {PLACEHOLDER} voor wie dit beleid geldt.
notice_days: {NOTICE_DAYS}
acknowledgement: true
contact: {new.contact}
min_clauses_per_element: 1
elements:
  - id: algemeen
    title: Algemeen
    description: >-
      {PLACEHOLDER} wat het beleid in elk geval moet regelen. Voeg een element toe per onderwerp.
sections:
  - algemeen
"""
    section = f"""\
# yaml-language-server: $schema=../../../schema/section.schema.json
id: algemeen
title: Algemeen
intro: >-
  {PLACEHOLDER} een korte inleiding op dit hoofdstuk.
elements:
  - algemeen
clauses:
  - id: {new.prefix}-001
    title: Eerste regel
    level: must                      # must | must-not | should | may | info
    text: >-
      {PLACEHOLDER} de tekst van de eerste regel, in gewone taal.
"""
    return {
        f"policy/{new.id}/policy.yaml": meta,
        f"policy/{new.id}/sections/algemeen.yaml": section,
        f"{notes_folder(new.id)}/.gitkeep": "",
    }
