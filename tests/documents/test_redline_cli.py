"""``policy diff --format docx`` and ``policy report --docx`` on the shipped policy with a real
change, through the CLI; the redline opened in LibreOffice, the real client: its own Accept all
and Reject all give HEAD's and BASE's texts, and its text and PDF exports say what changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, run_cli, run_policy
from tests.documents import docxkit
from tools.base.loader import load_policy
from tools.base.snapshot import DirSnapshot
from tools.documents.redline_docx import CLAUSE_TEXT
from tools.notes.blocks import text_paragraphs

SECTION = "policy/social-media/sections/monitoring.yaml"
OLD = "Weigeren heeft geen gevolgen voor je werk."
NEW = "Weigeren heeft nooit gevolgen voor je werk of je beoordeling."
ADDED = """
  - id: sm-099
    title: Geen profielen van medewerkers
    level: must-not
    text: >-
      De organisatie maakt geen profielen van medewerkers op basis van wat zij op sociale media
      plaatsen.
"""
COMMITTED = "2027-02-01T10:00:00+00:00"
"""Both commits' committer date: the date every tracked change carries."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped policy, committed; then a real change: sm-049 reworded, sm-053 removed,
    sm-099 added (a second commit)."""
    root = tmp_path_factory.mktemp("redline") / "repo"
    shutil.copytree(ROOT / "policy", root / "policy")
    shutil.copy(ROOT / "CODEOWNERS", root / "CODEOWNERS")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_COMMITTER_DATE", COMMITTED)
        patch.setenv("GIT_AUTHOR_DATE", COMMITTED)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")
        section = root / SECTION
        text = section.read_text(encoding="utf-8")
        assert OLD in text
        text = text.replace(OLD, NEW)
        text = text[: text.index("  - id: sm-053")].rstrip("\n") + "\n" + ADDED
        section.write_text(text, encoding="utf-8")
        git(root, "commit", "-q", "-am", "change")
        yield root


def _environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**environment, "NO_COLOR": "1", **extra}


@pytest.fixture(scope="module")
def redline(repo: Path) -> bytes:
    result = run_cli(
        ["diff", "HEAD~1", "HEAD", "--format", "docx", "--output", "build/redline.docx"],
        cwd=repo,
        env=_environment(),
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    return (repo / "build" / "redline.docx").read_bytes()


def _texts(root: Path) -> dict[str, str]:
    policy, problems = load_policy(DirSnapshot(root), "social-media")
    assert policy is not None and not problems
    return {clause.id: clause.text for _, _, clause in policy.clauses()}


def _paragraphs(texts: dict[str, str], *clauses: str) -> list[str]:
    """The clauses' texts paragraph by paragraph, as the redline writes them."""
    return [block for clause in clauses for block in text_paragraphs(texts[clause])]


def test_the_cli_redline_accepts_to_head_and_rejects_to_base(repo: Path, redline: bytes) -> None:
    head = _texts(repo)
    base = _texts(ROOT)
    accepted = docxkit.resolve(redline, "accept", CLAUSE_TEXT)
    rejected = docxkit.resolve(redline, "reject", CLAUSE_TEXT)
    assert sorted(accepted) == ["sm-049", "sm-053", "sm-099"]
    for clause in accepted:
        assert accepted[clause].text == (_paragraphs(head, clause) if clause in head else [])
        assert rejected[clause].text == (_paragraphs(base, clause) if clause in base else [])


def test_changes_are_dated_by_the_head_commit_or_source_date_epoch(
    repo: Path, redline: bytes
) -> None:
    document = docxkit.part(redline, "word/document.xml")
    dates = {e.get(f"{docxkit.W}date") for e in document.iter(f"{docxkit.W}ins")}
    assert dates == {"2027-02-01T10:00:00Z"}
    result = run_cli(
        ["diff", "HEAD~1", "HEAD", "--format", "docx", "--output", "pinned.docx"],
        cwd=repo,
        env=_environment(SOURCE_DATE_EPOCH="1767225600"),
    )
    assert result.returncode == 0, result.stderr
    pinned = docxkit.part((repo / "pinned.docx").read_bytes(), "word/document.xml")
    assert {e.get(f"{docxkit.W}date") for e in pinned.iter(f"{docxkit.W}del")} == {
        "2026-01-01T00:00:00Z"
    }


