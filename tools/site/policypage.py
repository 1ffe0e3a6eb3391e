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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schema.models import LEVEL_DUTCH, AccountType, Clause, LegalRef, Level, Section
from tools.base.loader import Policy
from tools.notes.blocks import Block, Heading, Line, Outline, Paragraph, Span, text_paragraphs
from tools.notes.render_html import render_html
from tools.notes.render_markdown import render_markdown
from tools.notes.wording import dutch_date

NOT_RELEASED = "nog niet uitgebracht"
MONITORING = "Over toezicht"
"""The marker of a clause about monitoring employees (``monitoring: true``)."""
SELF_REGULATION = "Gedragscode (geen wet):"
"""The label of a self-regulation code (``is_self_regulation``), never *Wettelijke basis*."""
CONTENTS = "Inhoud"
CONTENTS_ANCHOR = "inhoud"
BACK = "Terug naar de inhoud"

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


def clause_title_line(clause: Clause, *, web: bool, href: str = "") -> Line:
    """``Titel (sm-012)``; on the web the id is a run that never breaks across lines (one
    span elsewhere: Word makes a link of each)."""
    if not web:
        return (Span(_clause_title(clause), href=href),)
    return (Span(f"{_line(clause.title)} ", href=href), Span(f"({clause.id})", href=href, css="id"))


def _legal(ref: LegalRef) -> str:
    return _line(ref.law) + (f", artikel {_line(ref.article)}" if ref.article else "")


_SELF_REGULATION = re.compile(r"code\b", re.IGNORECASE)


def is_self_regulation(ref: LegalRef) -> bool:
    """A code a sector keeps itself (the Reclamecode), not a law: as ``kind`` says, or else
    when the name ends in ``code`` (``Reclamecode``, ``Nederlandse Reclame Code (NRC)``)."""
    if ref.kind is not None:
        return ref.kind == "self-regulation"
    return _SELF_REGULATION.search(re.sub(r"\s*\(.*?\)", "", ref.law)) is not None


def _badge(text: str, css: str) -> Span:
    return Span(text, "strong", css=f"badge {css}")


def level_badge(level: Level) -> Span:
    """The level as a badge: its word, not colour alone, says what it is."""
    return _badge(LEVEL_DUTCH[level].capitalize(), f"level-{level.value}")


def _department(page: PolicyPage, department_id: str) -> Span:
    return Span(page.departments.get(department_id, department_id))


def _joined(spans: Sequence[Span], separator: str) -> tuple[Span, ...]:
    joined: list[Span] = []
    for span in spans:
        joined += [Span(separator), span] if joined else [span]
    return tuple(joined)


def _see(clause: Clause | None, ref: str, *, web: bool) -> Line:
    """A link to another clause, by its title and id (its id alone if it is not there)."""
    if clause is None:
        return (_link(ref, f"#{ref}"),)
    return clause_title_line(clause, web=web, href=f"#{ref}")


def _joined_lines(lines: Sequence[Line], separator: str) -> Line:
    joined: list[Span] = []
    for line in lines:
        joined += [Span(separator), *line] if joined else list(line)
    return tuple(joined)


def _clause_blocks(
    page: PolicyPage, clause: Clause, titles: Mapping[str, Clause], *, web: bool
) -> list[Block]:
    version = page.clause_versions.get(clause.id)
    changed = f"Laatst gewijzigd in versie {version}" if version else NOT_RELEASED.capitalize()
    badges = [level_badge(clause.level), Span(" · ")]
    if clause.monitoring:
        badges += [_badge(MONITORING, "monitoring"), Span(" · ")]
    blocks: list[Block] = [
        Heading(3, clause_title_line(clause, web=web), clause.id),
        Paragraph(((*badges, Span(changed, "em")),)),
    ]
    if clause.summary:
        blocks.append(Paragraph((_fact("In het kort:", _text(clause.summary)),)))
    blocks += _paragraphs(clause.text)
    facts: list[Line] = []
    for label, value in _clause_facts(page, clause):
        if label == SEE_ALSO:
            seen = [_see(titles.get(ref), ref, web=web) for ref in clause.see]
            facts.append(_fact(SEE_ALSO, *_joined_lines(seen, ", ")))
        else:
            facts.append(_fact(label, Span(value)))
    return blocks + _facts(facts)


SEE_ALSO = "Zie ook:"
"""The one fact whose value is links, not text: each renderer makes them itself."""


