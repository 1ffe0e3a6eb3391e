"""The employees' site as a plan: which files it has and what each one says.

Pure: per policy the texts to show (each loaded from its release), the release history and the
committed release notes and changelog in, a sorted mapping of site path -> file text out;
``tools/site/build.py`` gathers the input and writes the plan. Employees read the binding text:
the release in force today (``split_releases``: the newest release whose effective date has
come), never text that is merged but not released. The site:

- ``index.html``: every policy (title, the version in force, its effective date, next review,
  the versions that take effect later) and the releases;
- ``<policy>/index.html``: the text in force (``tools/site/policypage.py``), linking each version
  that takes effect later; before any release is in force, a page that says so;
- ``<policy>/versie-<version>.html``: a released version that takes effect later, under
  *Vanaf 1 maart 2027 geldt:*;
- ``<policy>/<version>.html`` (and ``.md``): each release's notes, clause headings linked to
  the clause on a page that has it (``tools/site/releasepages.py``);
- ``<policy>/changelog.html``: the changelog, clause lines linked alike;
- ``feed.xml``: an Atom feed of every release (``tools/site/feed.py``).

A draft (``SiteSource.draft``, ``policy site --draft``) is the preview for reviewers: the policy
page shows the working tree, and every page says it is a draft (banner and ``<title>``).
Links between pages are relative, so the site works from any folder or address. Every page is
built as blocks (``tools/notes/blocks.py``) and rendered straight to HTML; links to clauses are
given at render time (``_clause_links``), never written into Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tools.notes.blocks import (
    Block,
    BulletList,
    ClauseLink,
    Heading,
    Paragraph,
    Span,
    paragraph,
    text,
)
from tools.notes.htmlpage import html_page
from tools.notes.releasenotes import version_key
from tools.notes.render_html import render_html
from tools.notes.wording import IMPACT_DUTCH, dutch_date
from tools.site.feed import FeedEntry, midnight, render_feed, stable_id
from tools.site.policypage import PolicyPage, render_policy_html, version_label
from tools.site.releasepages import changelog_blocks, changelog_title, notes_blocks
from tools.versions.releaseid import CHANGED_KINDS, ReleaseRecord

if TYPE_CHECKING:
    from tools.compare.diff import PolicyDiff

FEED = "feed.xml"
DRAFT_TITLE = "Concept"
DRAFT_BANNER = (
    "Concept voor wie wijzigingen beoordeelt: deze site toont tekst die nog niet is "
    "uitgebracht en nog niet geldt. Het beleid dat voor je geldt, staat op de gewone "
    "beleidssite."
)

_BASE_URL = re.compile(r"^https?://[^\s/?#@]+(/[^\s?#]*)?$")


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the address the site is published at, or None."""
    if _BASE_URL.match(url):
        return None
    return "give an http(s) address without query or fragment, e.g. https://intranet.example/beleid"


@dataclass(frozen=True)
class Edition:
    """One text of a policy: a release's (read at its tag), or the working tree's (a draft)."""

    page: PolicyPage
    release: ReleaseRecord | None = None
    """None: the working tree, not released."""


@dataclass(frozen=True)
class PolicySource:
    """One policy and what the site shows of it."""

    policy_id: str
    title: str
    language: str
    current: Edition | None
    """The text in force today (in a draft: the working tree's); None: no release in force."""
    later: tuple[Edition, ...]
    """Released versions that take effect after today, oldest first (none in a draft)."""
    releases: tuple[ReleaseRecord, ...]
    """Oldest first."""
    notes: Mapping[str, str]
    """Version -> the committed release notes (Markdown); a release may lack them."""
    changelog: str | None
    """The committed ``CHANGELOG.md``; None before the first release."""
    inputs: str | None = None
    """The key of what the policy's pages are made of (``tools/site/inputs.py``); None: a
    draft, never kept."""
    kept: Mapping[str, str] | None = None
    """The policy's files as the previous build wrote them from the same ``inputs``, kept
    instead of made again; its editions then hold only ``policy.yaml`` (for the index)."""


