"""The employees' site, pure part: golden files, valid HTML, anchors, links and the Atom feed."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import feedparser
import html5lib
import pytest

from tests.conftest import MINI_FILES, ROOT
from tools.base.loader import Policy, load_policy
from tools.base.snapshot import MemorySnapshot
from tools.compare.diff import diff_policies
from tools.compare.impact import Impact
from tools.notes.blocks import Heading, Span
from tools.notes.blocks import text as plain
from tools.notes.document import clause_heading
from tools.notes.htmlpage import html_page
from tools.notes.render_html import render_html
from tools.notes.render_markdown import render_markdown
from tools.site.plan import (
    DRAFT_BANNER,
    Edition,
    PolicySource,
    SiteSource,
    base_url_problem,
    plan_site,
    split_releases,
    unchanged_clauses,
)
from tools.site.policypage import PolicyPage, render_policy_html, render_policy_markdown
from tools.versions.releaseid import ReleaseRecord

CASES = Path(__file__).parent / "cases"
SITE_CASES = CASES / "site"
NOTES = ROOT / "tests/notes/cases/releasenotes"
HTML = "{http://www.w3.org/1999/xhtml}"
DEPARTMENTS = {"hr": "HR", "communicatie": "Communicatie"}


def _policy(files: dict[str, str] | None = None) -> Policy:
    snapshot = MemorySnapshot(files or MINI_FILES)
    policy, problems = load_policy(snapshot, "mini")
    assert policy is not None and not problems, problems
    return policy


def _release(version: str, day: int, effective: dt.date, hour: int = 14) -> ReleaseRecord:
    commit = version.replace(".", "") * 10
    return ReleaseRecord(
        "mini",
        version,
        f"mini/v{version}",
        commit[:40],
        dt.date(2026, 11, day),
        Impact.MAJOR,
        effective,
        time=dt.datetime(2026, 11, day, hour, 30, 5, tzinfo=dt.UTC),
    )


RESPONSIBLE = {"algemeen": ("HR",), "privacy": ("HR", "Communicatie")}
MINI_PAGE = PolicyPage(
    _policy(), RESPONSIBLE, DEPARTMENTS, dict.fromkeys(("mi-001", "mi-002", "mi-003"), "1.0.0")
)
"""The mini policy as released in 1.0.0."""


def _source(
    current: Edition | None,
    later: tuple[Edition, ...] = (),
    releases: tuple[ReleaseRecord, ...] = (),
    changelog: str | None = None,
) -> PolicySource:
    notes = {
        "1.0.0": (NOTES / "01__first_release" / "expected.md").read_text(encoding="utf-8"),
        "2.0.0": (NOTES / "02__added_changed_moved_removed" / "expected.md").read_text("utf-8"),
    }
    notes = {version: text for version, text in notes.items() if version in
             {release.version for release in releases}}  # fmt: skip
    return PolicySource("mini", "Mini", "nl", current, later, releases, notes, changelog)


def no_release() -> SiteSource:
    """The mini policy before its first release: no text to publish."""
    return SiteSource("Test B.V.", (_source(None),), today=dt.date(2026, 11, 27))


def _head_page(version: str, versions: dict[str, str]) -> PolicyPage:
    """The policy of release 2.0.0 (a clause removed, two changed, two new), ``version`` in its
    ``policy.yaml``."""
    folder = NOTES / "02__added_changed_moved_removed" / "head"
    files = {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in folder.rglob("*.yaml")}
    meta = "policy/mini/policy.yaml"
    files[meta] = files[meta].replace("version: 1.0.0", f"version: {version}")
    return PolicyPage(_policy(files=files), RESPONSIBLE, DEPARTMENTS, versions)


RELEASES = (
    _release("1.0.0", 2, dt.date(2027, 1, 1)),
    _release("2.0.0", 20, dt.date(2027, 3, 1)),
)
CHANGELOG = (NOTES / "02__added_changed_moved_removed" / "expected-changelog.md").read_text(
    encoding="utf-8"
)


def two_releases(base_url: str | None = None) -> SiteSource:
    """Released 1.0.0 and 2.0.0, both in force by now: the page shows 2.0.0."""
    versions = {"mi-001": "2.0.0", "mi-003": "2.0.0", "mi-004": "2.0.0", "mi-005": "2.0.0"}
    current = Edition(_head_page("2.0.0", versions), RELEASES[1])
    return SiteSource("Test B.V.", (_source(current, (), RELEASES, CHANGELOG),), base_url)


def later_release() -> SiteSource:
    """1.0.0 in force, 2.0.0 released and taking effect on 1 March 2027: a page of its own."""
    versions = {"mi-001": "2.0.0", "mi-003": "2.0.0", "mi-004": "2.0.0", "mi-005": "2.0.0"}
    later = (Edition(_head_page("2.0.0", versions), RELEASES[1]),)
    current = Edition(MINI_PAGE, RELEASES[0])
    return SiteSource("Test B.V.", (_source(current, later, RELEASES, CHANGELOG),))


def draft() -> SiteSource:
    """The reviewers' preview: 1.0.0 released, the working tree's unreleased 2.0.0 shown."""
    page = _head_page("2.0.0", {"mi-003": "1.0.0"})  # mi-003 moved: unchanged since 1.0.0
    first = (NOTES / "01__first_release" / "expected-changelog.md").read_text(encoding="utf-8")
    source = _source(Edition(page), (), RELEASES[:1], first)
    return SiteSource("Test B.V.", (source,), draft=True)


SOURCES = {
    "01__no_release": no_release,
    "02__two_releases": two_releases,
    "03__later_release": later_release,
    "04__draft": draft,
}


def parse_html(text: str) -> ET.Element:
    """Parsed by a conforming HTML5 parser; strict: any parse error fails."""
    return html5lib.HTMLParser(strict=True).parse(text)  # type: ignore[no-any-return]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_golden_site(name: str, update_golden: bool) -> None:
    """Every file of the site equals its golden file, and there are no others."""
    files = plan_site(SOURCES[name]())
    folder = SITE_CASES / name
    if update_golden:
        for relative, text in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
    golden = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert golden == sorted(files), "files differ from the golden ones; --update-golden"
    for relative, text in files.items():
        expected = (folder / relative).read_text(encoding="utf-8")
        assert expected == text, f"{folder / relative} differs; --update-golden"


def test_every_case_is_listed() -> None:
    """No golden folder without a source here."""
    assert sorted(p.name for p in SITE_CASES.iterdir() if p.is_dir()) == sorted(SOURCES)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_pages_are_valid_dutch_html(name: str) -> None:
    """Strict HTML5, lang nl, one h1, no skipped heading level, unique ids, nothing loaded."""
    for relative, text in plan_site(SOURCES[name]()).items():
        if not relative.endswith(".html"):
            continue
        root = parse_html(text)
        assert root.get("lang") == "nl", relative
        levels = [int(e.tag[-1]) for e in root.iter() if re.fullmatch(f"{HTML}h[1-6]", e.tag)]
        assert levels[0] == 1 and levels.count(1) == 1, (relative, levels)
        assert all(b - a <= 1 for a, b in pairwise(levels)), (relative, levels)
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), relative
        for tag in ("script", "img", "iframe", "object"):
            assert root.find(f".//{HTML}{tag}") is None, (relative, tag)


def broken_links(files: dict[str, str]) -> tuple[list[str], int]:
    """Relative links that name no file of the site, or no id on it; and how many were checked."""
    ids = {
        relative: {e.get("id") for e in parse_html(text).iter() if e.get("id")}
        for relative, text in files.items()
        if relative.endswith(".html")
    }
    broken, checked = [], 0
    for relative in ids:
        for anchor in parse_html(files[relative]).iter(f"{HTML}a"):
            href = anchor.get("href") or ""
            address, fragment = urldefrag(href)
            if urlsplit(address).scheme:
                continue  # a note's link to elsewhere
            target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), address))
            target = target if address else relative
            if target not in files or (fragment and fragment not in ids[target]):
                broken.append(f"{relative}: {href}")
            checked += 1
    return broken, checked


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_link_inside_the_site_resolves(name: str) -> None:
    """Each relative link names a file of the site and, with a #fragment, an id on that page."""
    broken, checked = broken_links(plan_site(SOURCES[name]()))
    assert not broken
    assert checked > 5  # the site without a release has few links


