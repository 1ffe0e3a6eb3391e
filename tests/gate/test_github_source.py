"""The approval gate with GitHub pull-request reviews as the approvals: every rule of the gate
re-run against a fake GitHub API on 127.0.0.1 and real repositories. Each asserts the verdict
and the reason.

The change is pull request #7, opened and written by Mallory (no department) unless a scenario
says otherwise; every person's GitHub login is their first name, in the registry at BASE and
in their department's team (``@t/<department>``). monitoring.yaml needs HR and, in its own
CODEOWNERS section, the works council ("or").
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from tests.fakegithub import (
    NUMBER,
    REPO,
    TOKEN,
    Answer,
    FakeGitHub,
    head_of,
    publish,
    review,
    serve,
)
from tests.gatekit import (
    CODEOWNERS,
    MERK,
    MONITORING,
    PEOPLE,
    GateRepo,
    email,
    git_as,
    make_keys,
    missing,
    monitoring,
    new_gate_repo,
    reasons,
    registry,
)
from tools.base.gitio import GitRepository
from tools.cli.main import main
from tools.gate.gather import judge_pull_request, resolve_pull_range
from tools.gate.github_api import Client, Settings
from tools.gate.rules import Verdict

CHANGED = monitoring("We kijken soms mee.")
LOGINS = {person: person for person in PEOPLE}


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def gate(tmp_path: Path, keys: dict[str, Path]) -> GateRepo:
    """BASE tagged; HEAD changes the monitoring section."""
    repo = new_gate_repo(tmp_path / "repo", keys, logins=LOGINS)
    repo.commit({MONITORING: CHANGED})
    return repo


@pytest.fixture
def api() -> Iterator[FakeGitHub]:
    with serve() as fake:
        yield fake


def judge(
    api: FakeGitHub,
    repo: GateRepo,
    reviews: Sequence[dict[str, object]],
    *,
    author: str = "mallory",
    members: Mapping[str, Sequence[str]] | None = None,
) -> Verdict:
    """Publish the pull request with these reviews, and judge it as ``--source github``."""
    publish(api, repo, reviews, author=author, members=members)
    client = Client(Settings(api.url, TOKEN, REPO, NUMBER))
    return judge_pull_request(
        resolve_pull_range(GitRepository(repo.root), None, None, client), client
    )


def approved(number: int, login: str, commit: str) -> dict[str, object]:
    return review(number, login, "APPROVED", commit)


def approved_by(verdict: Verdict) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {r.departments: r.approved_by for r in verdict.required}


# --- The rule: each required department, exact content ---------------------------------------


def test_hr_and_works_council_reviews_complete_the_change(api: FakeGitHub, gate: GateRepo) -> None:
    """An approving review by HR and one by the works council, on HEAD, complete monitoring."""
    head = head_of(gate)
    verdict = judge(api, gate, [approved(1, "eva", head), approved(2, "fatima", head)])
    assert verdict.complete, reasons(verdict)
    assert approved_by(verdict) == {("hr",): (email("eva"),), ("or",): (email("fatima"),)}
    assert verdict.ignored == ()
    assert verdict.head == f"#{NUMBER} head ({head[:12]})"


def test_no_reviews_block_the_change(api: FakeGitHub, gate: GateRepo) -> None:
    """A pull request without reviews needs every owning department."""
    verdict = judge(api, gate, [])
    assert not verdict.complete
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}


def test_hr_alone_is_not_enough_for_monitoring(api: FakeGitHub, gate: GateRepo) -> None:
    """Monitoring needs the works council's section too."""
    verdict = judge(api, gate, [approved(1, "eva", head_of(gate))])
    assert missing(verdict) == {"hr": 0, "or[Ondernemingsraad]": 1}


def test_another_departments_review_is_not_needed(api: FakeGitHub, gate: GateRepo) -> None:
    """An approval by a department that owns nothing changed counts for nothing."""
    verdict = judge(api, gate, [approved(1, "sanne", head_of(gate))])
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}
    assert reasons(verdict) == [
        f"{email('sanne')}: not needed: no changed file it names needs communicatie"
    ]


