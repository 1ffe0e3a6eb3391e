"""The employees' pages: ``site`` and ``render``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tools.base.errors import UsageError
from tools.base.snapshot import DirSnapshot
from tools.cli.output import EXIT_OK, plural

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository


def site(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.site.build import gather_site, write_site
    from tools.site.plan import base_url_problem, plan_site

    base_url = args.base_url
    problem = base_url_problem(base_url) if base_url is not None else None
    if problem:
        raise UsageError(f"--base-url {base_url!r}: {problem}")
    out = (args.out if args.out is not None else repo.root / "_site").resolve()
    files = plan_site(gather_site(repo, base_url, draft=args.draft))
    try:
        result = write_site(out, files)
    except OSError as error:  # a SiteOutputError goes to the CLI as it is
        raise UsageError(str(error)) from None
    for relative in result.kept:
        print(f"kept {relative}: no longer part of the site, but changed by hand", file=sys.stderr)
    removed = f", removed {plural(len(result.removed), 'old file')}" if result.removed else ""
    draft = " (a draft: the working tree, not for employees)" if args.draft else ""
    print(f"wrote {plural(len(result.written), 'file')} to {out}{removed}{draft}")
    return EXIT_OK


def render(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.notes.gather import choose_policy
    from tools.notes.htmlpage import html_page
    from tools.site.build import gather_working_page
    from tools.site.policypage import policy_title, render_policy_html, render_policy_markdown

    policy_id = choose_policy(args.policy, DirSnapshot(repo.root))
    page = gather_working_page(repo, policy_id)
    if args.format == "markdown":
        print(render_policy_markdown(page), end="")
    else:
        lang = page.policy.meta.model.language
        body = render_policy_html(page)
        print(html_page(body, title=policy_title(page.policy), lang=lang), end="")
    return EXIT_OK