def test_policy_page_has_anchor_level_department_and_version_per_clause() -> None:
    """Each clause: id anchor, Dutch level, version it last changed in; each section: owners."""
    files = plan_site(two_releases())
    root = parse_html(files["mini/index.html"])
    main = root.find(f".//{HTML}main")
    assert main is not None
    text = text_of(main)
    for clause in ("mi-001", "mi-003", "mi-004", "mi-005"):
        heading = root.find(f".//{HTML}h3[@id='{clause}']")
        assert heading is not None, clause
    assert "Inhoud" in text
    assert "Versie: 2.0.0 Geldt vanaf: 1 maart 2027 Volgende herziening: 1 januari 2028" in text
    assert "Verantwoordelijk: HR, Communicatie" in text
    assert "Aanbevolen · Laatst gewijzigd in versie 2.0.0" in text
    assert "Verboden · Laatst gewijzigd in versie 2.0.0" in text
    assert "nog niet uitgebracht" not in text


def test_no_release_publishes_no_clause_text_and_says_so() -> None:
    """Before the first release: no clause text anywhere, a plain Dutch message instead."""
    files = plan_site(no_release())
    page = parse_html(files["mini/index.html"])
    assert page.find(f".//{HTML}h3") is None
    text = text_of(page)
    assert "Dit beleid geldt nog niet: er is nog geen versie van uitgebracht." in text
    every = " ".join(text_of(parse_html(t)) for r, t in files.items() if r.endswith(".html"))
    for clause_text in ("Je bent beleefd", "Dit is uitleg", "Je deelt geen gegevens"):
        assert clause_text not in every
    index = text_of(parse_html(files["index.html"]))
    assert "Dit beleid geldt nog niet" in index and "Versie:" not in index
    assert "Er zijn nog geen versies uitgebracht." in index
    changelog = text_of(parse_html(files["mini/changelog.html"]))
    assert "Dit beleid is nog niet uitgebracht" in changelog


