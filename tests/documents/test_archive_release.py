"""``policy release`` of a policy with ``archive_pdf: true`` writes the released text as
``changelog/<policy>/<version>.pdf`` inside its all-or-nothing release, and ``policy render
--version`` makes the same bytes again from the release's tag."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.gatekit import git_as
from tests.release.test_plan import MINOR, facts
from tests.releasekit import (
    NOTES,
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    ShippedRepo,
    new_shipped_repo,
    note,
    run_as,
)
from tools.release.plan import plan

POLICY_YAML = "policy/social-media/policy.yaml"
ARCHIVE = "changelog/social-media/{}.pdf"


def _text(path: Path) -> str:
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    done = subprocess.run(command, check=True, capture_output=True)
    return " ".join(done.stdout.decode("utf-8").split())


def _render(repo: ShippedRepo, version: str, out: Path) -> bytes:
    done = run_as(
        "anouk", repo.root, "render", "--format", "pdf", "--version", version, "--output", str(out)
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def _fake_pdf(version: str, effective: dt.date) -> bytes:
    return f"%PDF {version} {effective.isoformat()}".encode()


def test_the_plan_writes_the_archive_pdf_only_when_the_policy_asks() -> None:
    asking = {
        **MINOR,
        "policy/mini/policy.yaml": MINOR["policy/mini/policy.yaml"] + "archive_pdf: true\n",
    }
    release = plan(facts(asking, archive=_fake_pdf))
    assert release.ready, release.blockers
    assert dict(release.writes)["changelog/mini/1.1.0.pdf"] == b"%PDF 1.1.0 2027-01-01"
    blocked = plan(facts(asking))
    assert [b.code for b in blocked.blockers] == ["no-archive-pdf"]
    assert blocked.blockers[0].file == "policy/mini/policy.yaml"

    def never(version: str, effective: dt.date) -> bytes:
        raise AssertionError("archive_pdf is false")

    dirty = plan(facts(asking, archive=never, dirty=("x",)))
    assert [b.code for b in dirty.blockers] == ["dirty-tree"]
    quiet = plan(facts(MINOR, archive=never))
    assert quiet.ready and not [p for p, _ in quiet.writes if p.endswith(".pdf")]


@contextmanager
def _no_pdf_laid_out() -> Iterator[None]:
    """WeasyPrint may not run (the CLI runs in this process: tests/conftest.py run_cli)."""
    from tools.documents import gather

    def refuse(*_: object) -> bytes:
        raise AssertionError("a PDF was laid out")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gather, "policy_pdf", refuse)
        yield


@pytest.fixture
def archiving(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    """The shipped policy asking for archive PDFs, its first release approved."""
    repo = new_shipped_repo(tmp_path / "shipped", keys, first_approved=False)
    text = (repo.root / POLICY_YAML).read_text(encoding="utf-8")
    repo.commit({POLICY_YAML: text + "archive_pdf: true\n"}, author="anouk", message="archive")
    repo.approve_first_release()
    return repo


def test_a_release_archives_its_text_and_render_makes_the_same_bytes(
    archiving: ShippedRepo, tmp_path: Path
) -> None:
    with _no_pdf_laid_out():  # a dry run names the archive and writes nothing: no PDF made
        plan = archiving.release("--dry-run", "--verbose")
    assert plan.returncode == 0, plan.stderr
    assert f"    {ARCHIVE.format('1.0.0')}\n" in plan.stdout
    assert not (archiving.root / ARCHIVE.format("1.0.0")).exists()

    first = archiving.release()
    assert first.returncode == 0, first.stdout + first.stderr
    archived = archiving.root / ARCHIVE.format("1.0.0")
    committed = git_as(archiving.root, "anouk", "show", "--stat", "--format=", "HEAD")
    assert ARCHIVE.format("1.0.0") in committed
    assert git_as(archiving.root, "anouk", "status", "--porcelain") == ""
    text = _text(archived)
    assert "versie 1.0.0 · geldt vanaf 1 januari 2027" in text
    assert "nog niet uitgebracht" not in text.lower()
    assert "Informatief · Laatst gewijzigd in versie 1.0.0" in text
    assert _render(archiving, "1.0.0", tmp_path / "again.pdf") == archived.read_bytes()

    archiving.change(
        PROFESSIONAL,
        SHOULD_BEFORE,
        SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Gebruik sociale media onder werktijd *beperkt*.")},
    )
    archiving.approve("eva.visser")
    archiving.approve("sanne.devries")
    second = archiving.release()
    assert second.returncode == 0, second.stdout + second.stderr
    newer = archiving.root / ARCHIVE.format("1.1.0")
    text = _text(newer)
    assert "versie 1.1.0 · geldt vanaf 1 januari 2027" in text
    assert " ".join(SHOULD_AFTER.split()) in text
    assert _render(archiving, "1.1.0", tmp_path / "newer.pdf") == newer.read_bytes()
    assert _render(archiving, "1.0.0", tmp_path / "older.pdf") == archived.read_bytes()
    assert not list((archiving.root / NOTES).glob("*.md"))


def test_render_of_a_version_with_no_release_is_a_one_line_error(
    archiving: ShippedRepo, tmp_path: Path
) -> None:
    out = tmp_path / "none.pdf"
    done = run_as("anouk", archiving.root, "render", "--format", "pdf", "--version", "1.0.0",
                  "--output", str(out))  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (
        "policy: error: 'social-media' has no release 1.0.0 (releases: none yet)\n"
    )
    assert not out.exists()
