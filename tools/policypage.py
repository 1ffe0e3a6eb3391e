"""One policy as a page for employees: Dutch Markdown with an anchor per clause.

Pure: a loaded ``Policy`` plus what the repository knows about it (the departments responsible
for each section, from CODEOWNERS; the version in which each clause last changed, from the
release history) in, Markdown out. The page opens with the version, the dates and a table of
contents (*Inhoud*); each section says who is responsible for it, and each clause gets a
heading with the id as its anchor (``{#sm-012}``, which ``tools/htmlpage.py`` turns into
``id="sm-012"``), its level in Dutch and the version in which it last changed. All policy
text is escaped, so it shows as exactly that text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schema.models import LEVEL_DUTCH, AccountType, Clause, LegalRef, Section
from tools.loader import Policy
from tools.releasenotes import dutch_date, escape_text

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


def _paragraphs(text: str) -> list[str]:
    """Policy text paragraph by paragraph (blank lines separate them), each escaped."""
    blocks = [_line(block) for block in text.split("\n\n") if block.strip()]
    lines: list[str] = []
    for block in blocks:
        lines += ["", escape_text(block)]
    return lines


def _clause_heading(clause: Clause) -> str:
    return f"{escape_text(_line(clause.title))} ({clause.id})"


def _legal(ref: LegalRef) -> str:
    text = _line(ref.law) + (f", artikel {_line(ref.article)}" if ref.article else "")
    return escape_text(text)


def _department(page: PolicyPage, department_id: str) -> str:
    return escape_text(page.departments.get(department_id, department_id))


def _clause_lines(page: PolicyPage, clause: Clause, titles: Mapping[str, str]) -> list[str]:
    level = LEVEL_DUTCH[clause.level]
    version = page.clause_versions.get(clause.id)
    changed = f"Laatst gewijzigd in versie {version}" if version else NOT_RELEASED.capitalize()
    lines = ["", f"### {_clause_heading(clause)} {{#{clause.id}}}", ""]
    lines.append(f"*{level.capitalize()} · {changed}*")
    if clause.summary:
        lines += ["", f"**In het kort:** {escape_text(_line(clause.summary))}"]
    lines += _paragraphs(clause.text)
    facts = []
    if clause.applies_to:
        accounts = ", ".join(_ACCOUNTS[account] for account in clause.applies_to)
        facts.append(f"**Geldt voor:** {accounts}")
    if clause.legal:
        facts.append(f"**Wettelijke basis:** {'; '.join(_legal(ref) for ref in clause.legal)}")
    if clause.see:
        seen = [f"[{titles.get(ref, ref)}](#{ref})" for ref in clause.see]
        facts.append(f"**Zie ook:** {', '.join(seen)}")
    if clause.contact:
        facts.append(f"**Vragen over dit artikel:** {_department(page, clause.contact)}")
    if clause.next_review:
        facts.append(f"**Volgende herziening van dit artikel:** {dutch_date(clause.next_review)}")
    if facts:
        lines += ["", *[fact + "\\" for fact in facts[:-1]], facts[-1]]
    return lines


def _section_lines(page: PolicyPage, section: Section, titles: Mapping[str, str]) -> list[str]:
    lines = ["", f"## {escape_text(_line(section.title))} {{#{section_anchor(section.id)}}}", ""]
    facts = []
    responsible = page.responsible.get(section.id, ())
    if responsible:
        facts.append(f"**Verantwoordelijk:** {escape_text(', '.join(responsible))}")
    if section.contact:
        facts.append(f"**Vragen:** {_department(page, section.contact)}")
    lines += [*[fact + "\\" for fact in facts[:-1]], facts[-1]] if facts else []
    if section.intro:
        lines += _paragraphs(section.intro)
    for clause in section.clauses:
        lines += _clause_lines(page, clause, titles)
    return lines


def _contents(policy: Policy) -> list[str]:
    lines = ["", "## Inhoud", ""]
    for loaded in policy.sections:
        section = loaded.model
        lines.append(f"- [{escape_text(_line(section.title))}](#{section_anchor(section.id)})")
        lines += [f"  - [{_clause_heading(c)}](#{c.id})" for c in section.clauses]
    return lines


def render_policy_markdown(page: PolicyPage) -> str:
    """The policy page as Markdown: deterministic, Dutch, one page."""
    meta = page.policy.meta.model
    lines = [f"# {escape_text(policy_title(page.policy))}", ""]
    facts = [
        f"**Versie:** {version_label(meta.version, page.released)}",
        f"**Geldt vanaf:** {dutch_date(meta.effective)}",
        f"**Volgende herziening:** {dutch_date(meta.next_review)}",
        f"**Voor wie:** {escape_text(_line(meta.audience))}",
        f"**Vragen:** {_department(page, meta.contact)}",
    ]
    lines += [fact + "\\" for fact in facts[:-1]] + [facts[-1]]
    lines += _paragraphs(meta.summary)
    if page.links:
        lines += ["", " · ".join(f"[{escape_text(text)}]({href})" for text, href in page.links)]
    titles = {clause.id: _clause_heading(clause) for _, _, clause in page.policy.clauses()}
    lines += _contents(page.policy)
    for section in page.policy.sections:
        lines += _section_lines(page, section.model, titles)
    return "\n".join(lines) + "\n"
