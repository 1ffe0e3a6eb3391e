"""The ASGI application of ``policy serve`` (Starlette): the employees' site, the confirmation
form, *Mijn beleid* and HR's coverage. IO: the requests, the database (one transaction per
request, ``tools/attest/store_serve.py``) and the log.

Every request needs a signed-in person: the identity the sign-on proxy passes in a header,
trusted only from the proxy's addresses (``identity.py``); without one, a 401 page. Every
response carries the security headers of ``headers.py``. The log names people by their row id in
the people table, never by name or e-mail, and stores no IP address or browser details.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tools.base.errors import UsageError
from tools.serve import csrf, fragments
from tools.serve import serve_pages as pages
from tools.serve.headers import MAX_FORM, parse_form, security_headers
from tools.serve.identity import Identity, Rejection, identify, valid_email
from tools.serve.serve_pages import Settings, respond

LOG = logging.getLogger("policy.serve")
DEV_COOKIE = "policy_dev_login"


def _dev_value(settings: Settings, email: str, hr: bool) -> str:
    mac = csrf.make_token(settings.form_secret, "dev-login-cookie" * 2, email, [str(hr)], 0)
    return f"{email}|{int(hr)}|{mac.split('.')[1]}"


def _dev_identity(settings: Settings, value: str | None) -> Identity | None:
    """The identity a ``--dev-login`` cookie holds, when this server signed it."""
    parts = (value or "").split("|")
    if len(parts) != 3 or valid_email(parts[0]) is None or parts[1] not in ("0", "1"):
        return None
    if not secrets.compare_digest(value or "", _dev_value(settings, parts[0], parts[1] == "1")):
        return None
    groups = frozenset({settings.config.hr_group} if parts[1] == "1" else ())
    return Identity(parts[0], groups)


def identity_of(settings: Settings, request: Request) -> Identity | Rejection:
    """The signed-in user, or why there is none (logged when suspicious)."""
    if settings.dev_login:
        dev = _dev_identity(settings, request.cookies.get(DEV_COOKIE))
        if dev is not None:
            return dev
    rules = settings.config.identity
    names = (rules.email_header, rules.groups_header)
    if any(len(request.headers.getlist(name)) > 1 for name in names):
        found: Identity | Rejection = Rejection("identity header sent twice", True)
    else:
        sent = {name: request.headers[name] for name in names if name in request.headers}
        found = identify(request.client.host if request.client else None, sent, rules)
    if isinstance(found, Rejection) and found.suspicious:
        LOG.warning("%s: %s %s", found.reason, request.method, request.url.path)
    return found


def _unauthorised(settings: Settings) -> Response:
    text = (
        "Je bent niet aangemeld. Open deze site via het intranet, dan meld je je aan met je "
        "gewone account."
    )
    if settings.dev_login:
        text = "Je bent niet aangemeld. Meld je aan via /dev-login."
    return respond(fragments.message_page("Niet aangemeld", text, link=False), 401)


Handler = Callable[[Settings, Request, Identity], Response]


def _signed_in(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A route that needs a signed-in user; the handler runs in a worker thread (it reads the
    database and git)."""

    async def endpoint(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        who = identity_of(settings, request)
        if isinstance(who, Rejection):
            return _unauthorised(settings)
        try:
            return await run_in_threadpool(handler, settings, request, who)
        except UsageError as error:  # the database failed (store_serve): nothing was stored
            LOG.error("database: %s", error)
            return respond(fragments.message_page("Even niet beschikbaar", pages.UNAVAILABLE), 503)

    return endpoint


async def _bounded_body(request: Request) -> bytes | None:
    """The request's body, or None once it passes ``MAX_FORM`` (nothing more is read)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return None
    return body


async def confirm(request: Request) -> Response:
    """POST /bevestigen: the form, read first (the body is async), then checked and stored."""
    body = await _bounded_body(request)
    request.state.form = parse_form(body) if body is not None else None
    return await _signed_in(pages.confirm)(request)


async def dev_login(request: Request) -> Response:
    """``--dev-login`` only: a page to sign in as anyone (the server runs on loopback)."""
    settings: Settings = request.app.state.settings
    if not settings.dev_login:
        return respond(fragments.message_page("Niet gevonden", pages.NOT_FOUND), 404)
    if request.method == "GET":
        return respond(fragments.dev_login_page())
    body = await _bounded_body(request)
    fields = (parse_form(body) if body is not None else None) or {}
    email = valid_email(fields.get("email", ""))
    if email is None or not csrf.same_origin(request.headers, pages.own_origins(settings, request)):
        return respond(fragments.message_page("Aanmelden mislukt", pages.BAD_LOGIN), 400)
    response = RedirectResponse("/mijn-beleid", 303, security_headers())
    value = _dev_value(settings, email, fields.get("hr") == "ja")
    response.set_cookie(DEV_COOKIE, value, httponly=True, samesite="strict")
    return response


async def no_icon(request: Request) -> Response:
    """The site has no icon; an empty answer spares browsers a 404 on every page."""
    return Response(status_code=204, headers=security_headers())


def create_app(settings: Settings) -> Starlette:
    """The application; ``settings.gather`` runs at the first request (and daily)."""
    routes = [
        Route("/bevestigen", confirm, methods=["POST"]),
        Route("/mijn-beleid", _signed_in(pages.my_page)),
        Route("/hr", _signed_in(pages.hr)),
        Route("/hr/{name:str}", _signed_in(pages.hr_csv)),
        Route("/dev-login", dev_login, methods=["GET", "POST"]),
        Route("/favicon.ico", no_icon),
        Route("/{path:path}", _signed_in(pages.site_page)),
    ]
    # Starlette's own answers (a method not allowed, an error) carry the headers too.
    handlers = {HTTPException: _http_error, Exception: _server_error}
    app = Starlette(routes=routes, exception_handlers=handlers)  # type: ignore[arg-type]
    app.state.settings = settings
    return app


async def _http_error(_request: Request, error: HTTPException) -> Response:
    text = "Dit adres of deze manier van vragen kent de site niet."
    return respond(fragments.message_page("Niet gevonden", text), error.status_code)


async def _server_error(_request: Request, error: Exception) -> Response:
    # Its type only: a database error's text can hold a query's values (an e-mail address).
    LOG.error("an error in policy serve: %s", type(error).__name__)
    text = "Er ging iets mis. Probeer het later nog eens."
    return respond(fragments.message_page("Fout", text), 500)
