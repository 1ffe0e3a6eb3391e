"""The published release notes Markdown reads the same in CommonMark (markdown-it-py) and in
Python-Markdown: the same visible text, and policy text stays text in both."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial

import html5lib
import markdown
import pytest
from markdown_it import MarkdownIt

from schema.models import Level
from tests.conftest import ROOT
from tests.notes.test_releasenotes import CASES, EXPECTED, case_notes
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot
from tools.compare.diff import diff_policies
from tools.compare.impact import Impact
from tools.compare.redline import Segment
from tools.notes.changelog import add_release
from tools.notes.changenotes import load_notes
from tools.notes.document import render_markdown
from tools.notes.releasenotes import Entry, ReleaseNotes, plan_release
from tools.notes.render_markdown import escape_text

_COMMONMARK = MarkdownIt("commonmark")

RENDERERS = {
    "commonmark": _COMMONMARK.render,
    "python-markdown": markdown.markdown,
}


def _tree(fragment: str) -> ET.Element:
    return html5lib.parseFragment(fragment, namespaceHTMLElements=False)  # type: ignore[no-any-return]


def visible(fragment: str) -> str:
    """The text a reader sees, whitespace normalised."""
    return " ".join("".join(_tree(fragment).itertext()).split())


def tags(fragment: str) -> set[str]:
    return {element.tag for element in _tree(fragment).iter() if isinstance(element.tag, str)}


def rendered(text: str) -> dict[str, str]:
    return {name: render(text) for name, render in RENDERERS.items()}


def shipped_release_notes() -> str:
    """The first release notes of the shipped policy, with its unreleased notes."""
    policy, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert policy is not None and not problems, problems
    notes, problems = load_notes(DirSnapshot(ROOT), "social-media")
    assert not problems, problems
    return render_markdown(plan_release(diff_policies(None, policy), policy, None, notes, None))


def _notes(name: str) -> str:
    return render_markdown(case_notes(name))


def _changelog(name: str) -> str:
    return add_release(None, case_notes(name))


PUBLISHED: dict[str, Callable[[], str]] = {"shipped": shipped_release_notes}
for _name in EXPECTED:
    PUBLISHED[_name] = partial(_notes, _name)
    PUBLISHED[f"{_name}-changelog"] = partial(_changelog, _name)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_notes_read_the_same_in_both_renderers(name: str) -> None:
    """The golden and the shipped policy's release notes, and the changelog entries: the same
    visible text and the same elements in CommonMark and Python-Markdown."""
    text = PUBLISHED[name]()
    html = rendered(text)
    assert visible(html["commonmark"]) == visible(html["python-markdown"])
    assert tags(html["commonmark"]) == tags(html["python-markdown"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_notes_have_no_renderer_specific_markup(name: str) -> None:
    """No backslash line breaks, and no escapes where plain text will do."""
    text = (CASES / name / "expected.md").read_text(encoding="utf-8")
    assert not any(line.endswith("\\") for line in text.splitlines())
    for needless in ("\\.", "\\-", "\\+", "\\=", "\\|", "\\~", "&gt;"):
        assert needless not in text, needless


@pytest.mark.parametrize(
    "text",
    [
        "Mini, versie 2.0.0",
        "2.0.0 is de versie",
        "1. geen lijst",
        "1) geen lijst",
        "# geen kop",
        "#hashtag",
        "Beleid voor C#",
        "- geen opsomming",
        "+ geen opsomming",
        "* geen opsomming",
        "> geen citaat",
        "---",
        "Tekst\n===",
        "Tekst\n---",
        "| a | b |\n|---|---|",
        "<script>alert(1)</script> en <b>vet</b> en <https://x.example>",
        "[a](b) en ![beeld](x.png) en [ref] en [a][b]",
        "*geen nadruk* en **niet vet** en _ook niet_ en __ook niet__",
        "snake_case_naam en 3 * 4 = 12",
        "`geen code` en ``ook niet``",
        "R&D, R&amp;D, &copy; en &#65;",
        "een \\ backslash, \\* een \\\\ en aan het eind \\",
        "{+geen invoeging+} en [-geen weglating-] en {#geen-anker}",
        "~~geen doorhaling~~ en a|b en 5 > 3 < 4",
    ],
)
def test_escaped_text_is_literal_in_both_renderers(text: str) -> None:
    """Every kind of markup in policy text shows as that text, in both renderers."""
    for name, html in rendered(escape_text(text)).items():
        assert visible(html) == " ".join(text.split()), name
        assert tags(html) <= {"DOCUMENT_FRAGMENT", "p", "br"}, (name, tags(html))


HOSTILE = (
    "Schrijf nooit <script>alert('x')</script>. Zie [a](b) en *x* en `code` | a | b |.\n\n"
    "1. Geen lijst\n\n# Geen kop\n\n- geen opsomming"
)


def _hostile_notes() -> ReleaseNotes:
    redline = (
        Segment("equal", "1. Geen lijst "),
        Segment("delete", "*x* -] [a](b)"),
        Segment("insert", "`y` +} <b>"),
        Segment("equal", " | c | #"),
    )
    entry = Entry("mi-009", "# Titel *x* [a](b) `c` | d #", "modified", Impact.MAJOR,
                  "Sectie *s* | t", Level.MUST, HOSTILE, (), redline)  # fmt: skip
    return ReleaseNotes("mini", "Mini *x* #", "1.1.0", "1.0.0", dt.date(2027, 3, 1), Impact.MAJOR,
                        True, "Samen*vatting*.", (), (entry,), (), ())  # fmt: skip


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_hostile_policy_text_is_text_in_both_renderers(renderer: str) -> None:
    """<script>, links, emphasis, code, a numbered list, a heading, a list and pipes in clause
    text, titles and the redline show as literal text in CommonMark and Python-Markdown."""
    html = RENDERERS[renderer](render_markdown(_hostile_notes()))
    root = _tree(html)
    for tag in ("script", "a", "code", "ol", "table", "b", "h4"):
        assert root.find(f".//{tag}") is None, tag
    # The only emphasis: the line about the clause, which the release notes write themselves.
    assert ["".join(e.itertext()) for e in root.iter("em")] == [
        "Hoofdstuk: Sectie *s* | t · verplicht"
    ]
    headings = ["".join(e.itertext()) for e in root.iter() if e.tag in ("h1", "h2", "h3")]
    title = "# Titel *x* [a](b) `c` | d # (mi-009)"
    assert headings == ["Mini *x* #, versie 1.1.0", "Gewijzigd", title]
    text = visible(html)
    for paragraph in HOSTILE.split("\n\n"):
        assert paragraph in text, paragraph
    assert "1. Geen lijst [-*x* -] [a](b)-]{+`y` +} <b>+} | c | #" in text
    assert "Samen*vatting*." in text
    # The only lists: the facts, and nothing from the policy text.
    assert [len(ul.findall("li")) for ul in root.iter("ul")] == [3]