@dataclass(frozen=True)
class SiteSource:
    organisation: str
    policies: tuple[PolicySource, ...]
    base_url: str | None = None
    """Where the site is published; makes the feed's links absolute."""
    draft: bool = False
    """The reviewers' preview of the working tree: every page marked as a draft."""
    today: dt.date | None = None
    """The day the site is built (the one clock): the feed's date before any release."""


def split_releases(
    releases: Sequence[ReleaseRecord], today: dt.date
) -> tuple[ReleaseRecord | None, tuple[ReleaseRecord, ...]]:
    """The release in force on ``today`` (the newest whose effective date has come), and the
    newer releases that take effect later, oldest first. A later release that a newer one
    replaces on or before its own effective date never applies, so it is left out."""
    ordered = sorted(releases, key=lambda release: version_key(release.version))
    in_force = None
    for release in ordered:
        if release.effective <= today:
            in_force = release
    newer = ordered[ordered.index(in_force) + 1 :] if in_force is not None else ordered
    later = [
        release
        for index, release in enumerate(newer)
        if release.effective > today
        and all(after.effective > release.effective for after in newer[index + 1 :])
    ]
    return in_force, tuple(later)


def later_page(version: str) -> str:
    """The page of a released version that takes effect later, inside its policy's folder."""
    return f"versie-{version}.html"


def from_date(release: ReleaseRecord) -> str:
    """``Vanaf 1 maart 2027 geldt:``, the lead of a version that takes effect later."""
    return f"Vanaf {dutch_date(release.effective)} geldt:"


def unchanged_clauses(clauses: Iterable[str], since_release: PolicyDiff) -> list[str]:
    """The clauses that stand as they were released: one added, reworded or renumbered since
    the last release is not yet in any release (a moved one is)."""
    changed = {
        change.clause
        for change in since_release.changes
        if change.clause and change.kind in CHANGED_KINDS
    }
    return [clause for clause in clauses if clause not in changed]


def _title(site: SiteSource, title: str) -> str:
    return f"{DRAFT_TITLE}: {title}" if site.draft else title


def _release_title(source: PolicySource, release: ReleaseRecord) -> str:
    return f"{source.title}, versie {release.version}"


def _later(source: PolicySource) -> list[tuple[ReleaseRecord, Edition]]:
    """The versions that take effect later, each with its release (which they always have)."""
    return [(edition.release, edition) for edition in source.later if edition.release is not None]


def _clause_links(source: PolicySource, first: Edition | None = None) -> ClauseLink:
    """Clause id -> its anchor on the first page that has it: ``first``'s, then the text in
    force, then the versions that take effect later; None when no page has it (removed)."""
    pages = [(later_page(release.version), edition) for release, edition in _later(source)]
    if source.current is not None:
        pages.insert(0, ("index.html", source.current))
    pages.sort(key=lambda pair: pair[1] is not first)  # stable: the rest keep their order
    found: dict[str, str] = {}
    for href, edition in reversed(pages):
        found.update({clause.id: href for _, _, clause in edition.page.policy.clauses()})
    return lambda clause_id: f"{found[clause_id]}#{clause_id}" if clause_id in found else None


class _Links:
    """``_clause_links`` per first edition, each made once per policy: the table covers every
    clause, and a policy has a notes page per release."""

    def __init__(self, source: PolicySource) -> None:
        self.source = source
        self.made: dict[int, ClauseLink] = {}

    def __call__(self, first: Edition | None = None) -> ClauseLink:
        if id(first) not in self.made:  # the source holds its editions: an id stays theirs
            self.made[id(first)] = _clause_links(self.source, first)
        return self.made[id(first)]


def _notes_html(
    site: SiteSource, source: PolicySource, release: ReleaseRecord, links: _Links
) -> str:
    """A release's notes page: clause headings link to the clause on a page that has it."""
    own = next((e for e in source.later if e.release == release), None)
    title = _release_title(source, release)
    blocks = notes_blocks(source.title, title, release, source.notes.get(release.version))
    return _page(site, source, render_html(blocks, links(own)), title)


def _changelog_html(site: SiteSource, source: PolicySource, links: _Links) -> str:
    """The changelog page: new and changed clauses link to the clause on a page that has it."""
    body = render_html(changelog_blocks(source.title, source.changelog), links())
    return _page(site, source, body, changelog_title(source.title))


