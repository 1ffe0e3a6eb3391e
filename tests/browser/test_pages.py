"""The HTML release notes in a real headless browser: Debian's chromium driven by Playwright.

Why: the page must be a real web page, and only a browser can tell that it loads without
errors or outside resources, shows its text, reads well on a phone and a desktop, and passes
an automated accessibility check (axe-core). ``nox -s browser`` runs these tests; plain
``pytest`` deselects them (marker ``browser``), and playwright is imported lazily so that
collecting them never needs it.

Pages: every golden ``tests/notes/cases/releasenotes/*/expected.html``, what
``policy changelog preview --format html`` prints for the shipped policy, every golden page of
the employees' site (``tests/site/cases/site/**/*.html``: index, policy pages, the page of a version
that takes effect later, release notes, changelogs, a draft) and the pages ``policy site`` and
``policy site --draft`` build for the shipped repository (the draft holds the whole policy text
even before its first release). To check more files
while debugging, set ``POLICY_HTML_PAGES`` to colon-separated paths. ``CHROMIUM`` overrides
the browser binary (default: ``chromium`` on PATH).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

pytestmark = pytest.mark.browser

GOLDEN = sorted(ROOT.glob("tests/notes/cases/releasenotes/*/expected.html"))
SITE_GOLDEN = sorted(ROOT.glob("tests/site/cases/site/**/*.html"))
EXTRA = [Path(p) for p in os.environ.get("POLICY_HTML_PAGES", "").split(":") if p]
CLI = "cli-preview"  # stands for the page the CLI prints; made by the page_path fixture
# The shipped repository's site as `policy site` (and `--draft`) writes it; made by the
# built_site fixture.
CLI_SITE = ["index.html", "social-media/index.html", "social-media/changelog.html"]
PAGES: list[str | Path] = [CLI, *(f"cli-site/{page}" for page in CLI_SITE),
                           *(f"cli-draft/{page}" for page in CLI_SITE), *GOLDEN,
                           *SITE_GOLDEN, *EXTRA]  # fmt: skip

PHONE = (390, 844, True)  # width, height, is_mobile (device scale factor 2)
DESKTOP = (1280, 800, False)

# Every rule of every tag, including experimental, deprecated and AAA ones.
AXE_RUN = """async () => {
  const tags = [...new Set(axe.getRules().flatMap((rule) => rule.tags))];
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def _page_id(page: str | Path) -> str:
    if isinstance(page, str):
        return page
    if page in SITE_GOLDEN:
        return page.relative_to(ROOT / "tests" / "site" / "cases").as_posix()
    return page.parent.name if page in GOLDEN else str(page)


def run_cli(*args: str) -> str:
    """Run the policy CLI in the repository; its output."""
    result = subprocess.run(
        [sys.executable, "-m", "tools", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"the CLI failed ({result.returncode}):\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped repository's site, as ``policy site --out`` writes it."""
    out = tmp_path_factory.mktemp("site") / "site"
    run_cli("site", "--out", str(out))
    return out


@pytest.fixture(scope="session")
def built_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped repository's draft site, as ``policy site --draft --out`` writes it."""
    out = tmp_path_factory.mktemp("draft") / "site"
    run_cli("site", "--draft", "--out", str(out))
    return out


@pytest.fixture(scope="session", params=PAGES, ids=_page_id)
def page_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page file: a golden one, or the CLI's preview of the shipped policy written to disk."""
    page: str | Path = request.param
    if isinstance(page, Path):
        return page.resolve()
    if page.startswith("cli-site/"):
        built: Path = request.getfixturevalue("built_site")
        return built / page.removeprefix("cli-site/")
    if page.startswith("cli-draft/"):
        draft: Path = request.getfixturevalue("built_draft")
        return draft / page.removeprefix("cli-draft/")
    result = subprocess.run(
        [sys.executable, "-m", "tools", "changelog", "preview", "--format", "html"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"the CLI failed ({result.returncode}):\n{result.stderr}"
    path = tmp_path_factory.mktemp("preview") / "preview.html"
    path.write_text(result.stdout, encoding="utf-8")
    return path


@dataclass
class Loaded:
    """A loaded page and what went wrong while loading it."""

    page: Page
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@contextmanager
def load(browser: Browser, path: Path, size: tuple[int, int, bool] = DESKTOP) -> Iterator[Loaded]:
    """Open ``path`` in a fresh context; every request but the page's own file is blocked."""
    width, height, mobile = size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=2 if mobile else 1,
    )
    try:
        page = context.new_page()
        loaded = Loaded(page)
        url = path.as_uri()

        def only_the_page(route: Route) -> None:
            if route.request.url == url:
                route.continue_()
            else:
                loaded.outside.append(route.request.url)
                route.abort()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                loaded.errors.append(message.text)

        context.route("**/*", only_the_page)
        page.on("console", console)
        page.on("pageerror", lambda error: loaded.errors.append(f"uncaught: {error}"))
        page.goto(url, wait_until="load")
        yield loaded
    finally:
        context.close()


def test_golden_pages_exist() -> None:
    """The golden pages are there to check (a wrong glob would check nothing)."""
    assert GOLDEN, "no golden HTML pages found: tests/notes/cases/releasenotes/*/expected.html"
    assert len(SITE_GOLDEN) >= 8, "too few golden site pages: tests/site/cases/site/**/*.html"


def test_loads_cleanly(browser: Browser, page_path: Path) -> None:
    """No console errors, no uncaught exceptions, no resources from outside the file."""
    with load(browser, page_path) as loaded:
        loaded.page.wait_for_load_state("networkidle")
        assert not loaded.outside, f"outside resources: {loaded.outside}"
        assert not loaded.errors, f"console errors: {loaded.errors}"


def test_semantics(browser: Browser, page_path: Path) -> None:
    """lang="nl", one h1, and heading levels that never skip one."""
    with load(browser, page_path) as loaded:
        page = loaded.page
        lang = page.evaluate("document.documentElement.getAttribute('lang')")
        assert lang == "nl", f'<html lang="{lang}">, expected "nl"'
        levels: list[int] = page.evaluate(
            "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
            ".map((h) => Number(h.tagName[1]))"
        )
        assert levels.count(1) == 1, f"expected exactly one h1, got levels {levels}"
        for before, after in pairwise([0, *levels]):
            assert after <= before + 1, f"h{after} after h{before} skips a level: {levels}"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_layout(browser: Browser, page_path: Path, size: tuple[int, int, bool]) -> None:
    """The headings show, nothing scrolls sideways, and the body text is at least 16px."""
    with load(browser, page_path, size) as loaded:
        page = loaded.page
        for heading in [page.locator("h1").first, *page.locator("h2").all()]:
            assert heading.is_visible(), f"not visible: {heading}"
            assert heading.inner_text().strip(), f"empty: {heading}"
        inner: int = page.evaluate("window.innerWidth")
        # A phone widens the layout for a page without <meta name=viewport> or too wide content.
        assert inner == size[0], f"layout is {inner}px wide on a {size[0]}px screen"
        scroll: int = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= inner, f"page is {scroll}px wide in a {inner}px window"
        font: float = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 16, f"body font size {font}px"


def test_accessibility(browser: Browser, page_path: Path) -> None:
    """axe-core, every rule, finds no violations."""
    from axe_playwright_python.base import AXE_SCRIPT

    with load(browser, page_path) as loaded:
        loaded.page.evaluate(AXE_SCRIPT)
        violations: list[dict[str, Any]] = loaded.page.evaluate(AXE_RUN)
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['targets']}" for v in violations)
    assert not violations, f"axe-core violations:\n{report}"