def test_the_report_writes_the_redline_and_names_it(repo: Path, redline: bytes) -> None:
    result = run_cli(
        ["report", "HEAD~1", "HEAD", "--output", "out/report.md", "--docx", "out/redline.docx"],
        cwd=repo,
        env=_environment(),
    )
    assert result.returncode == 0, result.stderr
    assert (repo / "out" / "redline.docx").read_bytes() == redline
    report = (repo / "out" / "report.md").read_text(encoding="utf-8")
    shown = report.split("<details>", 1)[0]  # above the fold, under the summary
    assert "(tracked changes, impact as comments): `redline.docx`\n" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "--format docx writes a Word document: give --output FILE"),
        (["--output", "x.docx"], "a .docx name for text output"),
        (["--format", "json", "--output", "x.DOCX"], "a .docx name for json output"),
        (["--format", "docx", "--output", "policy"], "cannot write policy: Is a directory"),
        (["--format", "docx", "--output", "CODEOWNERS/x.docx"], "cannot write CODEOWNERS/x"),
    ],
)
def test_bad_output_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "policy", root / "policy")
    shutil.copy(ROOT / "CODEOWNERS", root / "CODEOWNERS")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = run_policy("diff", "--base-dir", str(root), *args, cwd=root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_report_refuses_a_docx_name_for_its_markdown(repo: Path) -> None:
    result = run_policy("report", "HEAD~1", "HEAD", "--output", "report.docx", cwd=repo)
    assert result.returncode == 2 and "a .docx name for markdown output" in result.stderr
    assert not (repo / "report.docx").exists()


# --- LibreOffice, the real client -------------------------------------------------------------

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub Resolve(source As String, command As String, target As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  frame = document.CurrentController.Frame
  helper.executeDispatch(frame, &quot;.uno:&quot; &amp; command, &quot;&quot;, 0, Array())
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;Text (encoded)&quot;
  document.storeToURL(ConvertToURL(target), store())
  document.close(True)
End Sub
</script:module>
"""
"""Accept or Reject all tracked changes as a reviewer would (the same command as the menu
item), then save as text: a Basic macro in a throwaway LibreOffice profile."""


def _soffice(profile: Path, *args: str) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory: pytest.TempPathFactory, redline: bytes) -> dict[str, str]:
    """The redline exported by LibreOffice: as it opens (text, PDF), all accepted, all
    rejected."""
    if shutil.which("soffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    folder = tmp_path_factory.mktemp("libreoffice")
    profile = folder / "profile"
    source = folder / "redline.docx"
    source.write_bytes(redline)
    _soffice(
        profile, "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder), str(source)
    )
    _soffice(profile, "--convert-to", "pdf", "--outdir", str(folder), str(source))
    basic = profile / "user" / "basic" / "Standard"
    (basic / "Module1.xba").write_text(_MACRO, encoding="utf-8")
    shutil.rmtree(profile / "user" / "pack", ignore_errors=True)  # the cached copy of Module1
    outputs = {"opened": folder / "redline.txt"}
    for side, command in (
        ("accepted", "AcceptAllTrackedChanges"),
        ("rejected", "RejectAllTrackedChanges"),
    ):
        outputs[side] = folder / f"{side}.txt"
        _soffice(
            profile, f'macro:///Standard.Module1.Resolve("{source}","{command}","{outputs[side]}")'
        )
    texts = {side: path.read_text(encoding="utf-8-sig") for side, path in outputs.items()}
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(folder / "redline.pdf"), "-"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    texts["pdf"] = " ".join(pdf.stdout.split())
    return texts


def test_libreoffice_accept_all_and_reject_all_give_one_side(
    repo: Path, libreoffice: dict[str, str]
) -> None:
    head, base = _texts(repo), _texts(ROOT)
    heads, bases = set(_paragraphs(head, *head)), set(_paragraphs(base, *base))
    accepted = libreoffice["accepted"].splitlines()
    rejected = libreoffice["rejected"].splitlines()
    assert _paragraphs(head, "sm-049", "sm-099") == [t for t in accepted if t in heads]
    assert _paragraphs(base, "sm-049", "sm-053") == [t for t in rejected if t in bases]
    assert not set(_paragraphs(base, "sm-049", "sm-053")) & set(accepted)
    assert not set(_paragraphs(head, "sm-049", "sm-099")) & set(rejected)
    assert "Nooit je wachtwoord of een connectieverzoek (sm-049)" in accepted
    assert "Sectie: monitoring · Niveau: verboden · gewijzigd artikel" in accepted


def test_libreoffice_opens_it_with_the_changes_shown_in_text_and_pdf(
    libreoffice: dict[str, str],
) -> None:
    opened = libreoffice["opened"]
    assert "Nooit je wachtwoord of een connectieverzoek (sm-049)" in opened
    # Both sides stand in the text while the changes are shown, not yet accepted or rejected.
    assert "Weigeren heeft geennooit gevolgen voor je werk" in opened
    assert "Geen profielen van medewerkers (sm-099)" in opened
    pdf = libreoffice["pdf"]
    assert "Hoe lang wij gegevens bewaren (sm-053)" in pdf
    assert "Niveau: verboden" in pdf
