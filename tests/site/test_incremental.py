"""The incremental site build: a policy's pages are kept from the previous output when their
inputs are the same, made again when not, and the result is always byte for byte the site a
full build makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import day_epoch, run_policy
from tests.site import test_build
from tests.site.test_build import folder_state, release
from tools.base import loader
from tools.base.gitio import GitRepository
from tools.site.build import gather_site
from tools.site.parsestore import FOLDER
from tools.site.reuseio import MANIFEST, previous_site

released_repo = test_build.released_repo
"""The mini policy released as 1.0.0 and 1.1.0 (the fixture of ``test_build.py``)."""

TODAY = "2027-01-15"
"""1.0.0 is in force, 1.1.0 takes effect later."""


def site(repo: Path, out: Path) -> str:
    result = run_policy("site", "--out", str(out), cwd=repo, today=TODAY)
    assert result.returncode == 0, result.stderr
    return result.stdout


def pages(out: Path) -> dict[str, bytes]:
    """The published files: neither the manifest nor the parsed store."""
    return {
        path: data
        for path, data in folder_state(out).items()
        if path != MANIFEST and not path.startswith(f"{FOLDER}/")
    }


def reword(repo: Path, old: str, new: str) -> None:
    section = repo / "policy/mini/sections/algemeen.yaml"
    text = section.read_text("utf-8")
    assert old in text
    section.write_text(text.replace(old, new), "utf-8")


def test_a_rebuild_without_changes_keeps_every_page(
    released_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second build reads only policy.yaml of the kept policy and writes no page; a build
    on another day, when another release is in force, keeps nothing."""
    out = tmp_path / "site"
    first = site(released_repo, out)
    built = folder_state(out)
    assert first.startswith("wrote ") and "unchanged" not in first
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert list(manifest["inputs"]) == ["mini"]
    previous = previous_site(out)
    assert previous is not None
    repo = GitRepository(released_repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day_epoch("2027-03-01"))
    assert gather_site(repo, previous=previous).policies[0].kept is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day_epoch(TODAY))
    (policy,) = gather_site(repo, previous=previous).policies
    assert policy.kept is not None and set(policy.kept) == {
        path for path in built if path.startswith("mini/")
    }
    assert policy.current is not None and policy.current.page.policy.sections == ()
    again = site(released_repo, out)
    assert again.startswith("wrote 0 files") and f"({len(built) - 1} unchanged)" in again
    assert folder_state(out) == built


