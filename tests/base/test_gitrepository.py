"""The git seam's interface on a real repository: plain ids and data in and out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import git, write_tree
from tools.base.errors import RevisionError
from tools.base.gitio import GitRepository
from tools.base.gitlog import EMPTY_TREE, ChangedPath
from tools.base.snapshot import git_blob_id

MOMENT = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """The identity git writes commits and tags as, from this process's environment."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Seam")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "seam@test.nl")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Two commits on main (a.txt, then b.txt and a change to a.txt), the first tagged, and a
    side branch off the first."""
    root = tmp_path / "repo"
    write_tree(root, {"a.txt": "one\n", "policy/p/policy.yaml": "id: p\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    git(root, "tag", "-a", "-m", "first", "p/v1.0.0")
    write_tree(root, {"a.txt": "two\n", "b.txt": "bee\n"})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "second\n\nPolicy: p\nPolicy-Version: 1.1.0")
    git(root, "branch", "side", "HEAD~1")
    return root


def test_outside_git_the_repository_opens_only_when_asked(tmp_path: Path) -> None:
    repo = GitRepository(tmp_path)  # nothing read yet: a command without git still runs
    assert repo.root == tmp_path
    assert not repo.is_open()
    with pytest.raises(RevisionError, match="not inside a git repository"):
        repo.commit_id("HEAD")


def test_commits_and_trees_as_ids(root: Path) -> None:
    repo = GitRepository(root / "policy")  # a folder inside finds the repository above it
    head, first = git(root, "rev-parse", "HEAD").strip(), git(root, "rev-parse", "HEAD~1").strip()
    assert repo.is_open()
    assert repo.head_id() == repo.commit_id("main") == head
    assert repo.commit_id("p/v1.0.0") == first
    assert repo.parents(head) == [first] and repo.parent_of(head) == first
    assert repo.parent_of(first) is None
    assert repo.root_commits("HEAD") == [first]
    assert repo.tree_of("HEAD") == git(root, "rev-parse", "HEAD^{tree}").strip()
    assert repo.merge_base("side", "main") == first
    assert repo.is_ancestor(first, head) and not repo.is_ancestor(head, first)
    assert repo.has_commit(first) and not repo.has_commit("f" * 40)
    for bad in ("nope", "--all", "-p"):
        with pytest.raises(RevisionError):
            repo.commit_id(bad)


def test_blobs_snapshots_tags_and_trailers(root: Path) -> None:
    repo = GitRepository(root)
    assert repo.blob_at("HEAD~1", "a.txt") == b"one\n"
    assert repo.blob_at("HEAD~1", "b.txt") is None
    assert repo.blob_at("HEAD", "policy") is None  # a folder is no file
    snapshot = repo.snapshot("p/v1.0.0")
    assert snapshot.commit_id == repo.commit_id("HEAD~1") and snapshot.label == "p/v1.0.0"
    assert snapshot.read("a.txt") == b"one\n"
    assert repo.tag_names("p/") == ["p/v1.0.0"] and repo.tag_names("q/") == []
    tag_object, commit = repo.tag_target("p/v1.0.0") or ("", "")
    assert commit == repo.commit_id("HEAD~1") and tag_object != commit
    assert repo.tag_target("p/v9.9.9") is None
    sha, time, trailers = repo.commit_facts("HEAD")
    assert sha == repo.head_id() and time > 0
    assert trailers == {"Policy": "p", "Policy-Version": "1.1.0"}
    assert repo.commits_with_trailer("HEAD", "Policy", "p") == [(sha, time, trailers)]
    assert repo.commits_with_trailer("HEAD", "Policy", "q") == []


def test_changed_paths_and_contributions(root: Path) -> None:
    repo = GitRepository(root)
    assert repo.changed_paths("HEAD~1", "HEAD") == [
        ChangedPath("a.txt", 0o100644, 0o100644, "M"),
        ChangedPath("b.txt", 0, 0o100644, "A"),
    ]
    assert [c.path for c in repo.changed_paths(None, "HEAD~1")] == ["a.txt", "policy/p/policy.yaml"]
    assert repo.changed_names("HEAD~1", "HEAD") == ["a.txt", "b.txt"]
    (found,) = repo.contributions("HEAD~1", "HEAD")
    assert found.commit == repo.head_id()
    assert found.identities == {"test@test.nl"} and found.paths == {"a.txt", "b.txt"}
    assert len(repo.contributions(None, "HEAD")) == 2


def test_working_tree_and_index(root: Path) -> None:
    repo = GitRepository(root)
    assert repo.tracked_paths() == ["a.txt", "b.txt", "policy/p/policy.yaml"]
    assert repo.dirty_paths() == []
    (root / "a.txt").write_text("changed\n", encoding="utf-8")
    (root / "new.txt").write_text("new\n", encoding="utf-8")
    assert repo.dirty_paths() == ["a.txt"]
    assert repo.dirty_paths(untracked=True) == ["a.txt", "new.txt"]
    assert repo.worktree_file("a.txt") == b"changed\n" and repo.worktree_file("x") is None
    assert repo.index_tree() == repo.tree_of("HEAD")
    assert repo.lock_file("x.lock") == root / ".git" / "x.lock"


@pytest.mark.usefixtures("identity")
def test_writing_a_commit_and_a_tag_then_the_working_tree(root: Path) -> None:
    repo = GitRepository(root)
    old = repo.head_id()
    assert repo.user_email() == "seam@test.nl"
    blob = repo.write_blob("notes\n")
    assert blob == git_blob_id(b"notes\n") and git(root, "cat-file", "-p", blob) == "notes\n"
    commit = repo.write_commit(old, {"notes/1.md": blob}, ["b.txt"], "release\n", MOMENT)
    assert repo.head_id() == old  # objects only: no ref, index or file moved
    assert repo.parents(commit) == [old]
    assert repo.changed_names(old, commit) == ["b.txt", "notes/1.md"]
    again = repo.write_commit(old, {"notes/1.md": blob}, ["b.txt"], "release\n", MOMENT)
    assert again == commit  # the same moment gives the same commit: reproducible
    tag = repo.create_tag("p/v1.1.0", commit, "p 1.1.0", MOMENT, sign=False)
    assert repo.tag_target("p/v1.1.0") == (tag, commit)
    repo.move_head(commit, old, "test: release")
    assert repo.head_id() == commit and repo.commit_id("main") == commit
    repo.update_worktree(old, commit)
    assert repo.worktree_file("notes/1.md") == b"notes\n" and not (root / "b.txt").exists()
    assert repo.index_tree() == repo.tree_of(commit) and repo.dirty_paths() == []
    repo.delete_tag("p/v1.1.0", tag)
    assert repo.tag_target("p/v1.1.0") is None


def test_signing_settings(root: Path) -> None:
    repo = GitRepository(root)
    git(root, "config", "gpg.format", "ssh")
    problem = repo.signing_problem(trial=False)
    assert problem is not None and "no user.signingKey" in problem
    git(root, "config", "user.signingKey", "/nonexistent/key.pub")
    assert repo.signing_key_setting() == "/nonexistent/key.pub"
    assert repo.signing_problem(trial=False) is None
    assert git(root, "hash-object", "-t", "tree", "/dev/null").strip() == EMPTY_TREE
