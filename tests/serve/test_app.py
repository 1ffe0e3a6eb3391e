"""policy serve end to end through the library API: uvicorn on 127.0.0.1, httpx as the proxy
and the browser, the store on SQLite and PostgreSQL. Every refused request stores nothing."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.conftest import day_epoch, run_policy
from tests.serve.servekit import (
    PAGE,
    form_of,
    import_people,
    live,
    post_form,
    settings,
    signed_in,
)
from tools.attest.store import transaction, verify_chain
from tools.attest.store_serve import person_by_email
from tools.serve.config import ServeConfig
from tools.serve.csrf import COOKIE, make_token
from tools.serve.identity import IdentityRules, parse_networks

NOOR = signed_in("noor@voorbeeld.nl")
HR = signed_in("sem@voorbeeld.nl", "hr,iedereen")


def stored(url: str) -> int:
    """How many confirmations the chain holds (and that it holds)."""
    with transaction(url) as session:
        broken, count, _ = verify_chain(session)
    assert broken is None
    return count


def _flipped(token: str) -> str:
    """The token with its last digit changed."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


@pytest.fixture
def url(released_root: Path, db_url: str, pending_day: str) -> str:
    import_people(released_root, db_url)
    return db_url


def test_read_confirm_and_see_it(released_root: Path, url: str) -> None:
    with live(settings(released_root, url)) as web:
        page = web.get(PAGE, headers=NOOR)
        assert page.status_code == 200 and "Ik heb het beleid gelezen" in page.text
        assert "vóór 1 januari 2027" in page.text
        fields = form_of(page.text)
        done = post_form(web, NOOR, fields)
        assert done.status_code == 200, done.text
        assert "Bevestigd op 15 december 2026 (versie 1.0.0)." in done.text
        assert "Ik heb het beleid gelezen" not in done.text
        again = post_form(web, NOOR, fields)  # the same form replayed: stored once
        assert again.status_code == 200
        mine = web.get("/mijn-beleid", headers=NOOR).text
        assert "Bevestigd op 15 december 2026 (versie 1.0.0)." in mine
    assert stored(url) == 1
    verified = run_policy("ack", "verify", "--db", url, cwd=released_root)
    assert verified.returncode == 0 and "1 confirmation" in verified.stdout


def test_every_response_carries_the_security_headers(released_root: Path, url: str) -> None:
    with live(settings(released_root, url)) as web:
        for path, headers, status in [
            ("/", NOOR, 200), (PAGE, NOOR, 200), ("/social-media/", NOOR, 200),
            ("/feed.xml", NOOR, 200), ("/mijn-beleid", NOOR, 200), ("/hr", NOOR, 403),
            ("/nergens.html", NOOR, 404), ("/", {}, 401),
        ]:  # fmt: skip
            answer = web.get(path, headers=headers)
            assert answer.status_code == status, path
            _has_security_headers(answer.headers)
        # Starlette's own answers: a method the path does not take.
        refused = web.post("/mijn-beleid", headers=NOOR)
        assert refused.status_code == 405
        _has_security_headers(refused.headers)
        cookie = web.get(PAGE, headers=NOOR).headers.get("set-cookie", "")
        assert cookie == "" or ("HttpOnly" in cookie and "SameSite=strict" in cookie)


def _has_security_headers(headers: Mapping[str, str]) -> None:
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "server" not in headers


def test_no_identity_is_401(released_root: Path, url: str) -> None:
    with live(settings(released_root, url)) as web:
        answer = web.get("/", headers={})
        assert answer.status_code == 401 and "Niet aangemeld" in answer.text


