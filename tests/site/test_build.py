"""``policy site`` and ``policy render`` on real folders and real git repositories with releases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import html5lib
import pytest

from tests.conftest import MINI_FILES, day_epoch, git, policy_command, run_policy, write_tree
from tests.faults import fill, tmpfs_over
from tests.releasekit import (
    PROFESSIONAL,
    SHOULD_AFTER,
    SHOULD_BEFORE,
    new_shipped_repo,
    note,
    run_as,
)
from tests.site.test_plan import broken_links
from tools.base.errors import SiteOutputError
from tools.site.reuseio import MANIFEST
from tools.site.writeio import write_site

HTML = "{http://www.w3.org/1999/xhtml}"


def parse_html(text: str) -> ET.Element:
    """Parsed by a conforming HTML5 parser; strict: any parse error fails."""
    return html5lib.HTMLParser(strict=True).parse(text)  # type: ignore[no-any-return]


def text_of(path: Path) -> str:
    return " ".join("".join(parse_html(path.read_text("utf-8")).itertext()).split())


def main_text(path: Path) -> str:
    """The text of the page's ``<main>``, from its first word."""
    main = parse_html(path.read_text("utf-8")).find(f".//{HTML}main")
    assert main is not None, path
    return " ".join("".join(main.itertext()).split())


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
    result = run_policy("site", "--out", str(out), cwd=released_repo, today="2027-02-01")
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
        ("Mini, versie 1.1.0", "2026-11-20T12:00:00Z"),
        ("Mini, versie 1.0.0", "2026-11-02T12:00:00Z"),
    ]


