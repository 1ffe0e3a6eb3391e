"""The policy page's two renderings: the HTML written directly is the HTML markdown-it makes of
the Markdown, for the golden cases, the shipped policy and hostile text."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from schema.models import LegalRef
from tests.conftest import MINI_FILES, ROOT
from tests.notes.test_releasenotes import HTML, parse_html
from tests.site.test_plan import DEPARTMENTS, draft, later_release, two_releases
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot, MemorySnapshot
from tools.notes.blocks import text_paragraphs
from tools.notes.htmlpage import html_page
from tools.notes.render_html import render_html
from tools.site.clausehtml import _text_lines
from tools.site.plan import SiteSource
from tools.site.policypage import (
    PolicyPage,
    is_self_regulation,
    page_blocks,
    render_policy_html,
    render_policy_markdown,
)

HOSTILE = (
    "Tekst met <script>alert(1)</script>, &amp; een [link](https://x.nl), *nadruk*, `code`, "
    "een \\\\ backslash, {+ins+} [-del-], | pijp | en ~streep~.\n\n"
    "1. Geen lijst\n- geen opsomming\n# geen kop"
)

# The heading id as Pandoc and kramdown write it, ``## Titel {#sm-012}``: the reference the
# direct HTML is held to (the site itself never parses the page's Markdown).
_HEADING_ID = re.compile(r"\s*(?<!\\)\{#([A-Za-z][A-Za-z0-9_-]*)\}$")


def _heading_id_rule(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "heading_open" or not inline.children:
            continue
        match = _HEADING_ID.search(inline.content)
        last = inline.children[-1]
        if match is None or last.type != "text" or not last.content.endswith(match.group().strip()):
            continue
        token.attrSet("id", match.group(1))
        inline.content = inline.content[: match.start()]
        last.content = last.content[: len(last.content) - len(match.group().strip())].rstrip()


def markdown_parser() -> MarkdownIt:
    """CommonMark as the site renders Markdown, with Pandoc's heading ids."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    parser.core.ruler.push("heading_id", _heading_id_rule)
    return parser


def _hostile_page() -> PolicyPage:
    path = "policy/mini/sections/algemeen.yaml"
    text = MINI_FILES[path].replace(
        "    text: Je bent beleefd op sociale media.",
        "    text: |-\n" + "".join(f"      {line}\n" for line in HOSTILE.splitlines()).rstrip("\n"),
    )
    text = text.replace("title: Wees beleefd", 'title: "# Wees <b>beleefd</b> & [x](y)"')
    snapshot = MemorySnapshot({**MINI_FILES, path: text})
    policy, problems = load_policy(snapshot, "mini")
    assert policy is not None and not problems, problems
    return PolicyPage(policy, {"algemeen": ("HR & <OR>",)}, DEPARTMENTS, {"mi-001": "1.0.0"})


def _shipped_page() -> PolicyPage:
    policy, problems = load_policy(DirSnapshot(ROOT), "social-media")
    assert policy is not None and not problems
    responsible = {s.model.id: ("Human Resources", "Ondernemingsraad") for s in policy.sections}
    return PolicyPage(policy, responsible, {"hr": "HR"}, {}, (), (("Al het beleid", "../x"),))


def _site_page(source: Callable[[], SiteSource]) -> Callable[[], PolicyPage]:
    def page() -> PolicyPage:
        current = source().policies[0].current
        assert current is not None
        return current.page

    return page


def _later_page() -> PolicyPage:
    """A version that takes effect later: its own version and date, a lead, linked facts."""
    page = later_release().policies[0].later[0].page
    facts = (("Tot die datum geldt:", "versie *1.0.0* [x](y)", "index.html#a&b"),)
    return replace(page, version="2.0.0", effective=dt.date(2027, 3, 1),
                   lead="Vanaf 1 maart 2027 geldt: <b>*x*</b>", facts=facts)  # fmt: skip