def test_a_header_from_an_untrusted_peer_is_ignored_and_logged(
    released_root: Path, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The proxy is elsewhere (10.9.9.9): the same header from 127.0.0.1 is a forgery."""
    config = ServeConfig(IdentityRules(parse_networks(["10.9.9.9"])), secure_cookie=False)
    caplog.set_level(logging.INFO, logger="policy.serve")
    with live(settings(released_root, url, config)) as web:
        assert web.get(PAGE, headers=NOOR).status_code == 401
        forged = {"policy": "social-media", "version": "1.0.0", "digest": "0" * 64, "token": "1.x"}
        assert post_form(web, NOOR, forged).status_code == 401
    assert "identity header from an untrusted address ignored" in caplog.text
    assert "noor" not in caplog.text.lower() and "127.0.0.1" not in caplog.text
    assert stored(url) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-Email": "noor@voorbeeld.nl\tx"},
        {"X-Forwarded-Email": "a" * 300 + "@voorbeeld.nl"},
        {"X-Forwarded-Email": "noor@voorbeeld.nl", "X-Forwarded-Groups": "hr;" * 100},
        {"X-Forwarded-Email": "noor@voorbeeld.nl", "X-Forwarded-Groups": "x" * 9000},
        {"X-Forwarded-Email": "x" * 70000},
    ],
    ids=["control", "long-email", "bad-groups", "long-groups", "huge"],
)
def test_long_or_malformed_headers_are_refused(
    released_root: Path, url: str, headers: dict[str, str]
) -> None:
    with live(settings(released_root, url)) as web:
        fields = form_of(web.get(PAGE, headers=NOOR).text)
        answer = post_form(web, headers, fields)
        assert answer.status_code in (400, 401, 431)
        assert web.get("/mijn-beleid", headers=headers).status_code in (400, 401, 431)
    assert stored(url) == 0


def test_cross_site_and_forged_forms_are_refused(released_root: Path, url: str) -> None:
    with live(settings(released_root, url)) as web:
        fields = form_of(web.get(PAGE, headers=NOOR).text)
        cookie = dict(web.cookies)
        refusals = [
            post_form(web, NOOR, fields, "https://evil.example"),  # cross-site Origin
            web.post("/bevestigen", data=fields, headers=NOOR),  # no Origin, no Sec-Fetch-Site
            post_form(web, NOOR, {**fields, "token": _flipped(fields["token"])}),  # bad token
            post_form(web, NOOR, {k: v for k, v in fields.items() if k != "token"}),  # no token
            post_form(web, NOOR, {**fields, "employee": "1002"}),  # an extra field
            post_form(web, NOOR, {**fields, "pad": "x" * 1_000_000}),  # a huge body
        ]
        web.cookies.clear()  # a cross-site request carries no SameSite=Strict cookie
        refusals.append(post_form(web, NOOR, fields))
        assert [r.status_code for r in refusals] == [403, 403, 403, 400, 400, 400, 403]
        assert all("Er is niets vastgelegd" in r.text or "niet compleet" in r.text
                   for r in refusals)  # fmt: skip
        web.cookies.update(cookie)
        # Noor's form, posted for Daan (his identity, Noor's cookie and token): refused.
        assert post_form(web, signed_in("daan@voorbeeld.nl"), fields).status_code == 403
    assert stored(url) == 0


def test_a_stale_form_is_refused_with_the_current_page(released_root: Path, url: str) -> None:
    """A form from a page of another version or text (its token right for what it shows, as
    a page served before a release would have it)."""
    served = settings(released_root, url)
    with live(served) as web:
        fields = form_of(web.get(PAGE, headers=NOOR).text)
        with served.database.transaction() as session:
            found = person_by_email(session, "noor@voorbeeld.nl")
        assert found is not None
        for stale in ({"digest": "f" * 64}, {"version": "0.9.0"}):
            old = {**fields, **stale}
            old["token"] = make_token(
                served.form_secret, web.cookies[COOKIE], str(found[0]),
                [old["policy"], old["version"], old["digest"]], int(fields["token"].split(".")[0]),
            )  # fmt: skip
            answer = post_form(web, NOOR, old)
            assert answer.status_code == 409
            assert "Het beleid is veranderd sinds je de pagina opende" in answer.text
            assert form_of(answer.text)["version"] == "1.0.0"  # the current form, to confirm
    assert stored(url) == 0


def test_leavers_and_strangers_confirm_nothing(released_root: Path, url: str) -> None:
    lieke, stranger = signed_in("lieke@voorbeeld.nl"), signed_in("onbekend@voorbeeld.nl")
    with live(settings(released_root, url)) as web:
        fields = form_of(web.get(PAGE, headers=NOOR).text)
        for who in (lieke, stranger):
            page = web.get(PAGE, headers=who)
            assert page.status_code == 200 and "Ik heb het beleid gelezen" not in page.text
            assert post_form(web, who, fields).status_code == 403
        assert web.get("/mijn-beleid", headers=stranger).status_code == 403
        assert "Niet van toepassing" in web.get("/mijn-beleid", headers=lieke).text
    assert stored(url) == 0


def test_hr_sees_coverage_and_nobody_else_does(released_root: Path, url: str) -> None:
    with live(settings(released_root, url)) as web:
        for path in ("/hr", "/hr/dekking.csv", "/hr/te-laat.csv"):
            assert web.get(path, headers=NOOR).status_code == 403
        before = web.get("/hr", headers=HR).text
        assert "<td>Communicatie</td><td>0</td><td>1</td><td>0</td><td>0 %</td>" in before
        post_form(web, NOOR, form_of(web.get(PAGE, headers=NOOR).text))
        after = web.get("/hr", headers=HR).text
        assert "<td>Communicatie</td><td>1</td><td>0</td><td>0</td><td>100 %</td>" in after
        assert "noor" not in after.lower() and "Bakker" not in after
        csv = web.get("/hr/dekking.csv", headers=HR)
        assert csv.headers["content-type"].startswith("text/csv")
        assert "attachment" in csv.headers["content-disposition"]
        assert "Social-mediabeleid,Communicatie,1,0,0" in csv.text
        assert web.get("/hr/iets.csv", headers=HR).status_code == 404


def test_after_the_deadline(
    released_root: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In force and overdue: the form is on the policy's index page, *Mijn beleid* says
    *Te laat*, HR's overdue list names employee numbers (never names), also as CSV."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day_epoch("2027-02-01"))
    import_people(released_root, db_url, day="2027-02-01")
    with live(settings(released_root, db_url)) as web:
        assert "Ik heb het beleid gelezen" not in web.get(PAGE, headers=NOOR).text
        page = web.get("/social-media/index.html", headers=NOOR)
        assert form_of(page.text)["version"] == "1.0.0"
        mine = web.get("/mijn-beleid", headers=NOOR).text
        assert "Te laat: nog te doen vóór 1 januari 2027 (versie 1.0.0)." in mine
        late = web.get("/hr", headers=HR).text
        assert "<td>1001</td><td>Communicatie</td><td>1 januari 2027</td>" in late
        assert "Bakker" not in late and "noor" not in late
        csv = web.get("/hr/te-laat.csv", headers=HR).text
        assert "social-media" not in csv.splitlines()[0]
        assert "Social-mediabeleid,1.0.0,1001,Communicatie,2027-01-01" in csv
        post_form(web, NOOR, form_of(page.text))
        assert "<td>1001</td>" not in web.get("/hr", headers=HR).text
    assert stored(db_url) == 1