def test_a_one_clause_release_rebuilds_its_pages_byte_identical_to_a_full_build(
    released_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a release that rewords one clause (in force at once), the policy's pages are made
    again and show the new text; the folder equals a site built from nothing."""
    out, full = tmp_path / "site", tmp_path / "full"
    site(released_repo, out)
    before = folder_state(out)
    reword(released_repo, "Dit is betere uitleg.", "Dit is de beste uitleg.")
    release(released_repo, "1.2.0", "patch", "2027-01-10", "2026-12-01", monkeypatch)
    site(released_repo, out)
    site(released_repo, full)
    after = folder_state(out)
    assert pages(out) == pages(full)
    manifest = json.loads(after[MANIFEST])
    assert manifest["files"] == json.loads(folder_state(full)[MANIFEST])["files"]
    stored = {path.removeprefix(f"{FOLDER}/") for path in after if path.startswith(FOLDER)}
    named = set().union(*manifest["parsed"]["policies"].values())
    assert stored == named and stored
    assert "Dit is de beste uitleg." in after["mini/index.html"].decode("utf-8")
    assert after["mini/index.html"] != before["mini/index.html"]
    assert "mini/1.2.0.html" in after and "mini/1.2.0.html" not in before


def test_a_page_changed_by_hand_is_made_again(released_repo: Path, tmp_path: Path) -> None:
    """A kept page must still be what the build wrote: one edited by hand is rewritten, and a
    previous build that did not finish keeps nothing."""
    out = tmp_path / "site"
    site(released_repo, out)
    built = folder_state(out)
    (out / "mini/changelog.html").write_text("met de hand", "utf-8")
    again = site(released_repo, out)
    assert again.startswith("wrote 1 file ")
    assert pages(out) == {path: data for path, data in built.items() if path != MANIFEST}
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest["writing"] = {}
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    assert previous_site(out) is None


def test_a_rebuild_parses_only_what_the_store_lacks_and_never_trusts_a_changed_entry(
    released_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build over a previous output keeps the section files it parsed; the next one that
    makes the policy's pages again parses none of them, and an entry changed since (or
    removed) is parsed again and written anew; the pages are a full build's every time."""
    out, full = tmp_path / "site", tmp_path / "full"
    site(released_repo, out)
    assert not (out / FOLDER).exists()  # a first build pays nothing for the store
    reword(released_repo, "Dit is betere uitleg.", "Dit is de beste uitleg.")
    release(released_repo, "1.2.0", "patch", "2027-01-10", "2026-12-01", monkeypatch)
    site(released_repo, out)
    entries = sorted((out / FOLDER).iterdir())
    assert entries
    parsed = _parsed_paths(monkeypatch)
    (out / "mini/index.html").unlink()  # the policy's pages are made again
    site(released_repo, out)
    assert not [path for path in parsed if "/sections/" in path]
    site(released_repo, full)
    assert pages(out) == pages(full)
    entries[0].write_text(entries[0].read_text("utf-8").replace("uitleg", "UITLEG"), "utf-8")
    entries[-1].unlink()
    (out / "mini/index.html").unlink()
    parsed.clear()
    site(released_repo, out)
    assert len([path for path in parsed if "/sections/" in path]) == (2 if len(entries) > 1 else 1)
    assert pages(out) == pages(full)
    assert "UITLEG" not in entries[0].read_text("utf-8") and entries[-1].exists()


def test_the_store_of_another_tool_is_not_used_and_a_file_not_its_own_is_left(
    released_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries the manifest names for another tool (another version or source) are parsed
    again and replaced; a file in the store that no manifest named stays."""
    out, full = tmp_path / "site", tmp_path / "full"
    site(released_repo, out)
    reword(released_repo, "Dit is betere uitleg.", "Dit is de beste uitleg.")
    release(released_repo, "1.2.0", "patch", "2027-01-10", "2026-12-01", monkeypatch)
    site(released_repo, out)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest["parsed"]["tool"] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    stranger = out / FOLDER / f"{'a' * 40}.json"
    stranger.write_text("{}", "utf-8")
    parsed = _parsed_paths(monkeypatch)
    (out / "mini/index.html").unlink()
    site(released_repo, out)
    assert [path for path in parsed if "/sections/" in path]
    site(released_repo, full)
    assert pages(out) == pages(full)
    assert stranger.read_text("utf-8") == "{}"
    again = json.loads((out / MANIFEST).read_text("utf-8"))["parsed"]
    assert again["tool"] != "0" * 64 and stranger.name not in set().union(
        *again["policies"].values()
    )


def test_a_store_folder_that_is_a_symbolic_link_is_neither_read_nor_written(
    released_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store could lead out of the site through a link: the build keeps nothing then."""
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site(released_repo, out)
    elsewhere.mkdir()
    (out / FOLDER).symlink_to(elsewhere)
    reword(released_repo, "Dit is betere uitleg.", "Dit is de beste uitleg.")
    release(released_repo, "1.2.0", "patch", "2027-01-10", "2026-12-01", monkeypatch)
    site(released_repo, out)
    assert list(elsewhere.iterdir()) == []
    assert "Dit is de beste uitleg." in (out / "mini/index.html").read_text("utf-8")


def _parsed_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the loader parses from here on (it still parses them: a counter, no stand-in)."""
    parsed: list[str] = []
    original = loader._load_uncached

    def counted(*args: object, **kwargs: object) -> object:
        parsed.append(str(args[1]))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_load_uncached", counted)
    return parsed
