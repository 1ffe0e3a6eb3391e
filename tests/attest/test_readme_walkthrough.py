"""The README's attestation walkthrough, run as written: each ``policy`` line of its ``sh``
block in a clone of this repository, with the release tag it makes by hand and the invented
people and confirmations of ``docs/examples/``. A command renamed or an option dropped fails
here before a reader finds it."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from tests.conftest import ROOT, run_policy

SECTION = "## Attestation: who confirmed which version"


def walkthrough() -> list[list[str]]:
    """The block's commands, comments cut, as argument lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text.split(SECTION, 1)[1], re.S)
    assert block is not None, "the README's attestation section lost its sh block"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines()]


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    clone = tmp_path / "beleid"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = ["-c", "user.name=Proef", "-c", "user.email=proef@voorbeeld.nl"]
    outputs: dict[str, str] = {}
    for argv in walkthrough():
        match argv:
            case ["git", *rest]:
                subprocess.run(["git", *env, *rest], cwd=clone, check=True)
            case ["export", setting]:
                assert setting.startswith("POLICY_DB="), setting  # the database, outside git
            case ["policy", "ack", "verify", "--head", "HEAD"]:
                head = outputs["export"].rsplit("head ", 1)[1].strip()
                done = _policy(["ack", "verify", "--head", head], clone, tmp_path)
                assert done.returncode == 0, done.stdout + done.stderr
            case ["policy", *args]:
                day = "2027-01-02" if args[:2] == ["ack", "overdue"] else "2026-12-05"
                done = _policy(args, clone, tmp_path, day)
                assert done.returncode == 0, f"{argv}: {done.stdout}{done.stderr}"
                outputs[args[1] if args[0] == "ack" else args[0]] = done.stdout
            case _:
                raise AssertionError(f"the walkthrough has a line this test cannot run: {argv}")
    assert "6 added" in outputs["people"]
    assert "social-media,1.0.0,communicatie,1,0,0" in outputs["status"]
    assert outputs["overdue"].count("due 2027-01-01") == 3  # 1004, 1005, 1006 did not confirm
    assert "3 confirmations" in outputs["export"]


def _policy(
    args: list[str], clone: Path, tmp_path: Path, day: str = "2026-12-05"
) -> subprocess.CompletedProcess[str]:
    # POLICY_DB as the README exports it: a file beside the clone, never inside it.
    return run_policy(*args, "--db", str(tmp_path / "attest.db"), cwd=clone, today=day)
