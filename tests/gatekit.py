"""A real git repository with real SSH keys, for the approval gate's scenarios.

People and their departments (at BASE): Eva and Mohamed (hr), Fatima and Joost (the works
council, "or"), Sanne (communicatie), Anouk (beheer, who owns the governance files). Mallory
has a key but is in no department. Every key is made by ssh-keygen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT, write_tree
from tools.base.gitio import GitRepository
from tools.gate.gather import judge, read_change, resolve_range
from tools.gate.records import (
    APPROVALS_FOLDER,
    NAMESPACE,
    new_approval,
    render_record,
    signed_message,
)
from tools.gate.rules import Verdict
from tools.gate.write import Approved, approve
from tools.signing.sshkeygen import sign

PEOPLE = {
    "eva": ("Eva Visser", "hr"),
    "mohamed": ("Mohamed El Amrani", "hr"),
    "fatima": ("Fatima Yilmaz", "or"),
    "joost": ("Joost Smit", "or"),
    "sanne": ("Sanne de Vries", "communicatie"),
    "anouk": ("Anouk Mulder", "beheer"),
    "mallory": ("Mallory", None),
}

MONITORING = "policy/p/sections/monitoring.yaml"
MERK = "policy/p/sections/merk.yaml"

CODEOWNERS = """\
*                              @t/beheer
/CODEOWNERS                    @t/beheer
/policy/departments.yaml       @t/beheer
/policy/p/sections/merk.yaml   @t/communicatie
/policy/p/sections/monitoring.yaml @t/hr

[Ondernemingsraad]
/policy/p/sections/monitoring.yaml @t/or
"""


def email(person: str) -> str:
    return f"{person}@t.nl"


def make_key(folder: Path, name: str) -> Path:
    """A new ed25519 key pair ``folder/name`` and ``folder/name.pub``, made by ssh-keygen."""
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
        check=True,
        capture_output=True,
    )
    return key


def make_keys(folder: Path) -> dict[str, Path]:
    """One key per person, and a second one for Eva."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make_key(folder, name) for name in [*PEOPLE, "eva2"]}


def public(key: Path) -> str:
    return key.with_name(key.name + ".pub").read_text(encoding="utf-8").strip()


def registry(
    keys: Mapping[str, Path],
    *,
    members: Mapping[str, tuple[str, ...]] | None = None,
    extra_keys: Mapping[str, tuple[str, ...]] | None = None,
    revoked: Mapping[str, tuple[str, ...]] | None = None,
    organisation: str = "Test B.V.",
    logins: Mapping[str, str] | None = None,
) -> str:
    """departments.yaml: each department with its members, their keys and revoked keys, and
    the GitHub login of the people in ``logins``."""
    groups: dict[str, list[str]] = {}
    for person, (_, department) in PEOPLE.items():
        if department:
            groups.setdefault(department, []).append(person)
    for department, extra in (members or {}).items():
        groups[department] = [*groups.get(department, []), *extra]
    lines = [f"organisation: {organisation}", "departments:"]
    for department, people in groups.items():
        lines += [
            f"  - id: {department}",
            f"    name: {department.upper()}",
            f'    handle: "@t/{department}"',
            "    members:",
        ]
        for person in people:
            lines += [f"      - name: {PEOPLE[person][0]}", f"        email: {email(person)}"]
            if person in (logins or {}):
                lines.append(f"        github: {(logins or {})[person]}")
            own = [person, *(extra_keys or {}).get(person, ())]
            lines.append("        ssh_keys:")
            lines += [f'          - "{public(keys[k])}"' for k in own]
            gone = (revoked or {}).get(person, ())
            if gone:
                lines.append("        revoked_keys:")
                lines += [f'          - "{public(keys[k])}"' for k in gone]
    return "\n".join(lines) + "\n"


