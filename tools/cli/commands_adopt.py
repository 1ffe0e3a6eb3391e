"""Commands that start: ``init`` (a new policy repository) and ``new`` (a new policy)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base.errors import LoadError, RefusalError, UsageError
from tools.cli.output import EXIT_OK

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def init(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.adopt.scaffold import INIT_TRAILER, init_message, repository_files
    from tools.adopt.write import create_repository, made_by_init
    from tools.base.clock import now

    start: Path = args.start
    target = (start / args.dir) if args.dir is not None else start
    if target.exists() and not target.is_dir():
        raise UsageError(f"{args.dir}: not a folder")
    if target.is_dir() and any(target.iterdir()):
        first = made_by_init(target, INIT_TRAILER)
        if first is None:
            raise RefusalError(
                f"{target} is not empty and not a repository that policy init made; "
                "give a new or empty folder"
            )
        print(f"{target}: already a policy repository (policy init, first commit {first[:12]})")
        return EXIT_OK
    tool = args.tool or _tool_requirement()
    files = repository_files(args.org, tool)
    commit = create_repository(target, files, init_message(args.org), now())
    print(f"{target}: a policy repository for {args.org}, {len(files)} files, commit {commit[:12]}")
    print(f"requirements-policy.txt installs this tool as: {tool}")
    if "file:" in tool:
        print("  (a folder on this machine: give CI an address it can reach, e.g. git+https://...)")
    print("next: fill in policy/departments.yaml and CODEOWNERS, then policy new ID --title TITLE")
    return EXIT_OK


def _tool_requirement() -> str:
    """How the new repository installs this tool: the git address and commit it was installed
    from, else the source folder it runs from, else this version from a package index."""
    import json
    from importlib.metadata import PackageNotFoundError, distribution

    import tools

    try:
        origin = json.loads(distribution(_DISTRIBUTION).read_text("direct_url.json") or "{}")
    except (PackageNotFoundError, ValueError):
        origin = {}
    vcs = origin.get("vcs_info", {})
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{_DISTRIBUTION} @ git+{origin['url']}@{vcs['commit_id']}"
    source = Path(tools.__file__).resolve().parents[1]
    if (source / "pyproject.toml").is_file() and (source / "schema" / "models.py").is_file():
        return f"{_DISTRIBUTION} @ {source.as_uri()}"
    return f"{_DISTRIBUTION}=={tools.__version__}"


_DISTRIBUTION = "policy-as-code"


def new(repo: GitRepository, args: argparse.Namespace) -> int:
    from schema.models import PolicyMeta
    from tools.adopt.newpolicy import plan_policy
    from tools.adopt.write import add_policy
    from tools.base.clock import today
    from tools.base.loader import load_file, load_registry, policy_ids
    from tools.base.snapshot import DirSnapshot
    from tools.owners.codeowners import CODEOWNERS_PATH

    root = repo.root
    snapshot = DirSnapshot(root)
    registry, problems = load_registry(snapshot)
    if registry is None:
        raise LoadError("policy/departments.yaml does not load; fix it first", problems)
    prefixes = {}
    for policy_id in policy_ids(snapshot):
        meta, _ = load_file(snapshot, f"policy/{policy_id}/policy.yaml", PolicyMeta)
        prefixes[policy_id] = meta.model.clause_prefix if meta is not None else ""
    if (root / "changelog" / args.id).exists():
        prefixes.setdefault(args.id, "")  # its change notes' folder is taken: the id is too
    try:
        codeowners = (root / CODEOWNERS_PATH).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {CODEOWNERS_PATH}: {error}") from None
    files, new_codeowners = plan_policy(
        args.id,
        args.title,
        prefix=args.prefix,
        owner=args.owner,
        registry=registry.model,
        prefixes=prefixes,
        codeowners=codeowners,
        today=today(),
    )
    add_policy(root, files, new_codeowners)
    for path in [*files, CODEOWNERS_PATH]:
        print(f"wrote {path}")
    print(f"next: replace each VERVANG: text in policy/{args.id}/, then policy validate")
    return EXIT_OK