def test_site_after_real_releases_of_the_shipped_policy(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    """policy release twice (1.0.0 from 1 January 2027, then sm-016 reworded in 1.1.0 from
    1 March), then policy site: before 1 March the policy page shows 1.0.0 and links 1.1.0's
    own page; from 1 March it shows 1.1.0, with the versions per clause, the linked release
    notes and the feed of the real releases."""
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
    second = repo.release("--effective-date", "2027-03-01")
    assert second.returncode == 0, second.stdout + second.stderr
    before = tmp_path / "before"
    done = run_as("anouk", repo.root, "site", "--out", str(before), today=day_epoch("2027-02-28"))
    assert done.returncode == 0, done.stderr
    page = text_of(before / "social-media/index.html")
    assert "Versie: 1.0.0 Geldt vanaf: 1 januari 2027" in page
    assert "privézaken met mate" in page and "privézaken beperkt" not in page
    assert "Vanaf 1 maart 2027 geldt: versie 1.1.0" in page
    later = text_of(before / "social-media/versie-1.1.0.html")
    assert later.startswith("Social-mediabeleid, versie 1.1.0 (geldt vanaf 1 maart 2027)")
    assert "Vanaf 1 maart 2027 geldt: Social-mediabeleid Versie: 1.1.0" in later
    assert "privézaken beperkt" in later
    files = {p.relative_to(before).as_posix(): p.read_text("utf-8") for p in before.rglob("*.*")}
    assert broken_links(files)[0] == []
    out = tmp_path / "site"
    url = "https://intranet.example/beleid"
    done = run_as("anouk", repo.root, "site", "--out", str(out), "--base-url", url,
                  today=day_epoch("2027-03-01"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not (out / "social-media/versie-1.1.0.html").exists()
    page = text_of(out / "social-media/index.html")
    assert "Versie: 1.1.0 Geldt vanaf: 1 maart 2027" in page
    assert "privézaken beperkt" in page
    assert "(sm-016) Aanbevolen · Laatst gewijzigd in versie 1.1.0" in page
    assert "(sm-001) Informatief · Laatst gewijzigd in versie 1.0.0" in page
    assert "Verantwoordelijk: Human Resources, Ondernemingsraad" in page
    notes = parse_html((out / "social-media/1.1.0.html").read_text("utf-8"))
    hrefs = [a.get("href") for h in notes.iter(f"{HTML}h3") for a in h.iter(f"{HTML}a")]
    assert hrefs == ["index.html#sm-016"]
    assert "Gebruik sociale media onder werktijd beperkt" in text_of(
        out / "social-media/1.1.0.html"
    )
    changelog = text_of(out / "social-media/changelog.html")
    assert "Versie 1.1.0 Uitgebracht op " in changelog and "Geldt vanaf 1 maart 2027." in changelog
    feed = feedparser.parse((out / "feed.xml").read_text("utf-8"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [e.link for e in feed.entries] == [
        f"{url}/social-media/1.1.0.html",
        f"{url}/social-media/1.0.0.html",
    ]
    files = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.*")}
    assert broken_links(files)[0] == []


@pytest.fixture
def edited_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini policy released as 1.0.0 (in force from 1 January 2027), then on main an
    unreleased edit: mi-001 reworded, a clause added, the title changed."""
    repo = write_tree(tmp_path / "repo", MINI_FILES)
    git(repo, "init", "-q", "-b", "main")
    release(repo, "1.0.0", "major", "2027-01-01", "2026-11-02", monkeypatch)
    section = repo / "policy/mini/sections/algemeen.yaml"
    text = section.read_text("utf-8").replace("Je bent beleefd", "Je bent altijd beleefd")
    text += "  - id: mi-004\n    title: Nieuw\n    level: should\n    text: Een nieuwe regel.\n"
    section.write_text(text, "utf-8")
    meta = repo / "policy/mini/policy.yaml"
    meta.write_text(meta.read_text("utf-8").replace("title: Mini", "title: Maxi"), "utf-8")
    git(repo, "commit", "-q", "-am", "Unreleased edit")
    return repo


def _site_text(out: Path) -> str:
    """The text of every page of the site."""
    return " ".join(text_of(page) for page in sorted(out.rglob("*.html")))


def test_site_shows_the_release_in_force_not_unreleased_edits(
    edited_repo: Path, tmp_path: Path
) -> None:
    """Employees read 1.0.0 as tagged, with its version and date; the edit merged on main
    after it appears nowhere."""
    out = tmp_path / "out"
    result = run_policy("site", "--out", str(out), cwd=edited_repo, today="2027-02-01")
    assert result.returncode == 0, result.stderr
    page = main_text(out / "mini/index.html")
    assert page.startswith("Mini Versie: 1.0.0 Geldt vanaf: 1 januari 2027")
    assert "Je bent beleefd op sociale media." in page
    assert "Wees beleefd (mi-001) Verplicht · Laatst gewijzigd in versie 1.0.0" in page
    everything = _site_text(out)
    for unreleased in ("altijd beleefd", "mi-004", "Een nieuwe regel", "Maxi", "nog niet"):
        assert unreleased not in everything, unreleased
    assert "Versie: 1.0.0 Geldt vanaf: 1 januari 2027" in text_of(out / "index.html")


def test_later_release_has_its_own_page_until_its_date(released_repo: Path, tmp_path: Path) -> None:
    """1.1.0 released to take effect on 1 February 2027: until then the policy page shows
    1.0.0 and links 1.1.0's page ("Vanaf 1 februari 2027 geldt:"); from that day 1.1.0 is
    the policy page and its own page is gone."""
    out = tmp_path / "out"
    result = run_policy("site", "--out", str(out), cwd=released_repo, today="2027-01-31")
    assert result.returncode == 0, result.stderr
    current = parse_html((out / "mini/index.html").read_text("utf-8"))
    text = " ".join("".join(current.itertext()).split())
    assert "Versie: 1.0.0 Geldt vanaf: 1 januari 2027" in text
    assert "Dit is uitleg." in text and "Dit is betere uitleg." not in text
    links = {"".join(a.itertext()): a.get("href") for a in current.iter(f"{HTML}a")}
    assert links["versie 1.1.0"] == "versie-1.1.0.html"
    assert "Vanaf 1 februari 2027 geldt: versie 1.1.0" in text
    later = text_of(out / "mini/versie-1.1.0.html")
    assert "Vanaf 1 februari 2027 geldt: Mini Versie: 1.1.0 Geldt vanaf: 1 februari 2027" in later
    assert "Dit is betere uitleg." in later
    assert "Uitleg (mi-003) Informatief · Laatst gewijzigd in versie 1.1.0" in later
    assert "Vanaf 1 februari 2027 geldt: versie 1.1.0" in text_of(out / "index.html")
    files = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.*")}
    assert broken_links(files)[0] == []

    result = run_policy("site", "--out", str(out), cwd=released_repo, today="2027-02-01")
    assert result.returncode == 0, result.stderr
    assert not (out / "mini/versie-1.1.0.html").exists()
    text = text_of(out / "mini/index.html")
    assert "Versie: 1.1.0 Geldt vanaf: 1 februari 2027" in text
    assert "Dit is betere uitleg." in text and "Vanaf" not in text


def test_no_release_in_force_says_so_without_clause_text(
    mini_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing released, then only a release that takes effect later: no clause text on the
    policy page or the index, a plain Dutch message, and a link to the later version."""
    repo = mini_repo()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Eerste tekst")
    out = tmp_path / "out"
    result = run_policy("site", "--out", str(out), cwd=repo, today="2027-02-01")
    assert result.returncode == 0, result.stderr
    message = "Dit beleid geldt nog niet: er is nog geen versie van uitgebracht."
    assert message in text_of(out / "mini/index.html")
    assert message in text_of(out / "index.html")
    for clause_text in ("Je bent beleefd", "Dit is uitleg", "Je deelt geen gegevens"):
        assert clause_text not in _site_text(out)

    release(repo, "1.0.0", "major", "2027-03-01", "2027-01-15", monkeypatch)
    result = run_policy("site", "--out", str(out), cwd=repo, today="2027-02-01")
    assert result.returncode == 0, result.stderr
    for shown in ("mini/index.html", "index.html"):
        text = text_of(out / shown)
        assert "Dit beleid geldt nog niet. Het gaat in op 1 maart 2027" in text, shown
        assert "Vanaf 1 maart 2027 geldt: versie 1.0.0" in text, shown
        assert "Je bent beleefd" not in text, shown
    assert "Je bent beleefd" in text_of(out / "mini/versie-1.0.0.html")


def test_draft_shows_the_working_tree_marked_on_every_page(
    edited_repo: Path, tmp_path: Path
) -> None:
    """--draft: the working tree's text (committed or not) with a banner and "Concept" in
    the title of every page; the default build of the same repository stays the release."""
    section = edited_repo / "policy/mini/sections/privacy.yaml"
    section.write_text(section.read_text("utf-8").replace("klanten", "klanten of collega's"))
    out = tmp_path / "draft"
    result = run_policy("site", "--draft", "--out", str(out), cwd=edited_repo, today="2027-02-01")
    assert result.returncode == 0, result.stderr
    assert "a draft" in result.stdout
    page = text_of(out / "mini/index.html")
    assert "Je bent altijd beleefd" in page and "gegevens van klanten of collega's" in page
    assert "Nieuw (mi-004) Aanbevolen · Nog niet uitgebracht" in page
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 4
    for path in pages:
        root = parse_html(path.read_text("utf-8"))
        title = root.find(f".//{HTML}title")
        assert title is not None and (title.text or "").startswith("Concept: "), path
        main = root.find(f".//{HTML}main")
        assert main is not None and main[0].get("class") == "banner", path
        assert "Concept" in "".join(main[0].itertext()), path
    published = tmp_path / "published"
    result = run_policy("site", "--out", str(published), cwd=edited_repo, today="2027-02-01")
    assert result.returncode == 0, result.stderr
    assert "Concept" not in _site_text(published)
    assert "altijd beleefd" not in _site_text(published)


def test_site_is_reproducible_on_a_given_day(released_repo: Path, tmp_path: Path) -> None:
    """Same repository and day (SOURCE_DATE_EPOCH): byte-identical output, whatever the hour;
    the day on which 1.1.0 takes effect: another site."""

    def build(name: str, epoch: str) -> dict[str, bytes]:
        out = tmp_path / name
        env = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": epoch}
        done = subprocess.run([*policy_command(), "site", "--out", str(out)], cwd=released_repo,
                              capture_output=True, text=True, env=env, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }

    morning = build("morning", day_epoch("2027-01-31", "00:00:00"))
    assert morning == build("evening", day_epoch("2027-01-31", "23:59:59"))
    assert morning == build("again", day_epoch("2027-01-31", "00:00:00"))
    assert morning != build("next-day", day_epoch("2027-02-01", "00:00:00"))


def test_a_release_without_its_tag_stops_the_site(
    mini_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release known only from its commit's trailers (tag not fetched) is not published:
    exit 2, one line saying to fetch the tags, nothing written."""
    repo = mini_repo()
    git(repo, "init", "-q", "-b", "main")
    release(repo, "1.0.0", "major", "2027-01-01", "2026-11-02", monkeypatch)
    git(repo, "tag", "-d", "mini/v1.0.0")
    out = tmp_path / "out"
    result = run_policy("site", "--out", str(out), cwd=repo, today="2027-02-01")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "its tag mini/v1.0.0 is not here" in result.stderr
    assert "git fetch --tags" in result.stderr
    assert not out.exists()


def test_clause_changed_since_the_last_release_is_not_yet_released(released_repo: Path) -> None:
    """A clause reworded in the working tree shows as not yet released, not as 1.0.0."""
    section = released_repo / "policy/mini/sections/algemeen.yaml"
    section.write_text(
        section.read_text("utf-8").replace("Je bent beleefd", "Je bent altijd beleefd"), "utf-8"
    )
    result = run_policy("render", "--format", "markdown", cwd=released_repo)
    assert result.returncode == 0, result.stderr
    assert "### Wees beleefd (mi-001) {#mi-001}\n\n**Verplicht** · *Nog niet uitgebracht*" in (
        result.stdout
    )
    assert "**Informatief** · *Laatst gewijzigd in versie 1.1.0*" in result.stdout


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
    """No git, no release: the site still builds and says the policy does not apply yet."""
    repo = mini_repo()
    result = run_policy("site", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "Dit beleid geldt nog niet" in text_of(repo / "_site/mini/index.html")
    feed = feedparser.parse((repo / "_site/feed.xml").read_text("utf-8"))
    assert feed.bozo == 0 and feed.entries == []


def test_shipped_monitoring_section_names_hr_and_the_works_council(shipped_repo: Path) -> None:
    """Responsible departments come from CODEOWNERS, every required section, by name."""
    result = run_policy("render", "--format", "markdown", cwd=shipped_repo)
    assert result.returncode == 0, result.stderr
    section = result.stdout.split("{#hoofdstuk-monitoring}", 1)[1]
    assert section.startswith("\n\n**Verantwoordelijk:** Human Resources, Ondernemingsraad\\\n")


def test_shipped_site_is_valid_html_with_working_links(shipped_repo: Path) -> None:
    """The shipped policy's draft site: every page parses strictly and every inside link
    resolves."""
    result = run_policy("site", "--draft", cwd=shipped_repo)
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


# --- A run killed or failed part way -------------------------------------------------------------

KILL_SITE = """
import os, sys
from pathlib import Path
from tools.site.plan import plan_site
from tools.site.build import gather_site
from tools.site.writeio import write_site
from tools.base.gitio import GitRepository
step, draft = sys.argv[2], sys.argv[3] == "draft"
def die(name):
    if name == step or (step == "first-file" and name.startswith("written:")):
        os._exit(9)
source = gather_site(GitRepository(Path.cwd()), draft=draft)
write_site(Path(sys.argv[1]), plan_site(source), on_step=die)
"""


def folder_state(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("over", "step"),
    [
        ("new", "started"),
        ("new", "first-file"),
        ("draft", "first-file"),
        ("draft", "files-written"),
        ("draft", "old-removed"),
    ],
)
def test_a_killed_site_build_is_finished_by_running_it_again(
    released_repo: Path, tmp_path: Path, step: str, over: str
) -> None:
    """`policy site --out NEW` (or over a previous draft output) killed at each step leaves a
    folder the next run takes as its own: the rerun exits 0 and the folder equals a site built
    in one go (stale pages of the draft removed, nothing left over)."""
    reference, out = tmp_path / "reference", tmp_path / "out"
    built = run_policy("site", "--out", str(reference), cwd=released_repo, today="2026-11-25")
    assert built.returncode == 0, built.stderr
    if over == "draft":
        draft = run_policy("site", "--draft", "--out", str(out), cwd=released_repo)
        assert draft.returncode == 0, draft.stderr
    env = {**os.environ, "SOURCE_DATE_EPOCH": day_epoch("2026-11-25")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    killed = subprocess.run(
        [sys.executable, "-c", KILL_SITE, str(out), step, "normal"],
        cwd=released_repo,
        env=env,
        check=False,
    )
    assert killed.returncode == 9
    again = run_policy("site", "--out", str(out), cwd=released_repo, today="2026-11-25")
    assert again.returncode == 0, again.stderr
    assert folder_state(out) == folder_state(reference)


def test_temporary_files_of_a_killed_write_are_its_own(tmp_path: Path) -> None:
    """A process killed inside a write leaves `write_atomic`'s temporary file: a folder that
    holds only that (of the manifest) is empty, and one beside a page of the previous output
    is removed by the next run; a look-alike of another name is the user's and stays."""
    out = tmp_path / "site"
    out.mkdir()
    (out / f".{MANIFEST}.k3x_9abc").write_text("{", "utf-8")
    write_site(out, {"index.html": "1"})
    (out / ".index.html.a1b2c3d4").write_text("half", "utf-8")
    (out / ".mine.txt.a1b2c3d4").write_text("mine", "utf-8")
    write_site(out, {"index.html": "2"})
    assert sorted(p.name for p in out.iterdir()) == [".mine.txt.a1b2c3d4", MANIFEST, "index.html"]


@pytest.mark.parametrize("leave", (0, 12000))
def test_a_full_disk_stops_the_site_cleanly_and_a_rerun_completes_it(
    released_repo: Path, tmp_path: Path, leave: int
) -> None:
    """`policy site --out` on a disk that fills (a small tmpfs): exit 2 with one line, no
    traceback; once there is room the same command completes the folder, equal to a site
    built in one go."""
    reference = tmp_path / "reference"
    built = run_policy("site", "--out", str(reference), cwd=released_repo, today="2026-11-25")
    assert built.returncode == 0, built.stderr
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "site"
    with tmpfs_over(disk, "size=256k"):
        filler = fill(None, disk, leave)
        full = run_policy("site", "--out", str(out), cwd=released_repo, today="2026-11-25")
        assert full.returncode == 2, full.stdout + full.stderr
        assert "No space left on device" in full.stderr and "Traceback" not in full.stderr
        assert len(full.stderr.strip().splitlines()) == 1, full.stderr
        filler.unlink()
        again = run_policy("site", "--out", str(out), cwd=released_repo, today="2026-11-25")
        assert again.returncode == 0, again.stderr
        assert folder_state(out) == folder_state(reference)
