"""The employees' pages: ``site`` and ``render``."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tools.base import clock
from tools.base.errors import UsageError
from tools.base.fileio import write_atomic
from tools.base.snapshot import DirSnapshot
from tools.cli.output import EXIT_OK, plural

if TYPE_CHECKING:
    from tools.base.gitio import GitRepository
    from tools.site.policypage import PolicyPage


def site(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.site.build import gather_site
    from tools.site.parsestore import open_store
    from tools.site.plan import base_url_problem, plan_site
    from tools.site.reuseio import previous_site
    from tools.site.writeio import verified_pages, write_site

    base_url = args.base_url
    problem = base_url_problem(base_url) if base_url is not None else None
    if problem:
        raise UsageError(f"--base-url {base_url!r}: {problem}")
    out = (args.out if args.out is not None else repo.root / "_site").resolve()
    # The loaded policies and the pages' blocks hold no reference cycles: reference counting
    # frees them, and the cyclic collector's passes over them were a fifth of the build.
    gc.disable()
    try:
        previous = previous_site(out)
        store = open_store(out, previous) if previous is not None and not args.draft else None
        source = gather_site(repo, base_url, draft=args.draft, previous=previous, store=store)
        files = plan_site(source)
    finally:
        gc.enable()
    inputs = {p.policy_id: p.inputs for p in source.policies if p.inputs is not None}
    try:
        verified = verified_pages(source, previous)
        result = write_site(out, files, inputs=inputs, verified=verified, store=store)
    except OSError as error:  # a SiteOutputError goes to the CLI as it is
        raise UsageError(str(error)) from None
    for relative in result.kept:
        print(f"kept {relative}: no longer part of the site, but changed by hand", file=sys.stderr)
    removed = f", removed {plural(len(result.removed), 'old file')}" if result.removed else ""
    draft = " (a draft: the working tree, not for employees)" if args.draft else ""
    same = f" ({len(result.unchanged)} unchanged)" if result.unchanged else ""
    print(f"wrote {plural(len(result.written), 'file')} to {out}{same}{removed}{draft}")
    return EXIT_OK


def render(repo: GitRepository, args: argparse.Namespace) -> int:
    from tools.notes.gather import choose_policy

    policy_id = choose_policy(args.policy, DirSnapshot(repo.root))
    _check_output(args.format, args.output)
    if args.render_version is not None:
        from tools.documents.gather import release_page

        page, moment = release_page(repo, policy_id, args.render_version)
    else:
        from tools.site.build import gather_working_page

        page, moment = gather_working_page(repo, policy_id), clock.now()
    if args.output is None:
        print(_text_page(page, args.format), end="")
        return EXIT_OK
    if args.format == "docx":
        from tools.documents.policy_docx import policy_docx

        data = policy_docx(page, moment)
    else:
        from tools.documents.policy_pdf import policy_pdf

        data = policy_pdf(page, moment)
    try:
        write_atomic(args.output, data, mode=0o644)  # a document to share, not a secret
    except OSError as error:
        raise UsageError(f"--output {args.output}: cannot write it: {error.strerror}") from None
    print(f"wrote {args.output}")
    return EXIT_OK


def _check_output(form: str, output: Path | None) -> None:
    """Text goes to stdout, a document to ``--output`` with the name of its kind."""
    if form in ("html", "markdown"):
        if output is not None:
            raise UsageError(
                f"--output is for --format docx or pdf; {form} goes to stdout (redirect it)"
            )
        return
    if output is None:
        raise UsageError(f"--format {form} writes a file: give --output FILE.{form}")
    if output.suffix.lower() != f".{form}":
        raise UsageError(f"--output {output}: a {form} file's name ends in .{form}")


def _text_page(page: PolicyPage, form: str) -> str:
    from tools.notes.htmlpage import html_page
    from tools.site.policypage import policy_title, render_policy_html, render_policy_markdown

    if form == "markdown":
        return render_policy_markdown(page)
    lang = page.policy.meta.model.language
    return html_page(render_policy_html(page), title=policy_title(page.policy), lang=lang)
