"""The first screen on plain data: grouping, the line limit, the Dutch wording."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from schema.models import (
    DEFAULT_SCOPE,
    AccountType,
    Clause,
    Department,
    Level,
    Member,
    PolicyMeta,
    Registry,
)
from tools.compare import impact
from tools.compare.diff import Change, PolicyDiff
from tools.compare.impact import Impact
from tools.gate.prreport import MARKER, Gate, PolicyReview
from tools.gate.prreport import render_markdown as report_markdown
from tools.gate.rules import Requirement, Verdict
from tools.gate.summary import (
    LIMIT,
    Blocker,
    PolicyPart,
    Situation,
    action,
    group_paths,
    merge_pending,
    render_markdown,
    render_text,
    summarize,
)
from tools.gate.summary_wording import DUTCH, ENGLISH, dutch_reason, wording

SECTIONS = "policy/sm/sections"


def clause(level: Level, text: str = "Je doet iets.", **fields: object) -> Clause:
    return Clause.model_construct(id="sm-001", title="T", level=level, text=text, **fields)


def change(clause_id: str, kind: str, level: Impact, reason: str) -> Change:
    return Change(kind, clause_id, "s", "title", level, reason)


def requirement(
    departments: tuple[str, ...], paths: tuple[str, ...], clauses: tuple[str, ...] = ()
) -> Requirement:
    return Requirement("", ("@x",), departments, 1, paths, clauses, ())


def registry(*ids: str) -> Registry:
    departments = [
        Department.model_construct(
            id=d,
            name=d.capitalize(),
            handle=f"@o/{d}",
            members=[
                Member.model_construct(name=f"{d} {n}", email=f"{d}{n}@o.nl") for n in range(5)
            ],
        )
        for d in ids
    ]
    return Registry.model_construct(organisation="O", departments=departments)


def verdict(*required: Requirement, problems: tuple[object, ...] = ()) -> Verdict:
    ids = sorted({d for r in required for d in r.departments})
    return Verdict("a", "b", required, (), (), {}, registry=registry(*ids))


def part(*changes: Change, impact_: Impact = Impact.MAJOR, **fields: object) -> PolicyPart:
    diff = PolicyDiff("sm", "a", "b", changes)
    return PolicyPart("sm", "Beleid", diff, impact_, **fields)  # type: ignore[arg-type]


# --- Grouping ----------------------------------------------------------------------------------


def test_paths_are_grouped_as_a_person_reads_them() -> None:
    paths = (
        *(f"{SECTIONS}/{s}.yaml" for s in ("a", "b", "c")),
        "policy/sm/policy.yaml",
        "changelog/sm/unreleased/x.md",
        "changelog/sm/unreleased/y.md",
        "changelog/sm/CHANGELOG.md",
        *(f"tools/m{n}.py" for n in range(28)),
    )
    clauses = tuple(f"sm-00{n}" for n in range(1, 10))
    assert group_paths(paths, clauses, DUTCH) == [
        "9 regels in 3 hoofdstukken",
        "beleidsgegevens: 1",
        "wijzigingsnotities: 2",
        "releasenotes: 1",
        "beheerbestanden: 28",
    ]
    assert group_paths((f"{SECTIONS}/a.yaml",), ("sm-001",), DUTCH) == ["1 regel in 1 hoofdstuk"]
    assert group_paths((f"{SECTIONS}/a.yaml",), (), DUTCH) == ["1 hoofdstuk"]
    assert group_paths((f"{SECTIONS}/a.yaml",), ("sm-001", "sm-002"), ENGLISH) == [
        "2 clauses in 1 section"
    ]


def test_requirements_of_one_department_are_one_line() -> None:
    """Paths split by who approved them are one department's work still."""
    one = Requirement("", ("@hr",), ("hr",), 2, ("p/a",), ("sm-1",), ("x@o.nl",))
    two = Requirement("", ("@hr",), ("hr",), 2, ("p/b",), ("sm-2",), ())
    done = Requirement("", ("@jz",), ("jz",), 1, ("p/c",), (), ("y@o.nl",))
    (merged,) = merge_pending([one, two, done])
    assert merged.paths == ("p/a", "p/b") and merged.clauses == ("sm-1", "sm-2")
    assert merged.missing == 2