def test_each_owned_file_needs_its_own_department(api: FakeGitHub, gate: GateRepo) -> None:
    """A review approves a path only for the departments that own it."""
    head = gate.commit({MERK: "id: merk\ntext: nieuw\n"})
    verdict = judge(api, gate, [approved(1, "eva", head), approved(2, "fatima", head)])
    assert missing(verdict)["communicatie"] == 1
    verdict = judge(
        api,
        gate,
        [approved(1, "eva", head), approved(2, "fatima", head), approved(3, "sanne", head)],
    )
    assert verdict.complete, reasons(verdict)


# --- Which commit a review is on ----------------------------------------------------------------


def test_review_on_an_older_commit_with_other_content_is_stale(
    api: FakeGitHub, gate: GateRepo
) -> None:
    """A review approves the content it saw: a later change to the file makes it stale."""
    first = head_of(gate)
    gate.commit({MONITORING: monitoring("We kijken altijd mee.")})
    verdict = judge(api, gate, [approved(1, "eva", first), approved(2, "fatima", first)])
    assert not verdict.complete
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}
    stale = f"stale: the file changed after the approval: {MONITORING}"
    assert reasons(verdict) == [f"{email('eva')}: {stale}", f"{email('fatima')}: {stale}"]


def test_review_on_an_older_commit_with_equal_content_counts(
    api: FakeGitHub, gate: GateRepo
) -> None:
    """A later commit that leaves the approved file as it was keeps the review valid."""
    first = head_of(gate)
    head = gate.commit({MERK: "id: merk\ntext: nieuw\n"})
    verdict = judge(
        api,
        gate,
        [approved(1, "eva", first), approved(2, "fatima", first), approved(3, "sanne", head)],
    )
    assert verdict.complete, reasons(verdict)


def test_review_on_a_commit_not_fetched_counts_for_nothing(api: FakeGitHub, gate: GateRepo) -> None:
    """A review on a commit git does not have here is ignored, never assumed current."""
    verdict = judge(api, gate, [approved(1, "eva", "f" * 40)])
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: commit not fetched: the review is on commit ffffffffffff, which is "
        "not in the local repository (fetch the full history)"
    ]


# --- Review states ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("COMMENTED", "commented: a comment is not an approval"),
        ("DISMISSED", "dismissed: the review was dismissed"),
        ("CHANGES_REQUESTED", "changes requested: not an approval"),
        ("PENDING", "pending: the review was not submitted"),
    ],
)
def test_reviews_that_do_not_approve_count_for_nothing(
    api: FakeGitHub, gate: GateRepo, state: str, reason: str
) -> None:
    """Commented, dismissed, changes-requested and pending reviews approve nothing."""
    verdict = judge(api, gate, [review(1, "eva", state, head_of(gate))])
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [f"{email('eva')}: {reason}"]


@pytest.mark.parametrize(
    ("state", "words"), [("CHANGES_REQUESTED", "changes requested"), ("DISMISSED", "dismissed")]
)
def test_later_change_request_or_dismissal_cancels_an_approval(
    api: FakeGitHub, gate: GateRepo, state: str, words: str
) -> None:
    """Only a person's latest decisive review counts, as on GitHub."""
    head = head_of(gate)
    verdict = judge(api, gate, [approved(1, "eva", head), review(2, "eva", state, head)])
    assert missing(verdict)["hr"] == 1
    assert (
        f"{email('eva')}: superseded: the same reviewer's later review 2 ({words}) counts instead"
        in reasons(verdict)
    )


def test_approval_after_a_change_request_counts(api: FakeGitHub, gate: GateRepo) -> None:
    """A change request withdrawn by a later approval no longer blocks it."""
    head = head_of(gate)
    verdict = judge(
        api, gate, [review(1, "eva", "CHANGES_REQUESTED", head), approved(2, "eva", head)]
    )
    assert missing(verdict)["hr"] == 0


def test_comment_after_an_approval_keeps_it(api: FakeGitHub, gate: GateRepo) -> None:
    """A comment is not a decision: it neither approves nor withdraws an approval."""
    head = head_of(gate)
    verdict = judge(api, gate, [approved(1, "eva", head), review(2, "eva", "COMMENTED", head)])
    assert missing(verdict)["hr"] == 0
    assert reasons(verdict) == [f"{email('eva')}: commented: a comment is not an approval"]


