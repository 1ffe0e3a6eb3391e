"""The site's policy page written straight as HTML: each clause and the table of contents as
``render_html`` would make them of their blocks (``tools/site/policypage.py``'s
``page_blocks(web=True)``), without the blocks: a page holds thousands of clauses, and their
blocks, spans and escapes were most of the site's time. ``tests/site/test_policypage.py`` holds
the two equal on every kind of fact a clause can have. Pure.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from schema.models import Clause, Level
from tools.base.loader import Policy
from tools.notes.blocks import Span, text_paragraphs
from tools.notes.render_html import escape, line_html, render_html
from tools.site.policypage import (
    MONITORING,
    NOT_RELEASED,
    SEE_ALSO,
    PolicyPage,
    _back,
    _badge,
    _clause_facts,
    _head_top,
    _line,
    _link,
    _rules,
    _section_head,
    _titles,
    level_badge,
    section_anchor,
)


def site_page_html(page: PolicyPage) -> str:
    """``render_policy_html(page, web=True)``: the page's body as the site shows it."""
    titles = _titles(page)
    heads = [_title_html(clause) for _, _, clause in page.policy.clauses()]
    parts = [render_html(_head_top(page, web=True)), _contents_html(page.policy, heads)]
    back, at = render_html([_back()]), 0
    for section in page.policy.sections:
        parts.append(render_html(_section_head(page, section.model)))
        for clause in section.model.clauses:
            parts.append(clause_html(page, clause, titles, heads[at]))
            at += 1
        parts.append(back)
    return "".join(parts)


_BREAK = "<br />\n"
_PARAGRAPH = "</p>\n<p>"


def _fact_html(label: str, value: str) -> str:
    return f"<strong>{escape(label)}</strong> {value}"


def _title_html(clause: Clause) -> str:
    """``clause_title_line`` (web) as HTML: the title, then the id in a run that never breaks."""
    return f'{escape(_line(clause.title))} <span class="id">({escape(clause.id)})</span>'


def _badge_html(span: Span) -> str:
    return f'<strong><span class="{escape(span.css)}">{escape(span.text)}</span></strong>'


def _see_html(clause: Clause | None, ref: str) -> str:
    inner = escape(ref) if clause is None else _title_html(clause)
    return f'<a href="#{escape(ref)}">{inner}</a>'


def _facts_html(page: PolicyPage, clause: Clause, titles: Mapping[str, Clause]) -> list[str]:
    """The clause's facts, a line each (``_clause_blocks``' last paragraph)."""
    return [
        _fact_html(label, ", ".join(_see_html(titles.get(ref), ref) for ref in clause.see))
        if label == SEE_ALSO
        else _fact_html(label, escape(value))
        for label, value in _clause_facts(page, clause)
    ]


def clause_html(
    page: PolicyPage, clause: Clause, titles: Mapping[str, Clause], head: str | None = None
) -> str:
    """One clause as the site shows it, the same HTML as ``render_html`` of its blocks
    (``tests/site/test_policypage.py`` holds them equal). A site has thousands: what is the
    same for many clauses (badges, the version line) is made once, and the text is escaped
    whole (escaping keeps its blank lines and spaces where they are). ``head``: its
    ``_title_html``, when already made (for the table of contents)."""
    html = (
        f'<h3 id="{escape(clause.id)}">{head or _title_html(clause)}</h3>\n'
        f"{_badges_html(clause.level, clause.monitoring)}"
        f"{_changed_html(page.clause_versions.get(clause.id))}"
    )
    if clause.summary:
        html += f"<p>{_fact_html('In het kort:', escape(_line(clause.summary)))}</p>\n"
    paragraphs = _text_lines(escape(clause.text))
    if paragraphs:
        html += f"<p>{_PARAGRAPH.join(paragraphs)}</p>\n"
    facts = _facts_html(page, clause, titles)
    if facts:  # _clause_facts alone says which fields make a fact
        html += f"<p>{_BREAK.join(facts)}</p>\n"
    return html


def _text_lines(text: str) -> list[str]:
    """``text_paragraphs``, at a third of its cost for most text: one paragraph whose only
    white space is single spaces between words (``isprintable`` is false for any other)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return [text] if text else []
    return text_paragraphs(text)


@functools.cache
def _badges_html(level: Level, monitoring: bool) -> str:
    """The start of a clause's badge line: the same for every clause of a level."""
    badges = [_badge_html(level_badge(level))]
    if monitoring:
        badges.append(_badge_html(_badge(MONITORING, "monitoring")))
    return f"<p>{' · '.join(badges)} · "


@functools.cache
def _changed_html(version: str | None) -> str:
    """The end of a clause's badge line: in which version it last changed."""
    changed = f"Laatst gewijzigd in versie {version}" if version else NOT_RELEASED.capitalize()
    return f"<em>{escape(changed)}</em></p>\n"


def _contents_html(policy: Policy, heads: Sequence[str]) -> str:
    """``_contents`` (web) as HTML, each clause's line from ``heads`` (its ``_title_html``, in
    reading order): what ``render_html`` makes of the outline, without a span per title."""
    items, at = [], 0
    for loaded in policy.sections:
        section, count = loaded.model, len(loaded.model.clauses)
        link = _link(_line(section.title), f"#{section_anchor(section.id)}")
        inner = ""
        if count:
            nested = "".join(
                f'<li><a href="#{escape(clause.id)}">{head}</a></li>\n'
                for clause, head in zip(section.clauses, heads[at : at + count], strict=True)
            )
            summary = f"<summary>{escape(_rules(count))}</summary>"
            inner = f"\n<details>\n{summary}\n<ul>\n{nested}</ul>\n</details>\n"
        items.append(f"<li>{line_html((link,))}{inner}</li>\n")
        at += count
    return f"<ul>\n{''.join(items)}</ul>\n"
