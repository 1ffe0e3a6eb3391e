"""``policy changelog check``, ``new`` and ``preview`` on real git repositories."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import html5lib
import pytest

from tests.conftest import MINI_FILES, git, run_policy, write_tree

ALGEMEEN = "policy/mini/sections/algemeen.yaml"
PRIVACY = "policy/mini/sections/privacy.yaml"
NOTES = "changelog/mini/unreleased"

REWORDED_MUST = MINI_FILES[ALGEMEEN].replace(
    "Je bent beleefd op sociale media.", "Je bent beleefd en respectvol op sociale media."
)
REWRAPPED_MUST = MINI_FILES[ALGEMEEN].replace(
    "text: Je bent beleefd op sociale media.", 'text: "Je bent  beleefd op sociale media."'
)


def note(clauses: str, body: str = "Je bent voortaan ook respectvol.", extra: str = "") -> str:
    return f"---\nclauses: {clauses}\n{extra}---\n{body}\n"


Commit = Callable[[Mapping[str, str | None], str], None]


@pytest.fixture
def repo(mini_released: Path) -> Path:
    """The mini policy, committed on main and released as 1.0.0 (tag mini/v1.0.0)."""
    return mini_released


@pytest.fixture
def commit(repo: Path) -> Commit:
    def make(files: Mapping[str, str | None], message: str) -> None:
        write_tree(repo, files)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)

    return make


def check(repo: Path, *args: str) -> tuple[int, str]:
    result = run_policy("changelog", "check", *args, cwd=repo)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


# --- failures, each with its located message ----------------------------------------------------


def test_changed_clause_without_note_fails_at_the_clause(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST}, "reword mi-001")
    code, out = check(repo)
    assert code == 1
    assert f"{ALGEMEEN}:6:9: error[missing-note]: clause mi-001 (Wees beleefd) is modified" in out
    assert "policy changelog new" in out


def test_removed_clause_without_note_fails_at_its_old_place(repo: Path, commit: Commit) -> None:
    commit({PRIVACY: MINI_FILES[PRIVACY].replace("mi-002", "mi-004")}, "renumber")
    code, out = check(repo, "main~1", "main")
    assert code == 1
    # mi-002 -> mi-004 with the same text is an id change: one note for either id is enough.
    assert f"{PRIVACY}:7:9: error[missing-note]: clause mi-004" in out
    commit({f"{NOTES}/nummer.md": note("[mi-002]")}, "note by old id")
    assert check(repo, "main~2", "main")[0] == 0


def test_note_naming_an_unchanged_clause_fails_at_the_id(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": note("[mi-001, mi-003]")}, "note")
    code, out = check(repo)
    assert code == 1
    assert f"{NOTES}/a.md:2:19: error[unchanged-clause]: clause mi-003 has not changed" in out
    assert "since version 1.0.0" in out


def test_note_naming_an_unknown_clause_fails_at_the_id(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": note("\n  - mi-001\n  - mi-777")}, "note")
    code, out = check(repo)
    assert code == 1
    assert f"{NOTES}/a.md:4:5: error[unknown-clause]: clause mi-777 does not exist" in out


def test_lower_impact_without_justification_fails_at_impact(repo: Path, commit: Commit) -> None:
    lowered = note("[mi-001]", extra="impact: patch\n")
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": lowered}, "lowered")
    code, out = check(repo)
    assert code == 1
    assert (
        f"{NOTES}/a.md:3:9: error[missing-justification]: the note asks for impact 'patch', "
        "lower than the computed 'major'"
    ) in out
    justified = note("[mi-001]", extra="impact: patch\njustification: Was al zo bedoeld.\n")
    commit({f"{NOTES}/a.md": justified}, "justified")
    assert check(repo)[0] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Geen front matter.\n", "a.md:1:1: error[missing-front-matter]"),
        (note("[mi-001]", extra="auteur: ik\n"), "a.md:3:1: error[unknown-field]: unknown field"),
        (note("[mi-1]"), "a.md:2:11: error[bad-id]"),
        (note("[mi-001]", extra="impact: klein\n"), "a.md:3:9: error[bad-value]"),
        ("---\nclauses: [mi-001\n---\nTekst.\n", "a.md:3:1: error[yaml-syntax]"),
        (note("[mi-001]", body=""), "a.md:4:1: error[empty-note]"),
        (note("[mi-001]", body="# Kop\n\nTekst."), "a.md:4:1: error[note-heading]"),
        (note("[mi-001]", body="Zie ![x](https://x.example/x.png)"), "a.md:4:1: error[note-image]"),
        (note("[mi-001]", body="TODO: schrijven"), "a.md:4:1: error[unfinished-note]"),
        (note("[mi-001]", body="Ver\u202eborgen"), "a.md:4:4: error[hidden-character]"),
    ],
)
def test_invalid_note_fails_located(repo: Path, commit: Commit, text: str, expected: str) -> None:
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": text}, "bad note")
    code, out = check(repo)
    assert code == 1
    assert f"{NOTES}/{expected}" in out


@pytest.mark.parametrize(
    ("body", "where", "scheme"),
    [
        ("Lees [dit](javascript:alert(1)).", "4:6", "javascript"),
        ("Lees [dit](JaVaScRiPt:alert(1)).", "4:6", "javascript"),
        ("Lees [dit](&#106;avascript:alert(1)).", "4:6", "javascript"),
        ("Lees [dit](java&#9;script:alert(1)).", "4:6", "javascript"),
        ("Lees [dit](< javascript:alert(1)>).", "4:6", "javascript"),
        ("Lees [dit](&#1;javascript:alert(1)).", "4:12", "javascript"),
        ("Lees [dit](data:text/html,x).", "4:6", "data"),
        ("Lees <vbscript:msgbox(1)> nu.", "4:6", "vbscript"),
        ("Lees [dit][r].\n\n[r]: data:text/html,x", "4:6", "data"),
        ("Eerst.\n\n> - Lees [dit](file:///etc/passwd)", "6:10", "file"),
        # Code in CommonMark, a paragraph (so a link) in Python-Markdown.
        ("- punt\n\n      [dit](javascript:alert(1))", "6:13", "javascript"),
    ],
)
def test_note_with_an_active_link_fails_at_the_link(
    repo: Path, commit: Commit, body: str, where: str, scheme: str
) -> None:
    """Only https:, http:, mailto: and relative links: any other scheme, however written, is
    located with the fix (markdown-it drops such links, other renderers make them live)."""
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": note("[mi-001]", body=body)}, "link")
    code, out = check(repo)
    assert code == 1, out
    assert (
        f"{NOTES}/a.md:{where}: error[unsafe-link]: the link target has the scheme '{scheme}:'"
    ) in out
    assert "link to the page on the intranet or the web (https://...)" in out


def test_note_with_safe_links_passes(repo: Path, commit: Commit) -> None:
    """https:, http: (any case), mailto:, relative links and anchors are fine."""
    body = (
        "Zie [a](https://intranet.example/x), [b](HTTP://x.example), [c](mailto:hr@x.example),"
        " [d](../uitleg.html), [e](#sm-001), <https://x.example> en <hr@x.example>."
    )
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": note("[mi-001]", body=body)}, "links")
    code, out = check(repo)
    assert code == 0, out


def test_stray_file_in_notes_folder_fails(repo: Path, commit: Commit) -> None:
    commit({f"{NOTES}/a.txt": "tekst"}, "stray")
    code, out = check(repo)
    assert (code, f"{NOTES}/a.txt:0:0: error[not-a-note]" in out) == (1, True)


def test_all_problems_are_reported_together(repo: Path, commit: Commit) -> None:
    files = {
        ALGEMEEN: REWORDED_MUST.replace("Dit is uitleg.", "Dit is andere uitleg."),
        f"{NOTES}/a.md": note("[mi-002]"),
    }
    commit(files, "two problems")
    code, out = check(repo)
    assert code == 1
    assert out.count("error[missing-note]") == 2 and "error[unchanged-clause]" in out
    assert "3 problems found" in out


def test_github_format_annotates(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST}, "reword")
    code, out = check(repo, "--format", "github")
    assert code == 1
    assert f"::error file={ALGEMEEN},line=6,col=9,title=missing-note::" in out


# --- what passes -------------------------------------------------------------------------------


def test_change_with_its_note_passes(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/respect.md": note("[mi-001]")}, "with note")
    code, out = check(repo, "mini/v1.0.0", "HEAD")
    assert code == 0, out
    assert "change notes ok" in out


def test_editorial_change_needs_no_note(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWRAPPED_MUST}, "whitespace")
    code, out = check(repo)
    assert code == 0, out


def test_pull_request_that_only_adds_notes_passes(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": note("[mi-001]")}, "change")
    git(repo, "checkout", "-q", "-b", "notes")
    commit({f"{NOTES}/b.md": note("[mi-001]", body="Nog een toelichting.")}, "more notes")
    code, out = check(repo, "main", "notes")
    assert code == 0, out


def test_pull_request_with_only_other_files_passes(repo: Path, commit: Commit) -> None:
    commit({"README.md": "# Beleid\n"}, "docs")
    assert check(repo, "main~1", "main")[0] == 0


def test_unreleased_policy_needs_no_notes(mini_repo: Callable[..., Path]) -> None:
    """Before the first release every clause is new; its release notes list them all."""
    root = mini_repo({ALGEMEEN: REWORDED_MUST})
    code, out = check(root)
    assert code == 0, out


def test_bad_revision_is_a_usage_error(repo: Path) -> None:
    code, out = check(repo, "no-such-branch")
    assert code == 2
    assert "no-such-branch" in out


def test_working_tree_is_the_default_head(repo: Path) -> None:
    write_tree(repo, {ALGEMEEN: REWORDED_MUST})
    assert check(repo)[0] == 1
    write_tree(repo, {f"{NOTES}/a.md": note("[mi-001]")})
    assert check(repo)[0] == 0


# --- changelog new ---------------------------------------------------------------------------


def test_new_scaffolds_a_note_for_uncovered_clauses(repo: Path) -> None:
    write_tree(repo, {ALGEMEEN: REWORDED_MUST.replace("Dit is uitleg.", "Dit is  uitleg.")})
    result = run_policy("changelog", "new", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {NOTES}/mi-001.md")
    text = (repo / NOTES / "mi-001.md").read_text(encoding="utf-8")
    assert "  - mi-001  # Wees beleefd (impact: major)" in text
    assert "mi-003" not in text  # editorial: needs no note
    code, out = check(repo)
    assert (code, "error[unfinished-note]" in out) == (1, True)
    write_tree(repo, {f"{NOTES}/mi-001.md": text.replace("TODO:", "Wees ook respectvol.")})
    assert check(repo)[0] == 0
    again = run_policy("changelog", "new", cwd=repo)
    assert again.returncode == 0 and "has a note" in again.stdout


def test_new_never_overwrites(repo: Path) -> None:
    write_tree(repo, {ALGEMEEN: REWORDED_MUST, f"{NOTES}/eigen.md": "van mij\n"})
    result = run_policy("changelog", "new", "--name", "eigen", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / NOTES / "eigen.md").read_text(encoding="utf-8") == "van mij\n"
    assert (repo / NOTES / "eigen-2.md").exists()


def test_new_refuses_a_path_as_name(repo: Path) -> None:
    write_tree(repo, {ALGEMEEN: REWORDED_MUST})
    result = run_policy("changelog", "new", "--name", "../../x", cwd=repo)
    assert result.returncode == 2 and "plain file name" in result.stderr
    assert not (repo / "x.md").exists()


# --- changelog preview -----------------------------------------------------------------------


def test_preview_prints_the_next_release_and_writes_nothing(repo: Path, commit: Commit) -> None:
    commit({ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": note("[mi-001]")}, "change")
    result = run_policy("changelog", "preview", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Mini, versie 2.0.0\n")
    assert "Je bent voortaan ook respectvol." in result.stdout
    assert "**Vorige versie:** 1.0.0" in result.stdout
    page = run_policy("changelog", "preview", "--format", "html", cwd=repo).stdout
    root = html5lib.HTMLParser(strict=True).parse(page)
    assert root.get("lang") == "nl"
    entry = run_policy("changelog", "preview", "--format", "changelog", cwd=repo).stdout
    assert entry.startswith("## [2.0.0] - 2027-01-01\n")
    assert git(repo, "status", "--porcelain") == ""


def test_preview_of_the_first_release_lists_every_clause(mini_repo: Callable[..., Path]) -> None:
    result = run_policy("changelog", "preview", cwd=mini_repo())
    assert result.returncode == 0, result.stderr
    assert "# Mini, versie 1.0.0" in result.stdout
    assert "Dit is de eerste versie van dit beleid." in result.stdout
    assert [line for line in result.stdout.splitlines() if line.startswith("### ")] == [
        "### Wees beleefd (mi-001)",
        "### Uitleg (mi-003)",
        "### Geen klantgegevens (mi-002)",
    ]


def test_preview_reports_broken_notes(repo: Path) -> None:
    write_tree(repo, {ALGEMEEN: REWORDED_MUST, f"{NOTES}/a.md": "geen front matter\n"})
    result = run_policy("changelog", "preview", cwd=repo)
    assert result.returncode == 1
    assert f"{NOTES}/a.md:1:1: error[missing-front-matter]" in result.stderr


def test_shipped_policy_change_with_note_gives_plain_dutch_release_notes(
    shipped_repo: Path,
) -> None:
    """The done-when of change notes: a real change to the shipped policy, with its note."""
    git(shipped_repo, "init", "-q", "-b", "main")
    git(shipped_repo, "add", "-A")
    git(shipped_repo, "commit", "-q", "-m", "social-media 1.0.0")
    git(shipped_repo, "tag", "social-media/v1.0.0")
    section = shipped_repo / "policy/social-media/sections/vertrouwelijkheid-en-privacy.yaml"
    text = section.read_text(encoding="utf-8")
    changed = text.replace(
        "Vraag hun dan eerst\n      toestemming.",
        "Vraag hun dan eerst\n      schriftelijk toestemming, bijvoorbeeld per e-mail.",
    )
    assert changed != text
    section.write_text(changed, encoding="utf-8")
    assert check(shipped_repo)[0] == 1
    body = (
        "Vraag voortaan **schriftelijk** toestemming voordat je iemand herkenbaar in beeld "
        "plaatst. Een kort mailtje is genoeg. Zo kun je later laten zien dat je het gevraagd hebt."
    )
    write_tree(
        shipped_repo, {"changelog/social-media/unreleased/toestemming.md": note("[sm-020]", body)}
    )
    code, out = check(shipped_repo)
    assert code == 0, out
    preview = run_policy("changelog", "preview", cwd=shipped_repo)
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert lines[0] == "# Social-mediabeleid, versie 2.0.0"
    assert "## Gewijzigd" in lines and "## Nieuw" not in lines
    assert "### Vraag toestemming voor foto's en video's (sm-020)" in lines
    assert body in lines
    assert any(line.startswith("**Opnieuw lezen en bevestigen.**") for line in lines)
    assert any("schriftelijk toestemming, bijvoorbeeld per e-mail" in line for line in lines)
