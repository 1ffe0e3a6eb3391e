"""The approval gate's scenarios: real repositories, real SSH keys, and every way around the
rules we could think of. Each asserts the verdict and the reason.

The change under review is written by Mallory (no department) unless a scenario says otherwise;
monitoring.yaml needs HR and, in its own CODEOWNERS section, the works council ("or").
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_policy
from tests.gatekit import (
    CODEOWNERS,
    MERK,
    MONITORING,
    GateRepo,
    email,
    forge,
    git_as,
    missing,
    monitoring,
    new_gate_repo,
    reasons,
    registry,
    shipped_with_keys,
)
from tools.base.errors import RefusalError
from tools.base.gitio import GitRepository
from tools.gate.gather import judge, resolve_range
from tools.gate.records import APPROVALS_FOLDER
from tools.gate.write import approve

CHANGED = monitoring("We kijken soms mee.")


@pytest.fixture
def gate(tmp_path: Path, keys: dict[str, Path]) -> GateRepo:
    """BASE tagged; HEAD changes the monitoring section."""
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit({MONITORING: CHANGED})
    return repo


def codes(repo: GateRepo) -> list[str]:
    return [p.code for p in repo.verdict().problems]


# --- The rule: each required department, exact content ---------------------------------------


def test_change_without_approvals_is_blocked(gate: GateRepo) -> None:
    verdict = gate.verdict()
    assert not verdict.complete
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}


def test_hr_alone_is_not_enough_for_monitoring(gate: GateRepo) -> None:
    gate.approve("eva")
    verdict = gate.verdict()
    assert not verdict.complete
    assert missing(verdict) == {"hr": 0, "or[Ondernemingsraad]": 1}


def test_hr_and_works_council_complete_the_change(gate: GateRepo) -> None:
    gate.approve("eva")
    gate.approve("fatima")
    verdict = gate.verdict()
    assert verdict.complete, reasons(verdict)
    approved = {r.departments: r.approved_by for r in verdict.required}
    assert approved == {("hr",): (email("eva"),), ("or",): (email("fatima"),)}


def test_another_departments_approval_does_not_count(gate: GateRepo) -> None:
    gate.approve("sanne", department="communicatie")
    verdict = gate.verdict()
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}
    assert reasons(verdict) == [
        f"{email('sanne')}: not needed: no changed file it names needs communicatie"
    ]


def test_each_owned_file_needs_its_own_department(gate: GateRepo) -> None:
    gate.commit({MERK: "id: merk\ntext: nieuw\n"})
    gate.approve("eva")
    gate.approve("fatima")
    verdict = gate.verdict()
    assert not verdict.complete
    assert missing(verdict)["communicatie"] == 1
    gate.approve("sanne")
    assert gate.verdict().complete


def test_unchanged_files_need_no_approval(gate: GateRepo) -> None:
    paths = {p for r in gate.verdict().required for p in r.paths}
    assert paths == {MONITORING}


# --- Stale approvals ------------------------------------------------------------------------


def test_new_commit_to_an_approved_file_makes_the_approval_stale(gate: GateRepo) -> None:
    gate.approve("eva")
    gate.approve("fatima")
    gate.commit({MONITORING: monitoring("We kijken altijd mee.")})
    verdict = gate.verdict()
    assert not verdict.complete
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}
    assert all("stale: the file changed after the approval" in r for r in reasons(verdict))


def test_mode_change_after_approval_is_stale(gate: GateRepo) -> None:
    gate.approve("eva")
    gate.approve("fatima")
    os.chmod(gate.root / MONITORING, 0o755)
    gate.commit({})
    verdict = gate.verdict()
    assert not verdict.complete
    assert any("stale" in r for r in reasons(verdict))


def test_change_to_another_file_keeps_the_approval(gate: GateRepo) -> None:
    gate.approve("eva")
    gate.approve("fatima")
    gate.commit({"README.md": "anders\n"})
    verdict = gate.verdict()
    assert missing(verdict) == {"hr": 0, "or[Ondernemingsraad]": 0, "beheer": 1}


def test_approval_of_a_deletion_counts(gate: GateRepo) -> None:
    gate.commit({MONITORING: None})
    gate.approve("eva")
    gate.approve("fatima")
    assert gate.verdict().complete


# --- Merge styles -----------------------------------------------------------------------------


def _feature_branch(repo: GateRepo) -> None:
    """main stays at base; the change and its approvals are on 'feature'."""
    git_as(repo.root, "anouk", "checkout", "-q", "-b", "feature")


@pytest.mark.parametrize("style", ["squash", "merge", "rebase"])
def test_approvals_survive_every_merge_style(
    tmp_path: Path, keys: dict[str, Path], style: str
) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    _feature_branch(repo)
    repo.commit({MONITORING: CHANGED})
    repo.approve("eva")
    repo.approve("fatima")
    git_as(repo.root, "anouk", "checkout", "-q", "main")
    if style == "squash":
        git_as(repo.root, "anouk", "merge", "-q", "--squash", "feature")
        repo.commit({}, author="mallory", committer="anouk", message="squashed")
    elif style == "merge":
        git_as(repo.root, "anouk", "merge", "-q", "--no-ff", "-m", "merge", "feature")
    else:
        git_as(repo.root, "anouk", "rebase", "-q", "feature")
    verdict = repo.verdict(head="main")
    assert verdict.complete, reasons(verdict)


def test_squash_with_a_later_edit_on_main_is_stale(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    _feature_branch(repo)
    repo.commit({MONITORING: CHANGED})
    repo.approve("eva")
    repo.approve("fatima")
    git_as(repo.root, "anouk", "checkout", "-q", "main")
    git_as(repo.root, "anouk", "merge", "-q", "--squash", "feature")
    repo.commit({MONITORING: monitoring("Nog iets anders.")}, author="mallory")
    assert not repo.verdict().complete


def test_evil_merge_edit_counts_as_authored_by_the_merger(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    _feature_branch(repo)
    repo.commit({"README.md": "feature\n"})
    git_as(repo.root, "anouk", "checkout", "-q", "main")
    git_as(repo.root, "eva", "merge", "-q", "--no-ff", "--no-commit", "feature")
    (repo.root / MONITORING).write_text(CHANGED, encoding="utf-8")
    git_as(repo.root, "eva", "commit", "-q", "-am", "merge")
    repo.approve("eva")
    repo.approve("fatima")
    verdict = repo.verdict()
    assert missing(verdict)["hr"] == 1
    assert any(r.startswith(f"{email('eva')}: self-approval") for r in reasons(verdict))


# --- Replay: an approval counts only for a change judged from a BASE its approver had seen ------


def replay_scene(gate: GateRepo, *, clean: bool) -> None:
    """Release 1 (tag r1): the monitoring text CHANGED, approved by Eva and Fatima. Release 2
    (tag r2): another text, approved by Mohamed and Joost (with ``clean``, the records of
    release 1 left the folder before it). Then Mallory puts CHANGED back, approved by nobody."""
    gate.approve("eva")
    gate.approve("fatima")
    git_as(gate.root, "anouk", "tag", "r1")
    old = sorted((gate.root / APPROVALS_FOLDER).glob("*.json"))
    saved = {path.name: path.read_text(encoding="utf-8") for path in old}
    gate.commit({MONITORING: monitoring("We kijken nooit mee.")})
    gate.approve("mohamed", base="r1")
    gate.approve("joost", base="r1")
    if clean:
        gate.commit({f"{APPROVALS_FOLDER}/{name}": None for name in saved}, author="anouk")
    git_as(gate.root, "anouk", "tag", "r2")
    assert gate.verdict(base="r1").complete
    revert: dict[str, str | None] = {MONITORING: CHANGED}
    # The old records are brought back under other names (or stay where they were).
    revert.update({f"{APPROVALS_FOLDER}/copy-{name}": text for name, text in saved.items()})
    gate.commit(revert)


@pytest.mark.parametrize("clean", [False, True])
def test_an_old_approval_cannot_bring_back_replaced_text(gate: GateRepo, clean: bool) -> None:
    """The attack: the exact content of an earlier, approved change comes back, and so do the
    approvals of it. They approved that earlier change, not this one."""
    replay_scene(gate, clean=clean)
    verdict = gate.verdict(base="r2")
    assert not verdict.complete
    assert missing(verdict) == {"hr": 1, "or[Ondernemingsraad]": 1}
    replayed = [r for r in reasons(verdict) if "replayed" in r]
    assert {email("eva"), email("fatima")} <= {r.split(":")[0] for r in replayed}
    expected = "before BASE" if clean else "BASE already holds this record"
    assert all(expected in r for r in replayed if r.startswith(email("eva")))
    gate.approve("eva", base="r2")
    gate.approve("fatima", base="r2")
    assert gate.verdict(base="r2").complete


def test_an_approval_made_against_a_later_commit_counts(gate: GateRepo) -> None:
    """A record made against a commit after BASE (main moved on; the change was rebased or
    squashed onto it) still approves its content."""
    later = gate.commit({"README.md": "moved on\n"}, author="anouk")
    gate.commit({MONITORING: monitoring("We kijken soms mee, echt.")})
    forge(gate, key="eva", approver="eva", department="hr", made_against=later, name="e.json")
    forge(gate, key="fatima", approver="fatima", department="or", made_against=later)
    verdict = judge(resolve_range(GitRepository(gate.root), "base", None, None))
    assert missing(verdict)["hr"] == 0 and missing(verdict)["or[Ondernemingsraad]"] == 0


def test_an_approval_made_against_an_unknown_commit_counts_for_nothing(gate: GateRepo) -> None:
    forge(gate, key="eva", approver="eva", department="hr", made_against="f" * 40)
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert any("unknown BASE" in r for r in reasons(verdict))


# --- Who may approve ---------------------------------------------------------------------------


def test_author_cannot_approve_their_own_change(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit({MONITORING: CHANGED}, author="eva")
    repo.approve("eva")
    repo.approve("fatima")
    verdict = repo.verdict()
    assert missing(verdict)["hr"] == 1
    assert any(r.startswith(f"{email('eva')}: self-approval") for r in reasons(verdict))
    repo.approve("mohamed")
    assert repo.verdict().complete


def test_committer_cannot_approve(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit({MONITORING: CHANGED}, author="mallory", committer="eva")
    repo.approve("eva")
    assert any("self-approval" in r for r in reasons(repo.verdict()))


def test_co_author_cannot_approve(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    trailer = f"change\n\nCo-authored-by: Eva Visser <{email('eva').upper()}>"
    repo.commit({MONITORING: CHANGED}, author="mallory", message=trailer)
    repo.approve("eva")
    verdict = repo.verdict()
    assert missing(verdict)["hr"] == 1
    assert any("self-approval" in r for r in reasons(verdict))


def test_authorship_is_per_file(tmp_path: Path, keys: dict[str, Path]) -> None:
    """Eva wrote one HR file, Mohamed another: each may approve the other's."""
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit(
        {"CODEOWNERS": CODEOWNERS.replace("/CODEOWNERS", "/hr/ @t/hr\n/CODEOWNERS")}, author="anouk"
    )
    git_as(repo.root, "anouk", "tag", "-f", "base")
    repo.commit({"hr/a.yaml": "a\n"}, author="eva")
    repo.commit({"hr/b.yaml": "b\n"}, author="mohamed")
    repo.approve("eva")
    repo.approve("mohamed")
    verdict = repo.verdict()
    assert verdict.complete, reasons(verdict)
    assert {r.paths: r.approved_by for r in verdict.required} == {
        ("hr/a.yaml",): (email("mohamed"),),
        ("hr/b.yaml",): (email("eva"),),
    }


