"""The employees' site as a plan: which files it has and what each one says.

Pure: the loaded policies, their release history and their committed release notes and
changelog in, a sorted mapping of site path -> file text out; ``tools/sitebuild.py`` gathers
the input and writes the plan. The site:

- ``index.html``: every policy (title, version, effective date, next review) and the releases;
- ``<policy>/index.html``: the current policy (``tools/policypage.py``);
- ``<policy>/<version>.html`` (and ``.md``): each release's notes, clause headings linked to
  the clause on the policy page;
- ``<policy>/changelog.html``: the changelog;
- ``feed.xml``: an Atom feed of every release (``tools/atomfeed.py``).

Links between pages are relative, so the site works from any folder or address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from tools.atomfeed import FeedEntry, render_feed, stable_id
from tools.changelog import link_clause_lines
from tools.diff import PolicyDiff
from tools.htmlpage import html_page, render_page
from tools.policypage import PolicyPage, policy_title, render_policy_html, version_label
from tools.releaseid import CHANGED_KINDS, ReleaseRecord
from tools.releasenotes import (
    IMPACT_DUTCH,
    dutch_date,
    escape_text,
    link_clause_headings,
    version_key,
)

FEED = "feed.xml"

_BASE_URL = re.compile(r"^https?://[^\s/?#@]+(/[^\s?#]*)?$")


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the address the site is published at, or None."""
    if _BASE_URL.match(url):
        return None
    return "give an http(s) address without query or fragment, e.g. https://intranet.example/beleid"


@dataclass(frozen=True)
class PolicySource:
    """One policy and what the site shows of its history."""

    page: PolicyPage
    releases: tuple[ReleaseRecord, ...]
    """Oldest first."""
    notes: Mapping[str, str]
    """Version -> the committed release notes (Markdown); a release may lack them."""
    changelog: str | None
    """The committed ``CHANGELOG.md``; None before the first release."""


@dataclass(frozen=True)
class SiteSource:
    organisation: str
    policies: tuple[PolicySource, ...]
    base_url: str | None = None
    """Where the site is published; makes the feed's links absolute."""


def unchanged_clauses(clauses: Iterable[str], since_release: PolicyDiff) -> list[str]:
    """The clauses that stand as they were released: one added, reworded or renumbered since
    the last release is not yet in any release (a moved one is)."""
    changed = {
        change.clause
        for change in since_release.changes
        if change.clause and change.kind in CHANGED_KINDS
    }
    return [clause for clause in clauses if clause not in changed]


def _lang(source: PolicySource) -> str:
    return source.page.policy.meta.model.language


def _release_title(source: PolicySource, release: ReleaseRecord) -> str:
    return f"{policy_title(source.page.policy)}, versie {release.version}"


def _crumbs(source: PolicySource) -> str:
    title = escape_text(policy_title(source.page.policy))
    return f"[Al het beleid](../index.html) › [{title}](index.html)"


def _notes_markdown(source: PolicySource, release: ReleaseRecord) -> str:
    """The committed notes with linked clause headings; a short page when they are missing."""
    committed = source.notes.get(release.version)
    if committed is None:
        committed = (
            f"# {escape_text(_release_title(source, release))}\n\n"
            f"**Geldt vanaf:** {dutch_date(release.effective)}\\\n"
            f"**Soort wijziging:** {IMPACT_DUTCH[release.impact]}\n\n"
            "De releasenotes van deze versie zijn niet gevonden.\n"
        )
    linked = link_clause_headings(committed, lambda clause: _clause_link(source, clause))
    return f"{_crumbs(source)}\n\n{linked}"


def _clause_link(source: PolicySource, clause_id: str) -> str | None:
    """The clause's anchor on the policy page; None when the current policy lacks it."""
    current = {clause.id for _, _, clause in source.page.policy.clauses()}
    return f"index.html#{clause_id}" if clause_id in current else None


def _changelog_markdown(source: PolicySource) -> str:
    if source.changelog is not None:
        linked = link_clause_lines(source.changelog, lambda clause: _clause_link(source, clause))
        return f"{_crumbs(source)}\n\n{linked}"
    title = escape_text(policy_title(source.page.policy))
    return (
        f"{_crumbs(source)}\n\n# Wijzigingen in {title}\n\n"
        "Dit beleid is nog niet uitgebracht: er zijn nog geen versies.\n"
    )