def test_order_is_by_submission_time_not_by_listing(api: FakeGitHub, gate: GateRepo) -> None:
    """The latest review is the one submitted last, whatever order the API lists them in."""
    head = head_of(gate)
    later = review(1, "eva", "CHANGES_REQUESTED", head, "2026-11-25T12:00:00Z")
    earlier = review(2, "eva", "APPROVED", head, "2026-11-25T11:00:00Z")
    verdict = judge(api, gate, [later, earlier])
    assert missing(verdict)["hr"] == 1


def test_reviewer_with_a_deleted_account_counts_for_nothing(
    api: FakeGitHub, gate: GateRepo
) -> None:
    """A review whose user is null (a deleted account, "ghost") approves nothing."""
    verdict = judge(api, gate, [review(1, None, "APPROVED", head_of(gate))])
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [": no reviewer: the account was deleted"]


# --- People: counted once, N of a section ------------------------------------------------------


def test_two_approvals_by_one_person_count_once(api: FakeGitHub, gate: GateRepo) -> None:
    """A person counts once, however many approving reviews they submit."""
    head = head_of(gate)
    verdict = judge(api, gate, [approved(1, "eva", head), approved(2, "eva", head)])
    assert approved_by(verdict)[("hr",)] == (email("eva"),)
    assert reasons(verdict) == [
        f"{email('eva')}: superseded: the same reviewer's later review 2 (approved) counts instead"
    ]


def test_section_needing_two_people_needs_two_people(
    tmp_path: Path, keys: dict[str, Path], api: FakeGitHub
) -> None:
    """[Section][2] needs two different people; one person's two reviews are not two."""
    repo = new_gate_repo(tmp_path / "repo", keys, logins=LOGINS)
    repo.commit(
        {"CODEOWNERS": CODEOWNERS.replace("[Ondernemingsraad]", "[Ondernemingsraad][2]")},
        author="anouk",
    )
    git_as(repo.root, "anouk", "tag", "-f", "base")
    head = repo.commit({MONITORING: CHANGED})
    once = [approved(1, "eva", head), approved(2, "fatima", head), approved(3, "fatima", head)]
    assert missing(judge(api, repo, once)) == {"hr": 0, "or[Ondernemingsraad]": 1}
    twice = [*once, approved(4, "joost", head)]
    verdict = judge(api, repo, twice)
    assert verdict.complete, reasons(verdict)
    assert approved_by(verdict)[("or",)] == (email("fatima"), email("joost"))


# --- Self-approval ------------------------------------------------------------------------------


def test_pull_request_author_cannot_approve(api: FakeGitHub, gate: GateRepo) -> None:
    """Who opened the pull request cannot approve it, even for a department they are in."""
    verdict = judge(api, gate, [approved(1, "eva", head_of(gate))], author="eva")
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: self-approval: the approver opened pull request #{NUMBER}: {MONITORING}"
    ]


def test_commit_author_cannot_approve_their_path(api: FakeGitHub, gate: GateRepo) -> None:
    """Who wrote a commit of the change cannot approve the paths it changed."""
    commit = gate.commit({MONITORING: monitoring("Mohamed schreef dit.")}, author="mohamed")
    verdict = judge(api, gate, [approved(1, "mohamed", commit)])
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('mohamed')}: self-approval: the approver wrote or committed it (commit "
        f"{commit[:12]}): {MONITORING}"
    ]


def test_a_file_named_like_a_commit_header_hides_no_author(api: FakeGitHub, gate: GateRepo) -> None:
    """Mohamed's commit also adds a file named "\\x01" + an older commit id, deleted again: his
    review still does not count for the file he wrote."""
    older = git_as(gate.root, "anouk", "rev-parse", "base").strip()
    hostile = "\x01" + older
    gate.commit({MONITORING: monitoring("Mohamed schreef dit."), hostile: "x\n"}, author="mohamed")
    gate.commit({hostile: None}, author="mohamed")
    verdict = judge(api, gate, [approved(1, "mohamed", head_of(gate))])
    assert missing(verdict)["hr"] == 1
    assert any(r.startswith(f"{email('mohamed')}: self-approval") for r in reasons(verdict))


