"""Messages a person can act on: each names what is wrong, where, and what to do about it."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import MINI_FILES, ROOT, run_policy, write_tree
from tests.gatekit import git_as
from tests.releasekit import ShippedRepo, new_shipped_repo, repository_state
from tools.cli.args import build_parser
from tools.cli.helptext import subcommands

SECTION = MINI_FILES["policy/mini/sections/privacy.yaml"]
REGISTRY = MINI_FILES["policy/departments.yaml"]
ALGEMEEN = "policy/mini/sections/algemeen.yaml"
NOTES = "changelog/mini/unreleased"


def _section_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schema/section.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(
    "title",
    ["", "   ", "Geen\u200bklanten", "Geen \u202eklanten", "tab\tkan", "Geen\x07bel"],
)
def test_schema_rejects_what_validate_rejects(mini_repo: Callable[..., Path], title: str) -> None:
    """An editor using schema/*.json flags the empty or hidden-character titles validate refuses."""
    text = SECTION.replace("title: Geen klantgegevens", f"title: {json.dumps(title)}")
    root = mini_repo({"policy/mini/sections/privacy.yaml": text})
    refused = run_policy("validate", cwd=root).returncode == 1
    data = {
        "id": "privacy",
        "title": "Privacy",
        "elements": ["privacy"],
        "clauses": [{"id": "mi-002", "title": title, "level": "must-not", "text": "Tekst."}],
    }
    schema_errors = list(_section_schema().iter_errors(data))
    assert refused == bool(schema_errors), (title, refused, schema_errors)
    if title != "tab\tkan":
        assert refused


def test_schema_accepts_ordinary_text() -> None:
    """Dutch text with a no-break space, accents and a tab is fine for the schema."""
    clause = {"id": "mi-002", "title": "Art.\u00a05 café\tok", "level": "must", "text": "x"}
    data = {"id": "privacy", "title": "P", "elements": ["privacy"], "clauses": [clause]}
    assert not list(_section_schema().iter_errors(data))


def test_word_paste_names_the_characters(mini_repo: Callable[..., Path]) -> None:
    """No-break spaces as indentation and curly quotes as YAML quotes are named and located,
    all in one run, instead of 'mapping values are not allowed in this context'."""
    text = (
        SECTION.replace("  - id: mi-002", "\u00a0 - id: mi-002")
        .replace("    level: must-not", "\u00a0\u00a0  level: must-not")
        .replace("title: Geen klantgegevens", "title: \u201cGeen: klantgegevens\u201d")
    )
    root = mini_repo({"policy/mini/sections/privacy.yaml": text})
    result = run_policy("validate", cwd=root)
    assert result.returncode == 1
    assert "mapping values" not in result.stdout
    path = "policy/mini/sections/privacy.yaml"
    assert (
        f"{path}:7:1: error[pasted-character]: U+00A0 NO-BREAK SPACE used as indentation"
        in result.stdout
    )
    assert f"{path}:9:1: error[pasted-character]: U+00A0 NO-BREAK SPACE" in result.stdout
    assert "replace it with ordinary spaces" in result.stdout
    quote = "U+201C LEFT DOUBLE QUOTATION MARK used as a YAML quote"
    assert f"{path}:8:12: error[pasted-character]: {quote}" in result.stdout
    assert "straight quotes" in result.stdout


def test_every_hidden_character_of_a_field_in_one_run(mini_repo: Callable[..., Path]) -> None:
    """Three hidden characters in one text: three located errors, each naming its character."""
    text = SECTION.replace(
        "text: Je deelt geen gegevens van klanten.",
        "text: Je\u200b deelt\u202e geen gegevens\u200b van klanten.",
    )
    root = mini_repo({"policy/mini/sections/privacy.yaml": text})
    result = run_policy("validate", cwd=root)
    assert result.returncode == 1
    path = "policy/mini/sections/privacy.yaml"
    assert f"{path}:10:13: error[hidden-character]" in result.stdout
    assert "U+200B ZERO WIDTH SPACE" in result.stdout
    assert f"{path}:10:20: error[hidden-character]" in result.stdout
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in result.stdout
    assert f"{path}:10:35: error[hidden-character]" in result.stdout
    assert "3 errors found" in result.stdout


def test_every_hidden_character_of_a_note_in_one_run(mini_released: Path) -> None:
    """A change note's body with two hidden characters: both named and located at once."""
    reworded = MINI_FILES[ALGEMEEN].replace("Je bent beleefd", "Je bent beleefd en respectvol")
    body = "Wees\u200b ook\u2066 respectvol."
    write_tree(
        mini_released,
        {ALGEMEEN: reworded, f"{NOTES}/a.md": f"---\nclauses: [mi-001]\n---\n{body}\n"},
    )
    result = run_policy("changelog", "check", cwd=mini_released)
    assert result.returncode == 1
    assert f"{NOTES}/a.md:4:5: error[hidden-character]" in result.stderr
    assert "U+200B ZERO WIDTH SPACE" in result.stderr
    assert f"{NOTES}/a.md:4:10: error[hidden-character]" in result.stderr
    assert "U+2066 LEFT-TO-RIGHT ISOLATE" in result.stderr


def test_unknown_department_lists_the_known_ids(mini_repo: Callable[..., Path]) -> None:
    """'HR' for 'hr': the message lists the department ids, not a regular expression."""
    text = MINI_FILES["policy/mini/policy.yaml"].replace("contact: hr", "contact: HR")
    root = mini_repo({"policy/mini/policy.yaml": text})
    result = run_policy("validate", cwd=root)
    assert result.returncode == 1
    assert (
        "policy/mini/policy.yaml:11:10: error[unknown-department]: unknown department 'HR'; "
        "known: communicatie, hr"
    ) in result.stdout
    assert "pattern" not in result.stdout


PRIVATE_KEYS = [
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----\n",
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n"
    "-----END RSA PRIVATE KEY-----\n",
]


@pytest.mark.parametrize("key", PRIVATE_KEYS)
@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_private_key_is_refused_without_echoing_it(
    mini_repo: Callable[..., Path], key: str, output: str
) -> None:
    """A private key pasted into ssh_keys: refused, told to rotate, key material never shown."""
    block = "".join(f"            {line}\n" for line in key.splitlines())
    registry = REGISTRY.replace(
        "        email: eva@test.nl\n",
        f"        email: eva@test.nl\n        ssh_keys:\n          - |\n{block}",
    )
    root = mini_repo({"policy/departments.yaml": registry})
    result = run_policy("validate", "--format", output, cwd=root)
    assert result.returncode == 1
    assert "private-key" in result.stdout
    assert "PRIVATE key" in result.stdout
    assert "rotate" in result.stdout
    material = key.splitlines()[1]
    assert material[:12] not in result.stdout + result.stderr


# --- Releases and change notes -------------------------------------------------------------------


@pytest.fixture
def released(tmp_path: Path, keys: dict[str, Path]) -> ShippedRepo:
    """The shipped policy after its first release, 1.0.0."""
    repo = new_shipped_repo(tmp_path / "shipped", keys)
    done = repo.release()
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


@pytest.mark.parametrize("args", [(), ("--version", "1.0.0")])
def test_releasing_again_says_it_is_released(released: ShippedRepo, args: tuple[str, ...]) -> None:
    """The same release run twice: '1.0.0 is already released', not a changelog clash."""
    done = released.release(*args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1.0.0 is already released" in done.stderr
    assert "tag-exists" not in done.stderr and "changelog" not in done.stderr


def test_preview_with_nothing_to_release_says_so(mini_released: Path) -> None:
    """`changelog preview` right after a release: nothing to release, exit 1."""
    result = run_policy("changelog", "preview", cwd=mini_released)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "mini: nothing to release: nothing changed since 1.0.0" in result.stderr
    assert result.stdout == ""


UNFINISHED = {
    "template": None,
    "empty": "---\nclauses:\n  - mi-001\n---\n\n",
}


@pytest.mark.parametrize("kind", sorted(UNFINISHED))
def test_an_unfinished_note_is_to_be_finished_not_doubled(mini_released: Path, kind: str) -> None:
    """After `changelog new`, a second `new` writes no second note for the clause, and
    `changelog check` says to finish the note (naming it), not to run `changelog new`."""
    reworded = MINI_FILES[ALGEMEEN].replace("Je bent beleefd", "Je bent beleefd en respectvol")
    write_tree(mini_released, {ALGEMEEN: reworded})
    first = run_policy("changelog", "new", cwd=mini_released)
    assert first.returncode == 0, first.stderr
    path = f"{NOTES}/mi-001.md"
    if UNFINISHED[kind] is not None:
        write_tree(mini_released, {path: UNFINISHED[kind]})
    again = run_policy("changelog", "new", cwd=mini_released)
    assert again.returncode == 1, again.stdout + again.stderr
    assert sorted(p.name for p in (mini_released / NOTES).iterdir()) == ["mi-001.md"]
    assert f"still to finish: {path}" in again.stdout
    check = run_policy("changelog", "check", cwd=mini_released)
    assert check.returncode == 1
    assert "changelog new" not in check.stdout + check.stderr
    assert "missing-note" not in check.stderr
    assert f"{path}:" in check.stderr and (
        "unfinished-note" in check.stderr or "empty-note" in check.stderr
    )


# --- Cannot run as asked: one line, with the fix, exit 2 -----------------------------------------


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single line of a 'could not run' error (exit 2, no traceback)."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"gpg.format": "ssh"}, "git has gpg.format ssh but no user.signingKey; set it"),
        (
            {"gpg.format": "ssh", "user.signingKey": "/nonexistent/key.pub"},
            "git cannot sign with gpg.format ssh: ",
        ),
    ],
)
def test_sign_without_a_signing_setup(
    tmp_path: Path, keys: dict[str, Path], settings: dict[str, str], message: str
) -> None:
    """`release --sign` checks git's signing setup before anything is written."""
    repo = new_shipped_repo(tmp_path / "shipped", keys)
    for name, value in settings.items():
        git_as(repo.root, "anouk", "config", name, value)
    before = repository_state(repo.root)
    line = one_line_error(repo.release("--sign"))
    assert f"policy: error: --sign: {message}" in line
    assert "user.signingKey" in line and "or leave out --sign" in line
    assert repository_state(repo.root) == before
    dry = one_line_error(repo.release("--sign", "--dry-run")) if len(settings) == 1 else line
    assert "--sign:" in dry


def test_sign_with_a_working_setup_signs_the_tag(tmp_path: Path, keys: dict[str, Path]) -> None:
    """The up-front check lets a working setup through: the release tag is signed."""
    repo = new_shipped_repo(tmp_path / "shipped", keys)
    git_as(repo.root, "anouk", "config", "gpg.format", "ssh")
    git_as(repo.root, "anouk", "config", "user.signingKey", str(keys["anouk.mulder"]))
    done = repo.release("--sign")
    assert done.returncode == 0, done.stdout + done.stderr
    tag = git_as(repo.root, "anouk", "cat-file", "tag", "social-media/v1.0.0")
    assert "-----BEGIN SSH SIGNATURE-----" in tag


def test_diff_of_a_version_that_was_never_released(mini_released: Path) -> None:
    """`policy diff 9.9.9`: the policy has no such release; the releases are listed."""
    line = one_line_error(run_policy("diff", "9.9.9", cwd=mini_released))
    assert line == (
        "policy: error: 'mini' has no release 9.9.9 (releases: 1.0.0); give a released "
        "version or a git revision"
    )
    audit = one_line_error(run_policy("approvals", "--release", "9.9.9", cwd=mini_released))
    assert audit == "policy: error: 'mini' has no release 9.9.9 (releases: 1.0.0)"


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "--policy", "nope"),
        ("changelog", "check", "--policy", "nope"),
        ("changelog", "new", "--policy", "nope"),
        ("changelog", "preview", "--policy", "nope"),
        ("approvals", "--policy", "nope"),
        ("approve", "--policy", "nope"),
        ("report", "--policy", "nope"),
        ("history", "nope"),
        ("render", "nope"),
        ("release", "nope"),
    ],
)
def test_unknown_policy_lists_the_policies(mini_released: Path, args: tuple[str, ...]) -> None:
    """A policy that does not exist: one line naming it and listing the policies there are."""
    line = one_line_error(run_policy(*args, cwd=mini_released))
    assert "'nope'" in line and "(policies: mini)" in line


# --- Every --help: the formats, the exit codes, an example --------------------------------------


@pytest.mark.parametrize("command", subcommands(build_parser()))
def test_every_help_explains_formats_exit_codes_and_an_example(command: str) -> None:
    """`policy COMMAND --help` says what each --format is for, what 0/1/2 mean, and shows one
    example of the command."""
    result = run_policy(*command.split(), "--help", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    epilog = result.stdout.split("\n--format", 1)[1]
    choices = re.search(r"--format \{([a-z,]+)\}", result.stdout)
    for choice in choices.group(1).split(",") if choices else ():
        assert re.search(rf"^  {choice} +\S", epilog, re.MULTILINE), (command, choice)
    if not choices:
        assert epilog.startswith(": none;"), command
    for code in "012":
        assert re.search(rf"^  {code}  \S", epilog, re.MULTILINE), (command, code)
    example = epilog.split("\nexample:\n", 1)[1]
    assert example.startswith(f"  policy {command.split(maxsplit=1)[0]}"), command


def test_top_level_help_has_exit_codes_and_an_example() -> None:
    """`policy --help` names the three exit codes and points at each command's --help."""
    result = run_policy("--help", cwd=ROOT)
    assert "exit codes:" in result.stdout and "example:" in result.stdout
    assert "--format" in result.stdout.split("exit codes:", 1)[1]