def test_committing_an_approval_record_is_not_authoring(gate: GateRepo) -> None:
    gate.approve("eva", commit=False)
    gate.commit({}, author="fatima", message="records")
    gate.approve("fatima")
    assert gate.verdict().complete


def test_release_requester_cannot_approve(gate: GateRepo) -> None:
    gate.approve("eva")
    gate.approve("fatima")
    span = resolve_range(GitRepository(gate.root), "base", None, None)
    verdict = judge(span, excluded=frozenset({email("eva")}))
    assert missing(verdict)["hr"] == 1
    assert f"{email('eva')}: self-approval: the approver asks for the release: {MONITORING}" in (
        reasons(verdict)
    )


# --- Forgery ------------------------------------------------------------------------------------


def test_approved_by_trailers_count_for_nothing(gate: GateRepo) -> None:
    message = f"fix\n\nApproved-by: Eva Visser <{email('eva')}>\nAcked-by: {email('fatima')}"
    gate.commit({"README.md": "x\n"}, message=message)
    verdict = gate.verdict()
    assert missing(verdict) == {"beheer": 1, "hr": 1, "or[Ondernemingsraad]": 1}


def test_key_outside_the_registry_is_ignored(gate: GateRepo) -> None:
    forge(gate, key="mallory", approver="eva", department="hr")
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: unknown key: no member has the signing key in the registry at BASE"
    ]