def test_commit_author_is_known_by_github_login_too(api: FakeGitHub, gate: GateRepo) -> None:
    """A commit under another e-mail address that GitHub links to the reviewer is theirs."""
    (gate.root / MONITORING).write_text(monitoring("Privé geschreven."), encoding="utf-8")
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "mohamed",
        "GIT_AUTHOR_EMAIL": "mo@prive.example",
        "GIT_COMMITTER_NAME": "mohamed",
        "GIT_COMMITTER_EMAIL": "mo@prive.example",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "commit", "-qam", "privé"], cwd=gate.root, env=environment, check=True)
    verdict = judge(api, gate, [approved(1, "mohamed", head_of(gate))])
    assert missing(verdict)["hr"] == 1
    assert any("mohamed" in r and "self-approval" in r for r in reasons(verdict))


def test_pull_request_commit_missing_here_makes_its_author_an_author_of_everything(
    api: FakeGitHub, gate: GateRepo
) -> None:
    """A commit GitHub lists but git does not have: what it touched is unknown, so its author
    approves no path of the change."""
    head = head_of(gate)
    publish(api, gate, [approved(1, "eva", head), approved(2, "fatima", head)])
    listed = api.lists[f"/repos/{REPO}/pulls/{NUMBER}/commits"]
    listed.append({"sha": "c" * 40, "author": {"login": "eva"}, "committer": None})
    client = Client(Settings(api.url, TOKEN, REPO, NUMBER))
    verdict = judge_pull_request(
        resolve_pull_range(GitRepository(gate.root), None, None, client), client
    )
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 0}
    assert reasons(verdict) == [
        f"{email('eva')}: self-approval: the approver wrote or committed it (commit "
        f"{'c' * 12}, not in BASE..HEAD here): {MONITORING}"
    ]


def test_base_branch_merged_into_the_pull_request_keeps_the_reviews(
    api: FakeGitHub, gate: GateRepo
) -> None:
    """Merging main into the branch after the reviews leaves the reviewed content approved."""
    reviewed = head_of(gate)
    git_as(gate.root, "anouk", "checkout", "-q", "-b", "change")
    git_as(gate.root, "anouk", "checkout", "-q", "main")
    git_as(gate.root, "anouk", "reset", "-q", "--hard", "base")
    gate.commit({"README.md": "nieuw op main\n"}, author="anouk")
    main_tip = head_of(gate)
    git_as(gate.root, "anouk", "checkout", "-q", "change")
    git_as(gate.root, "mallory", "merge", "-q", "--no-edit", "main")
    publish(api, gate, [approved(1, "eva", reviewed), approved(2, "fatima", reviewed)])
    prefix = f"/repos/{REPO}/pulls/{NUMBER}"
    pull = api.objects[prefix]
    assert isinstance(pull, dict)
    api.objects[prefix] = {**pull, "base": {"sha": main_tip}}
    client = Client(Settings(api.url, TOKEN, REPO, NUMBER))
    verdict = judge_pull_request(
        resolve_pull_range(GitRepository(gate.root), None, None, client), client
    )
    assert verdict.complete, reasons(verdict)
    assert [p for r in verdict.required for p in r.paths] == [MONITORING, MONITORING]


def test_author_of_one_file_may_approve_another(api: FakeGitHub, gate: GateRepo) -> None:
    """Authorship is per path: an HR member who wrote merk.yaml may approve monitoring."""
    head = gate.commit({MERK: "id: merk\ntext: nieuw\n"}, author="eva")
    verdict = judge(api, gate, [approved(1, "eva", head)])
    assert missing(verdict)["hr"] == 0


# --- Membership: the registry at BASE and the team ---------------------------------------------


def test_reviewer_outside_the_team_does_not_count(api: FakeGitHub, gate: GateRepo) -> None:
    """A registry member who is not (or no longer) in the department's team counts for nothing."""
    verdict = judge(api, gate, [approved(1, "eva", head_of(gate))], members={"hr": ["mohamed"]})
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: not a member: @eva is not in the GitHub team @t/hr"
    ]


