"""Recording a confirmation: the rules and the chain's fields. Pure; ``store_acks.record``
appends what ``check`` accepted.

A confirmation is a person (employee number), a policy, a version, the digest of the text they
were shown, a channel (``web``: the person on the employees' site; ``import``: collected
elsewhere, entered by ``policy ack confirm`` or ``ack import``) and the time from the clock.
``check`` refuses what must never be stored; each refusal is one line without personal data
(it goes to terminals and logs): callers locate it (a CSV's file:line:col) or print it.
Confirming twice changes nothing: the store keeps the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from tools.attest.chain import Link, moment, person_key
from tools.attest.obligations import PolicyFacts, ReleasedText, in_audience
from tools.attest.people_csv import PersonRow
from tools.attest.rounds import employed
from tools.notes.releasenotes import version_key

Channel = Literal["web", "import"]
CHANNELS: tuple[Channel, ...] = ("web", "import")


@dataclass(frozen=True)
class Request:
    """What someone asks to record. ``version`` None: the latest release. ``digest``: the
    digest of the text the person was shown (the web page's); None takes the release's own.
    ``signed_in``: on the web, whose session asks; they may only confirm for themselves."""

    employee: str
    policy: str
    version: str | None
    channel: Channel
    digest: str | None = None
    signed_in: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: a code, a one-line message and what to do."""

    code: str
    message: str
    hint: str = ""


def check(
    request: Request, person: PersonRow | None, policy: PolicyFacts | None, today: dt.date
) -> ReleasedText | Refusal:
    """The release the request confirms, or why it is refused; ``today``: the day of the
    confirmation (an import's own date: a leaver is judged on the day they confirmed)."""
    if request.signed_in is not None and request.signed_in != request.employee:
        return Refusal("ack-other-person", "a person can only confirm for themselves")
    refused = _person_refusal(request, person, policy, today)
    if refused is not None or policy is None:
        return refused or Refusal("ack-policy", f"no released policy '{request.policy}'")
    release = policy.release(request.version) if request.version else policy.latest
    if release is None:
        return Refusal(
            "ack-version", f"{request.policy} {request.version} is not released",
            f"confirm a released version ({_versions(policy)})",
        )  # fmt: skip
    return _release_refusal(request, policy, release, today) or release


def _person_refusal(
    request: Request, person: PersonRow | None, policy: PolicyFacts | None, today: dt.date
) -> Refusal | None:
    if person is None:
        return Refusal(
            "ack-person", "unknown employee number",
            "import the HR export first (policy people import)",
        )  # fmt: skip
    if not employed(person.start, person.end, today):
        return Refusal(
            "ack-leaver", "the person is not employed on the day of the confirmation",
            "a leaver, or someone not yet started, confirms nothing",
        )  # fmt: skip
    if policy is None or not policy.releases:
        return Refusal("ack-policy", f"no released policy '{request.policy}'")
    if not in_audience(policy, person.department):
        return Refusal(
            "ack-audience", f"department '{person.department}' need not confirm {policy.id}",
            "see the policy's acknowledgement_departments",
        )  # fmt: skip
    return None


def _release_refusal(
    request: Request, policy: PolicyFacts, release: ReleasedText, today: dt.date
) -> Refusal | None:
    if not policy.rounds:
        return Refusal("ack-no-round", f"{policy.id} asks no acknowledgement")
    current = policy.rounds[-1]
    if not release.opens_round and version_key(release.version) < version_key(current.version):
        return Refusal(
            "ack-no-round",
            f"{policy.id} {release.version} opened no round and round {current.version} "
            "came after it",
            f"confirm {current.version} or later",
        )  # fmt: skip
    if release.released is not None and today < release.released:
        return Refusal(
            "ack-before-release",
            f"confirmed before {policy.id} {release.version} was released",
            "check the version and the time of the confirmation",
        )  # fmt: skip
    if request.digest is not None and request.digest != release.digest:
        return Refusal(
            "ack-stale-text",
            f"the text shown is not {policy.id} {release.version} as released",
            "reload the page and read the released text",
        )  # fmt: skip
    return None


def _versions(policy: PolicyFacts) -> str:
    return ", ".join(r.version for r in policy.releases) or "none yet"


def link(secret: bytes, request: Request, release: ReleasedText, at: dt.datetime) -> Link:
    """The chain's fields of the confirmation (``seq`` is assigned by the store)."""
    if release.tag_object is None or release.digest is None:
        raise ValueError(f"{release.tag}: gathered without its evidence (evidence=True)")
    return Link(
        0, person_key(secret, request.employee), request.policy, release.version,
        release.tag_object, release.digest, moment(at), request.channel,
    )  # fmt: skip