def test_later_version_has_its_own_page_linked_from_the_text_in_force() -> None:
    """1.0.0 in force, 2.0.0 from 1 March 2027: the policy page shows 1.0.0 and links a page
    of 2.0.0 under "Vanaf 1 maart 2027 geldt:", which links back."""
    files = plan_site(later_release())
    current = parse_html(files["mini/index.html"])
    text = text_of(current)
    assert "Versie: 1.0.0 Geldt vanaf: 1 januari 2027" in text
    assert "Je bent beleefd op sociale media." in text
    assert current.find(f".//{HTML}h3[@id='mi-004']") is None
    links = {text_of(a): a.get("href") for a in current.iter(f"{HTML}a")}
    assert links["versie 2.0.0"] == "versie-2.0.0.html"
    assert "Vanaf 1 maart 2027 geldt: versie 2.0.0" in text
    later = parse_html(files["mini/versie-2.0.0.html"])
    main = later.find(f".//{HTML}main")
    assert main is not None
    text = text_of(main)
    assert text.startswith("Vanaf 1 maart 2027 geldt: Mini Versie: 2.0.0 Geldt vanaf: 1 maart 2027")
    assert later.find(f".//{HTML}h3[@id='mi-004']") is not None
    assert "Tot die datum geldt: versie 1.0.0" in text
    title = later.find(f".//{HTML}title")
    assert title is not None and title.text == "Mini, versie 2.0.0 (geldt vanaf 1 maart 2027)"
    index = text_of(parse_html(files["index.html"]))
    assert "Versie: 1.0.0 Geldt vanaf: 1 januari 2027" in index
    assert "Vanaf 1 maart 2027 geldt: versie 2.0.0" in index


def test_only_later_versions_says_so_and_links_them() -> None:
    """The only release takes effect later: no text on the policy page, the date and a link."""
    later = later_release().policies[0].later
    site = SiteSource("Test B.V.", (_source(None, later, RELEASES[1:]),))
    files = plan_site(site)
    page = parse_html(files["mini/index.html"])
    assert page.find(f".//{HTML}h3") is None
    text = text_of(page)
    assert "Dit beleid geldt nog niet. Het gaat in op 1 maart 2027" in text
    assert "Vanaf 1 maart 2027 geldt: versie 2.0.0" in text
    assert broken_links(files)[0] == []


def test_draft_marks_every_page() -> None:
    """The reviewers' preview: the working tree's text, a banner and "Concept" in every
    title; the published site has neither."""
    files = plan_site(draft())
    for relative, text in files.items():
        if relative.endswith(".html"):
            root = parse_html(text)
            title = root.find(f".//{HTML}title")
            assert title is not None and (title.text or "").startswith("Concept: "), relative
            main = root.find(f".//{HTML}main")
            assert main is not None and text_of(main[0]) == DRAFT_BANNER, relative
    assert feedparser.parse(files["feed.xml"]).feed.title.startswith("Concept: ")
    assert "Versie: 2.0.0 (nog niet uitgebracht)" in text_of(parse_html(files["mini/index.html"]))
    for relative, text in plan_site(later_release()).items():
        assert "Concept" not in text and "noindex" not in text, relative