def _policy_files(source: PolicySource) -> dict[str, str]:
    policy_id = source.page.policy.id
    lang = _lang(source)
    released = tuple(release.version for release in source.releases)
    links = (("Al het beleid", "../index.html"), ("Alle versies en wijzigingen", "changelog.html"))
    page = replace(source.page, released=released, links=links)
    title = policy_title(source.page.policy)
    files = {
        f"{policy_id}/index.html": html_page(
            render_policy_html(page), title=title, lang=lang, feed=f"../{FEED}"
        ),
        f"{policy_id}/changelog.html": render_page(
            _changelog_markdown(source), title=f"Wijzigingen in {title}", lang=lang,
            feed=f"../{FEED}",
        ),
    }  # fmt: skip
    for release in source.releases:
        files[f"{policy_id}/{release.version}.html"] = render_page(
            _notes_markdown(source, release),
            title=_release_title(source, release),
            lang=lang,
            feed=f"../{FEED}",
        )
        if release.version in source.notes:
            files[f"{policy_id}/{release.version}.md"] = source.notes[release.version]
    return files


def _index_markdown(site: SiteSource) -> str:
    organisation = escape_text(" ".join(site.organisation.split()))
    lines = [
        f"# Beleid van {organisation}",
        "",
        "Hier staat het beleid dat voor je geldt, elk met zijn huidige tekst, alle versies en "
        f"wat er per versie veranderde. Abonneer je op [de feed met nieuwe versies]({FEED}) "
        "om te horen wanneer er iets verandert.",
    ]
    for source in site.policies:
        meta = source.page.policy.meta.model
        released = [release.version for release in source.releases]
        title = escape_text(policy_title(source.page.policy))
        policy_id = source.page.policy.id
        lines += [
            "",
            f"## [{title}]({policy_id}/index.html)",
            "",
            f"**Versie:** {version_label(meta.version, released)}\\",
            f"**Geldt vanaf:** {dutch_date(meta.effective)}\\",
            f"**Volgende herziening:** {dutch_date(meta.next_review)}",
            "",
            f"[Alle versies van {title}]({policy_id}/changelog.html)",
        ]
    lines += ["", "## Nieuwe versies", ""]
    releases = _chronological(site)
    for release, source in reversed(releases):
        title = escape_text(_release_title(source, release))
        href = f"{source.page.policy.id}/{release.version}.html"
        lines.append(f"- {dutch_date(release.date)}: [{title}]({href})")
    if not releases:
        lines.append("Er zijn nog geen versies uitgebracht.")
    return "\n".join(lines) + "\n"


def _chronological(site: SiteSource) -> list[tuple[ReleaseRecord, PolicySource]]:
    """Every release, oldest first: by date, then policy, then version (several a day)."""
    return sorted(
        ((release, source) for source in site.policies for release in source.releases),
        key=lambda pair: (pair[0].date, pair[1].page.policy.id, version_key(pair[0].version)),
    )


def _feed(site: SiteSource) -> str:
    entries = [
        FeedEntry(
            id=stable_id(f"policy-release:{release.tag}:{release.commit}"),
            title=_release_title(source, release),
            href=f"{source.page.policy.id}/{release.version}.html",
            updated=release.date,
            summary=f"Geldt vanaf {dutch_date(release.effective)}. Soort wijziging: "
            f"{IMPACT_DUTCH[release.impact]}.",
        )
        for release, source in _chronological(site)
    ]
    organisation = " ".join(site.organisation.split())
    return render_feed(
        feed_id=stable_id(f"policy-site:{organisation}"),
        title=f"Beleid van {organisation}: nieuwe versies",
        author=organisation,
        home="index.html",
        entries=entries,
        base_url=site.base_url,
        lang=_lang(site.policies[0]) if site.policies else "nl",
    )


def plan_site(site: SiteSource) -> dict[str, str]:
    """Every file of the site, path -> text, sorted by path."""
    lang = _lang(site.policies[0]) if site.policies else "nl"
    organisation = " ".join(site.organisation.split())
    files = {
        "index.html": render_page(
            _index_markdown(site), title=f"Beleid van {organisation}", lang=lang, feed=FEED
        ),
        FEED: _feed(site),
    }
    for source in site.policies:
        files.update(_policy_files(source))
    return dict(sorted(files.items()))
