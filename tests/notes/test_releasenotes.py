"""Release notes, their HTML page and the changelog entry: golden files and parsed HTML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import html5lib
import pytest

from schema.models import Level
from tools.base.loader import Policy, load_policy
from tools.base.snapshot import DirSnapshot
from tools.compare.diff import diff_policies
from tools.compare.impact import Impact
from tools.notes.changelog import add_release
from tools.notes.changenotes import load_notes, parse_note
from tools.notes.document import notes_page, render_markdown
from tools.notes.htmlpage import html_page
from tools.notes.releasenotes import (
    Entry,
    ReleaseNotes,
    bump,
    next_version,
    plan_release,
    release_title,
)
from tools.notes.wording import dutch_date

CASES = Path(__file__).parent / "cases" / "releasenotes"
HTML = "{http://www.w3.org/1999/xhtml}"

# What each case must say, stated apart from the golden files: version, impact, acknowledgement,
# and the clause ids per group (new, changed, removed).
EXPECTED = {
    "01__first_release": ("1.0.0", Impact.MAJOR, True, (["mi-001", "mi-003", "mi-002"], [], [])),
    "02__added_changed_moved_removed": (
        "2.0.0",
        Impact.MAJOR,
        True,
        (["mi-004", "mi-005"], ["mi-001", "mi-003"], ["mi-002"]),
    ),
    "03__editorial_only": ("1.0.1", Impact.PATCH, False, ([], ["mi-001", "mi-003"], [])),
}


def _load(folder: Path) -> Policy:
    policy, problems = load_policy(DirSnapshot(folder), "mini")
    assert policy is not None and not problems, problems
    return policy


def case_notes(name: str) -> ReleaseNotes:
    case = CASES / name
    head = _load(case / "head")
    base = _load(case / "base") if (case / "base").exists() else None
    notes, problems = load_notes(DirSnapshot(case / "head"), "mini")
    assert not problems
    previous = base.meta.model.version if base else None
    return plan_release(diff_policies(base, head), head, base, notes, previous)


def parse_html(text: str) -> ET.Element:
    """Parsed by a conforming HTML5 parser; strict: any parse error fails."""
    return html5lib.HTMLParser(strict=True).parse(text)  # type: ignore[no-any-return]


def page_text(root: ET.Element) -> str:
    main = root.find(f".//{HTML}main")
    assert main is not None
    return " ".join("".join(main.itertext()).split())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_release_notes(name: str, update_golden: bool) -> None:
    """Markdown, HTML and changelog entry equal the golden files; the content follows the rules."""
    notes = case_notes(name)
    version, impact, acknowledgement, groups = EXPECTED[name]
    assert (notes.version, notes.impact, notes.acknowledgement) == (
        version,
        impact,
        acknowledgement,
    )
    assert (
        [e.clause for e in notes.new],
        [e.clause for e in notes.changed],
        [e.clause for e in notes.removed],
    ) == groups
    markdown = render_markdown(notes)
    outputs = {
        "expected.md": markdown,
        "expected.html": notes_page(notes, lang="nl"),
        "expected-changelog.md": add_release(None, notes),
    }
    for filename, text in outputs.items():
        golden = CASES / name / filename
        if update_golden:
            golden.write_text(text, encoding="utf-8")
        assert golden.read_text(encoding="utf-8") == text, f"{golden} differs; --update-golden"


def test_every_case_is_listed() -> None:
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_html_is_a_valid_dutch_page(name: str) -> None:
    """Valid HTML5 (strict parser), lang nl, one h1, no skipped heading level, nothing external."""
    notes = case_notes(name)
    root = parse_html(notes_page(notes, lang="nl"))
    assert root.get("lang") == "nl"
    headings = [int(e.tag[-1]) for e in root.iter() if e.tag in {f"{HTML}h{n}" for n in range(7)}]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(headings))
    for tag in ("script", "img", "link", "iframe", "object"):
        assert root.find(f".//{HTML}{tag}") is None, tag
    title = root.find(f".//{HTML}title")
    assert title is not None and title.text == release_title(notes)


def test_changed_clause_shows_new_text_note_and_redline() -> None:
    """A changed clause: its note, the full new text, and <del>/<ins> for reviewers."""
    notes = case_notes("02__added_changed_moved_removed")
    root = parse_html(notes_page(notes, lang="nl"))
    text = page_text(root)
    assert "Nu vragen we je ook respectvol te blijven" in text
    assert "Je bent beleefd en respectvol op sociale media, ook als" in text
    inserted = " ".join("".join(e.itertext()) for e in root.iter(f"{HTML}ins"))
    assert "respectvol" in inserted
    assert "Opnieuw lezen en bevestigen" in text
    assert "Geldt vanaf: 1 maart 2027" in text


def test_editorial_release_needs_no_acknowledgement() -> None:
    notes = case_notes("03__editorial_only")
    text = page_text(parse_html(notes_page(notes, lang="nl")))
    assert "Je hoeft het beleid niet opnieuw te bevestigen" in text
    assert "Alleen de formulering is verbeterd" in text


HOSTILE = (
    "Schrijf nooit <script>alert('x')</script> in een bericht. Zie [de site](https://evil.example)"
    " en ![beeld](https://evil.example/x.png). R&amp;D &lt;b&gt; *geen nadruk* {+nep+} [-nep-] "
    "| a | b |"
)


def _entry(text: str, notes: tuple[str, ...] = ()) -> Entry:
    return Entry("mi-009", "Titel <b>vet</b>", "added", Impact.MAJOR, "Algemeen", Level.MUST, text,
                 notes, None)  # fmt: skip


def _single(entry: Entry) -> ReleaseNotes:
    return ReleaseNotes("mini", "Mini", "1.1.0", "1.0.0", dt.date(2027, 3, 1), Impact.MAJOR, True,
                        "Samenvatting.", (entry,), (), (), ())  # fmt: skip


def test_clause_text_renders_as_text_not_markup() -> None:
    """<script>, Markdown links and images, entities and the redline markers stay literal text."""
    notes = _single(_entry(HOSTILE))
    root = parse_html(notes_page(notes, lang="nl"))
    for tag in ("script", "a", "img", "ins", "del", "b", "table"):
        assert root.find(f".//{HTML}{tag}") is None, tag
    quote = root.find(f".//{HTML}blockquote")
    assert quote is not None
    assert [element.tag for element in quote.iter()] == [f"{HTML}blockquote", f"{HTML}p"]
    assert " ".join("".join(quote.itertext()).split()) == " ".join(HOSTILE.split())
    assert "Titel <b>vet</b> (mi-009)" in page_text(root)


def test_note_body_raw_html_is_escaped_links_kept() -> None:
    """A note is Markdown: its links work, its raw HTML shows as text, no forged redline."""
    body = "Lees <script>alert(1)</script> de [uitleg](https://intranet.example/uitleg). {+nep+}"
    notes = _single(_entry("Tekst.", (body,)))
    root = parse_html(notes_page(notes, lang="nl"))
    assert root.find(f".//{HTML}script") is None
    assert root.find(f".//{HTML}ins") is None
    links = [a.get("href") for a in root.iter(f"{HTML}a")]
    assert links == ["https://intranet.example/uitleg"]
    assert "Lees <script>alert(1)</script> de uitleg. {+nep+}" in page_text(root)


def test_javascript_link_in_note_is_not_a_link() -> None:
    notes = _single(_entry("Tekst.", ("Klik [hier](javascript:alert(1)).",)))
    root = parse_html(notes_page(notes, lang="nl"))
    assert [a.get("href") for a in root.iter(f"{HTML}a")] == []


def test_title_and_lang_are_escaped() -> None:
    page = html_page("<h1>x</h1>\n", title='<script>"', lang='nl" onload="x')
    root = parse_html(page)
    assert root.get("lang") == 'nl" onload="x'
    assert root.find(f".//{HTML}script") is None


def test_output_is_deterministic() -> None:
    first = render_markdown(case_notes("02__added_changed_moved_removed"))
    assert first == render_markdown(case_notes("02__added_changed_moved_removed"))


@pytest.mark.parametrize(
    ("previous", "impact", "declared", "expected"),
    [
        (None, Impact.MAJOR, "1.0.0", "1.0.0"),
        ("1.2.3", Impact.MAJOR, "1.2.3", "2.0.0"),
        ("1.2.3", Impact.MINOR, "1.2.3", "1.3.0"),
        ("1.2.3", Impact.PATCH, "1.2.3", "1.2.4"),
        ("1.2.3", Impact.PATCH, "1.10.0", "1.10.0"),
        ("1.9.0", Impact.MINOR, "1.10.0", "1.10.0"),
        ("1.2.3", Impact.MAJOR, "1.9.0", "2.0.0"),
    ],
)
def test_next_version(previous: str | None, impact: Impact, declared: str, expected: str) -> None:
    """Bumped by the impact; a higher version the authors declared wins (compared as numbers)."""
    assert next_version(previous, impact, declared) == expected


def test_bump_none_keeps_version() -> None:
    assert bump("1.2.3", Impact.NONE) == "1.2.3"


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2027, 1, 1), "1 januari 2027"), (dt.date(2026, 12, 31), "31 december 2026")],
)
def test_dutch_date(day: dt.date, text: str) -> None:
    assert dutch_date(day) == text


def test_requested_lower_impact_with_justification_is_used() -> None:
    """A justified note lowers the impact, hence the version and the acknowledgement."""
    case = CASES / "03__editorial_only"
    base, head = _load(case / "base"), _load(case / "head")
    diff = diff_policies(base, _load(CASES / "02__added_changed_moved_removed" / "head"))
    raw = (
        b"---\nclauses: [mi-001, mi-002, mi-003, mi-004, mi-005]\nimpact: minor\n"
        b"justification: Alleen verduidelijking.\n---\nUitleg.\n"
    )
    note, problems = parse_note("n.md", raw)
    assert note is not None and not problems
    lowered = plan_release(diff, head, base, [note], "1.0.0")
    assert (lowered.version, lowered.impact, lowered.acknowledgement) == (
        "1.1.0",
        Impact.MINOR,
        False,
    )


def test_works_council_is_validated_and_said_only_when_required() -> None:
    """``works_council`` in policy.yaml: a bad value is a located error; the notes speak of the
    works council only when its consent is required."""
    from tests.conftest import MINI_FILES
    from tools.base.snapshot import MemorySnapshot

    meta = "policy/mini/policy.yaml"

    def notes_with(council: str) -> tuple[str | None, list[str]]:
        files = {**MINI_FILES, meta: MINI_FILES[meta] + council}
        policy, problems = load_policy(MemorySnapshot(files), "mini")
        if policy is None or problems:
            return None, [f"{p.line}:{p.column}" for p in problems]
        return render_markdown(
            plan_release(diff_policies(None, policy), policy, None, [], None)
        ), []

    lines = MINI_FILES[meta].count("\n")
    assert notes_with("works_council:\n  consent_required: ja\n") == (None, [f"{lines + 2}:21"])
    assert notes_with("works_council:\n  consent_required: true\n  consented: gisteren\n")[1]
    pending, _ = notes_with("works_council:\n  consent_required: true\n")
    assert pending is not None and "De ondernemingsraad moet nog instemmen" in pending
    given, _ = notes_with("works_council:\n  consent_required: true\n  consented: 2026-12-01\n")
    assert given is not None and "heeft op 1 december 2026 ingestemd" in given
    silent, _ = notes_with("works_council:\n  consent_required: false\n")
    assert silent is not None and "ondernemingsraad" not in silent
