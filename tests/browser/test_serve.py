"""``policy serve`` in a real browser: Debian's chromium (Playwright) signs in through a small
test proxy that sets the identity header, as the organisation's sign-on proxy does; a person
reads the policy, confirms it and sees *Bevestigd op ...*; an HR user sees the coverage change.
Every page ``policy serve`` adds passes axe-core (every rule) with no console error (so the
Content-Security-Policy lets the page's own style through and blocks nothing it needs), and the
Nu Html Checker with no error or warning."""

from __future__ import annotations

import http.client
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.attest.ackkit import released
from tests.browser.test_html_validator import validate
from tests.browser.test_pages import AXE_RUN
from tests.conftest import day_epoch
from tests.serve.servekit import PAGE, PENDING_DAY, import_people, live, settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@contextmanager
def sign_on_proxy(upstream: int, email: str, groups: str = "") -> Iterator[str]:
    """A reverse proxy on a free port of 127.0.0.1 that passes every request to ``upstream``
    with the identity headers set (any a client sent are replaced); its address."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in _HOP and not k.lower().startswith("x-forwarded")
            }
            headers |= {"Host": self.headers["host"], "X-Forwarded-Email": email}
            if groups:
                headers["X-Forwarded-Groups"] = groups
            connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
            connection.request(self.command, self.path, body, headers)
            answer = connection.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            connection.close()

        do_GET = do_POST = _forward  # noqa: N815  (http.server's names)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()


@pytest.fixture
def served(tmp_path: Path, keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The released shipped policy served on 127.0.0.1; its port."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day_epoch(PENDING_DAY))
    root = released(tmp_path / "shipped", keys).root
    url = f"sqlite:///{tmp_path / 'attest.db'}"
    import_people(root, url)
    # With --dev-login's page too, to check it; no test signs in through it.
    with live(settings(root, url, dev_login=True)) as web:
        yield int(str(web.base_url).rstrip("/").rsplit(":", 1)[1])


def _check(page: Page, errors: list[str], pages: list[Path], folder: Path, name: str) -> None:
    """axe-core finds nothing, no console error, and the page is kept for the Nu checker."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    assert not violations, f"{name}: {violations}"
    assert not errors, f"{name}: console errors {errors}"
    path = folder / f"{name}.html"
    path.write_text(page.content(), encoding="utf-8")
    pages.append(path)


@contextmanager
def _tab(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, errors
    finally:
        context.close()


def test_read_confirm_and_hr_sees_it(browser: Browser, served: int, tmp_path: Path) -> None:
    pages: list[Path] = []
    with (
        sign_on_proxy(served, "noor@voorbeeld.nl") as noor,
        sign_on_proxy(served, "sem@voorbeeld.nl", "hr") as sem,
        _tab(browser) as (hr, hr_errors),
        _tab(browser) as (page, errors),
    ):
        hr.goto(f"{sem}/hr")
        row = hr.locator("tr", has_text="Communicatie")
        assert row.locator("td").all_inner_texts()[2:5] == ["0", "1", "0"]
        _check(hr, hr_errors, pages, tmp_path, "hr")
        page.goto(f"{noor}{PAGE}")
        assert page.get_by_role("heading", name="Bevestigen").is_visible()
        _check(page, errors, pages, tmp_path, "to-confirm")
        page.get_by_role("button", name="Ik heb het beleid gelezen").click()
        page.wait_for_load_state()
        assert page.get_by_text("Bevestigd op 15 december 2026 (versie 1.0.0).").is_visible()
        _check(page, errors, pages, tmp_path, "confirmed")
        page.get_by_role("link", name="Terug naar Social-mediabeleid").click()
        panel = page.locator("section", has=page.get_by_role("heading", name="Bevestigen"))
        assert "Bevestigd op 15 december 2026" in panel.inner_text()
        _check(page, errors, pages, tmp_path, "policy-confirmed")
        page.get_by_role("link", name="Mijn beleid").click()
        assert page.get_by_text("Bevestigd op 15 december 2026").is_visible()
        _check(page, errors, pages, tmp_path, "my-policies")
        hr.reload()
        assert row.locator("td").all_inner_texts()[2:5] == ["1", "0", "0"]
        hr.goto(f"{noor}/hr")  # Noor is not HR
        assert hr.get_by_role("heading", name="Geen toegang").is_visible()
        hr_errors.clear()  # the 403 answer itself is logged by the browser
        _check(hr, hr_errors, pages, tmp_path, "forbidden")
        hr.goto(f"http://127.0.0.1:{served}/")  # around the proxy: not signed in
        assert hr.get_by_role("heading", name="Niet aangemeld").is_visible()
        hr_errors.clear()
        _check(hr, hr_errors, pages, tmp_path, "unauthorised")
        hr.goto(f"http://127.0.0.1:{served}/dev-login")
        _check(hr, hr_errors, pages, tmp_path, "dev-login")
    result = validate(pages)
    assert result.returncode == 0, result.stdout + result.stderr
