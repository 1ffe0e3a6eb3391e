"""The seam's object reader (one ``git cat-file --batch``) and what it spares a command: the
read-only commands never import GitPython, and the reader answers exactly what git stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git, write_tree
from tools.base.errors import GitError, RevisionError
from tools.base.gitcat import CatFile, parse_commit, parse_tree
from tools.base.gitio import GitRepository

# Runs the CLI like the console script does and reports, whatever happens, which of GitPython's
# modules the run imported.
_PROBE = """
import json, sys
from tools.cli.main import main
try:
    code = main(sys.argv[1:])
finally:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"git", "gitdb"})
    sys.stderr.write("\\nGITPYTHON " + json.dumps(loaded) + "\\n")
sys.exit(code)
"""


@pytest.fixture
def changed(mini_released: Path) -> Path:
    """The released mini policy, and a branch ``change`` that rewords one clause."""
    root = mini_released
    git(root, "checkout", "-q", "-b", "change")
    section = root / "policy/mini/sections/algemeen.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace("beleefd op", "altijd beleefd op"),
        encoding="utf-8",
    )
    git(root, "commit", "-qam", "Reword mi-001")
    git(root, "checkout", "-q", "main")
    return root


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["diff", "main", "change", "--policy", "mini"], {0}),
        (["approvals", "main", "change", "--format", "json"], {1}),
        (["validate"], {0}),
        (["site", "--out", "{tmp}/site"], {0}),
        (["history", "mini"], {0}),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else "",
)
def test_reading_commands_never_import_gitpython(
    changed: Path, tmp_path: Path, args: list[str], codes: set[int]
) -> None:
    env = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1800000000"}
    command = [sys.executable, "-c", _PROBE, *(a.replace("{tmp}", str(tmp_path)) for a in args)]
    done = subprocess.run(
        command, cwd=changed, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode in codes, done.stdout + done.stderr
    report = [line for line in done.stderr.splitlines() if line.startswith("GITPYTHON ")]
    assert report and json.loads(report[-1].removeprefix("GITPYTHON ")) == [], done.stderr


def test_odd_names_symlinks_and_submodules(tmp_path: Path) -> None:
    """Names with spaces, a newline and non-UTF-8 bytes are listed and read exactly; a link
    and a submodule are listed and refuse to be read."""
    root = tmp_path / "repo"
    names = ["p/a b.yaml", "p/new\nline.yaml", "p/caf\u00e9.yaml", os.fsdecode(b"p/\xff.yaml")]
    write_tree(root, {name: f"{index}\n" for index, name in enumerate(names)})
    (root / "p" / "link.yaml").symlink_to("a b.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},p/sub")
    git(root, "commit", "-qm", "odd")
    snapshot = GitRepository(root).snapshot("main")
    assert snapshot.files("p") == sorted([*names, "p/link.yaml", "p/sub"])
    assert [snapshot.read(name) for name in names] == [b"0\n", b"1\n", b"2\n", b"3\n"]
    with pytest.raises(Exception, match="symbolic link at main"):
        snapshot.read("p/link.yaml")
    with pytest.raises(Exception, match="submodule at main"):
        snapshot.read("p/sub")
    assert GitRepository(root).blob_at("main", "p/new\nline.yaml") == b"1\n"


def test_revisions_missing_ambiguous_and_odd(tmp_path: Path) -> None:
    root = _one_commit(tmp_path)
    repo = GitRepository(root)
    head = repo.head_id()
    assert repo.commit_id(head[:7]) == head and repo.commit_id("main^{}") == head
    for bad in ("", "main\nHEAD", "nope", "main..main", "main:a", "main^{tree}", "-x", "0"):
        with pytest.raises(RevisionError):
            repo.commit_id(bad)
    reader = CatFile(root)
    assert reader.read("main missing") is None and reader.read(f"{head} x") is None
    reader.close()
    assert reader.read(head) is not None  # a closed reader starts again when asked
    reader.close()


def test_the_reader_ends_with_the_repository(tmp_path: Path) -> None:
    root = _one_commit(tmp_path)
    repo = GitRepository(root)
    repo.head_id()
    process = repo._objects()._process
    assert process is not None and process.poll() is None
    repo.close()
    assert process.returncode == 0


def test_the_parsers_read_what_git_writes() -> None:
    entry_id = bytes(range(20))
    data = b"100644 a b\0" + entry_id + b"40000 dir\0" + entry_id
    assert [(e.name, e.mode, e.id) for e in parse_tree(data, 20)] == [
        ("a b", 0o100644, entry_id.hex()),
        ("dir", 0o040000, entry_id.hex()),
    ]
    raw = (
        b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent " + b"1" * 40 + b"\n"
        b"author A <a@x.nl> 1 +0000\ncommitter C <c@x.nl> 1700000000 +0100\n"
        b"gpgsig -----BEGIN-----\n x\n -----END-----\n\nSubject\n\nKey: value\n"
    )
    commit = parse_commit("c" * 40, raw)
    assert (commit.parents, commit.author_email, commit.committer_email) == (
        ("1" * 40,),
        "a@x.nl",
        "c@x.nl",
    )
    assert commit.committed == 1700000000 and commit.message == "Subject\n\nKey: value\n"


def test_modes_are_made_canonical_as_git_does() -> None:
    """Any folder mode is a folder, any file mode a file; the rest reads as a submodule."""
    entry_id = bytes(20)
    data = b"".join(
        mode + b" " + name + b"\0" + entry_id
        for mode, name in [
            (b"100664", b"a"), (b"100775", b"b"), (b"40755", b"c"), (b"120777", b"d"),
            (b"160000", b"e"), (b"170000", b"f"),
        ]
    )  # fmt: skip
    modes = [entry.mode for entry in parse_tree(data, 20)]
    assert modes == [0o100644, 0o100755, 0o040000, 0o120000, 0o160000, 0o160000]


@pytest.mark.parametrize(
    "data",
    [
        b"100644 a\0" + bytes(19),  # a short id
        b"10x644 a\0" + bytes(20),  # a mode that is not octal
        b"100644 \0" + bytes(20),  # no name
        b"100644 a/b\0" + bytes(20),
        b"40000 ..\0" + bytes(20),
        b"100644 a\0" + bytes(20) + b"40000 a\0" + bytes(20),  # the same name twice
        b"100644 a" + bytes(20),  # no NUL
    ],
)
def test_a_malformed_tree_is_refused(data: bytes) -> None:
    with pytest.raises(GitError, match="malformed"):
        parse_tree(data, 20)


def test_only_parents_right_after_the_tree_count() -> None:
    """git reads a commit's parents right after its tree; one written further down is not."""
    raw = (
        b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent " + b"1" * 40 + b"\n"
        b"author A <a@x.nl> 1 +0000\ncommitter C <c@x.nl> 1 +0000\nparent " + b"2" * 40 + b"\n"
        b"\nSubject\n"
    )
    assert parse_commit("c" * 40, raw).parents == ("1" * 40,)