def test_another_members_key_cannot_sign_for_someone_else(gate: GateRepo) -> None:
    forge(gate, key="sanne", approver="eva", department="hr")
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: wrong approver: the key belongs to {email('sanne')}, not {email('eva')}"
    ]


def test_record_changed_after_signing_is_ignored(gate: GateRepo) -> None:
    other = "100644 sha256:" + "0" * 64
    forge(gate, key="eva", approver="eva", department="hr", tamper={"README.md": other})
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: bad signature: it does not verify for this record and key"
    ]


def test_signature_made_for_another_purpose_is_ignored(gate: GateRepo) -> None:
    forge(gate, key="eva", approver="eva", department="hr", namespace="git")
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [f"{email('eva')}: signed for another purpose (namespace 'git')"]


def test_approval_for_another_organisation_is_ignored(gate: GateRepo) -> None:
    forge(gate, key="eva", approver="eva", department="hr", organisation="Ander B.V.")
    assert reasons(gate.verdict()) == [
        f"{email('eva')}: another organisation: the record is for 'Ander B.V.'"
    ]


def test_member_cannot_approve_for_a_department_they_are_not_in(gate: GateRepo) -> None:
    forge(gate, key="eva", approver="eva", department="or")
    verdict = gate.verdict()
    assert missing(verdict)["or[Ondernemingsraad]"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: not a member: {email('eva')} is not in or at BASE"
    ]


