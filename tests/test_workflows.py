"""The CI shipped in the repository: GitHub workflows, the GitLab template and pre-commit hooks."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import ROOT, run_policy
from tools.base.yamlfile import parse_yaml
from tools.gate.prreport import MARKER

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GITLAB = [ROOT / ".gitlab-ci.yml", ROOT / ".gitlab" / "ci" / "policy.gitlab-ci.yml"]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
OWN_HOOKS = ROOT / ".pre-commit-config.yaml"
CI_FILES = [*WORKFLOWS, *GITLAB, HOOKS, OWN_HOOKS]

# Sessions built on other branches; the lead merges them. Remove a name once it is on main.
PENDING_SESSIONS: dict[str, str] = {}

# The only write permissions a workflow job may hold, and why (a new one must be added here).
WRITE_SCOPES = {
    ("pull-request.yml", "comment"): {"pull-requests"},  # the one report comment
    ("main.yml", "release"): {"contents"},  # push the release commit and tags
    ("main.yml", "pages"): {"pages", "id-token"},  # deploy to GitHub Pages
    ("review-due.yml", "due"): {"issues"},  # the one "reviews overdue" issue
}

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> Any:
    """The file parsed by the project's strict YAML reader (YAML 1.2: `on` stays a string)."""
    document, problems = parse_yaml(path.relative_to(ROOT).as_posix(), path.read_bytes())
    assert not problems, problems
    assert document is not None
    return document.data


def jobs(path: Path) -> dict[str, Any]:
    found = load(path)["jobs"]
    assert isinstance(found, dict)
    return found