def test_a_revision_git_cannot_read_is_unknown_and_leaves_no_process(tmp_path: Path) -> None:
    """cat-file exits on HEAD@{999}: the revision is unknown, the process is reaped, and the
    next read starts another one."""
    root = _one_commit(tmp_path)
    repo = GitRepository(root)
    head = repo.head_id()
    first = repo._objects()._process
    assert not repo.has_commit("HEAD@{999}")
    with pytest.raises(RevisionError, match="unknown revision"):
        repo.commit_id("HEAD@{999}")
    assert first is not None and first.returncode is not None  # waited for: no zombie
    assert repo.commit_id("main") == head
    repo.close()


def _one_commit(tmp_path: Path) -> Path:
    """A repository with one commit of one file, on ``main``."""
    root = write_tree(tmp_path / "repo", {"a": "a\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    return root


def test_one_tag_listing_names_every_tag_and_the_facts_of_commit_tags(tmp_path: Path) -> None:
    root = _one_commit(tmp_path)
    git(root, "tag", "p/v1.0.0")
    git(root, "tag", "-a", "p/v1.1.0", "-m", "release")
    blob = git(root, "rev-parse", "HEAD:a").strip()
    git(root, "tag", "p/v9.9.9", blob)  # a tag of a file, not of a commit
    repo = GitRepository(root)
    names, facts = repo.tag_listing()
    assert names == ["p/v1.0.0", "p/v1.1.0", "p/v9.9.9"] == repo.tag_names("")
    assert sorted(facts) == ["p/v1.0.0", "p/v1.1.0"] and facts == repo.tagged_commit_facts("")
    repo.close()
