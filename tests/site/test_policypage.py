"""The policy page's two renderings: the HTML written directly is the HTML markdown-it makes of
the Markdown, for the golden cases, the shipped policy and hostile text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from tests.conftest import MINI_FILES, ROOT
from tests.site.test_plan import DEPARTMENTS, draft, later_release, two_releases
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot, MemorySnapshot
from tools.site.plan import SiteSource
from tools.site.policypage import PolicyPage, render_policy_html, render_policy_markdown

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
    assert render_policy_html(page) == markdown_parser().render(render_policy_markdown(page))


def test_hostile_text_is_text() -> None:
    """Markup in a clause shows as that text: no element, no list, no heading from it."""
    body = render_policy_html(_hostile_page())
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, &amp;amp; een [link](https://x.nl)" in body
    assert '<h3 id="mi-001"># Wees &lt;b&gt;beleefd&lt;/b&gt; &amp; [x](y) (mi-001)</h3>' in body
