"""``policy site`` and ``policy render`` on real folders and real git repositories with releases."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import html5lib
import pytest

from tests.conftest import MINI_FILES, git, run_policy, write_tree
from tests.releasekit import (
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    new_shipped_repo,
    note,
    run_as,
)
from tests.test_site import broken_links
from tools.sitebuild import MANIFEST, SiteOutputError, write_site

HTML = "{http://www.w3.org/1999/xhtml}"


def parse_html(text: str) -> ET.Element:
    """Parsed by a conforming HTML5 parser; strict: any parse error fails."""
    return html5lib.HTMLParser(strict=True).parse(text)  # type: ignore[no-any-return]


def text_of(path: Path) -> str:
    return " ".join("".join(parse_html(path.read_text("utf-8")).itertext()).split())


def release(
    repo: Path, version: str, impact: str, effective: str, day: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commit a release as the release command does: notes, changelog, trailers, annotated tag."""
    meta = (repo / "policy/mini/policy.yaml").read_text("utf-8")
    meta = "\n".join(
        f"version: {version}" if line.startswith("version:") else line for line in meta.splitlines()
    )
    (repo / "policy/mini/policy.yaml").write_text(meta + "\n", encoding="utf-8")
    notes = (
        f"# Mini, versie {version}\n\n**Geldt vanaf:** {effective}\n\n## Gewijzigd\n\n"
        "### Uitleg (mi-003)\n\n*Hoofdstuk: Algemeen · informatief*\n\n## Vervallen\n\n"
        "### Oud (mi-009)\n\nDit artikel vervalt.\n"
    )
    changelog = repo / "changelog/mini/CHANGELOG.md"
    previous = changelog.read_text("utf-8") if changelog.exists() else "# Wijzigingen in Mini\n"
    write_tree(
        repo,
        {
            f"changelog/mini/{version}.md": notes,
            "changelog/mini/CHANGELOG.md": f"{previous}\n## [{version}] - {effective}\n",
        },
    )
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+00:00")
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{day}T12:00:00+00:00")
    git(repo, "add", "-A")
    message = (
        f"Release mini {version}\n\nPolicy: mini\nPolicy-Version: {version}\n"
        f"Policy-Impact: {impact}\nPolicy-Effective: {effective}\n"
    )
    git(repo, "commit", "-q", "-m", message)
    git(repo, "tag", "-a", f"mini/v{version}", "-m", f"mini {version}")


