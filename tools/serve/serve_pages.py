"""The pages of ``policy serve``, one handler each: a site page (with the confirmation panel on
the page of the version to confirm), the form's post, *Mijn beleid*, and HR's coverage and CSV
files. IO: each handler runs in a worker thread, in one database transaction.

Nobody sees another person's data: a person's own page reads only their own row and
confirmations (found by the signed-in e-mail, never by anything the request names), and HR's
pages answer 403 to anyone outside the configured HR group.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tools.attest import obligations as owed
from tools.attest import record
from tools.attest.obligations import Confirmed
from tools.attest.store import stored_people
from tools.attest.store_acks import record as record_confirmation
from tools.attest.store_acks import settled_people
from tools.attest.store_serve import Database, confirmations_of, person_by_email
from tools.base import clock
from tools.serve import csrf, fragments, hrpage
from tools.serve.config import ServeConfig
from tools.serve.confirming import (
    Posted,
    changes_since,
    last_confirmed,
    posted,
    stale,
    to_confirm,
)
from tools.serve.gather import Served
from tools.serve.headers import security_headers
from tools.serve.identity import Identity

LOG = logging.getLogger("policy.serve")
UNAVAILABLE = "De database is even niet bereikbaar. Er is niets vastgelegd. Probeer het zo opnieuw."
NOT_FOUND = "Deze pagina bestaat niet."
BAD_LOGIN = "Vul een geldig e-mailadres in."
NOT_KNOWN = (
    "Je staat niet in de lijst van medewerkers, dus je hoeft hier niets te bevestigen. Klopt "
    "dat niet? Neem contact op met HR."
)
BAD_FORM = "Het formulier is niet compleet. Open de pagina opnieuw en bevestig nog eens."
FORBIDDEN_FORM = (
    "Het formulier is verlopen of komt niet van deze site. Er is niets vastgelegd. Open de "
    "pagina opnieuw en bevestig nog eens."
)
STALE = (
    "Het beleid is veranderd sinds je de pagina opende. Er is niets vastgelegd. Hieronder staat "
    "de versie die je nu moet lezen; bevestig die opnieuw."
)
NOT_OWED = "Je hoeft dit beleid niet te bevestigen. Er is niets vastgelegd."
HR_ONLY = "Deze pagina is alleen voor HR."
_TYPES = {"html": "text/html", "md": "text/markdown", "xml": "application/atom+xml"}


@dataclass
class Settings:
    """What the server was started with."""

    config: ServeConfig
    database: Database
    chain_secret: bytes
    gather: Callable[[], Served]
    dev_login: bool = False
    form_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _served: Served | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def served(self) -> Served:
        """The site as of today; gathered again on the first request of a new day."""
        with self._lock:
            if self._served is None or self._served.day != clock.today():
                self._served = self.gather()
            return self._served


def respond(body: str, status: int = 200, media: str = "text/html") -> Response:
    """A response with the security headers (the CSP allows the page's own style)."""
    headers = security_headers(body if media == "text/html" else "")
    return Response(body, status, headers, media_type=f"{media}; charset=utf-8")


def message(title: str, text: str, status: int) -> Response:
    return respond(fragments.message_page(title, text), status)


def own_origins(settings: Settings, request: Request) -> list[str]:
    """The origins this server's pages have (``csrf.origins``)."""
    host = request.headers.get("host", "")
    return csrf.origins(host, settings.config.public_origin, settings.dev_login)


def _is_hr(settings: Settings, who: Identity) -> bool:
    return settings.config.hr_group in who.groups


def site_page(settings: Settings, request: Request, who: Identity) -> Response:
    """A page of the site; the page of a version to confirm gets the panel."""
    served = settings.served()
    path = str(request.path_params["path"])
    relative = path + "index.html" if path == "" or path.endswith("/") else path
    if relative not in served.files:
        if f"{path}/index.html" in served.files:
            return RedirectResponse(f"/{path}/", 308, security_headers())
        return message("Niet gevonden", NOT_FOUND, 404)
    text = served.files[relative]
    media = _TYPES.get(relative.rsplit(".", 1)[-1], "text/plain")
    if media != "text/html":
        return respond(text, media=media)
    policy_id = served.confirm_pages.get(relative)
    if policy_id is None:
        return respond(fragments.with_panel(text, fragments.nav(_is_hr(settings, who)), ""))
    return _policy_page(settings, request, who, policy_id, relative)


def _policy_page(
    settings: Settings, request: Request, who: Identity, policy_id: str, relative: str,
    notice: str = "", status: int = 200,
) -> Response:  # fmt: skip
    """The page of the version to confirm, with this person's panel."""
    served = settings.served()
    policy = served.policies[policy_id]
    release = to_confirm(policy)
    session_value = request.cookies.get(csrf.COOKIE)
    fresh = not csrf.valid_session(session_value)
    session_value = secrets.token_urlsafe(32) if fresh else session_value
    panel = ""
    with settings.database.reading() as session:
        found = person_by_email(session, who.email)
        if found is not None and release is not None:
            person_id, person = found
            confirmed = confirmations_of(session, person_id).get(policy_id, [])
            state = owed.obligation(policy, person, confirmed, clock.today())
            if state.state == "confirmed" and state.confirmed_at is not None:
                done = fragments.confirmed_line(state.version or "", state.confirmed_at)
                panel = fragments.confirm_panel(None, None, [], None, done)
            elif state.state in ("pending", "overdue"):
                digest = release.digest or ""
                fields = [policy_id, release.version, digest]
                issued = int(clock.now().timestamp())
                token = csrf.make_token(
                    settings.form_secret, str(session_value), str(person_id), fields, issued
                )
                form = fragments.ConfirmForm(policy_id, release.version, digest, token)
                last = last_confirmed(confirmed)
                changes = changes_since(policy, last, release)
                panel = fragments.confirm_panel(form, state.due, changes, last)
    top = fragments.nav(_is_hr(settings, who)) + (fragments.notice(notice) if notice else "")
    response = respond(fragments.with_panel(served.files[relative], top, panel), status)
    if fresh:
        response.set_cookie(
            csrf.COOKIE, str(session_value), httponly=True, samesite="strict",
            secure=settings.config.secure_cookie,
        )  # fmt: skip
    return response


def confirm(settings: Settings, request: Request, who: Identity) -> Response:
    """POST /bevestigen: check the form, store the confirmation once, then show the page as
    it is now (after the transaction: a page opens its own)."""
    outcome = _check_and_store(settings, request, who)
    if isinstance(outcome, Response):
        return outcome
    policy_id, done = outcome
    if done is None:  # stale: the page as it is now, with a new form
        return _current(settings, request, who, policy_id, STALE, 409)
    served = settings.served()
    path = next(p for p, owner in served.confirm_pages.items() if owner == policy_id)
    line = fragments.confirmed_line(done.version, done.at)
    title = served.titles.get(policy_id, policy_id)
    return respond(fragments.confirmed_page(title, line, f"/{path}", _is_hr(settings, who)))


def _check_and_store(
    settings: Settings, request: Request, who: Identity
) -> Response | tuple[str, Confirmed | None]:
    """A refusal, or (the policy, the confirmation stored now or before; None: stale)."""
    served = settings.served()
    fields = posted(request.state.form) if request.state.form is not None else None
    with settings.database.transaction() as session:
        found = person_by_email(session, who.email)
        if found is None:
            LOG.warning("confirmation refused: signed in, not in the people table")
            return message("Niet in de lijst", NOT_KNOWN, 403)
        person_id, person = found
        if fields is None:
            LOG.warning("confirmation refused for person %d: malformed form", person_id)
            return message("Formulier niet compleet", BAD_FORM, 400)
        if not _genuine(settings, request, person_id, fields):
            LOG.warning("confirmation refused for person %d: bad token or origin", person_id)
            return message("Niet vastgelegd", FORBIDDEN_FORM, 403)
        policy = served.policies.get(fields.policy)
        release = to_confirm(policy) if policy is not None else None
        if policy is None or release is None:
            return message("Niet vastgelegd", NOT_OWED, 404)
        if stale(fields, release):
            LOG.info("confirmation refused for person %d: stale %s page", person_id, policy.id)
            return policy.id, None
        asked = record.Request(person.employee, policy.id, release.version, "web",
                               fields.digest, person.employee)  # fmt: skip
        checked = record.check(asked, person, policy, clock.today())
        if isinstance(checked, record.Refusal):
            LOG.info("confirmation refused for person %d: %s", person_id, checked.code)
            return message("Niet vastgelegd", NOT_OWED, 403)
        at = clock.now()
        stored = record_confirmation(session, person_id, settings.chain_secret, asked, checked, at)
        if not stored:  # confirmed before: that time
            mine = confirmations_of(session, person_id).get(policy.id, [])
            at = next((c.at for c in mine if c.version == release.version), at)
    LOG.info("person %d confirmed %s %s%s", person_id, policy.id, release.version,
             "" if stored else " (already confirmed)")  # fmt: skip
    return policy.id, Confirmed(release.version, at)


def _genuine(settings: Settings, request: Request, person_id: int, form: Posted) -> bool:
    """The form came from this server's page, in this browser, for this person."""
    fields = [form.policy, form.version, form.digest]
    session_value = request.cookies.get(csrf.COOKIE) or ""
    return csrf.same_origin(request.headers, own_origins(settings, request)) and csrf.check_token(
        settings.form_secret, form.token, session_value, str(person_id), fields,
        int(clock.now().timestamp()),
    )  # fmt: skip


def _current(
    settings: Settings, request: Request, who: Identity, policy_id: str, notice: str = "",
    status: int = 200,
) -> Response:  # fmt: skip
    """The page of the policy's version to confirm, as it is now."""
    served = settings.served()
    path = next(p for p, owner in served.confirm_pages.items() if owner == policy_id)
    return _policy_page(settings, request, who, policy_id, path, notice, status)


def my_page(settings: Settings, request: Request, who: Identity) -> Response:
    """*Mijn beleid*: this person's state for every released policy."""
    served = settings.served()
    today = clock.today()
    pages = {owner: f"/{path}" for path, owner in served.confirm_pages.items()}
    with settings.database.reading() as session:
        found = person_by_email(session, who.email)
        if found is None:
            return message("Niet in de lijst", NOT_KNOWN, 403)
        person_id, person = found
        mine = confirmations_of(session, person_id)
    states = []
    for policy_id, policy in sorted(served.policies.items()):
        state = owed.obligation(policy, person, mine.get(policy_id, []), today)
        states.append(fragments.PolicyState(
            served.titles.get(policy_id, policy.title),
            pages.get(policy_id, f"/{policy_id}/index.html"),
            state.state, state.version, state.due, state.confirmed_at,
        ))  # fmt: skip
    return respond(fragments.my_policies(states, _is_hr(settings, who)))


def _coverage(settings: Settings) -> tuple[list[hrpage.CoverageRow], list[hrpage.OverdueRow]]:
    served = settings.served()
    policies = [served.policies[p] for p in sorted(served.policies)]
    today = clock.today()
    with settings.database.reading() as session:
        people = stored_people(session)
        settled = settled_people(session, policies)  # what coverage and overdue take
    titles, names = served.titles, served.departments
    coverage = [
        hrpage.CoverageRow(titles.get(c.policy, c.policy), names.get(c.department, c.department),
                           c.confirmed, c.pending, c.overdue)
        for c in owed.coverage(policies, people, settled, today)
    ]  # fmt: skip
    late = [
        hrpage.OverdueRow(titles.get(o.policy, o.policy), o.version, o.employee,
                          names.get(o.department, o.department), o.due)
        for o in owed.overdue(policies, people, settled, today)
    ]  # fmt: skip
    return coverage, late


def hr(settings: Settings, request: Request, who: Identity) -> Response:
    if not _is_hr(settings, who):
        return message("Geen toegang", HR_ONLY, 403)
    return respond(hrpage.hr_page(*_coverage(settings)))


def hr_csv(settings: Settings, request: Request, who: Identity) -> Response:
    if not _is_hr(settings, who):
        return message("Geen toegang", HR_ONLY, 403)
    name = str(request.path_params["name"])
    if f"/hr/{name}" not in (hrpage.COVERAGE_CSV, hrpage.OVERDUE_CSV):
        return message("Niet gevonden", NOT_FOUND, 404)
    coverage, late = _coverage(settings)
    text = hrpage.coverage_csv(coverage) if name == "dekking.csv" else hrpage.overdue_csv(late)
    response = respond(text, media="text/csv")
    response.headers["content-disposition"] = f'attachment; filename="{name}"'
    return response