def _clause_facts(page: PolicyPage, clause: Clause) -> list[tuple[str, str]]:
    """A clause's facts in reading order, as (label, plain text); ``SEE_ALSO``'s text is empty.
    Both renderers (blocks, and ``clause_html``) read them from here."""
    facts: list[tuple[str, str]] = []
    notes = [note for note in (clause.note, *(ref.note for ref in clause.legal)) if note]
    if notes:
        facts.append(("Toelichting:", " ".join(map(_line, notes))))
    if clause.applies_to:
        facts.append(("Geldt voor:", ", ".join(_ACCOUNTS[a] for a in clause.applies_to)))
    laws = [_legal(ref) for ref in clause.legal if not is_self_regulation(ref)]
    codes = [_legal(ref) for ref in clause.legal if is_self_regulation(ref)]
    if laws:
        facts.append(("Wettelijke basis:", "; ".join(laws)))
    if codes:
        facts.append((SELF_REGULATION, "; ".join(codes)))
    if clause.see:
        facts.append((SEE_ALSO, ""))
    if clause.contact:
        name = page.departments.get(clause.contact, clause.contact)
        facts.append(("Vragen over deze regel:", name))
    if clause.next_review:
        facts.append(("Volgende herziening van deze regel:", dutch_date(clause.next_review)))
    return facts


def _section_blocks(
    page: PolicyPage, section: Section, titles: Mapping[str, Clause], *, web: bool
) -> list[Block]:
    blocks = _section_head(page, section)
    for clause in section.clauses:
        blocks += _clause_blocks(page, clause, titles, web=web)
    if web:
        blocks.append(_back())
    return blocks


def _back() -> Block:
    return Paragraph(((_link(BACK, f"#{CONTENTS_ANCHOR}")._replace(css="back"),),))


def _section_head(page: PolicyPage, section: Section) -> list[Block]:
    """A section's heading, who is responsible and whom to ask, and its introduction."""
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
    return blocks


def _rules(count: int) -> str:
    return f"{count} {'regel' if count == 1 else 'regels'}"


def _contents(policy: Policy, *, web: bool) -> Outline:
    """Sections and their clauses; on the web, each section's clauses fold."""
    entries = tuple(
        (
            (_link(_line(s.model.title), f"#{section_anchor(s.model.id)}"),),
            tuple(clause_title_line(c, web=web, href=f"#{c.id}") for c in s.model.clauses),
        )
        for s in policy.sections
    )
    folds = tuple(_rules(len(s.model.clauses)) for s in policy.sections) if web else ()
    return Outline(entries, folds)


def _head_blocks(page: PolicyPage, *, web: bool) -> list[Block]:
    """The page above its sections: title, dates, summary, links, table of contents."""
    return [*_head_top(page, web=web), _contents(page.policy, web=web)]


def _head_top(page: PolicyPage, *, web: bool) -> list[Block]:
    """``_head_blocks`` but the table of contents itself (its heading is here)."""
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
    anchor = CONTENTS_ANCHOR if web else ""
    return [*blocks, Heading(2, (Span(CONTENTS),), anchor)]


def _titles(page: PolicyPage) -> dict[str, Clause]:
    return {clause.id: clause for _, _, clause in page.policy.clauses()}


def page_blocks(page: PolicyPage, *, web: bool = False) -> list[Block]:
    """The policy page, block by block, in reading order; ``web``: for the site, where the
    table of contents folds and each section ends with a link back to it."""
    blocks, titles = _head_blocks(page, web=web), _titles(page)
    for section in page.policy.sections:
        blocks += _section_blocks(page, section.model, titles, web=web)
    return blocks


def render_policy_markdown(page: PolicyPage) -> str:
    """The policy page as Markdown: deterministic, Dutch, one page."""
    return render_markdown(page_blocks(page))


def render_policy_html(page: PolicyPage, *, web: bool = False) -> str:
    """The policy page's body as HTML, the same as markdown-it renders its Markdown (but for
    the style sheet's ``<span class>``es); ``web``: as the site shows it (``page_blocks``),
    each clause and the table of contents written straight as HTML
    (``tools/site/clausehtml.py``): the site's pages hold thousands, and their blocks were most
    of its time."""
    if not web:
        return render_html(page_blocks(page))
    from tools.site.clausehtml import site_page_html

    return site_page_html(page)