PAGES: dict[str, Callable[[], PolicyPage]] = {
    "draft": _site_page(draft),
    "two-releases": _site_page(two_releases),
    "later-version": _later_page,
    "hostile": _hostile_page,
    "shipped": _shipped_page,
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_direct_html_equals_markdown_it_of_the_markdown(name: str) -> None:
    """The fast HTML path and the Markdown path never drift apart."""
    page = PAGES[name]()
    html = _CLASSES.sub("", render_policy_html(page))
    assert html == markdown_parser().render(render_policy_markdown(page))


_CLASSES = re.compile(r'<span class="[^"]*">|</span>')
"""The style sheet's classes, the one thing the direct HTML adds (Markdown has no classes)."""


def test_hostile_text_is_text() -> None:
    """Markup in a clause shows as that text: no element, no list, no heading from it."""
    body = render_policy_html(_hostile_page())
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, &amp;amp; een [link](https://x.nl)" in body
    assert '<h3 id="mi-001"># Wees &lt;b&gt;beleefd&lt;/b&gt; &amp; [x](y) (mi-001)</h3>' in body


def _marked_page() -> PolicyPage:
    """Mini with a monitoring clause, a note, a law and a self-regulation code."""
    path = "policy/mini/sections/privacy.yaml"
    text = MINI_FILES[path] + (
        "    monitoring: true\n"
        "    note: Zo blijven klantgegevens veilig.\n"
        "    legal:\n"
        "      - law: AVG\n        article: '5'\n"
        "      - law: Nederlandse Reclame Code (NRC)\n        note: Geen wet, wel bindend.\n"
        "      - law: Gedragscode Integriteit\n        kind: law\n"
    )
    policy, problems = load_policy(MemorySnapshot({**MINI_FILES, path: text}), "mini")
    assert policy is not None and not problems, problems
    return PolicyPage(policy, {}, DEPARTMENTS, {})


def _text(element: ET.Element | None) -> str:
    assert element is not None
    return " ".join("".join(element.itertext()).split())


def test_web_page_folds_contents_and_links_back_to_them() -> None:
    root = parse_html(html_page(render_policy_html(_marked_page(), web=True), title="t", lang="nl"))
    assert _text(root.find(f".//{HTML}h2[@id='inhoud']")) == "Inhoud"
    folds = root.findall(f".//{HTML}ul/{HTML}li/{HTML}details")
    assert [_text(d.find(f"{HTML}summary")) for d in folds] == ["2 regels", "1 regel"]
    backs = [a for a in root.iter(f"{HTML}a") if a.get("href") == "#inhoud"]
    assert [_text(a) for a in backs] == ["Terug naar de inhoud"] * 2
    ids = root.findall(f".//{HTML}h3/{HTML}span[@class='id']")
    assert [_text(span) for span in ids] == ["(mi-001)", "(mi-003)", "(mi-002)"]


def test_badges_monitoring_note_and_kinds_of_legal_source() -> None:
    body = render_policy_html(_marked_page())
    assert '<strong><span class="badge level-must-not">Verboden</span></strong> · ' in body
    assert '<span class="badge monitoring">Over toezicht</span></strong> · <em>' in body
    assert '<span class="badge level-info">Informatief</span>' in body
    assert "<strong>Toelichting:</strong> Zo blijven klantgegevens veilig. Geen wet, wel" in body
    assert "<strong>Wettelijke basis:</strong> AVG, artikel 5; Gedragscode Integriteit<" in body
    assert "<strong>Gedragscode (geen wet):</strong> Nederlandse Reclame Code (NRC)<" in body
    markdown = render_policy_markdown(_marked_page())
    assert "**Verboden** · **Over toezicht** · *Nog niet uitgebracht*" in markdown


@pytest.mark.parametrize(
    ("law", "code"),
    [
        ("Reclamecode Social Media & Influencer Marketing (RSM)", True),
        ("Nederlandse Reclame Code", True),
        ("Burgerlijk Wetboek", False),
        ("Algemene verordening gegevensbescherming (AVG)", False),
        ("Wet op de ondernemingsraden", False),
    ],
)
def test_self_regulation_is_known_by_its_name(law: str, code: bool) -> None:
    assert is_self_regulation(LegalRef(law=law)) is code
    assert is_self_regulation(LegalRef(law=law, kind="law")) is False


def _every_fact_page() -> PolicyPage:
    """Mini with every fact a clause can have, hostile text in each, a reference it lacks."""
    path = "policy/mini/sections/privacy.yaml"
    text = MINI_FILES[path] + (
        '    summary: "Kort <b>&</b> *goed*"\n'
        "    monitoring: true\n"
        '    note: "Zo blijven <klant>gegevens & veilig."\n'
        "    applies_to: [zakelijk, prive]\n"
        "    contact: communicatie\n"
        "    next_review: 2027-02-01\n"
        "    see: [mi-001, mi-404]\n"
        "    legal:\n"
        "      - law: AVG <x>\n        article: '5 & 6'\n        note: Wet.\n"
        "      - law: Reclamecode\n"
    )
    snapshot = MemorySnapshot({**MINI_FILES, path: text})
    policy, problems = load_policy(snapshot, "mini")
    assert policy is not None and not problems, problems
    return PolicyPage(policy, {"privacy": ("HR & <OR>",)}, DEPARTMENTS, {"mi-002": "1.0.0"})


@pytest.mark.parametrize("name", sorted([*PAGES, "marked", "every-fact"]))
def test_site_clauses_written_straight_equal_their_blocks(name: str) -> None:
    """The site writes each clause straight as HTML: exactly what its blocks render to."""
    more = {"marked": _marked_page, "every-fact": _every_fact_page}
    page = {**PAGES, **more}[name]()
    assert render_policy_html(page, web=True) == render_html(page_blocks(page, web=True))


@pytest.mark.parametrize(
    "text",
    [
        "Eén alinea met gewone spaties.",
        "",
        " ",
        " voor",
        "na ",
        "twee  spaties",
        "tab\tin de tekst",
        "harde\u00a0spatie",
        "smalle\u202fspatie",
        "regel\neinde",
        "alinea\n\ntwee",
        "lijn\u2028scheiding",
        "\x85volgende regel",
    ],
)
def test_the_fast_paragraphs_equal_text_paragraphs(text: str) -> None:
    """The site's shortcut for single-spaced text gives exactly what the blocks' rule gives."""
    assert _text_lines(text) == text_paragraphs(text)
