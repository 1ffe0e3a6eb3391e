"""The policy data model: strict, frozen Pydantic models for every file a policy repository holds.

The files a policy repository holds:

- ``policy/<id>/policy.yaml``          -> :class:`PolicyMeta`
- ``policy/<id>/sections/<sid>.yaml``  -> :class:`Section` (with its :class:`Clause` list)
- ``policy/departments.yaml``          -> :class:`Registry`
- ``changelog/<id>/unreleased/*.md``   -> :class:`ChangeNote` (its YAML front matter)
- ``changelog/approvals/*.json``        -> :class:`ApprovalRecord` (a signed approval)

The models check what one file can say about itself (types, formats, unknown fields, empty
text, hidden characters, dates in order). Checks across files (element coverage, references,
unique ids, departments) live in ``tools/validate/checks.py``. Field docstrings become JSON Schema
descriptions, so an editor explains each field to the author while typing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "CLAUSE_ID",
    "DEFAULT_SCOPE",
    "HIDDEN_CHARACTERS",
    "LEVEL_DUTCH",
    "NORMATIVE_LEVELS",
    "AccountType",
    "ChangeNote",
    "Clause",
    "ClauseId",
    "Department",
    "Element",
    "LegalRef",
    "Level",
    "Member",
    "PolicyMeta",
    "Registry",
    "Section",
]

# Bidirectional overrides and isolates (the "Trojan Source" characters), zero-width characters,
# and C0/C1 controls other than tab and newline: they make a reviewer read something other than
# what the policy says, so no text may contain them.
# Written as regex escapes, so the same class reads the same in Python and in the JSON Schema
# (ECMA-262 regular expressions) that editors check while the author types.
_HIDDEN_CLASS = (
    r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
HIDDEN_CHARACTERS = re.compile(f"[{_HIDDEN_CLASS}]")


def character_name(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: how a message names a character the author cannot see."""
    name = unicodedata.name(char, "") or (
        "CONTROL CHARACTER" if unicodedata.category(char) == "Cc" else "UNNAMED CHARACTER"
    )
    return f"U+{ord(char):04X} {name}"


def _check_visible(value: str) -> str:
    # isprintable() is False for every hidden character (a test holds this for all of
    # Unicode) and runs at twice a regex search's speed; a line break sends text to the search.
    if value.isprintable() or HIDDEN_CHARACTERS.search(value) is None:
        return value
    found = [match.group() for match in HIDDEN_CHARACTERS.finditer(value)]
    if found:
        # Every hidden character of the field at once (ctx "chars"), so that the author
        # deletes them all in one round, not one per run.
        names = sorted(set(found), key=found.index)
        raise PydanticCustomError(
            "hidden_character",
            "contains the invisible or control character {names}, which can make the text read "
            "differently than it is",
            {
                "names": ", ".join(character_name(char) for char in names),
                "char": f"{ord(found[0]):04X}",
                "chars": " ".join(f"{ord(char):04X}" for char in found),
            },
        )
    return value


def _check_text(value: str) -> str:
    """Not blank, then no hidden character: one validator, as ``Text`` is every clause's
    title and text (one call instead of two for each of 100,000 values at 50,000 clauses)."""
    if not value.strip():
        raise PydanticCustomError("empty_text", "must not be empty")
    return _check_visible(value)


def _parse_date(value: Any) -> Any:
    # YAML gives an unquoted 2026-01-01 as a date and a quoted one as a string: accept both, but
    # never a number (Pydantic would read an int as a Unix timestamp).
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError(
        "bad_date", "'{value}' is not a date written as YYYY-MM-DD", {"value": str(value)}
    )


# The same rules for editors: the JSON Schema says what the two validators check (at least one
# visible character, no hidden one), while validation keeps their own, clearer messages.
_TEXT_SCHEMA = {"minLength": 1, "pattern": rf"^(?=[\s\S]*\S)[^{_HIDDEN_CLASS}]*$"}

Text = Annotated[
    StrictStr,
    AfterValidator(_check_text),
    Field(json_schema_extra=_TEXT_SCHEMA),
]
"""A non-empty string without hidden characters."""

Date = Annotated[dt.date, BeforeValidator(_parse_date)]

_SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
Slug = Annotated[StrictStr, Field(pattern=_SLUG, min_length=2, max_length=60)]
"""Lower-case words joined by hyphens, e.g. ``vertrouwelijkheid-en-privacy``."""