@pytest.fixture
def released_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini policy released as 1.0.0, then 1.1.0 with mi-003 reworded."""
    repo = write_tree(tmp_path / "repo", MINI_FILES)
    git(repo, "init", "-q", "-b", "main")
    release(repo, "1.0.0", "major", "2027-01-01", "2026-11-02", monkeypatch)
    section = repo / "policy/mini/sections/algemeen.yaml"
    section.write_text(
        section.read_text("utf-8").replace("Dit is uitleg.", "Dit is betere uitleg."), "utf-8"
    )
    release(repo, "1.1.0", "minor", "2027-02-01", "2026-11-20", monkeypatch)
    return repo


def test_site_from_a_repository_with_releases(released_repo: Path, tmp_path: Path) -> None:
    """Pages for the policy, each release and the changelog; clause versions from history."""
    out = tmp_path / "out"
    result = run_policy("site", "--out", str(out), cwd=released_repo)
    assert result.returncode == 0, result.stderr
    assert f"wrote 8 files to {out}" in result.stdout
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        MANIFEST,
        "feed.xml",
        "index.html",
        "mini/1.0.0.html",
        "mini/1.0.0.md",
        "mini/1.1.0.html",
        "mini/1.1.0.md",
        "mini/changelog.html",
        "mini/index.html",
    ]
    page = text_of(out / "mini/index.html")
    assert "Versie: 1.1.0 Geldt vanaf:" in page
    assert "Wees beleefd (mi-001) Verplicht · Laatst gewijzigd in versie 1.0.0" in page
    assert "Uitleg (mi-003) Informatief · Laatst gewijzigd in versie 1.1.0" in page
    assert "Verantwoordelijk: Communicatie" in page
    notes = parse_html((out / "mini/1.1.0.html").read_text("utf-8"))
    hrefs = [a.get("href") for h in notes.iter(f"{HTML}h3") for a in h.iter(f"{HTML}a")]
    assert hrefs == ["index.html#mi-003"]  # mi-009 is under Vervallen: no link
    feed = feedparser.parse((out / "feed.xml").read_text("utf-8"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [(e.title, e.updated) for e in feed.entries] == [
        ("Mini, versie 1.1.0", "2026-11-20T00:00:00Z"),
        ("Mini, versie 1.0.0", "2026-11-02T00:00:00Z"),
    ]


def test_site_after_real_releases_of_the_shipped_policy(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    """policy release twice (1.0.0, then sm-016 reworded in 1.1.0), then policy site: the
    versions per clause, the linked release notes and the feed follow the real releases."""
    repo = new_shipped_repo(tmp_path / "shipped", keys)
    first = repo.release()
    assert first.returncode == 0, first.stdout + first.stderr
    repo.change(
        PROFESSIONAL,
        SHOULD_BEFORE,
        SHOULD_AFTER,
        notes={"werktijd": note("[sm-016]", "Gebruik sociale media onder werktijd *beperkt*.")},
    )
    repo.approve("eva.visser")
    repo.approve("sanne.devries")
    second = repo.release()
    assert second.returncode == 0, second.stdout + second.stderr
    out = tmp_path / "site"
    url = "https://intranet.example/beleid"
    done = run_as("anouk", repo.root, "site", "--out", str(out), "--base-url", url)
    assert done.returncode == 0, done.stderr
    page = text_of(out / "social-media/index.html")
    assert "Versie: 1.1.0 Geldt vanaf: 1 januari 2027" in page
    assert "(sm-016) Aanbevolen · Laatst gewijzigd in versie 1.1.0" in page
    assert "(sm-001) Informatief · Laatst gewijzigd in versie 1.0.0" in page
    assert "Verantwoordelijk: Human Resources, Ondernemingsraad" in page
    notes = parse_html((out / "social-media/1.1.0.html").read_text("utf-8"))
    hrefs = [a.get("href") for h in notes.iter(f"{HTML}h3") for a in h.iter(f"{HTML}a")]
    assert hrefs == ["index.html#sm-016"]
    assert "Gebruik sociale media onder werktijd beperkt" in text_of(
        out / "social-media/1.1.0.html"
    )
    assert "[1.1.0] - 2027-01-01" in text_of(out / "social-media/changelog.html")
    feed = feedparser.parse((out / "feed.xml").read_text("utf-8"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [e.link for e in feed.entries] == [
        f"{url}/social-media/1.1.0.html",
        f"{url}/social-media/1.0.0.html",
    ]
    files = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.*")}
    assert broken_links(files)[0] == []


def test_clause_changed_since_the_last_release_is_not_yet_released(released_repo: Path) -> None:
    """A clause reworded in the working tree shows as not yet released, not as 1.0.0."""
    section = released_repo / "policy/mini/sections/algemeen.yaml"
    section.write_text(
        section.read_text("utf-8").replace("Je bent beleefd", "Je bent altijd beleefd"), "utf-8"
    )
    result = run_policy("render", "--format", "markdown", cwd=released_repo)
    assert result.returncode == 0, result.stderr
    assert "### Wees beleefd (mi-001) {#mi-001}\n\n*Verplicht · Nog niet uitgebracht*" in (
        result.stdout
    )
    assert "*Informatief · Laatst gewijzigd in versie 1.1.0*" in result.stdout


def test_render_prints_one_policy_page(released_repo: Path) -> None:
    """policy render: a valid HTML page by default; an unknown policy cannot run (exit 2)."""
    result = run_policy("render", "mini", cwd=released_repo)
    assert result.returncode == 0, result.stderr
    root = parse_html(result.stdout)
    assert root.find(f".//{HTML}h3[@id='mi-001']") is not None
    unknown = run_policy("render", "nope", cwd=released_repo)
    assert unknown.returncode == 2
    assert "no policy 'nope'" in unknown.stderr


def test_site_outside_git_before_any_release(mini_repo: Callable[..., Path]) -> None:
    """No git, no release: the site still builds, with everything marked not yet released."""
    repo = mini_repo()
    result = run_policy("site", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "Versie: 1.0.0 (nog niet uitgebracht)" in text_of(repo / "_site/mini/index.html")
    feed = feedparser.parse((repo / "_site/feed.xml").read_text("utf-8"))
    assert feed.bozo == 0 and feed.entries == []


def test_shipped_monitoring_section_names_hr_and_the_works_council(shipped_repo: Path) -> None:
    """Responsible departments come from CODEOWNERS, every required section, by name."""
    result = run_policy("render", "--format", "markdown", cwd=shipped_repo)
    assert result.returncode == 0, result.stderr
    section = result.stdout.split("{#hoofdstuk-monitoring}", 1)[1]
    assert section.startswith("\n\n**Verantwoordelijk:** Human Resources, Ondernemingsraad\\\n")


def test_shipped_site_is_valid_html_with_working_links(shipped_repo: Path) -> None:
    """The shipped policy's site: every page parses strictly and every inside link resolves."""
    result = run_policy("site", cwd=shipped_repo)
    assert result.returncode == 0, result.stderr
    out = shipped_repo / "_site"
    files = {
        p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*") if p.is_file()
    }
    broken, checked = broken_links(files)
    assert not broken
    assert checked > 100  # the table of contents and the "Zie ook" links of 58 clauses