def test_team_member_not_in_the_registry_does_not_count(api: FakeGitHub, gate: GateRepo) -> None:
    """Being added to the team on GitHub (unreviewed) is not enough: the registry says who."""
    verdict = judge(
        api,
        gate,
        [approved(1, "mallory", head_of(gate))],
        members={"hr": ["eva", "mohamed", "mallory"]},
    )
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        "@mallory: not a member: @mallory is in the team @t/hr but not listed with this GitHub "
        "login in hr in the registry at BASE"
    ]


def test_stranger_counts_for_nothing(api: FakeGitHub, gate: GateRepo) -> None:
    """A reviewer in no team and not in the registry counts for nothing."""
    verdict = judge(api, gate, [approved(1, "octocat", head_of(gate))])
    assert reasons(verdict) == [
        "@octocat: not a member: @octocat is in no department's team nor in the registry at BASE"
    ]


def test_login_added_to_the_registry_in_the_change_does_not_count(
    tmp_path: Path, keys: dict[str, Path], api: FakeGitHub
) -> None:
    """The registry is read at BASE: a change cannot make its own author a member."""
    repo = new_gate_repo(tmp_path / "repo", keys, logins=LOGINS)
    text = registry(keys, logins=LOGINS, members={"hr": ("mallory",)})
    head = repo.commit({MONITORING: CHANGED, "policy/departments.yaml": text})
    verdict = judge(
        api,
        repo,
        [approved(1, "mallory", head)],
        members={"hr": ["eva", "mohamed", "mallory"]},
    )
    assert missing(verdict)["hr"] == 1
    assert missing(verdict)["beheer"] == 1
    assert any("@mallory: not a member" in r for r in reasons(verdict))


def test_one_login_for_two_members_counts_for_nothing(
    tmp_path: Path, keys: dict[str, Path], api: FakeGitHub
) -> None:
    """A login the registry gives two people cannot say who reviewed."""
    repo = new_gate_repo(tmp_path / "repo", keys, logins={**LOGINS, "mohamed": "eva"})
    head = repo.commit({MONITORING: CHANGED})
    verdict = judge(api, repo, [approved(1, "eva", head)])
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        "@eva: ambiguous login: @eva is the GitHub login of 2 members at BASE"
    ]


def test_login_is_matched_without_regard_to_case(api: FakeGitHub, gate: GateRepo) -> None:
    """GitHub logins are case-insensitive: @Eva is @eva."""
    verdict = judge(api, gate, [approved(1, "Eva", head_of(gate))])
    assert missing(verdict)["hr"] == 0


# --- The rules are BASE's; what fails closed ---------------------------------------------------


def test_codeowners_edited_in_the_change_is_ignored(api: FakeGitHub, gate: GateRepo) -> None:
    """A change that hands monitoring to communicatie is judged by BASE's CODEOWNERS."""
    rewritten = CODEOWNERS.replace(f"/{MONITORING} @t/hr", f"/{MONITORING} @t/communicatie")
    head = gate.commit({"CODEOWNERS": rewritten.split("[Ondernemingsraad]")[0]})
    verdict = judge(api, gate, [approved(1, "sanne", head)])
    assert not verdict.complete
    assert missing(verdict) == {"beheer": 1, "hr": 1, "or[Ondernemingsraad]": 1}


def test_unowned_path_fails_closed(tmp_path: Path, keys: dict[str, Path], api: FakeGitHub) -> None:
    """A changed path no department owns at BASE keeps the gate closed, whoever approves."""
    repo = new_gate_repo(tmp_path / "repo", keys, logins=LOGINS)
    repo.commit({"CODEOWNERS": CODEOWNERS.replace("*    ", "/README.md")}, author="anouk")
    git_as(repo.root, "anouk", "tag", "-f", "base")
    head = repo.commit({"new.txt": "x\n"})
    verdict = judge(api, repo, [approved(1, "anouk", head)])
    assert not verdict.complete
    assert [(p.file, p.code) for p in verdict.problems] == [("new.txt", "unowned-path")]


