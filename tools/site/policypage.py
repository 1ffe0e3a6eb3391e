"""One policy as a page for employees: Dutch, with an anchor per clause, as Markdown or HTML.

Pure: a loaded ``Policy`` plus what the repository knows about it (the departments responsible
for each section, from CODEOWNERS; the version in which each clause last changed, from the
release history) in, a page out. The page is built once as plain blocks, the release notes'
model (``tools/notes/blocks.py``: headings with anchors, paragraphs of lines, the table of
contents as an outline), then written as Markdown (``policy render --format markdown``) or
straight as HTML by the same two renderers: a policy of thousands of clauses is plain text, and
parsing its Markdown back would cost the site most of its time. The HTML is exactly what
markdown-it makes of the Markdown (``tests/site/test_policypage.py`` holds them equal).

The page opens with the version, the dates and a table of contents (*Inhoud*); each section
says who is responsible for it, and each clause gets a heading with the id as its anchor
(``{#sm-012}`` in Markdown, ``id="sm-012"`` in HTML), its level in Dutch and the version in
which it last changed. All policy text is escaped, so it shows as exactly that text. The site
(``tools/site/plan.py``) shows a release's text with that release's version and effective date, a
lead line above the title on a version that takes effect later (*Vanaf 1 maart 2027 geldt:*),
and extra facts that link the other versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schema.models import LEVEL_DUTCH, AccountType, Clause, LegalRef, Section
from tools.base.loader import Policy
from tools.notes.blocks import Block, Heading, Line, Outline, Paragraph, Span, text_paragraphs
from tools.notes.render_html import render_html
from tools.notes.render_markdown import render_markdown
from tools.notes.wording import dutch_date

NOT_RELEASED = "nog niet uitgebracht"

_ACCOUNTS = {
    AccountType.COMPANY: "zakelijke accounts van de organisatie",
    AccountType.PERSONAL_PROFESSIONAL: "je eigen accounts waarop je over je werk praat",
    AccountType.PRIVATE: "privégebruik",
}


@dataclass(frozen=True)
class PolicyPage:
    """What the page of one policy shows, besides the policy itself."""

    policy: Policy
    responsible: Mapping[str, tuple[str, ...]]
    """Section id -> the names of the departments responsible for it (CODEOWNERS)."""
    departments: Mapping[str, str]
    """Department id -> its name, for the contact lines."""
    clause_versions: Mapping[str, str]
    """Clause id -> the release in which it last changed; absent: changed since, or new."""
    released: tuple[str, ...] = ()
    """The versions released so far, oldest first."""
    links: tuple[tuple[str, str], ...] = field(default=())
    """Extra links under the summary, as (text, address): the site links its changelog."""
    version: str | None = None
    """The version this text is (a release's); None: ``version`` of ``policy.yaml``."""
    effective: dt.date | None = None
    """The date this text takes effect (a release's); None: ``effective`` of ``policy.yaml``."""
    lead: str = ""
    """A line above the title: ``Vanaf 1 maart 2027 geldt:`` on a version not yet in force."""
    facts: tuple[tuple[str, str, str], ...] = ()
    """Extra facts under the dates, as (label, text, address): the site links other versions."""


def section_anchor(section_id: str) -> str:
    """The anchor of a section; prefixed, so it never collides with a clause id."""
    return f"hoofdstuk-{section_id}"


def policy_title(policy: Policy) -> str:
    return " ".join(policy.meta.model.title.split())


def version_label(version: str, released: Sequence[str]) -> str:
    """``1.2.0``, or ``1.2.0 (nog niet uitgebracht)`` when no release has that version."""
    return version if version in released else f"{version} ({NOT_RELEASED})"


def _line(text: str) -> str:
    return " ".join(text.split())


# --- The page as blocks (``tools/notes/blocks.py``) --------------------------------------------


def _fact(label: str, *value: Span) -> Line:
    return (Span(label, "strong"), Span(" "), *value)


def _link(text: str, href: str) -> Span:
    return Span(text, href=href)


def _text(text: str) -> Span:
    return Span(_line(text))


def _paragraphs(text: str) -> list[Block]:
    """Policy text paragraph by paragraph (blank lines separate them)."""
    return [Paragraph(((Span(line),),)) for line in text_paragraphs(text)]


def _facts(lines: list[Line]) -> list[Block]:
    return [Paragraph(tuple(lines))] if lines else []


def _clause_title(clause: Clause) -> str:
    return f"{_line(clause.title)} ({clause.id})"


def _legal(ref: LegalRef) -> str:
    return _line(ref.law) + (f", artikel {_line(ref.article)}" if ref.article else "")


def _department(page: PolicyPage, department_id: str) -> Span:
    return Span(page.departments.get(department_id, department_id))


def _joined(spans: Sequence[Span], separator: str) -> tuple[Span, ...]:
    joined: list[Span] = []
    for span in spans:
        joined += [Span(separator), span] if joined else [span]
    return tuple(joined)


def _clause_blocks(page: PolicyPage, clause: Clause, titles: Mapping[str, str]) -> list[Block]:
    level = LEVEL_DUTCH[clause.level]
    version = page.clause_versions.get(clause.id)
    changed = f"Laatst gewijzigd in versie {version}" if version else NOT_RELEASED.capitalize()
    blocks: list[Block] = [
        Heading(3, (Span(_clause_title(clause)),), clause.id),
        Paragraph(((Span(f"{level.capitalize()} · {changed}", "em"),),)),
    ]
    if clause.summary:
        blocks.append(Paragraph((_fact("In het kort:", _text(clause.summary)),)))
    blocks += _paragraphs(clause.text)
    facts: list[Line] = []
    if clause.applies_to:
        accounts = ", ".join(_ACCOUNTS[account] for account in clause.applies_to)
        facts.append(_fact("Geldt voor:", Span(accounts)))
    if clause.legal:
        facts.append(_fact("Wettelijke basis:", Span("; ".join(map(_legal, clause.legal)))))
    if clause.see:
        seen = [_link(titles.get(ref, ref), f"#{ref}") for ref in clause.see]
        facts.append(_fact("Zie ook:", *_joined(seen, ", ")))
    if clause.contact:
        facts.append(_fact("Vragen over dit artikel:", _department(page, clause.contact)))
    if clause.next_review:
        review = Span(dutch_date(clause.next_review))
        facts.append(_fact("Volgende herziening van dit artikel:", review))
    return blocks + _facts(facts)


def _section_blocks(page: PolicyPage, section: Section, titles: Mapping[str, str]) -> list[Block]:
    blocks: list[Block] = [Heading(2, (_text(section.title),), section_anchor(section.id))]
    facts: list[Line] = []
    responsible = page.responsible.get(section.id, ())
    if responsible:
        facts.append(_fact("Verantwoordelijk:", Span(", ".join(responsible))))
    if section.contact:
        facts.append(_fact("Vragen:", _department(page, section.contact)))
    blocks += _facts(facts)
    if section.intro:
        blocks += _paragraphs(section.intro)
    for clause in section.clauses:
        blocks += _clause_blocks(page, clause, titles)
    return blocks


def _contents(policy: Policy) -> Outline:
    return Outline(
        tuple(
            (
                (_link(_line(s.model.title), f"#{section_anchor(s.model.id)}"),),
                tuple((_link(_clause_title(c), f"#{c.id}"),) for c in s.model.clauses),
            )
            for s in policy.sections
        )
    )


def page_blocks(page: PolicyPage) -> list[Block]:
    """The policy page, block by block, in reading order."""
    meta = page.policy.meta.model
    version = page.version if page.version is not None else meta.version
    effective = page.effective if page.effective is not None else meta.effective
    blocks: list[Block] = [Paragraph(((Span(page.lead, "strong"),),))] if page.lead else []
    blocks.append(Heading(1, (Span(policy_title(page.policy)),)))
    blocks.append(
        Paragraph(
            (
                _fact("Versie:", Span(version_label(version, page.released))),
                _fact("Geldt vanaf:", Span(dutch_date(effective))),
                _fact("Volgende herziening:", Span(dutch_date(meta.next_review))),
                _fact("Voor wie:", _text(meta.audience)),
                _fact("Vragen:", _department(page, meta.contact)),
            )
        )
    )
    if page.facts:
        lines = [_fact(label, _link(text, href)) for label, text, href in page.facts]
        blocks.append(Paragraph(tuple(lines)))
    blocks += _paragraphs(meta.summary)
    if page.links:
        links = [_link(text, href) for text, href in page.links]
        blocks.append(Paragraph((_joined(links, " · "),)))
    titles = {clause.id: _clause_title(clause) for _, _, clause in page.policy.clauses()}
    blocks += [Heading(2, (Span("Inhoud"),)), _contents(page.policy)]
    for section in page.policy.sections:
        blocks += _section_blocks(page, section.model, titles)
    return blocks


def render_policy_markdown(page: PolicyPage) -> str:
    """The policy page as Markdown: deterministic, Dutch, one page."""
    return render_markdown(page_blocks(page))


def render_policy_html(page: PolicyPage) -> str:
    """The policy page's body as HTML, the same as markdown-it renders its Markdown."""
    return render_html(page_blocks(page))