def _on(effective: str, version: str) -> ReleaseRecord:
    return _release(version, 2, dt.date.fromisoformat(effective))


@pytest.mark.parametrize(
    ("releases", "today", "in_force", "later"),
    [
        ([], "2027-01-01", None, []),
        ([("2027-01-01", "1.0.0")], "2026-12-31", None, ["1.0.0"]),
        ([("2027-01-01", "1.0.0")], "2027-01-01", "1.0.0", []),
        ([("2027-01-01", "1.0.0"), ("2027-03-01", "1.1.0")], "2027-02-01", "1.0.0", ["1.1.0"]),
        ([("2027-01-01", "1.0.0"), ("2027-03-01", "1.1.0")], "2027-03-01", "1.1.0", []),
        # Two releases effective the same later day: only the newer one will ever apply.
        ([("2027-01-01", "1.0.0"), ("2027-01-01", "1.0.1")], "2026-12-01", None, ["1.0.1"]),
        (
            [("2027-01-01", "1.0.0"), ("2027-03-01", "2.0.0"), ("2027-05-01", "2.1.0")],
            "2027-01-02",
            "1.0.0",
            ["2.0.0", "2.1.0"],
        ),
        # Not by the order of the list: by version.
        ([("2027-03-01", "1.1.0"), ("2027-01-01", "1.0.0")], "2027-02-01", "1.0.0", ["1.1.0"]),
    ],
)
def test_split_releases(
    releases: list[tuple[str, str]], today: str, in_force: str | None, later: list[str]
) -> None:
    """The release in force is the newest whose effective date has come; later ones follow."""
    found, coming = split_releases([_on(*r) for r in releases], dt.date.fromisoformat(today))
    assert (found.version if found else None, [r.version for r in coming]) == (in_force, later)


def test_release_notes_link_clause_headings_except_removed() -> None:
    """New and changed clauses link to their anchor on the policy page; removed ones do not."""
    root = parse_html(plan_site(two_releases())["mini/2.0.0.html"])
    links = {}
    for heading in root.iter(f"{HTML}h3"):
        anchor = heading.find(f"{HTML}a")
        links[text_of(heading)[-7:-1]] = anchor.get("href") if anchor is not None else None
    assert links == {
        "mi-004": "index.html#mi-004",
        "mi-005": "index.html#mi-005",
        "mi-001": "index.html#mi-001",
        "mi-003": "index.html#mi-003",
        "mi-002": None,
    }


def test_changelog_links_new_and_changed_clauses() -> None:
    """The changelog page links its new and changed clauses; a removed clause stays text."""
    root = parse_html(plan_site(two_releases())["mini/changelog.html"])
    items = {text_of(li): li.find(f"{HTML}a") for li in root.iter(f"{HTML}li")}
    links = {item[-7:-1]: (a.get("href") if a is not None else None) for item, a in items.items()}
    assert links == {
        "mi-004": "index.html#mi-004",
        "mi-005": "index.html#mi-005",
        "mi-001": "index.html#mi-001",
        "mi-003": "index.html#mi-003",
        "mi-002": None,
    }


def test_clause_links_only_where_the_target_knows_the_clause() -> None:
    """A clause heading links where ``link`` gives an address; a clause it does not know, a
    removed clause's heading and other headings stay text, in Markdown and in HTML alike."""
    blocks = (
        Heading(2, plain("Nieuw")),
        clause_heading("A", "mi-001"),
        clause_heading("B", "mi-002"),
        clause_heading("C", "mi-001", linkable=False),
    )

    def link(clause: str) -> str | None:
        return f"p.html#{clause}" if clause == "mi-001" else None

    assert render_markdown(blocks, link) == (
        "## Nieuw\n\n### [A (mi-001)](p.html#mi-001)\n\n### B (mi-002)\n\n### C (mi-001)\n"
    )
    assert render_html(blocks, link) == (
        '<h2>Nieuw</h2>\n<h3><a href="p.html#mi-001">A <span class="id">(mi-001)</span></a></h3>\n'
        '<h3>B <span class="id">(mi-002)</span></h3>\n<h3>C <span class="id">(mi-001)</span></h3>\n'
    )
    assert render_html((Heading(3, (Span("x", clause="mi-001"),)),)) == "<h3>x</h3>\n"


