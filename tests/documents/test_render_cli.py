"""``policy render --format docx|pdf --output FILE`` as a user runs it, and its bad input."""

from __future__ import annotations

import io
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run_policy
from tests.documents.pages import read_docx
from tests.faults import tmpfs_over

DAY = "2027-02-01"


def test_docx_and_pdf_are_written_to_the_output_the_same_each_time(
    mini_repo: Callable[..., Path], tmp_path: Path
) -> None:
    root = mini_repo()
    out = tmp_path / "out"
    for form in ("docx", "pdf"):
        target = out / f"beleid.{form}"
        first = run_policy("render", "--format", form, "--output", str(target), cwd=root, today=DAY)
        assert (first.returncode, first.stdout, first.stderr) == (0, f"wrote {target}\n", "")
        data = target.read_bytes()
        again = run_policy("render", "mini", "--format", form, "--output", str(target), cwd=root,
                           today=DAY)  # fmt: skip
        assert again.returncode == 0 and target.read_bytes() == data
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    headings = [p.text for p in read_docx((out / "beleid.docx").read_bytes()) if p.style]
    assert headings[:3] == ["Mini", "Inhoud", "Algemeen"]
    info = PdfReader(io.BytesIO((out / "beleid.pdf").read_bytes())).metadata
    assert info is not None and info["/CreationDate"] == "D:20270201120000Z"
    assert sorted(p.name for p in out.iterdir()) == ["beleid.docx", "beleid.pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "--format pdf writes a file: give --output FILE.pdf"),
        (["--format", "docx"], "--format docx writes a file: give --output FILE.docx"),
        (
            ["--format", "markdown", "--output", "x.docx"],
            "--output is for --format docx or pdf; markdown goes to stdout (redirect it)",
        ),
        (
            ["--format", "pdf", "--output", "x.docx"],
            "--output x.docx: a pdf file's name ends in .pdf",
        ),
        (
            ["--format", "docx", "--version", "2.0.0", "--output", "x.docx"],
            "'mini' has no release 2.0.0 (releases: none yet)",
        ),
    ],
)
def test_bad_input_is_a_one_line_error_and_writes_nothing(
    mini_repo: Callable[..., Path], args: list[str], message: str
) -> None:
    root = mini_repo()
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    done = run_policy("render", *args, cwd=root, today=DAY)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"policy: error: {message}\n")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_an_output_that_cannot_be_written_is_a_one_line_error(
    mini_repo: Callable[..., Path], tmp_path: Path
) -> None:
    root = mini_repo()
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    target = tmp_path / "file" / "beleid.docx"
    done = run_policy("render", "--format", "docx", "--output", str(target), cwd=root)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"policy: error: --output {target}: cannot write it: ")
    assert done.stderr.count("\n") == 1


def test_a_read_only_folder_keeps_the_old_file_whole(
    mini_repo: Callable[..., Path], tmp_path: Path
) -> None:
    root = mini_repo()
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "beleid.pdf").write_bytes(b"the old file")
    with tmpfs_over(folder, "size=1m"):
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        target = folder / "beleid.pdf"
        done = run_policy("render", "--format", "pdf", "--output", str(target), cwd=root)
        assert done.returncode == 2
        assert done.stderr == (
            f"policy: error: --output {target}: cannot write it: Read-only file system\n"
        )
        assert target.read_bytes() == b"the old file"
        assert [p.name for p in folder.iterdir()] == ["beleid.pdf"]
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