def git_as(repo: Path, author: str, *args: str, committer: str | None = None) -> str:
    """git with ``author`` as author and committer (or ``committer``)."""
    who = committer or author
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email(author),
        "GIT_COMMITTER_NAME": who,
        "GIT_COMMITTER_EMAIL": email(who),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class GateRepo:
    """A repository tagged ``base`` with the governance files, ready for a change."""

    root: Path
    keys: dict[str, Path]

    def commit(
        self,
        files: Mapping[str, str | bytes | None],
        *,
        author: str = "mallory",
        committer: str | None = None,
        message: str = "change",
    ) -> str:
        write_tree(self.root, files)
        git_as(self.root, author, "add", "-A")
        git_as(
            self.root, author, "commit", "-q", "--allow-empty", "-m", message, committer=committer
        )
        return git_as(self.root, author, "rev-parse", "HEAD").strip()

    def approve(
        self,
        person: str,
        *,
        key: str | None = None,
        department: str | None = None,
        base: str | None = "base",
        commit: bool = True,
        policy: str | None = None,
    ) -> Approved:
        """``policy approve`` by ``person``, then the record committed by that person (BASE
        None: the policy's last release, or its first release)."""
        done = approve(
            self.root,
            resolve_range(GitRepository(self.root), base, None, policy),
            key=self.keys[key or person],
            departments=(department,) if department else (),
        )
        if commit:
            self.commit({}, author=person, message=f"approval by {person}")
        return done

    def verdict(self, base: str = "base", head: str | None = None) -> Verdict:
        return judge(resolve_range(GitRepository(self.root), base, head, None))


def monitoring(text: str) -> str:
    """A section file; the gate does not need it to be a valid policy."""
    return f"id: monitoring\ntitle: Monitoring\ntext: {text}\n"


def new_gate_repo(root: Path, keys: dict[str, Path], **registry_options: object) -> GateRepo:
    root.mkdir(parents=True)
    git_as(root, "anouk", "init", "-q", "-b", "main")
    repo = GateRepo(root, keys)
    repo.commit(
        {
            "CODEOWNERS": CODEOWNERS,
            "policy/departments.yaml": registry(keys, **registry_options),  # type: ignore[arg-type]
            MONITORING: monitoring("We kijken niet mee."),
            MERK: "id: merk\n",
            "README.md": "readme\n",
        },
        author="anouk",
        message="base",
    )
    git_as(root, "anouk", "tag", "base")
    return repo


def reasons(verdict: Verdict) -> list[str]:
    return [f"{i.approver}: {i.reason}" for i in verdict.ignored]


def missing(verdict: Verdict) -> dict[str, int]:
    """Department (with section) to approvals still missing."""
    found: dict[str, int] = {}
    for r in verdict.required:
        key = "/".join(r.departments) + (f"[{r.section}]" if r.section else "")
        found[key] = max(found.get(key, 0), r.missing)
    return found


def forge(
    repo: GateRepo,
    *,
    key: str,
    approver: str,
    department: str,
    files: Mapping[str, str | None] | None = None,
    namespace: str = NAMESPACE,
    organisation: str = "Test B.V.",
    name: str = "forged.json",
    tamper: Mapping[str, str | None] | None = None,
    made_against: str | None = None,
) -> None:
    """Write and commit a record made by hand: any approver, key, namespace, content or BASE
    it claims to be made against, and optionally files changed after signing (``tamper``)."""
    span = resolve_range(GitRepository(repo.root), "base", None, None)
    states = dict(files) if files is not None else dict(read_change(span).states)
    approval = new_approval(
        organisation=organisation,
        department=department,
        approver=email(approver),
        base=made_against or span.base_id,
        head=span.head.commit_id,
        files=states,
    )
    signature = sign(signed_message(approval), repo.keys[key], namespace)
    if tamper:
        approval = approval.model_copy(update={"files": {**approval.files, **tamper}})
    repo.commit(
        {f"{APPROVALS_FOLDER}/{name}": render_record(approval, signature)},
        author=approver,
        message="approval",
    )


def shipped_with_keys(root: Path, keys: dict[str, Path]) -> dict[str, str]:
    """This repository's policies and CODEOWNERS in a new git repository, each member given a
    key (ssh-keygen made), committed and tagged ``base``. Returns e-mail to key name."""
    shutil.copytree(ROOT / "policy", root / "policy")
    shutil.copy(ROOT / "CODEOWNERS", root / "CODEOWNERS")
    registry_path = root / "policy/departments.yaml"
    text = registry_path.read_text(encoding="utf-8")
    owners: dict[str, str] = {}
    lines = []
    for line in text.splitlines():
        lines.append(line)
        if line.strip().startswith("email:"):
            address = line.split(":", 1)[1].strip()
            name = address.split("@")[0]
            if name not in keys:
                keys[name] = make_key(keys["eva"].parent, name)
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f'{indent}ssh_keys: ["{public(keys[name])}"]')
            owners[address] = name
    registry_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git_as(root, "anouk", "init", "-q", "-b", "main")
    git_as(root, "anouk", "add", "-A")
    git_as(root, "anouk", "commit", "-q", "-m", "base")
    git_as(root, "anouk", "tag", "base")
    return owners