def test_unsigned_or_broken_record_is_ignored(gate: GateRepo) -> None:
    gate.commit(
        {
            "changelog/approvals/empty.json": '{"approval": {}, "signature": ""}',
            "changelog/approvals/junk.json": "not json",
        }
    )
    found = {i.file: i.reason for i in gate.verdict().ignored}
    assert found["changelog/approvals/junk.json"].startswith("not valid JSON (line 1, column 1")
    assert found["changelog/approvals/empty.json"].startswith("not an approval record")


def test_symlinked_record_is_ignored(gate: GateRepo) -> None:
    gate.approve("eva", commit=False)
    record = next((gate.root / "changelog/approvals").glob("*.json"))
    target = gate.root / "elsewhere.json"
    record.rename(target)
    os.symlink("../../elsewhere.json", record)
    gate.commit({}, author="eva")
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert any("symbolic link" in i.reason for i in verdict.ignored)


def test_other_files_in_the_approvals_folder_need_approval(gate: GateRepo) -> None:
    gate.commit({"changelog/approvals/notes.md": "text\n"})
    paths = {p for r in gate.verdict().required for p in r.paths}
    assert "changelog/approvals/notes.md" in paths


# --- Keys and people ----------------------------------------------------------------------------


def test_key_revoked_at_base_is_ignored(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys, revoked={"eva": ("eva",)})
    repo.commit({MONITORING: CHANGED})
    repo.approve("eva")
    verdict = repo.verdict()
    assert missing(verdict)["hr"] == 1
    assert reasons(verdict) == [
        f"{email('eva')}: revoked key: the signing key is revoked in the registry"
    ]