def _page(site: SiteSource, source: PolicySource, body: str, title: str) -> str:
    """A page of a policy's folder around its body; a draft's carries the banner."""
    banner = DRAFT_BANNER if site.draft else None
    return html_page(body, title=_title(site, title), lang=source.language,
                     feed=f"../{FEED}", banner=banner)  # fmt: skip


def _later_facts(source: PolicySource, prefix: str = "") -> list[tuple[str, str, str]]:
    """(``Vanaf 1 maart 2027 geldt:``, ``versie 1.1.0``, its page) per later version."""
    return [
        (from_date(release), f"versie {release.version}", f"{prefix}{later_page(release.version)}")
        for release, _ in _later(source)
    ]


def _not_in_force(source: PolicySource) -> str:
    """What the site says of a policy without a release in force, in plain Dutch."""
    later = _later(source)
    if later:
        start = dutch_date(later[0][0].effective)
        return (
            f"Dit beleid geldt nog niet. Het gaat in op {start}; tot die datum staat hier geen "
            "tekst die voor je geldt."
        )
    return (
        "Dit beleid geldt nog niet: er is nog geen versie van uitgebracht. Zodra een versie "
        "is uitgebracht en ingaat, staat de tekst hier."
    )


def _facts(facts: Sequence[tuple[str, str, str]]) -> list[Block]:
    """Facts (label, text, address) as one paragraph, a line each."""
    lines = tuple(
        (Span(label, "strong"), Span(" "), Span(text, href=href)) for label, text, href in facts
    )
    return [Paragraph(lines)] if lines else []


def _not_in_force_blocks(source: PolicySource) -> tuple[Block, ...]:
    return (
        paragraph(Span("Al het beleid", href="../index.html")),
        Heading(1, text(source.title)),
        paragraph(Span(_not_in_force(source))),
        *_facts(_later_facts(source)),
        paragraph(Span("Alle versies en wijzigingen", href="changelog.html")),
    )


def _edition_page(
    source: PolicySource,
    edition: Edition,
    links: tuple[tuple[str, str], ...],
    lead: str = "",
    facts: tuple[tuple[str, str, str], ...] = (),
) -> PolicyPage:
    """The edition's page as the site shows it: a release with its own version and date."""
    release = edition.release
    return replace(
        edition.page,
        released=tuple(release.version for release in source.releases),
        links=links,
        version=release.version if release is not None else None,
        effective=release.effective if release is not None else None,
        lead=lead,
        facts=facts,
    )


def _policy_page(site: SiteSource, source: PolicySource, page: PolicyPage, title: str) -> str:
    return _page(site, source, render_policy_html(page, web=True), title)


def _policy_files(site: SiteSource, source: PolicySource) -> dict[str, str]:
    policy_id = source.policy_id
    everything = ("Alle versies en wijzigingen", "changelog.html")
    links = (("Al het beleid", "../index.html"), everything)
    later = tuple(_later_facts(source))
    links_of = _Links(source)
    current = source.current
    if current is None:
        index = _page(site, source, render_html(_not_in_force_blocks(source)), source.title)
    else:
        page = _edition_page(source, current, links, facts=later)
        index = _policy_page(site, source, page, source.title)
    files = {
        f"{policy_id}/index.html": index,
        f"{policy_id}/changelog.html": _changelog_html(site, source, links_of),
    }
    now = (("Tot die datum geldt:", f"versie {current.release.version}", "index.html"),) if (
        current is not None and current.release is not None
    ) else ()  # fmt: skip
    for release, edition in _later(source):
        others = tuple(fact for fact in later if fact[2] != later_page(release.version))
        page = _edition_page(
            source,
            edition,
            (("Al het beleid", "../index.html"), ("Wat nu geldt", "index.html"), everything),
            lead=from_date(release),
            facts=now + others,
        )
        title = f"{_release_title(source, release)} (geldt vanaf {dutch_date(release.effective)})"
        path = f"{policy_id}/{later_page(release.version)}"
        files[path] = _policy_page(site, source, page, title)
    for release in source.releases:
        files[f"{policy_id}/{release.version}.html"] = _notes_html(site, source, release, links_of)
        if release.version in source.notes:
            files[f"{policy_id}/{release.version}.md"] = source.notes[release.version]
    return files