def test_a_department_line_names_its_members_who_have_not_approved() -> None:
    paths, clauses = (f"{SECTIONS}/a.yaml",), ("sm-001",)
    required = Requirement("", ("@hr",), ("hr",), 3, paths, clauses, ("hr0@o.nl",))
    lines = summarize(Situation("nl", (), verdict(required)))
    assert lines[1].text == "Hr ×2 (hr 1 of hr 2 of hr 3 of nog 1): 1 regel in 1 hoofdstuk"


# --- The limit ---------------------------------------------------------------------------------


def test_never_more_than_the_limit_and_says_what_it_leaves_out() -> None:
    departments = [f"d{n:02}" for n in range(20)]
    required = [requirement((d,), (f"{SECTIONS}/{d}.yaml",), ("sm-001",)) for d in departments]
    blockers = tuple(Blocker(code) for code in DUTCH.blockers)
    parts = tuple(
        part(change("sm-001", "added", Impact.MAJOR, "new must clause: a new duty for employees"))
        for _ in range(4)
    )
    lines = summarize(Situation("nl", parts, verdict(*required), blockers, policy="sm"))
    text = render_text(lines)
    assert len(lines) <= LIMIT, text
    assert "… en 17 meer: policy approvals" in text
    assert "… en 3 meer: policy diff" in text
    assert "meer: zie policy release sm --dry-run --verbose" in text


def test_a_short_summary_is_left_whole() -> None:
    situation = Situation("nl", (part(),), verdict(requirement(("hr",), ("x",))))
    lines = summarize(situation)
    assert [line.text for line in lines] == [
        "Beleid",
        "Geen wijzigingen.",
        "Nog goedkeuren (1 afdeling):",
        "Hr (hr 0 of hr 1 of hr 2 of nog 2): beheerbestanden: 1",
        "Niets blokkeert de release",
    ]


# --- Wording -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("impact_", "acknowledgement", "todo"),
    [
        (Impact.MAJOR, True, "confirm"),
        (Impact.MAJOR, False, "read"),
        (Impact.MINOR, True, "read"),
        (Impact.PATCH, True, "nothing"),
        (Impact.NONE, True, "nothing"),
    ],
)
def test_what_employees_must_do(impact_: Impact, acknowledgement: bool, todo: str) -> None:
    assert action(impact_, acknowledgement) == todo


def test_the_policy_lines_in_dutch() -> None:
    reason = "text of a must clause reworded: the duty may change"
    changed = part(
        change("sm-001", "added", Impact.MINOR, "new may clause: new guidance"),
        change("sm-049", "modified", Impact.MAJOR, reason),
        change(
            "sm-002", "removed", Impact.MAJOR, "must clause removed: a duty or a right disappears"
        ),
        Change("metadata", None, None, "summary", Impact.MINOR, "summary changed: x"),
        version="2.0.0",
        previous="1.4.2",
        effective=dt.date(2027, 3, 1),
    )
    texts = [line.text for line in summarize(Situation("nl", (changed,), None))]
    assert texts[:4] == [
        "Beleid: versie 2.0.0 (was 1.4.2)",
        "Regels: 1 nieuw, 1 gewijzigd, 1 vervallen; impact: wezenlijk (en 1 overige wijzigingen)",
        "Zwaarste wijziging: sm-049: de tekst van een verplichte regel is gewijzigd",
        "Medewerkers: opnieuw lezen en bevestigen, geldt vanaf 1 maart 2027",
    ]
    english = [line.text for line in summarize(Situation("en-GB", (changed,), None))]
    assert english[2] == f"Most material change: sm-049: {reason}"
    assert english[3] == "Employees: read and confirm again, in force from 2027-03-01"


def test_a_first_version_is_read_and_confirmed_not_again_and_zero_counts_are_left_out() -> None:
    first = part(
        change("sm-001", "added", Impact.MAJOR, "new must clause: a new duty for employees"),
        change("sm-002", "added", Impact.MINOR, "new may clause: new guidance"),
        acknowledgement=True,
        version="1.0.0",
        effective=dt.date(2027, 1, 1),
    )
    texts = [line.text for line in summarize(Situation("nl", (first,), None))]
    assert texts[1] == "Regels: 2 nieuw; impact: wezenlijk"
    assert texts[3] == "Medewerkers: lezen en bevestigen, geldt vanaf 1 januari 2027"
    english = [line.text for line in summarize(Situation("en-GB", (first,), None))]
    assert english[3] == "Employees: read and confirm, in force from 2027-01-01"