def test_key_revoked_in_the_change_is_ignored_at_once(gate: GateRepo) -> None:
    gate.commit({"policy/departments.yaml": registry(gate.keys, revoked={"eva": ("eva",)})})
    gate.approve("eva")
    assert f"{email('eva')}: revoked key: the signing key is revoked in the registry" in reasons(
        gate.verdict()
    )


def test_key_added_in_the_change_does_not_count(gate: GateRepo) -> None:
    new = registry(gate.keys, extra_keys={"eva": ("mallory",)})
    gate.commit({"policy/departments.yaml": new})
    forge(gate, key="mallory", approver="eva", department="hr")
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert any("unknown key" in r for r in reasons(verdict))


def test_joining_a_department_in_the_change_does_not_count(gate: GateRepo) -> None:
    gate.commit({"policy/departments.yaml": registry(gate.keys, members={"hr": ("sanne",)})})
    forge(gate, key="sanne", approver="sanne", department="hr")
    verdict = gate.verdict()
    assert missing(verdict)["hr"] == 1
    assert any("not a member" in r for r in reasons(verdict))
    assert missing(verdict)["beheer"] == 1  # and the registry change needs governance


def test_one_person_counts_once_however_many_keys_or_records(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys, extra_keys={"eva": ("eva2",)})
    repo.commit({"CODEOWNERS": CODEOWNERS + f"\n[HR][2]\n/{MONITORING} @t/hr\n"}, author="anouk")
    git_as(repo.root, "anouk", "tag", "-f", "base")
    repo.commit({MONITORING: CHANGED})
    repo.approve("eva")
    forge(repo, key="eva2", approver="eva", department="hr", name="second-key.json")
    verdict = repo.verdict()
    assert missing(verdict)["hr[HR]"] == 1
    assert any("duplicate" in r for r in reasons(verdict))
    repo.approve("mohamed")
    assert missing(repo.verdict())["hr[HR]"] == 0


# --- Rewriting the rules in the change ----------------------------------------------------------


def test_dropping_the_codeowners_line_in_the_change_changes_nothing(gate: GateRepo) -> None:
    gate.commit({"CODEOWNERS": "* @t/communicatie\n"})
    gate.approve("sanne", department="communicatie")
    verdict = gate.verdict()
    assert missing(verdict) == {"beheer": 1, "hr": 1, "or[Ondernemingsraad]": 1}


def test_making_yourself_owner_in_the_change_needs_governance(gate: GateRepo) -> None:
    gate.commit({"CODEOWNERS": CODEOWNERS + "/policy/ @t/communicatie\n"})
    verdict = gate.verdict()
    assert {r.paths: r.departments for r in verdict.required if "CODEOWNERS" in r.paths} == {
        ("CODEOWNERS",): ("beheer",)
    }


def test_second_codeowners_file_in_the_change_needs_governance(gate: GateRepo) -> None:
    gate.commit({".github/CODEOWNERS": "* @t/communicatie\n"})
    verdict = gate.verdict()
    owners = {p: r.departments for r in verdict.required for p in r.paths}
    assert owners[".github/CODEOWNERS"] == ("beheer",)


def test_renaming_out_of_an_owned_path_needs_both_sides(gate: GateRepo) -> None:
    (gate.root / "docs").mkdir()
    git_as(gate.root, "mallory", "mv", MONITORING, "docs/monitoring.yaml")
    gate.commit({})
    verdict = gate.verdict()
    needs: dict[str, set[str]] = {}
    for r in verdict.required:
        for path in r.paths:
            needs.setdefault(path, set()).update(r.departments)
    assert needs == {MONITORING: {"hr", "or"}, "docs/monitoring.yaml": {"beheer"}}
    assert missing(verdict) == {"beheer": 1, "hr": 1, "or[Ondernemingsraad]": 1}