def _index_entry(source: PolicySource) -> list[Block]:
    """A policy on the index: the version in force and its dates, the versions to come."""
    policy_id = source.policy_id
    blocks: list[Block] = [Heading(2, (Span(source.title, href=f"{policy_id}/index.html"),))]
    current = source.current
    if current is None:
        blocks.append(paragraph(Span(_not_in_force(source))))
    else:
        meta = current.page.policy.meta.model
        release = current.release
        released = [release.version for release in source.releases]
        version = release.version if release is not None else version_label(meta.version, released)
        effective = release.effective if release is not None else meta.effective
        facts = (
            ("Versie:", version),
            ("Geldt vanaf:", dutch_date(effective)),
            ("Volgende herziening:", dutch_date(meta.next_review)),
        )
        lines = tuple((Span(label, "strong"), Span(f" {value}")) for label, value in facts)
        blocks.append(Paragraph(lines))
    blocks += _facts(_later_facts(source, f"{policy_id}/"))
    everything = f"{policy_id}/changelog.html"
    return [
        *blocks,
        paragraph(Span("Alle versies van ", href=everything), Span(source.title, href=everything)),
    ]


def _index_blocks(site: SiteSource) -> list[Block]:
    organisation = " ".join(site.organisation.split())
    blocks: list[Block] = [
        Heading(1, (Span("Beleid van "), Span(organisation))),
        paragraph(
            Span(
                "Hier staat het beleid dat voor je geldt, elk met zijn huidige tekst, alle versies "
                "en wat er per versie veranderde. Abonneer je op "
            ),
            Span("de feed met nieuwe versies", href=FEED),
            Span(" om te horen wanneer er iets verandert."),
        ),
    ]
    for source in site.policies:
        blocks += _index_entry(source)
    blocks.append(Heading(2, text("Nieuwe versies")))
    releases = [
        (
            Span(f"{dutch_date(release.date)}: "),
            Span(
                _release_title(source, release), href=f"{source.policy_id}/{release.version}.html"
            ),
        )
        for release, source in reversed(_chronological(site))
    ]
    if not releases:
        return [*blocks, paragraph(Span("Er zijn nog geen versies uitgebracht."))]
    return [*blocks, BulletList(tuple(releases))]


def _chronological(site: SiteSource) -> list[tuple[ReleaseRecord, PolicySource]]:
    """Every release, oldest first: by time, then policy, then version."""
    return sorted(
        ((release, source) for source in site.policies for release in source.releases),
        key=lambda pair: (
            pair[0].time or midnight(pair[0].date),
            pair[1].policy_id,
            version_key(pair[0].version),
        ),
    )


def _feed(site: SiteSource) -> str:
    entries = [
        FeedEntry(
            id=stable_id(f"policy-release:{release.tag}:{release.commit}"),
            title=_release_title(source, release),
            href=f"{source.policy_id}/{release.version}.html",
            updated=release.time or midnight(release.date),
            summary=f"Geldt vanaf {dutch_date(release.effective)}. Soort wijziging: "
            f"{IMPACT_DUTCH[release.impact]}.",
        )
        for release, source in _chronological(site)
    ]
    organisation = " ".join(site.organisation.split())
    return render_feed(
        feed_id=stable_id(f"policy-site:{organisation}"),
        title=_title(site, f"Beleid van {organisation}: nieuwe versies"),
        author=organisation,
        home="index.html",
        entries=entries,
        base_url=site.base_url,
        lang=site.policies[0].language if site.policies else "nl",
        empty_date=site.today,
    )


def plan_site(site: SiteSource) -> dict[str, str]:
    """Every file of the site, path -> text, sorted by path."""
    lang = site.policies[0].language if site.policies else "nl"
    organisation = " ".join(site.organisation.split())
    files = {
        "index.html": html_page(
            render_html(_index_blocks(site)),
            title=_title(site, f"Beleid van {organisation}"),
            lang=lang,
            feed=FEED,
            banner=DRAFT_BANNER if site.draft else None,
        ),
        FEED: _feed(site),
    }
    for source in site.policies:
        files.update(source.kept if source.kept is not None else _policy_files(site, source))
    return dict(sorted(files.items()))
