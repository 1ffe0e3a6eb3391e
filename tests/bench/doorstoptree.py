"""The synthetic repository as a Doorstop tree, to time ``doorstop -F`` on the same items.

A root document ``HB`` (the handbook) holds one item per policy; each policy is a child
document whose items are its clauses, in reading order (level ``section.clause``), each
normative one linked to its policy's item so that Doorstop's link checks pass.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.bench.generate import GENERATOR_VERSION, PolicyData, Spec, plan_history

ROOT_PREFIX = "HB"


def _literal(text: str) -> str:
    return "|\n" + "".join(f"  {line}\n" for line in text.splitlines() or [""])


def _item(header: str, level: str, text: str, links: list[str], normative: bool) -> str:
    link_lines = "".join(f"- {link}: null\n" for link in links)
    return (
        "active: true\n"
        "derived: false\n"
        f"header: '{header}'\n"
        f"level: '{level}'\n"
        f"links:{'' if links else ' []'}\n{link_lines}"
        f"normative: {'true' if normative else 'false'}\n"
        "ref: ''\n"
        "reviewed: null\n"
        f"text: {_literal(text)}"
    )


def _document(folder: Path, prefix: str, parent: str | None) -> None:
    folder.mkdir(parents=True)
    settings = "settings:\n  digits: '4'\n  itemformat: yaml\n"
    if parent:
        settings += f"  parent: {parent}\n"
    settings += f"  prefix: {prefix}\n  sep: ''\n"
    (folder / ".doorstop.yml").write_text(settings, encoding="utf-8")


def write_tree(policies: list[PolicyData], target: Path) -> int:
    """Write the Doorstop tree; the number of clause items."""
    _document(target / "reqs" / "hb", ROOT_PREFIX, None)
    count = 0
    for p_index, policy in enumerate(policies, start=1):
        root_item = f"{ROOT_PREFIX}{p_index:04d}"
        text = f"Het {policy.title.lower()} van de organisatie."
        (target / "reqs" / "hb" / f"{root_item}.yml").write_text(
            _item(policy.title, f"{p_index}.0", text, [], True), encoding="utf-8"
        )
        prefix = policy.prefix.upper()
        folder = target / "reqs" / policy.id
        _document(folder, prefix, ROOT_PREFIX)
        number = 0
        for s_index, section in enumerate(policy.sections, start=1):
            for c_index, clause in enumerate(section.clauses, start=1):
                number += 1
                item = _item(
                    clause.title,
                    f"{s_index}.{c_index}",
                    clause.text,
                    [root_item] if clause.level != "info" else [],
                    clause.level != "info",
                )
                (folder / f"{prefix}{number:04d}.yml").write_text(item, encoding="utf-8")
                count += 1
    return count


def ensure(spec: Spec, cache: Path) -> Path:
    """The Doorstop tree of ``spec``'s clauses (as at the last release), built once."""
    folder = cache / f"doorstop-n{spec.clauses}-k{spec.releases}-s{spec.seed}-g{GENERATOR_VERSION}"
    done = folder / ".git" / "bench-complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    _, policies, _ = plan_history(spec)
    folder.mkdir(parents=True)
    # Doorstop finds its project root by the version-control folder.
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    write_tree(policies, folder)
    # Doorstop adds untracked item files to git on its first run, one git process per file: do
    # it once here, so that every timed run measures validation alone.
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
    done.write_text("ok\n", encoding="utf-8")
    return folder