DepartmentRef = Annotated[
    StrictStr,
    Field(max_length=60, json_schema_extra={"minLength": 2, "pattern": _SLUG}),
]
"""The id of a department in ``policy/departments.yaml``, e.g. ``hr``. Validation checks it
against the registry (naming the known ids), so the model takes any text; the JSON Schema
gives editors the id's form."""

CLAUSE_ID = r"^[a-z][a-z0-9]{1,9}-[0-9]{3,5}$"
"""The form of a clause id, for readers of text that names one."""

ClauseId = Annotated[StrictStr, Field(pattern=CLAUSE_ID)]
"""A clause id: the policy's clause prefix, a hyphen and a number, e.g. ``sm-012``."""

Version = Annotated[
    StrictStr, Field(pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
]
"""A semantic version MAJOR.MINOR.PATCH, e.g. ``1.4.0``."""

Handle = Annotated[StrictStr, Field(pattern=r"^@[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)?$")]
"""A CODEOWNERS owner: ``@user`` or ``@org/team``."""

Email = Annotated[
    StrictStr, Field(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", max_length=254)
]

GitHubLogin = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", max_length=39)]
"""A GitHub user name: letters, digits and single hyphens, at most 39 characters."""

# The start of a private key, whatever its format (OpenSSH, PKCS#1/#8, SEC1, PuTTY).
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-")


def _refuse_private_key(value: Any) -> Any:
    # Before the pattern check: "does not match the pattern" would hide that a secret is about
    # to be committed. The message never repeats the value (it is the secret).
    if isinstance(value, str) and _PRIVATE_KEY.search(value):
        raise PydanticCustomError(
            "private_key",
            "this is a PRIVATE key, not a public key; a private key must never be committed",
        )
    return value


SshPublicKey = Annotated[
    StrictStr,
    BeforeValidator(_refuse_private_key),
    Field(
        pattern=r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com)"
        r" [A-Za-z0-9+/=]+( .*)?$"
    ),
]
"""An OpenSSH public key line, as in ``~/.ssh/id_ed25519.pub``."""


class Level(StrEnum):
    """How binding a clause is."""

    MUST = "must"
    MUST_NOT = "must-not"
    SHOULD = "should"
    MAY = "may"
    INFO = "info"


LEVEL_DUTCH: dict[Level, str] = {
    Level.MUST: "verplicht",
    Level.MUST_NOT: "verboden",
    Level.SHOULD: "aanbevolen",
    Level.MAY: "toegestaan",
    Level.INFO: "informatief",
}

NORMATIVE_LEVELS = frozenset({Level.MUST, Level.MUST_NOT, Level.SHOULD, Level.MAY})


class AccountType(StrEnum):
    """The kind of social-media use a clause applies to."""

    COMPANY = "zakelijk"
    """Official accounts of the organisation."""
    PERSONAL_PROFESSIONAL = "persoonlijk-zakelijk"
    """Personal accounts on which the employee mentions the employer or the work (e.g. LinkedIn)."""
    PRIVATE = "prive"
    """Purely private use that does not mention the employer."""


DEFAULT_SCOPE = frozenset({AccountType.COMPANY, AccountType.PERSONAL_PROFESSIONAL})
"""The use a clause without ``applies_to`` covers: business and work-related, never private use
(an employer's instruction reaches private life only where a clause says so)."""


class Strict(BaseModel):
    """Base of every model: unknown fields are errors, values are immutable once loaded."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        # The field docstrings are the JSON Schema's descriptions; tools/base/jsonschema.py
        # reads them when it writes the schema, not every command at import.
        use_attribute_docstrings=False,
        validate_default=False,
        defer_build=True,
    )


class LegalRef(Strict):
    """A legal source a clause rests on."""

    law: Text = Field(max_length=200)
    """The law, code or regulation, e.g. ``Burgerlijk Wetboek`` or ``AVG``."""
    article: Text | None = Field(default=None, max_length=100)
    """The article, e.g. ``7:611`` or ``6 lid 1 sub f``; leave out for a law as a whole."""
    note: Text | None = Field(default=None, max_length=1000)
    """Why the reference matters here, in one sentence."""
    kind: Literal["law", "self-regulation"] | None = None
    """``law`` or ``self-regulation`` (a sector's own code, not a law). Leave out: a name
    ending in ``code`` (``Reclamecode``) is self-regulation, any other a law."""


class Clause(Strict):
    """One rule or statement of a policy."""

    id: ClauseId
    """Stable, unique within the policy, never reused after the clause is removed."""
    title: Text = Field(max_length=200)
    """A short title, shown in the table of contents and in release notes."""
    level: Level
    """must (verplicht), must-not (verboden), should (aanbevolen), may (toegestaan) or info."""
    text: Text = Field(max_length=10_000)
    """The binding text, in the policy's language. Blank lines separate paragraphs."""
    summary: Text | None = Field(default=None, max_length=500)
    """A one-line, non-binding summary in plain language."""
    applies_to: list[AccountType] | None = Field(default=None, min_length=1)
    """The account types the clause applies to; left out, business and work-related use
    (``zakelijk`` and ``persoonlijk-zakelijk``), never ``prive``."""
    elements: list[Slug] = Field(default_factory=list)
    """Extra required elements this clause covers, besides those of its section."""
    legal: list[LegalRef] = Field(default_factory=list)
    """Legal references the clause rests on."""
    see: list[ClauseId] = Field(default_factory=list)
    """Other clauses of this policy that the reader should read with this one."""
    contact: DepartmentRef | None = None
    """The department (id in ``policy/departments.yaml``) employees contact about this clause."""
    monitoring: StrictBool = False
    """True when the clause is about monitoring employees (needs the works council's consent)."""
    next_review: Date | None = None
    """A review date for this clause alone, when it must be reviewed earlier than the policy."""
    note: Text | None = Field(default=None, max_length=2000)
    """A non-binding explanation for the reader (why the rule is there), shown as *Toelichting*."""

    def scope(self) -> frozenset[AccountType]:
        """The account types the clause covers: ``applies_to``, or else DEFAULT_SCOPE."""
        return frozenset(self.applies_to) if self.applies_to else DEFAULT_SCOPE


class Section(Strict):
    """A section file: its metadata and its clauses, in order."""

    id: Slug
    """Equal to the file name without ``.yaml``."""
    title: Text = Field(max_length=200)
    """The section heading."""
    intro: Text | None = Field(default=None, max_length=5000)
    """A short, non-binding introduction shown above the clauses."""
    elements: list[Slug] = Field(min_length=1)
    """The required elements (ids from ``policy.yaml``) this section covers."""
    contact: DepartmentRef | None = None
    """The department employees contact about this section."""
    clauses: list[Clause] = Field(min_length=1)
    """The clauses of this section, in reading order."""


class Element(Strict):
    """An element the policy must cover (from the source document)."""

    id: Slug
    """Referenced from sections and clauses."""
    title: Text = Field(max_length=200)
    """The element's name."""
    description: Text | None = Field(default=None, max_length=2000)
    """What covering this element means."""


class WorksCouncil(Strict):
    """Whether the policy needs the works council's consent (WOR art. 27), and when it gave it."""

    consent_required: StrictBool
    consented: Date | None = None
    """The day the works council consented; leave out while it has not."""


class PolicyMeta(Strict):
    """``policy.yaml``: what the policy is and how it is governed."""

    id: Slug
    """Equal to the policy's folder name."""
    title: Text = Field(max_length=200)
    """The policy's title."""
    version: Version
    """The released version; set by ``policy release``, never by hand."""
    language: Annotated[StrictStr, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
    """The binding language (BCP 47), e.g. ``nl``."""
    effective: Date
    """The date the current version takes effect."""
    next_review: Date
    """The date by which the policy must be reviewed; after ``effective``."""
    clause_prefix: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9]{1,9}$")]
    """Every clause id starts with this prefix and a hyphen, e.g. ``sm`` for ``sm-001``."""
    summary: Text = Field(max_length=3000)
    """What the policy is for, in a few sentences; the opening of the rendered policy."""
    audience: Text = Field(max_length=500)
    """Who the policy applies to."""
    notice_days: StrictInt = Field(ge=0, le=365)
    """Minimum days between a material (major) release and the date it takes effect."""
    acknowledgement: StrictBool = True
    """True when employees must read and acknowledge the policy again after a material change."""
    acknowledgement_departments: list[DepartmentRef] | None = Field(default=None, min_length=1)
    """The departments (ids in ``policy/departments.yaml``) whose people must acknowledge the
    policy; absent: everyone. ``audience`` says it in words for the reader."""
    acknowledgement_days: StrictInt = Field(default=30, ge=1, le=365)
    """Days a person who joins after a round opened has to acknowledge it, from their start."""
    contact: DepartmentRef
    """The department employees contact with questions about the policy."""
    elements: list[Element] = Field(min_length=1)
    """The elements the policy must cover; each needs normative clauses."""
    min_clauses_per_element: StrictInt = Field(default=2, ge=1, le=20)
    """How many normative (not ``info``) clauses each element needs at least."""
    sections: list[Slug] = Field(min_length=1)
    """The section ids in reading order; each is ``sections/<id>.yaml``."""
    retired: list[ClauseId] = Field(default_factory=list)
    """Ids of removed clauses; they may never be used again."""
    archive_pdf: StrictBool = False
    """True when ``policy release`` also archives the released text as a PDF/A file beside its
    release notes: ``changelog/<policy>/<version>.pdf``."""
    works_council: WorksCouncil | None = None
    """The works council's consent, which the release notes report when it is required."""


class Member(Strict):
    """A person in a department."""

    name: Text = Field(max_length=200)
    """Full name."""
    email: Email
    """Work e-mail address; identifies the person in git."""
    ssh_keys: list[SshPublicKey] = Field(default_factory=list)
    """Public SSH keys this person signs approvals with."""
    revoked_keys: list[SshPublicKey] = Field(default_factory=list)
    """Keys that no longer count; a signature made with one of them is ignored."""
    github: GitHubLogin | None = None
    """GitHub user name: with ``policy approvals --source github``, this person's reviews count
    for the department (when they are also in its GitHub team)."""


class Department(Strict):
    """A department that owns policy files through CODEOWNERS."""

    id: Slug
    """Short id used in policy files, e.g. ``hr``."""
    name: Text = Field(max_length=200)
    """Display name, e.g. ``Human Resources``."""
    handle: Handle
    """The CODEOWNERS owner that stands for this department, e.g. ``@acme/hr``."""
    members: list[Member] = Field(min_length=1)
    """The people who may approve on behalf of this department."""


class Registry(Strict):
    """``policy/departments.yaml``: the departments and their members."""

    organisation: Text = Field(max_length=200)
    """The organisation's name as employees know it."""
    departments: list[Department] = Field(min_length=1)
    """All departments that own or are named in policies."""


class ChangeNote(Strict):
    """The YAML front matter of a change note, ``changelog/<policy-id>/unreleased/<name>.md``.

    The Markdown body below the front matter tells employees what changes for them.
    """

    clauses: list[ClauseId] = Field(default_factory=list, max_length=200)
    """The clauses this note explains. Empty for a note about the policy as a whole."""
    impact: Literal["patch", "minor", "major"] | None = None
    """The impact the authors ask for. Lower than the computed impact only with a justification."""
    justification: Text | None = Field(default=None, max_length=2000)
    """Why the change is less material than the rules compute; read by the approvers."""
    key_point: (
        Annotated[StrictStr, Field(pattern=r"^\S(.*\S)?$", min_length=3, max_length=160)] | None
    ) = None
    """The change in one line of plain text for *Belangrijkste punten*, atop the release notes."""


FileState = Annotated[
    StrictStr, Field(pattern=r"^(100644|100755|120000|160000) sha256:[0-9a-f]{64}$")
]
"""A file's content as approved: its git mode and the SHA-256 of its bytes."""

Sha = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{40}([0-9a-f]{24})?$")]


class Approval(Strict):
    """What an approver signs: this department approves these files with exactly this content.

    Bound to content, not to commits, so it survives merge, squash and rebase merges; any
    change to an approved file makes the approval stale for that file.
    """

    type: Literal["policy-approval/1"]
    """The record format."""
    organisation: Text = Field(max_length=200)
    """The organisation of the registry, so an approval cannot be replayed in another one."""
    department: Slug
    """The id of the department the approver approves for."""
    approver: Email
    """The approver's e-mail address in the registry; the signing key must be theirs."""
    base: Sha
    """The commit the approver compared against (for the audit trail)."""
    head: Sha
    """The commit the approver approved (for the audit trail; validity follows ``files``)."""
    files: dict[Annotated[StrictStr, Field(min_length=1, max_length=4096)], FileState | None] = (
        Field(min_length=1, max_length=100_000)
    )
    """Every path of the change and its approved content (null: the file is deleted)."""


class ApprovalRecord(Strict):
    """``changelog/approvals/<name>.json``: an approval and the approver's SSH signature over
    its canonical JSON (namespace ``policy-approval``)."""

    approval: Approval
    signature: StrictStr = Field(max_length=10_000)
    """An armored ``ssh-keygen -Y sign`` signature."""
