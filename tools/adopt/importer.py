"""A Word policy, read into ``model.WordDocument``, as a draft policy folder: ``policy.yaml``
and one section file per heading, in the house style of the shipped policy. Pure: plain data
in, file texts and a report out; ``tools/cli/commands_import.py`` writes them.

Every guess is marked ``# review: ...`` in the YAML, and ``policy validate`` lists those
markers as warnings until the author has checked them and removed the comment.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from schema.models import HIDDEN_CHARACTERS, Level
from tools.adopt.guess import LegalCitation, find_legal, guess_language, guess_level
from tools.adopt.model import Block, WordDocument
from tools.adopt.yamltext import folded, scalar
from tools.base.errors import WordReadError

TITLE_WORDS = 8
"""A clause without a bold lead-in is titled with the first this many words of its text."""


@dataclass
class DraftClause:
    title: str
    text: str

    def add(self, item: str) -> None:
        """A nested list item belongs to its parent item: one paragraph of its text."""
        self.text += f"\n\n- {item}"


@dataclass
class DraftSection:
    title: str
    place: int
    clauses: list[DraftClause] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """The files to write (path relative to the repository, text), and what the author must
    know: what could not be placed and what to do next."""

    files: tuple[tuple[str, str], ...]
    report: tuple[str, ...]


def import_policy(
    document: WordDocument,
    *,
    policy_id: str,
    prefix: str,
    contact: str,
    today: dt.date,
    source: str,
) -> ImportResult:
    """The draft policy ``policy_id`` made of ``document`` (read from the file ``source``)."""
    preamble, sections, notes = _sections(document)
    if not any(guess_level(c.text).level != Level.INFO for s in sections for c in s.clauses):
        raise WordReadError(
            f"{source}: no paragraph reads as a rule (must, must not, should, may); "
            "nothing to import as a policy"
        )
    ids = _section_ids(sections)
    elements = _elements(sections, ids)
    language = guess_language(" ".join(c.text for s in sections for c in s.clauses))
    files = [
        (f"policy/{policy_id}/sections/{sid}.yaml", text)
        for sid, text in _section_files(sections, ids, elements, prefix)
    ]
    meta = _policy_yaml(
        document, policy_id, prefix, contact, today, language, preamble, sections, ids, elements
    )
    files.insert(0, (f"policy/{policy_id}/policy.yaml", meta))
    clauses = sum(len(s.clauses) for s in sections)
    report = [
        f"{source}: {len(sections)} sections, {clauses} clauses in policy/{policy_id}/",
        *notes,
        *_unplaced_report(document, sections),
        *_info_only_report(sections, ids, elements),
        "next: check every '# review:' comment, then delete it; policy validate lists those left",
    ]
    return ImportResult(tuple(files), tuple(report))


def _clean(text: str) -> str:
    # Word keeps soft hyphens and zero-width spaces that the schema refuses in a policy.
    return " ".join(HIDDEN_CHARACTERS.sub("", text).split())


def _sections(document: WordDocument) -> tuple[list[str], list[DraftSection], list[str]]:
    """The paragraphs before the first heading, the sections, and notes for the report."""
    preamble: list[str] = []
    sections: list[DraftSection] = []
    notes: list[str] = []
    for place, block in document.blocks:
        text = _clean(block.text)
        if not text:
            continue
        if block.heading:
            sections.append(DraftSection(_strip_number(text), place))
        elif not sections and block.list_level is None:
            preamble.append(text)
        else:
            if not sections:
                sections.append(DraftSection(document.title or "Algemeen", place))
            _place(sections[-1], block, text)
    for section in [s for s in sections if not s.clauses]:
        notes.append(
            f"heading {section.title!r} (paragraph {section.place}) has no text of its own: "
            "not a section"
        )
    return preamble, [s for s in sections if s.clauses], notes


def _place(section: DraftSection, block: Block, text: str) -> None:
    if block.list_level and section.clauses:
        section.clauses[-1].add(text)
        return
    lead_in = _clean(block.lead_in)
    rest = text[len(lead_in) :].lstrip(" :.-\u2013\u2014") if lead_in else ""
    if lead_in and rest and text.startswith(lead_in):
        section.clauses.append(DraftClause(lead_in.rstrip(" :.-\u2013\u2014"), rest))
    else:
        section.clauses.append(DraftClause(_first_words(text), text))


def _first_words(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    words = sentence.split()
    title = " ".join(words[:TITLE_WORDS])
    return title.rstrip(" .,;:!?") or title


def _strip_number(title: str) -> str:
    """``3.1 Toezicht`` is titled ``Toezicht``: the number was the heading's, not its name."""
    return re.sub(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+", "", title) or title


def slug(text: str, fallback: str) -> str:
    """A section or element id (``Slug``) made of a title; ``fallback`` when it has no letters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    while words and not words[0][0].isalpha():
        words.pop(0)
    result = ""
    for word in words:
        if len(result) + len(word) + 1 > 60:
            break
        result = f"{result}-{word}" if result else word
    return result if len(result) >= 2 else fallback


def _section_ids(sections: list[DraftSection]) -> list[str]:
    ids: list[str] = []
    for number, section in enumerate(sections, 1):
        base = slug(section.title, f"sectie-{number}")
        candidate, count = base, 1
        while candidate in ids:
            count += 1
            candidate = f"{base[:56]}-{count}"
        ids.append(candidate)
    return ids


def _normative(section: DraftSection) -> bool:
    return any(guess_level(clause.text).level != Level.INFO for clause in section.clauses)


def _elements(sections: list[DraftSection], ids: list[str]) -> list[str]:
    """Each section's element: its own when it has a normative clause (so the element is
    covered), else the one of the section before it (or after, for the first)."""
    own = [sid if _normative(s) else "" for s, sid in zip(sections, ids, strict=True)]
    first = next(element for element in own if element)
    result, last = [], first
    for element in own:
        last = element or last
        result.append(last)
    return result


def _section_files(
    sections: list[DraftSection], ids: list[str], elements: list[str], prefix: str
) -> list[tuple[str, str]]:
    files = []
    number = 0
    for section, sid, element in zip(sections, ids, elements, strict=True):
        lines = [
            "# yaml-language-server: $schema=../../../schema/section.schema.json",
            f"id: {sid}",
            f"title: {scalar(section.title)}",
            "elements:",
            f"  - {element}",
            "clauses:",
        ]
        for index, clause in enumerate(section.clauses):
            number += 1
            if index:
                lines.append("")
            lines += _clause_lines(clause, f"{prefix}-{number:03d}")
        files.append((sid, "\n".join(lines) + "\n"))
    return files


def _clause_lines(clause: DraftClause, clause_id: str) -> list[str]:
    guess = guess_level(clause.text)
    lines = [
        f"  - id: {clause_id}",
        f"    title: {scalar(clause.title[:200])}",
        f"    level: {guess.level.value}  {guess.marker()}",
        *folded("text", clause.text, 4),
    ]
    citations = find_legal(clause.text)
    if citations:
        lines += ["    legal:", *(line for c in citations for line in _legal_lines(c))]
    return lines


def _legal_lines(citation: LegalCitation) -> list[str]:
    return [f"      - law: {scalar(citation.law)}", f"        article: {scalar(citation.article)}"]


def _policy_yaml(
    document: WordDocument,
    policy_id: str,
    prefix: str,
    contact: str,
    today: dt.date,
    language: str,
    preamble: list[str],
    sections: list[DraftSection],
    ids: list[str],
    elements: list[str],
) -> str:
    dutch = language == "nl"
    title = _clean(document.title) or policy_id
    summary = "\n\n".join(preamble) or (
        "Schrijf hier in een paar zinnen waar dit beleid voor is."
        if dutch
        else "Say here in a few sentences what this policy is for."
    )
    audience = "Iedereen die voor de organisatie werkt." if dutch else "Everyone who works for us."
    lines = [
        "# yaml-language-server: $schema=../../schema/policy.schema.json",
        f"id: {policy_id}",
        f"title: {scalar(title)}" + ("" if document.title else "  # review: the title"),
        "version: 0.0.0",
        f"language: {language}  # review: language guessed from the text",
        f"effective: {today.isoformat()}  # review: the date the policy takes effect",
        f"next_review: {_a_year_after(today).isoformat()}",
        f"clause_prefix: {prefix}",
        *folded("summary", summary, 0, "" if preamble else "# review: write the summary"),
        *folded("audience", audience, 0, "# review: who the policy applies to"),
        "notice_days: 30",
        "acknowledgement: true",
        f"contact: {contact}  # review: the department employees ask about this policy",
        "min_clauses_per_element: 1",
        "elements:",
    ]
    for section, sid in zip(sections, ids, strict=True):
        if sid in elements:
            lines += [f"  - id: {sid}", f"    title: {scalar(section.title[:200])}"]
    lines += ["sections:", *(f"  - {sid}" for sid in ids)]
    return "\n".join(lines) + "\n"


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _section_at(sections: list[DraftSection], place: int) -> str:
    before = [s for s in sections if s.place <= place]
    return f"section {before[-1].title!r}" if before else "before the first heading"


def _unplaced_report(document: WordDocument, sections: list[DraftSection]) -> list[str]:
    return [
        f"not imported: {_article(item.kind)} {item.kind} at paragraph {item.paragraph}, in "
        f"{_section_at(sections, item.paragraph)}"
        + (f" ({item.excerpt})" if item.excerpt else "")
        + "; copy what it says into a clause by hand"
        for item in document.unplaced
    ]


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def _info_only_report(
    sections: list[DraftSection], ids: list[str], elements: list[str]
) -> list[str]:
    return [
        f"section {sid!r} has no rule (only info): it counts for element {element!r}"
        for section, sid, element in zip(sections, ids, elements, strict=True)
        if sid != element
    ]