def test_blockers_say_the_command_that_fixes_them() -> None:
    blockers = (
        Blocker("notice-period", "too early", "use --effective-date 2027-02-01 or later"),
        Blocker("change-notes", "a"),
        Blocker("change-notes", "b"),
        Blocker("unheard-of", "something new"),
    )
    texts = render_text(summarize(Situation("nl", (), None, blockers, policy="sm")))
    assert (
        "de ingangsdatum valt binnen de aankondigingstermijn → "
        "policy release sm --effective-date 2027-02-01"
    ) in texts
    assert "de wijzigingsnotities kloppen niet (2) → policy changelog new" in texts
    assert "something new → zie policy release sm --dry-run --verbose" in texts


def _every_reason() -> set[str]:
    """Every reason the classifier gives, over every level, field and metadata field."""
    reasons = set()
    for level in Level:
        reasons |= {
            impact.classify_added(clause(level))[1],
            impact.classify_removed(clause(level))[1],
        }
    for base, head in itertools.product(Level, Level):
        old, new = clause(base, "Je doet iets."), clause(head, "Je doet iets anders.")
        reasons.add(impact.classify_modified(old, new, ["level", "text"])[1])
        reasons.add(impact.classify_modified(old, clause(head, "Je  doet iets."), ["text"])[1])
        for scopes in ([AccountType.COMPANY], None):
            widened = clause(head, applies_to=scopes)
            narrowed = clause(base, applies_to=[AccountType.COMPANY])
            reasons.add(impact.classify_modified(narrowed, widened, ["applies_to"])[1])
            reasons.add(impact.classify_modified(widened, narrowed, ["applies_to"])[1])
    same = clause(Level.MUST, applies_to=sorted(DEFAULT_SCOPE))
    reasons.add(impact.classify_modified(clause(Level.MUST), same, ["applies_to"])[1])
    for name in ("monitoring", "elements", "next_review", "title", "summary"):
        reasons.add(impact._classify_field(name, clause(Level.MUST), clause(Level.MUST))[1])
        reasons.add(impact.classify_wording(name, "a b", "a  b")[1])
        reasons.add(impact.classify_wording(name, "a", "b")[1])
    reasons.add(impact.classify_moved()[1])
    for name in PolicyMeta.model_fields:
        reasons.add(impact.classify_metadata(name, "a", "b")[1])
    reasons |= {"new section", "section removed (its clauses are listed one by one)"}
    reasons.add(
        "id changed from sm-001 to sm-002; ids must stay stable, keep sm-001 unless this is "
        "really a new clause (text of a must clause reworded: the duty may change)"
    )
    return reasons


def test_every_impact_reason_has_a_dutch_form() -> None:
    reasons = _every_reason()
    assert len(reasons) > 30
    missing = sorted(r for r in reasons if dutch_reason(r) is None)
    assert not missing, missing
    assert dutch_reason("level should -> must: the clause binds more strongly") == (
        "van aanbevolen naar verplicht: bindt sterker"
    )
    assert dutch_reason("notice_days changed: how the policy is introduced or acknowledged") == (
        "de aankondigingstermijn is gewijzigd: hoe het beleid wordt gebracht of bevestigd"
    )


def test_the_language_picks_the_wording() -> None:
    assert wording("nl") is DUTCH and wording("nl-BE") is DUTCH
    assert wording("en") is ENGLISH and wording("de") is ENGLISH


# --- Markdown and the report -------------------------------------------------------------------


def test_markdown_escapes_and_the_report_folds_its_details() -> None:
    situation = Situation("nl", (PolicyPart("sm", "Beleid *x*", None, Impact.NONE),), None)
    summary = render_markdown(summarize(situation))
    assert summary.startswith("**Beleid \\*x\\***\n- Het beleid laadt niet: policy validate\n")
    reviews = [PolicyReview("sm", None)]
    plain = report_markdown(reviews, Gate(None, "no gate"), "a", "b")
    text = report_markdown(reviews, Gate(None, "no gate"), "a", "b", summary=summary)
    assert text.startswith(f"{MARKER}\n# Policy report\n\na → b\n\n**Beleid")
    details = plain.split("\n", 5)[5]
    assert f"<details>\n<summary>Details</summary>\n\n{details}" in text
    assert text.endswith("</details>\n")