def test_approval_records_do_not_count_with_the_github_source(
    api: FakeGitHub, gate: GateRepo
) -> None:
    """With --source github only reviews count: signed records in the change are not read."""
    gate.approve("eva")
    gate.approve("fatima")
    verdict = judge(api, gate, [])
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}


def test_reviews_are_read_across_pages(api: FakeGitHub, gate: GateRepo) -> None:
    """Reviews, commits and team members on later pages count like those on the first."""
    head = head_of(gate)
    comments = [review(n, "sanne", "COMMENTED", head) for n in range(1, 6)]
    verdict = judge(api, gate, [*comments, approved(6, "eva", head), approved(7, "fatima", head)])
    assert verdict.complete, reasons(verdict)
    pages = [r.query.get("page") for r in api.requests if r.path.endswith("/reviews")]
    assert pages == [None, ["2"], ["3"], ["4"]]


# --- Through the CLI ------------------------------------------------------------------------


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    repo: GateRepo,
    *args: str,
    env: Mapping[str, str] | None = None,
) -> tuple[int, str, str]:
    """``policy approvals --source github`` in-process, with this environment only."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    code = main(["-C", str(repo.root), "approvals", "--source", "github", *args])
    out, err = capsys.readouterr()
    return code, out, err


def actions_env(api: FakeGitHub, tmp_path: Path) -> dict[str, str]:
    """The environment GitHub Actions gives a pull_request job."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "pull_request": {"number": NUMBER}}))
    return {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": api.url,
        "GITHUB_EVENT_PATH": str(event),
    }