def test_refuses_a_folder_with_other_files(mini_repo: Callable[..., Path], tmp_path: Path) -> None:
    """A non-empty folder that is not a previous site output is left alone (exit 2)."""
    repo = mini_repo()
    out = write_tree(tmp_path / "docs", {"notes.txt": "mijn aantekeningen\n"})
    result = run_policy("site", "--out", str(out), cwd=repo)
    assert result.returncode == 2
    assert "not a previous site output" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_refuses_a_file_as_output(tmp_path: Path) -> None:
    """--out naming a file: an error, the file untouched."""
    target = write_tree(tmp_path, {"site": "x"}) / "site"
    with pytest.raises(SiteOutputError):
        write_site(target, {"index.html": "y"})
    assert target.read_text("utf-8") == "x"


def test_rewrites_a_previous_output_and_never_deletes_user_files(tmp_path: Path) -> None:
    """Over a previous output: stale pages go, a changed stale page and user files stay."""
    out = tmp_path / "site"
    write_site(out, {"index.html": "1", "a/old.html": "old", "a/edited.html": "e"})
    (out / "a/edited.html").write_text("changed by hand", "utf-8")
    (out / "mine.txt").write_text("mine", "utf-8")
    result = write_site(out, {"index.html": "2"})
    assert (result.written, result.removed, result.kept) == (
        ("index.html",),
        ("a/old.html",),
        ("a/edited.html",),
    )
    assert (out / "index.html").read_text("utf-8") == "2"
    assert not (out / "a/old.html").exists()
    assert (out / "a/edited.html").read_text("utf-8") == "changed by hand"
    assert (out / "mine.txt").read_text("utf-8") == "mine"
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert sorted(manifest["files"]) == ["index.html"]


def test_pages_are_readable_by_everyone(tmp_path: Path) -> None:
    """A web server runs as another user: the pages are 0644, not a temporary file's 0600."""
    out = tmp_path / "site"
    write_site(out, {"index.html": "1", "a/b.html": "2"})
    assert {(out / name).stat().st_mode & 0o777 for name in ("index.html", "a/b.html")} == {0o644}


def test_refuses_a_symbolic_link_inside_the_output(tmp_path: Path) -> None:
    """A folder of the output that is a symbolic link would lead the writes elsewhere."""
    out = tmp_path / "site"
    write_site(out, {"index.html": "1"})
    (tmp_path / "elsewhere").mkdir()
    (out / "mini").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SiteOutputError, match="symbolic link"):
        write_site(out, {"mini/index.html": "2"})
    assert not (tmp_path / "elsewhere/index.html").exists()


def test_refuses_to_publish_a_symbolic_link(mini_repo: Callable[..., Path], tmp_path: Path) -> None:
    """A changelog that is a symbolic link could publish any file: exit 2, nothing written."""
    repo = mini_repo()
    secret = write_tree(tmp_path, {"secret.txt": "geheim\n"}) / "secret.txt"
    (repo / "changelog/mini").mkdir(parents=True)
    (repo / "changelog/mini/CHANGELOG.md").symlink_to(secret)
    result = run_policy("site", cwd=repo)
    assert result.returncode == 2
    assert "changelog/mini/CHANGELOG.md" in result.stderr
    assert not (repo / "_site").exists()


def test_base_url_must_be_an_http_address(mini_repo: Callable[..., Path]) -> None:
    """--base-url that is not http(s)://host/...: exit 2, nothing written."""
    repo = mini_repo()
    result = run_policy("site", "--base-url", "intranet/beleid", cwd=repo)
    assert result.returncode == 2
    assert not (repo / "_site").exists()


def test_base_url_makes_feed_links_absolute(mini_repo: Callable[..., Path]) -> None:
    """With --base-url the feed links to the published site."""
    repo = mini_repo()
    result = run_policy("site", "--base-url", "https://intranet.example/beleid", cwd=repo)
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((repo / "_site/feed.xml").read_text("utf-8"))
    assert feed.bozo == 0
    assert feed.feed.link == "https://intranet.example/beleid/index.html"