def steps(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in jobs(path).items():
        for step in job.get("steps", []):
            yield name, step


def nox_sessions() -> set[str]:
    """Every session noxfile.py defines (``@nox.session``, with or without arguments)."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) != "nox.session":
                continue
            named = [k.value for k in (call.keywords if call else []) if k.arg == "name"]
            names.add(named[0].value if named and isinstance(named[0], ast.Constant) else node.name)
    return names


def sessions_used() -> list[tuple[str, str]]:
    return sorted(
        {
            (path.relative_to(ROOT).as_posix(), name)
            for path in CI_FILES
            for name in re.findall(r"\bnox -s ([\w-]+)", path.read_text(encoding="utf-8"))
        }
    )


def test_there_are_workflows() -> None:
    """Pull requests, main and the schedule each have a workflow."""
    assert [p.name for p in WORKFLOWS] == ["main.yml", "pull-request.yml", "review-due.yml"]


@pytest.mark.parametrize("path", CI_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_valid_yaml(path: Path) -> None:
    """Every CI file is YAML the strict reader accepts (no anchors, tags or duplicate keys)."""
    assert isinstance(load(path), dict | list)


@pytest.mark.parametrize("use", sessions_used(), ids=lambda u: f"{u[0]}:{u[1]}")
def test_nox_sessions_exist(use: tuple[str, str]) -> None:
    """Every `nox -s NAME` in CI names a session of noxfile.py: CI runs what a person runs."""
    _, name = use
    if name not in nox_sessions() and name in PENDING_SESSIONS:
        pytest.xfail(f"nox -s {name} is not merged yet: {PENDING_SESSIONS[name]}")
    assert name in nox_sessions()


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_minimal(path: Path) -> None:
    """The workflow grants nothing; each job says what it needs; writes only where listed."""
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in jobs(path).items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict) and permissions, f"{name}: no permissions"
        assert set(permissions.values()) <= {"read", "write", "none"}
        writes = {scope for scope, level in permissions.items() if level == "write"}
        assert writes == WRITE_SCOPES.get((path.name, name), set()), name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commits(path: Path) -> None:
    """Every action is pinned to a full commit SHA, with the version it is in a comment."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*(?:- )?uses: (\S+)(.*)$", line)
        if match:
            assert PINNED.match(match[1]), line
            assert re.search(r"# v\d+\.\d+\.\d+", match[2]), f"version comment: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_has_full_history(path: Path) -> None:
    """Every checkout fetches all history: the diff, notes check and gate read BASE from git."""
    checkouts = [s for _, s in steps(path) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_event_data_inside_scripts(path: Path) -> None:
    """Event data reaches a script through env, never pasted into it (script injection)."""
    for job, step in steps(path):
        assert "${{" not in step.get("run", ""), f"{job}: {step.get('name', step['run'])}"


def test_pull_request_code_runs_without_write_token() -> None:
    """Jobs that run the pull request's code hold no write permission and keep no credentials;
    the gate runs BASE's code."""
    path = ROOT / ".github/workflows/pull-request.yml"
    for name, job in jobs(path).items():
        for step in job.get("steps", []):
            ref = str(step.get("with", {}).get("ref", ""))
            if "pull_request.head" in ref:
                assert "write" not in job["permissions"].values(), name
                assert step["with"]["persist-credentials"] is False, name
    gate = jobs(path)["approvals"]["steps"][0]
    assert gate["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"


def test_comment_marker_is_the_reports() -> None:
    """The workflow and the GitLab note script look for the marker `policy report` writes."""
    workflow = (ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert f"const marker = '{MARKER}';" in workflow
    assert f'MARKER = "{MARKER}"' in (ROOT / ".gitlab/ci/mr_note.py").read_text()


def test_approval_gate_is_a_failing_check() -> None:
    """An incomplete gate fails the approvals job, after its result is kept for the comment."""
    gate = jobs(ROOT / ".github/workflows/pull-request.yml")["approvals"]["steps"]
    assert "--source github --pr" in gate[3]["run"]
    assert gate[-1]["if"] == "steps.gate.outputs.status != '0'"
    assert "exit 1" in gate[-1]["run"]


def test_the_word_redline_is_attached_and_the_comment_links_to_it() -> None:
    """nox -s pr writes build/policy-redline.docx; the checks job keeps it as an artifact and
    the comment job turns the name the report gives it into a link to that artifact."""
    redline = "build/policy-redline.docx"
    assert f'"--docx", "{redline}"' in (ROOT / "noxfile.py").read_text(encoding="utf-8")
    found = jobs(ROOT / ".github/workflows/pull-request.yml")
    (upload,) = [s for s in found["checks"]["steps"] if s.get("id") == "redline"]
    assert upload["with"]["path"] == redline and upload["if"] == "always()"
    assert found["checks"]["outputs"] == {
        "redline-url": "${{ steps.redline.outputs.artifact-url }}"
    }
    (post,) = [s for s in found["comment"]["steps"] if "github-script" in s.get("uses", "")]
    assert post["env"] == {"REDLINE_URL": "${{ needs.checks.outputs.redline-url }}"}
    assert (
        "body.replace('`policy-redline.docx`', `[policy-redline.docx](${redline})`)"
        in (post["with"]["script"])
    )
    gitlab = load(GITLAB[1])["policy:merge-request"]
    assert redline in gitlab["artifacts"]["paths"]
    assert any("mr_note.py" in line and f"--attach {redline}" in line for line in gitlab["script"])


def test_gitlab_note_links_the_attached_redline() -> None:
    spec = importlib.util.spec_from_file_location("mr_note", ROOT / ".gitlab/ci/mr_note.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    body = "Word redline (tracked changes): `policy-redline.docx`"
    linked = module.link_attachments(body, ["build/policy-redline.docx"], "https://g.l/p/-/jobs/9")
    assert linked == (
        "Word redline (tracked changes): [policy-redline.docx]"
        "(https://g.l/p/-/jobs/9/artifacts/raw/build/policy-redline.docx)"
    )


# --- GitLab --------------------------------------------------------------------------------------


def test_gitlab_root_includes_the_template() -> None:
    """.gitlab-ci.yml only includes the template, which exists."""
    data = load(ROOT / ".gitlab-ci.yml")
    (include,) = data["include"]
    assert (ROOT / include["local"]).is_file()


def test_gitlab_template_jobs() -> None:
    """Merge requests, main, release, schedule and Pages each have a job; full history."""
    data = load(GITLAB[1])
    assert data["variables"]["GIT_DEPTH"] == "0"
    rules = {
        name: job["rules"][0]["if"]
        for name, job in data.items()
        if isinstance(job, dict) and "rules" in job
    }
    assert rules["policy:merge-request"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert rules["policy:due"] == '$CI_PIPELINE_SOURCE == "schedule"'
    assert "CI_DEFAULT_BRANCH" in rules["policy:release"]
    assert data["pages"]["artifacts"]["paths"] == ["public"]
    reports = data["policy:merge-request"]["artifacts"]["reports"]
    assert reports == {"codequality": "build/codequality.json"}


class _Notes(BaseHTTPRequestHandler):
    """A stand-in for GitLab's merge-request notes API, in a real HTTP server."""

    notes: ClassVar[list[dict[str, Any]]] = []

    def _reply(self, data: object) -> None:
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def _form(self) -> dict[str, str]:
        length = int(self.headers["Content-Length"])
        return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

    def do_GET(self) -> None:
        assert self.headers["PRIVATE-TOKEN"] == "secret"
        assert urlparse(self.path).path == "/api/v4/projects/g%2Fp/merge_requests/7/notes"
        self._reply(self.notes)

    def do_POST(self) -> None:
        self.notes.append({"id": len(self.notes) + 1, "body": self._form()["body"]})
        self._reply(self.notes[-1])

    def do_PUT(self) -> None:
        note_id = int(self.path.rsplit("/", 1)[1])
        self.notes[note_id - 1]["body"] = self._form()["body"]
        self._reply(self.notes[note_id - 1])

    def log_message(self, *args: object) -> None:
        pass


def test_gitlab_note_is_created_once_then_updated(tmp_path: Path) -> None:
    """mr_note.py posts the report as a note, then updates that note instead of adding one."""
    _Notes.notes = [{"id": 1, "body": "LGTM"}]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Notes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4",
        "CI_PROJECT_ID": "g/p",
        "CI_MERGE_REQUEST_IID": "7",
        "POLICY_BOT_TOKEN": "secret",
    }
    report, approvals = tmp_path / "report.md", tmp_path / "approvals.md"
    report.write_text(f"{MARKER}\n# Policy report\n", encoding="utf-8")
    approvals.write_text("## Approvals\n", encoding="utf-8")
    script = [sys.executable, str(ROOT / ".gitlab/ci/mr_note.py"), str(report), str(approvals)]
    try:
        first = subprocess.run(script, env=env, capture_output=True, text=True, check=False)
        report.write_text(f"{MARKER}\n# Policy report, again\n", encoding="utf-8")
        second = subprocess.run(script, env=env, capture_output=True, text=True, check=False)
    finally:
        server.shutdown()
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert [n["body"] for n in _Notes.notes] == [
        "LGTM",
        f"{MARKER}\n# Policy report, again\n\n## Approvals\n",
    ]


# --- pre-commit ----------------------------------------------------------------------------------


def test_pre_commit_hooks_run_real_commands() -> None:
    """Each hook's entry is a `policy` command that exits 0 on this repository's own files."""
    hooks = load(HOOKS)
    assert [h["id"] for h in hooks] == ["policy-validate", "policy-changelog-check"]
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'policy = "tools.cli.main:main"' in scripts  # pre-commit installs the package
    tracked = ["CODEOWNERS", "policy/departments.yaml", "policy/social-media/policy.yaml"]
    for hook in hooks:
        assert hook["language"] == "python"
        program, *command = hook["entry"].split()
        assert program == "policy"
        files = [f for f in tracked if re.search(hook["files"], f)]
        assert files, hook["id"]
        assert not re.search(hook["files"], "tools/cli/main.py")
        arguments = files if hook["pass_filenames"] else []
        result = run_policy(*command, *arguments, cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr


def test_own_pre_commit_config_uses_the_same_commands() -> None:
    """This repository's hooks run the commands of `nox -s check`."""
    (local,) = load(OWN_HOOKS)["repos"]
    entries = {hook["entry"] for hook in local["hooks"]}
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    for entry in entries:
        words = ", ".join(f'"{word}"' for word in entry.split())
        assert f"session.run({words})" in noxfile, entry