def test_cli_complete_exits_0_with_the_actions_environment(
    api: FakeGitHub,
    gate: GateRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In GitHub Actions no option is needed: token, repository, API and PR from the env."""
    head = head_of(gate)
    publish(api, gate, [approved(1, "eva", head), approved(2, "fatima", head)])
    code, out, err = run(
        monkeypatch, capsys, gate, "--format", "json", env=actions_env(api, tmp_path)
    )
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert found["complete"] is True
    assert found["ignored"] == []


def test_cli_incomplete_exits_1_and_names_ignored_reviews(
    api: FakeGitHub,
    gate: GateRepo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Missing approvals exit 1; the text names each ignored review and why."""
    publish(api, gate, [review(3, "eva", "DISMISSED", head_of(gate))])
    code, out, _ = run(
        monkeypatch,
        capsys,
        gate,
        "--pr",
        str(NUMBER),
        "--repo",
        REPO,
        "--api-url",
        api.url,
        env={"GH_TOKEN": TOKEN},
    )
    assert code == 1
    assert f"review 3 ({email('eva')}): dismissed: the review was dismissed" in out
    assert "INCOMPLETE" in out


def test_cli_markdown_is_deterministic(
    api: FakeGitHub,
    gate: GateRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same pull request gives the same comment, byte for byte."""
    publish(api, gate, [approved(1, "eva", head_of(gate))])
    env = actions_env(api, tmp_path)
    first = run(monkeypatch, capsys, gate, "--format", "markdown", env=env)
    second = run(monkeypatch, capsys, gate, "--format", "markdown", env=env)
    assert first == second
    assert first[0] == 1
    assert "## Approvals: ❌ incomplete" in first[1]


def test_cli_head_not_fetched_exits_2(
    api: FakeGitHub,
    gate: GateRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A pull request whose head commit is not here cannot be judged: fetch it, exit 2."""
    publish(api, gate, [])
    prefix = f"/repos/{REPO}/pulls/{NUMBER}"
    pull = api.objects[prefix]
    assert isinstance(pull, dict)
    api.objects[prefix] = {**pull, "head": {"sha": "e" * 40}}
    code, out, err = run(monkeypatch, capsys, gate, env=actions_env(api, tmp_path))
    assert (code, out) == (2, "")
    assert "is not in the local repository" in err and "fetch-depth: 0" in err


def test_cli_takes_an_explicit_base_and_head(
    api: FakeGitHub,
    gate: GateRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """BASE and HEAD given on the command line replace the pull request's own."""
    head = head_of(gate)
    publish(api, gate, [approved(1, "eva", head), approved(2, "fatima", head)])
    env = actions_env(api, tmp_path)
    code, out, _ = run(monkeypatch, capsys, gate, "base", head, "--format", "json", env=env)
    assert code == 0
    assert json.loads(out)["base"].startswith("base (")


def test_cli_github_options_need_the_github_source(
    gate: GateRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--pr with the git source is a usage error, not silently ignored."""
    code = main(["-C", str(gate.root), "approvals", "base", "--pr", "7"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--pr only with --source github" in err


PULL = f"/repos/{REPO}/pulls/{NUMBER}"

ERRORS = [
    ("no-token", {"GITHUB_TOKEN": ""}, None, "no GitHub token: set GITHUB_TOKEN"),
    ("no-repo", {"GITHUB_REPOSITORY": ""}, None, "give --repo OWNER/NAME"),
    ("no-pr", {"GITHUB_EVENT_PATH": ""}, None, "no pull request number: give --pr N"),
    ("bad-token", {"GITHUB_TOKEN": "wrong"}, None, "GitHub refused the token (401"),
    (
        "no-such-pr",
        {},
        (PULL, Answer(404, {"message": "Not Found"})),
        "not found on GitHub (404 at /repos/t/policy/pulls/7: Not Found)",
    ),
    (
        "rate-limit-403",
        {},
        (
            f"{PULL}/reviews",
            Answer(
                403,
                {"message": "API rate limit exceeded for installation ID 1."},
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1795000000"},
            ),
        ),
        "GitHub rate limit reached (403 at /repos/t/policy/pulls/7/reviews?per_page=100: API "
        "rate limit exceeded for installation ID 1.): the limit resets at 2026-11-18 ",
    ),
    (
        "rate-limit-429",
        {},
        (
            f"{PULL}/commits",
            Answer(429, {"message": "secondary rate limit"}, {"retry-after": "60"}),
        ),
        "retry after 60 seconds",
    ),
    (
        "forbidden",
        {},
        ("/orgs/t/teams/hr/members", Answer(403, {"message": "Resource not accessible"})),
        "the token needs read access to pull requests and to the organisation's members",
    ),
    (
        "team-not-found",
        {},
        ("/orgs/t/teams/or/members", Answer(404, {"message": "Not Found"})),
        "not found on GitHub (404 at /orgs/t/teams/or/members?per_page=100",
    ),
    ("malformed-json", {}, (PULL, Answer(200, b"{not json")), "malformed JSON"),
    (
        "wrong-shape",
        {},
        (f"{PULL}/reviews", Answer(200, {"reviews": []})),
        "with an object, not a list",
    ),
    ("server-error", {}, (PULL, Answer(502, b"<html>bad gateway</html>")), "GitHub answered 502"),
]


@pytest.mark.parametrize(
    ("environment", "failure", "message"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_cli_cannot_run_exits_2_with_one_line_and_never_passes(
    api: FakeGitHub,
    gate: GateRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    environment: dict[str, str],
    failure: tuple[str, Answer] | None,
    message: str,
) -> None:
    """Any trouble with settings or the API: one line, exit 2, no traceback, never a pass."""
    head = head_of(gate)
    publish(api, gate, [approved(1, "eva", head), approved(2, "fatima", head)])
    if failure:
        api.answers[failure[0]] = failure[1]
    env = {**actions_env(api, tmp_path), **environment}
    code, out, err = run(monkeypatch, capsys, gate, env={k: v for k, v in env.items() if v})
    assert (code, out) == (2, "")
    assert err.startswith("policy: error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert TOKEN not in err


def test_cli_connection_refused_exits_2(
    gate: GateRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An API that does not answer is an error, never a pass."""
    with serve() as fake:
        url = fake.url  # the port is closed once the server stops
    env = {**actions_env(FakeGitHub(url=url), tmp_path)}
    code, out, err = run(monkeypatch, capsys, gate, env=env)
    assert (code, out) == (2, "")
    assert err.startswith(f"policy: error: cannot reach the GitHub API at {url}")