# --- Paths the gate refuses to judge ------------------------------------------------------------


def test_symlink_in_the_change_fails_closed(gate: GateRepo) -> None:
    os.symlink("monitoring.yaml", gate.root / "policy/p/sections/link.yaml")
    gate.commit({})
    assert "link-or-submodule" in codes(gate)


def test_case_twin_of_an_owned_file_fails_closed(gate: GateRepo) -> None:
    gate.commit({"Policy/p/sections/monitoring.yaml": "x\n"})
    assert "colliding-paths" in codes(gate)


def test_unicode_twin_fails_closed(gate: GateRepo) -> None:
    gate.commit(
        {"policy/p/sections/cafe\u0301.yaml": "x\n", "policy/p/sections/caf\u00e9.yaml": "y"}
    )
    assert {"colliding-paths", "bad-path"} <= set(codes(gate))


def test_unowned_path_fails_closed(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit({"CODEOWNERS": CODEOWNERS.replace("*    ", "/README.md")}, author="anouk")
    git_as(repo.root, "anouk", "tag", "-f", "base")
    repo.commit({"new.txt": "x\n"})
    verdict = repo.verdict()
    assert not verdict.complete
    assert [(p.file, p.code) for p in verdict.problems] == [("new.txt", "unowned-path")]


def test_broken_codeowners_at_base_fails_closed(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit({"CODEOWNERS": CODEOWNERS + "!/policy/ @t/hr\n/x @nobody\n"}, author="anouk")
    git_as(repo.root, "anouk", "tag", "-f", "base")
    repo.commit({"README.md": "y\n"})
    repo.approve("anouk")
    verdict = repo.verdict()
    assert not verdict.complete
    assert {"codeowners-syntax", "unknown-owner"} <= {p.code for p in verdict.problems}


def test_base_that_head_does_not_build_on_fails_closed(gate: GateRepo) -> None:
    gate.approve("eva")
    gate.approve("fatima")
    git_as(gate.root, "anouk", "checkout", "-q", "--orphan", "other")
    gate.commit({"README.md": "other\n"}, author="anouk", message="unrelated")
    verdict = gate.verdict(base="main", head="HEAD")
    assert "not-an-ancestor" in [p.code for p in verdict.problems]


# --- policy approve ---------------------------------------------------------------------------


def test_approve_refuses_uncommitted_changes(gate: GateRepo) -> None:
    (gate.root / MONITORING).write_text("local edit\n", encoding="utf-8")
    with pytest.raises(RefusalError, match="uncommitted changes"):
        gate.approve("eva")


def test_approve_refuses_a_key_of_nobody(gate: GateRepo) -> None:
    with pytest.raises(RefusalError, match="belongs to no member"):
        gate.approve("eva", key="eva2")


def test_approve_refuses_a_department_you_are_not_in(gate: GateRepo) -> None:
    with pytest.raises(RefusalError, match="not a member of 'or'"):
        gate.approve("eva", department="or")


def test_approve_picks_your_departments_that_the_change_needs(gate: GateRepo) -> None:
    done = gate.approve("eva", commit=False)
    assert [p.name.split("--")[0] for p in done.records] == ["hr"]
    assert done.paths == (MONITORING,)


def test_approve_warns_about_files_you_wrote(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = new_gate_repo(tmp_path / "repo", keys)
    repo.commit({MONITORING: CHANGED}, author="eva")
    done = approve(
        repo.root, resolve_range(GitRepository(repo.root), "base", None, None), key=keys["eva"]
    )
    assert done.not_counting == (MONITORING,)


# --- The shipped repository -------------------------------------------------------------------

SHIPPED_MONITORING = "policy/social-media/sections/monitoring.yaml"


def test_shipped_monitoring_change_needs_hr_and_the_works_council(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    root = tmp_path / "shipped"
    root.mkdir()
    shipped_with_keys(root, keys)
    repo = GateRepo(root, keys)
    text = (root / SHIPPED_MONITORING).read_text(encoding="utf-8")
    changed = text.replace("kijken alleen naar informatie", "kijken vooral naar informatie", 1)
    assert changed != text
    repo.commit({SHIPPED_MONITORING: changed}, author="mallory")

    def verdict() -> dict[str, int]:
        return missing(repo.verdict())

    assert verdict() == {"hr": 1, "ondernemingsraad[Ondernemingsraad]": 1}
    assert {c for r in repo.verdict().required for c in r.clauses} == {"sm-048"}

    repo.approve("eva.visser")
    assert verdict() == {"hr": 0, "ondernemingsraad[Ondernemingsraad]": 1}
    assert not repo.verdict().complete

    repo.approve("fatima.yilmaz")
    assert repo.verdict().complete

    repo.commit({SHIPPED_MONITORING: changed.replace("vooral", "meestal", 1)})
    assert verdict() == {"hr": 1, "ondernemingsraad[Ondernemingsraad]": 1}


# --- The command line ---------------------------------------------------------------------------


def test_cli_approvals_json_and_exit_codes(gate: GateRepo) -> None:
    result = run_policy("approvals", "base", "--format", "json", cwd=gate.root)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["complete"] is False
    hr = next(r for r in report["required"] if r["department"] == "hr")
    assert hr["paths"] == [MONITORING]
    assert (hr["section"], hr["needed"], hr["approved_by"], hr["missing"]) == ("", 1, [], 1)

    approved = run_policy("approve", "base", "--key", str(gate.keys["eva"]), cwd=gate.root)
    assert approved.returncode == 0, approved.stderr
    assert "wrote changelog/approvals/hr--eva--" in approved.stdout
    gate.commit({}, author="eva")
    forge(gate, key="mallory", approver="fatima", department="or")
    report = json.loads(run_policy("approvals", "base", "--format", "json", cwd=gate.root).stdout)
    hr = next(r for r in report["required"] if r["department"] == "hr")
    assert hr["approved_by"] == [email("eva")] and hr["missing"] == 0
    assert report["ignored"] == [
        {
            "file": "changelog/approvals/forged.json",
            "approver": email("fatima"),
            "department": "or",
            "reason": "unknown key: no member has the signing key in the registry at BASE",
        }
    ]

    gate.approve("joost")
    done = run_policy("approvals", "base", cwd=gate.root)
    assert done.returncode == 0, done.stdout
    assert "complete" in done.stdout.splitlines()[0]


def test_cli_approvals_markdown_for_reviewers(gate: GateRepo) -> None:
    gate.approve("eva")
    result = run_policy("approvals", "base", "--format", "markdown", cwd=gate.root)
    assert result.returncode == 1
    assert result.stdout.startswith("## Approvals: ❌ incomplete")
    assert "| hr | 1 | Eva Visser &lt;eva@t.nl&gt; | approved |" in result.stdout
    assert "| or \\[Ondernemingsraad\\] | 1 | - | 1 more approval needed |" in result.stdout


def test_cli_approvals_output_is_deterministic(gate: GateRepo) -> None:
    gate.approve("eva")
    first = run_policy("approvals", "base", "--format", "json", cwd=gate.root).stdout
    assert first == run_policy("approvals", "base", "--format", "json", cwd=gate.root).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["approvals", "no-such-ref"], "unknown revision 'no-such-ref'"),
        (["approvals", "--", "-x"], "is not a revision"),
        (["approvals", "--trust-root", "no-such-ref"], "unknown revision 'no-such-ref'"),
        (["approvals", "base", "--trust-root", "base"], "for a first release only"),
        (["approve", "base", "--key", "/nonexistent/key"], "cannot read the public key"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(gate: GateRepo, args: list[str], message: str) -> None:
    result = run_policy(*args, cwd=gate.root)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
