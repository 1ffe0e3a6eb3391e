"""One policy as a page for employees: Dutch, with an anchor per clause, as Markdown or HTML.

Pure: a loaded ``Policy`` plus what the repository knows about it (the departments responsible
for each section, from CODEOWNERS; the version in which each clause last changed, from the
release history) in, a page out. The page is built once as a few plain blocks (headings,
paragraphs of lines, the table of contents), then written as Markdown (``policy render
--format markdown``) or straight as HTML: a policy of thousands of clauses is plain text, and
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
from typing import NamedTuple

from schema.models import LEVEL_DUTCH, AccountType, Clause, LegalRef, Section
from tools.base.loader import Policy
from tools.notes.render_markdown import escape_text
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


# --- The page as blocks ------------------------------------------------------------------------


class Span(NamedTuple):
    """A run of inline text: plain, ``strong``, ``em``, or a link to ``href``."""

    text: str
    style: str = ""
    href: str = ""


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[Line, ...]
    """Lines separated by hard line breaks."""


@dataclass(frozen=True)
class Contents:
    entries: tuple[tuple[Span, tuple[Span, ...]], ...]
    """Each section's link, with its clauses' links."""


Block = Heading | Paragraph | Contents


def _fact(label: str, *value: Span) -> Line:
    return (Span(label, "strong"), Span(" "), *value)


def _text(text: str) -> Span:
    return Span(_line(text))


def _paragraphs(text: str) -> list[Block]:
    """Policy text paragraph by paragraph (blank lines separate them)."""
    return [Paragraph(((_text(block),),)) for block in text.split("\n\n") if block.strip()]


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
        Heading(3, _clause_title(clause), clause.id),
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
        seen = [Span(titles.get(ref, ref), "link", f"#{ref}") for ref in clause.see]
        facts.append(_fact("Zie ook:", *_joined(seen, ", ")))
    if clause.contact:
        facts.append(_fact("Vragen over dit artikel:", _department(page, clause.contact)))
    if clause.next_review:
        review = Span(dutch_date(clause.next_review))
        facts.append(_fact("Volgende herziening van dit artikel:", review))
    return blocks + _facts(facts)


def _section_blocks(page: PolicyPage, section: Section, titles: Mapping[str, str]) -> list[Block]:
    blocks: list[Block] = [Heading(2, _line(section.title), section_anchor(section.id))]
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


def _contents(policy: Policy) -> Contents:
    return Contents(
        tuple(
            (
                Span(_line(s.model.title), "link", f"#{section_anchor(s.model.id)}"),
                tuple(Span(_clause_title(c), "link", f"#{c.id}") for c in s.model.clauses),
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
    blocks.append(Heading(1, policy_title(page.policy)))
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
        lines = [_fact(label, Span(text, "link", href)) for label, text, href in page.facts]
        blocks.append(Paragraph(tuple(lines)))
    blocks += _paragraphs(meta.summary)
    if page.links:
        links = [Span(text, "link", href) for text, href in page.links]
        blocks.append(Paragraph((_joined(links, " · "),)))
    titles = {clause.id: _clause_title(clause) for _, _, clause in page.policy.clauses()}
    blocks += [Heading(2, "Inhoud"), _contents(page.policy)]
    for section in page.policy.sections:
        blocks += _section_blocks(page, section.model, titles)
    return blocks


# --- Markdown ----------------------------------------------------------------------------------


def _markdown_span(span: Span) -> str:
    text = escape_text(span.text)
    if span.style == "strong":
        return f"**{text}**"
    if span.style == "em":
        return f"*{text}*"
    if span.style == "link":
        return f"[{text}]({span.href})"
    return text


def _markdown_line(line: Line) -> str:
    return "".join(map(_markdown_span, line))


def _markdown_block(block: Block) -> str:
    if isinstance(block, Heading):
        anchor = f" {{#{block.anchor}}}" if block.anchor else ""
        return f"{'#' * block.level} {escape_text(block.text)}{anchor}"
    if isinstance(block, Paragraph):
        return "\\\n".join(map(_markdown_line, block.lines))
    items = []
    for section, clauses in block.entries:
        items.append(f"- {_markdown_span(section)}")
        items += [f"  - {_markdown_span(clause)}" for clause in clauses]
    return "\n".join(items)


def render_policy_markdown(page: PolicyPage) -> str:
    """The policy page as Markdown: deterministic, Dutch, one page."""
    return "\n\n".join(map(_markdown_block, page_blocks(page))) + "\n"


# --- HTML --------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """As markdown-it escapes text: ``&``, ``<``, ``>`` and ``"``."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _html_span(span: Span) -> str:
    text = _escape(span.text)
    if span.style == "strong":
        return f"<strong>{text}</strong>"
    if span.style == "em":
        return f"<em>{text}</em>"
    if span.style == "link":
        return f'<a href="{_escape(span.href)}">{text}</a>'
    return text


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{_escape(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{_escape(block.text)}</h{block.level}>\n"
    if isinstance(block, Paragraph):
        lines = "<br />\n".join("".join(map(_html_span, line)) for line in block.lines)
        return f"<p>{lines}</p>\n"
    items = []
    for section, clauses in block.entries:
        nested = "".join(f"<li>{_html_span(clause)}</li>\n" for clause in clauses)
        inner = f"\n<ul>\n{nested}</ul>\n" if clauses else ""
        items.append(f"<li>{_html_span(section)}{inner}</li>\n")
    return f"<ul>\n{''.join(items)}</ul>\n"


def render_policy_html(page: PolicyPage) -> str:
    """The policy page's body as HTML, the same as markdown-it renders its Markdown."""
    return "".join(map(_html_block, page_blocks(page)))