def test_heading_id_marker_only_from_the_renderer() -> None:
    """``{#id}`` from the renderer becomes an id; the same text in a title does not."""
    files = {
        **MINI_FILES,
        "policy/mini/sections/privacy.yaml": MINI_FILES["policy/mini/sections/privacy.yaml"]
        .replace("title: Geen klantgegevens", 'title: "Kop {#evil} <b>x</b> [a](b)"'),
    }  # fmt: skip
    page = PolicyPage(_policy(files=files), {}, {}, {})
    assert " \\{#evil}" in render_policy_markdown(page)
    root = parse_html(html_page(render_policy_html(page), title="t", lang="nl"))
    assert root.find(f".//{HTML}*[@id='evil']") is None
    heading = root.find(f".//{HTML}h3[@id='mi-002']")
    assert heading is not None
    assert text_of(heading) == "Kop {#evil} <b>x</b> [a](b) (mi-002)"
    assert root.find(f".//{HTML}b") is None


def test_feed_parses_with_stable_ids_and_relative_links() -> None:
    """feedparser reads the feed without complaint: one entry per release, newest first."""
    feed = feedparser.parse(plan_site(two_releases())["feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Mini, versie 2.0.0", "Mini, versie 1.0.0"]
    assert [entry.link for entry in feed.entries] == ["mini/2.0.0.html", "mini/1.0.0.html"]
    assert all(entry.id.startswith("urn:uuid:") for entry in feed.entries)
    assert feed.entries[0].updated == "2026-11-20T14:30:05Z"
    assert feed.feed.updated == "2026-11-20T14:30:05Z"


def test_feed_orders_two_releases_of_one_day_by_their_time() -> None:
    """Two releases on one day: each carries its time, the later one is first."""
    morning, afternoon = _release("1.0.0", 20, dt.date(2027, 1, 1), 9), RELEASES[1]
    site = two_releases()
    source = replace(site.policies[0], releases=(morning, afternoon))
    feed = feedparser.parse(plan_site(replace(site, policies=(source,)))["feed.xml"])
    assert [(e.title, e.updated) for e in feed.entries] == [
        ("Mini, versie 2.0.0", "2026-11-20T14:30:05Z"),
        ("Mini, versie 1.0.0", "2026-11-20T09:30:05Z"),
    ]


def test_feed_with_base_url_has_absolute_links_and_the_same_ids() -> None:
    """--base-url makes the links absolute and adds rel=self; the ids do not depend on it."""
    relative = feedparser.parse(plan_site(two_releases())["feed.xml"])
    absolute = feedparser.parse(
        plan_site(two_releases("https://intranet.example/beleid/"))["feed.xml"]
    )
    assert absolute.bozo == 0, absolute.get("bozo_exception")
    assert absolute.entries[0].link == "https://intranet.example/beleid/mini/2.0.0.html"
    assert [link.href for link in absolute.feed.links if link.rel == "self"] == [
        "https://intranet.example/beleid/feed.xml"
    ]
    assert [e.id for e in absolute.entries] == [e.id for e in relative.entries]
    assert absolute.feed.id == relative.feed.id


def test_feed_without_releases_is_valid_and_empty() -> None:
    """No release yet: a valid feed without entries, dated the day it is built."""
    site = replace(no_release(), today=dt.date(2026, 11, 27))
    feed = feedparser.parse(plan_site(site)["feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.entries == []
    assert feed.feed.updated == "2026-11-27T00:00:00Z"


def test_clause_versions_drop_clauses_changed_since_the_release() -> None:
    """A clause reworded after the release has no release version yet; a moved one keeps it."""
    algemeen = "policy/mini/sections/algemeen.yaml"
    reworded = MINI_FILES[algemeen].replace("Je bent beleefd", "Je bent altijd beleefd")
    head = _policy(files={**MINI_FILES, algemeen: reworded})
    found = unchanged_clauses(["mi-001", "mi-002", "mi-003"], diff_policies(_policy(), head))
    assert found == ["mi-002", "mi-003"]


@pytest.mark.parametrize(
    ("url", "good"),
    [
        ("https://intranet.example/beleid", True),
        ("https://intranet.example/beleid/", True),
        ("http://localhost:8000", True),
        ("intranet.example/beleid", False),
        ("ftp://intranet.example/", False),
        ("https://intranet.example/?a=1", False),
        ("https://intranet.example/#x", False),
        ("https://user@intranet.example/", False),
        ("https:///beleid", False),
        ("https://intra net.example/", False),
    ],
)
def test_base_url(url: str, good: bool) -> None:
    """--base-url: an http(s) address with a host, no query, fragment or user."""
    assert (base_url_problem(url) is None) is good


def test_site_is_deterministic() -> None:
    """The same input gives the same bytes."""
    assert plan_site(two_releases()) == plan_site(two_releases())
