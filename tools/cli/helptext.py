"""What every command's ``--help`` ends with: its formats, its exit codes and an example; and
the formatter that keeps those indented lines as written."""

from __future__ import annotations

import argparse
import textwrap


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions wrapped to the terminal, the epilog's indented lines (formats, exit codes,
    example) kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            line
            if not line or line.startswith(" ")
            else textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
            for line in text.splitlines()
        )


FORMATS = {
    "text": "for people, at a terminal",
    "json": "for scripts: stable field names",
    "csv": "for a spreadsheet: a header row, then one row per line",
    "github": "GitHub Actions annotations, shown on the lines of the pull request",
    "gitlab": "a GitLab Code Quality report (artifacts:reports:codequality)",
    "markdown": "for a pull-request comment or a document",
    "html": "a standalone HTML page",
    "changelog": "the entry the release adds to CHANGELOG.md",
    "docx": "a Word document, to --output FILE (diff: tracked changes; render: headings, contents)",
    "pdf": "an archival PDF (PDF/A-3b, tagged), to --output FILE",
}

CANNOT_RUN = "could not run as asked (the message says why and what to do)"

# Per command: what its exit codes 0 and 1 mean (2 is always "could not run"), and an example.
_EPILOGS: dict[str, tuple[str, str, str]] = {
    "validate": ("valid", "errors found, each as file:line:col", "policy validate policy/mini"),
    "diff": (
        "the diff was shown (with --exit-code: nothing changed)",
        "with --exit-code: there are changes",
        "policy diff 1.2.0 HEAD --policy social-media",
    ),
    "changelog": (
        "see each ACTION's --help",
        "see each ACTION's --help",
        "policy changelog check",
    ),
    "changelog check": (
        "every change has its note and every note is right",
        "a note is missing or wrong",
        "policy changelog check main HEAD --format github",
    ),
    "changelog new": (
        "a note was written, or every changed clause has one",
        "an unfinished note is to be finished first (no second note is written)",
        "policy changelog new --name werktijd",
    ),
    "changelog preview": (
        "the release notes were printed",
        "a change note is broken, or there is nothing to release",
        "policy changelog preview --format html > preview.html",
    ),
    "owners": (
        "ok",
        "CODEOWNERS has problems (with --check: any lint finding)",
        "policy owners --check",
    ),
    "approve": (
        "the approval records were written",
        "(not used: a problem is exit 2)",
        "policy approve --key ~/.ssh/id_ed25519",
    ),
    "approvals": (
        "every required department has approved",
        "approvals are missing (--release: a record no longer verifies)",
        "policy approvals --format markdown",
    ),
    "site": (
        "the site was written",
        "(not used: a problem is exit 2)",
        "policy site --out _site --base-url https://beleid.example.nl/",
    ),
    "render": (
        "the page was printed (docx, pdf: written)",
        "(not used: a problem is exit 2)",
        "policy render social-media --format markdown",
    ),
    "release": (
        "released (--dry-run: it would be; --if-changed: nothing to release)",
        "blocked: each blocker is printed, nothing was written",
        "policy release social-media --dry-run",
    ),
    "history": ("the releases were listed", "(not used)", "policy history social-media"),
    "report": (
        "the report was written, whatever it says",
        "(not used)",
        "policy report main HEAD --output report.md",
    ),
    "due": ("no review is overdue", "a review is overdue", "policy due --within 60"),
    "init": (
        "the repository was made, or policy init made it before",
        "(not used: a problem is exit 2)",
        'policy init beleid --org "Naam B.V."',
    ),
    "new": (
        "the policy was written",
        "(not used: a problem is exit 2)",
        'policy new thuiswerken --title "Thuiswerkbeleid" --owner @naam/hr',
    ),
    "import": (
        "the draft was written (--dry-run: printed), with its report",
        "(not used: a problem is exit 2)",
        "policy import Privacybeleid.docx --policy privacy --dry-run",
    ),
    "people": (
        "see each ACTION's --help",
        "see each ACTION's --help",
        "policy people import hr.csv",
    ),
    "people import": (
        "the export was applied (or changed nothing)",
        "rows are wrong, each as file:line:col; nothing was changed",
        "policy people import hr.csv --columns employee=Personeelsnummer,name=Naam",
    ),
    "ack": ("see each ACTION's --help", "see each ACTION's --help", "policy ack verify"),
    "ack verify": (
        "the chain holds (its length and head hash are printed)",
        "the chain is broken (the first bad row is named), or --head differs",
        "policy ack verify --db postgresql+psycopg://beleid@db.intern/attest",
    ),
    "ack confirm": (
        "recorded, or already recorded (nothing changed)",
        "refused: the one-line reason is printed; nothing was recorded",
        "policy ack confirm --person 1001 --policy social-media --version 1.0.0",
    ),
    "ack import": (
        "every row was recorded, or already recorded",
        "rows are wrong or refused, each as file:line:col; nothing was recorded",
        "policy ack import leerplatform.csv --columns employee=Personeelsnummer,confirmed=Datum",
    ),
    "ack status": (
        "the coverage was printed (counts, never names)",
        "(not used: a problem is exit 2)",
        "policy ack status social-media --department hr --format csv",
    ),
    "ack overdue": (
        "the list was printed (it may be empty)",
        "(not used: a problem is exit 2)",
        "policy ack overdue --format csv > achterstand.csv",
    ),
    "ack export": (
        "the file was written (or printed)",
        "--person: nothing is stored about that person; nothing was written",
        "policy ack export --format json --output /veilig/audit-2026.json",
    ),
    "ack purge": (
        "the people past the retention period were erased (or counted: --dry-run)",
        "(not used: a problem is exit 2)",
        "policy ack purge --dry-run",
    ),
    "serve": (
        "the server was stopped (Ctrl-C, SIGTERM)",
        "(not used: a problem before listening is exit 2)",
        "policy serve --dev-login   # then open http://127.0.0.1:8080/dev-login",
    ),
    "schema": (
        "the files are up to date, or were written",
        "--check: a file is stale",
        "policy schema --check",
    ),
}


def _epilog(parser: argparse.ArgumentParser, name: str) -> str:
    ok, problems, example = _EPILOGS[name]
    choices = next(
        (a.choices for a in parser._actions if "--format" in a.option_strings and a.choices), None
    )
    if choices:
        formats = ["--format:", *(f"  {c:<10} {FORMATS[c]}" for c in choices)]
    else:
        formats = ["--format: none; the output is text, for people"]
    exits = ["exit codes:", f"  0  {ok}", f"  1  {problems}", f"  2  {CANNOT_RUN}"]
    return "\n".join([*formats, "", *exits, "", "example:", f"  {example}"])


def add_epilogs(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """Give every (sub)command's --help its epilog, walking the subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix}{name}"
                sub.epilog = _epilog(sub, full)
                add_epilogs(sub, f"{full} ")


def subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    """Every command and action, e.g. ``validate`` and ``changelog check``."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [f"{prefix}{name}", *subcommands(sub, f"{prefix}{name} ")]
    return found
