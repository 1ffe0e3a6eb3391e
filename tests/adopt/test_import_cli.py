"""``policy import`` through the CLI, on real Word files made with python-docx: three policies
that import, validate with their review markers listed as warnings, and validate clean once
the markers are resolved; and the input it refuses, with nothing written."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Mapping
from io import BytesIO
from pathlib import Path

import pytest

from tests.adopt import wordkit
from tests.conftest import run_policy

TODAY = "2027-03-01"
_MARKER = re.compile(r"  # review:.*$", re.MULTILINE)


def _import(repo: Path, data: bytes, policy: str, *extra: str) -> tuple[int, str, str]:
    source = repo / "in.docx"
    source.write_bytes(data)
    result = run_policy("import", "in.docx", "--policy", policy, *extra, cwd=repo, today=TODAY)
    return result.returncode, result.stdout, result.stderr


def _resolve_markers(folder: Path) -> int:
    """What the author does after checking each guess: delete the comment."""
    count = 0
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        count += len(_MARKER.findall(text))
        path.write_text(_MARKER.sub("", text), encoding="utf-8")
    return count


def _validate(repo: Path) -> dict[str, list[dict[str, object]]]:
    result = run_policy("validate", "--format", "json", cwd=repo)
    report: dict[str, list[dict[str, object]]] = json.loads(result.stdout)
    assert result.returncode == (0 if not report["errors"] else 1)
    return report


POLICIES: dict[str, Callable[[], bytes]] = {
    "thuiswerk": wordkit.thuiswerk,
    "acceptable-use": wordkit.acceptable_use,
    "integriteit": lambda: wordkit.accept_all(wordkit.integriteit(tracked=True)),
}


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_a_word_policy_imports_and_validates_once_reviewed(
    mini_repo: Callable[..., Path], policy: str
) -> None:
    repo = mini_repo()
    code, out, err = _import(repo, POLICIES[policy](), policy)
    assert (code, err) == (0, "")
    assert f"policy/{policy}/" in out.splitlines()[0]
    report = _validate(repo)
    assert report["errors"] == []
    warnings = report["warnings"]
    assert warnings and {w["code"] for w in warnings} == {"review-marker"}
    resolved = _resolve_markers(repo / "policy" / policy)
    assert resolved == len(warnings)
    report = _validate(repo)
    assert (report["errors"], report["warnings"]) == ([], [])


def _section(repo: Path, policy: str, section: str) -> str:
    return (repo / "policy" / policy / "sections" / f"{section}.yaml").read_text(encoding="utf-8")


def test_clauses_titles_levels_and_legal_references(mini_repo: Callable[..., Path]) -> None:
    repo = mini_repo()
    code, out, _ = _import(repo, wordkit.thuiswerk(), "thuiswerk")
    assert code == 0
    meta = (repo / "policy/thuiswerk/policy.yaml").read_text(encoding="utf-8")
    assert "title: Thuiswerkbeleid\n" in meta
    assert "effective: 2027-03-01  # review:" in meta
    assert "sections:\n  - doel-en-reikwijdte\n  - werkplek\n  - gegevens-en-beveiliging\n" in meta
    werkplek = _section(repo, "thuiswerk", "werkplek")
    # A bold lead-in is the title; the nested bullets stay in their parent item's text.
    assert (
        "  - id: th-003\n    title: Ergonomie\n"
        '    level: must  # review: level guessed from "moet"\n'
        "    text: >-\n      Je werkplek thuis moet voldoen aan de Arbowet.\n\n"
        "      - een verstelbare stoel\n\n      - een los beeldscherm\n"
    ) in werkplek
    assert "title: Vergoeding\n" in werkplek
    security = _section(repo, "thuiswerk", "gegevens-en-beveiliging")
    assert 'level: must-not  # review: level guessed from "mag geen"' in security
    assert '      - law: Burgerlijk Wetboek\n        article: "7:611"\n' in security
    assert 'law: Algemene verordening gegevensbescherming (AVG)\n        article: "6"' in security
    # The table is reported with its section and place, not imported.
    assert re.search(r"not imported: a table at paragraph \d+, in section 'Werkplek'", out)
    # Its CODEOWNERS lines, as policy new writes them, and its change notes' folder.
    owners = (repo / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/policy/thuiswerk/" in owners and "/changelog/thuiswerk/" in owners
    assert (repo / "changelog/thuiswerk/unreleased/.gitkeep").is_file()


def test_what_cannot_be_placed_is_reported_where_it_is(mini_repo: Callable[..., Path]) -> None:
    repo = mini_repo()
    code, out, _ = _import(repo, wordkit.acceptable_use(), "acceptable-use")
    assert code == 0
    assert "not imported: a footnote at paragraph 3, in section 'Purpose'" in out
    assert re.search(r"not imported: an image at paragraph \d+, in section 'Devices'", out)
    assert "text box at paragraph" in out and "(Report a lost laptop at once)" in out
    assert "heading 'Rules' (paragraph 4) has no text of its own" in out
    meta = (repo / "policy/acceptable-use/policy.yaml").read_text(encoding="utf-8")
    assert "language: en  # review:" in meta and "clause_prefix: au\n" in meta


def test_tracked_changes_are_refused_until_accepted(mini_repo: Callable[..., Path]) -> None:
    repo = mini_repo()
    code, out, err = _import(repo, wordkit.integriteit(tracked=True), "integriteit")
    assert (code, out) == (2, "")
    assert err == (
        "policy: error: in.docx: the document has tracked changes; accept or reject them in "
        "Word first\n"
    )
    assert not (repo / "policy/integriteit").exists()
    code, _, _ = _import(repo, wordkit.accept_all(wordkit.integriteit(tracked=True)), "integriteit")
    assert code == 0
    text = _section(repo, "integriteit", "nevenwerkzaamheden")
    assert "Nevenwerk moet je vooraf melden" in text and "toegestaan" not in text


def _not_a_docx() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return out.getvalue()


def _no_rule() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Over ons", level=1)
    document.add_paragraph("Wij zijn een organisatie met veertig medewerkers.")
    return wordkit.save(document)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
BAD_INPUT = {
    "old-doc": (OLE, "an old binary Word file (.doc)"),
    "encrypted": (OLE + "EncryptionInfo".encode("utf-16-le"), "password-protected"),
    "zip": (_not_a_docx(), "not a Word document (.docx), or it is damaged"),
    "truncated": (wordkit.thuiswerk()[:2000], "not a Word document (.docx), or it is damaged"),
    "empty": (wordkit.empty(), "the document is empty"),
    "no-rule": (_no_rule(), "no paragraph reads as a rule"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_one_line_and_writes_nothing(
    mini_repo: Callable[..., Path], case: str
) -> None:
    repo = mini_repo()
    data, message = BAD_INPUT[case]
    code, out, err = _import(repo, data, "nieuw")
    assert (code, out) == (2, "")
    assert err.startswith("policy: error: in.docx: ") and message in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in (repo / "policy").iterdir()) == ["departments.yaml", "mini"]


def test_an_existing_policy_or_prefix_is_refused(mini_repo: Callable[..., Path]) -> None:
    repo = mini_repo()
    before = sorted(str(p) for p in (repo / "policy").rglob("*"))
    code, _, err = _import(repo, wordkit.thuiswerk(), "mini")
    assert code == 2 and "policy 'mini' exists already" in err
    code, _, err = _import(repo, wordkit.thuiswerk(), "meldingen-intern")
    assert code == 2 and "clause prefix 'mi' is policy 'mini''s" in err
    code, _, err = _import(repo, wordkit.thuiswerk(), "Bad_Id")
    assert code == 2 and "--policy 'Bad_Id'" in err
    assert sorted(str(p) for p in (repo / "policy").rglob("*")) == before


def test_dry_run_prints_the_files_and_the_report_and_writes_nothing(
    mini_repo: Callable[..., Path],
) -> None:
    repo = mini_repo()
    code, out, _ = _import(repo, wordkit.thuiswerk(), "thuiswerk", "--dry-run")
    assert code == 0
    assert not (repo / "policy/thuiswerk").exists()
    assert "--- policy/thuiswerk/policy.yaml (would be written)\n" in out
    assert "--- policy/thuiswerk/sections/werkplek.yaml (would be written)\n" in out
    assert "not imported: a table" in out


def test_the_same_document_gives_the_same_bytes(mini_repo: Callable[..., Path]) -> None:
    repo = mini_repo()
    data = wordkit.thuiswerk()
    _, first, _ = _import(repo, data, "thuiswerk", "--dry-run")
    _, second, _ = _import(repo, data, "thuiswerk", "--dry-run")
    assert first == second


def test_the_shipped_policy_has_no_warnings(shipped_repo: Path) -> None:
    report = _validate(shipped_repo)
    assert (report["errors"], report["warnings"]) == ([], [])


def test_a_failed_write_leaves_no_half_made_policy(
    mini_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tools.adopt import write

    written: list[Path] = []
    keep = write._write_files

    def fail_on_the_second(folder: Path, files: Mapping[str, str]) -> None:
        if written:
            raise OSError(28, "No space left on device")
        written.append(folder)
        keep(folder, files)

    monkeypatch.setattr(write, "_write_files", fail_on_the_second)
    repo = mini_repo()
    before = (repo / "CODEOWNERS").read_bytes()
    code, out, err = _import(repo, wordkit.thuiswerk(), "thuiswerk")
    assert code == 2 and out == ""
    assert err == "policy: error: cannot write the policy: No space left on device\n"
    assert sorted(p.name for p in (repo / "policy").iterdir()) == ["departments.yaml", "mini"]
    assert not (repo / "changelog").exists() or not list((repo / "changelog").iterdir())
    assert (repo / "CODEOWNERS").read_bytes() == before
