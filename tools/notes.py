"""Change notes: one small Markdown file per change, written by its authors for employees.

A note lives in ``changelog/<policy-id>/unreleased/<name>.md``: a YAML front matter (the
``ChangeNote`` model: the clauses it explains, an optional requested impact and its
justification) and a Markdown body that says, in plain Dutch, what changes for the reader.
Parsing is pure and never raises on bad input: every problem is a located ``Diagnostic``.
A release (``policy release``) turns the unreleased notes into release notes and removes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from schema.models import HIDDEN_CHARACTERS, ChangeNote
from tools.diagnostics import Diagnostic
from tools.impact import Impact
from tools.loader import validate_document
from tools.snapshot import Snapshot, SnapshotError
from tools.yamlfile import YamlDocument, decode_text, parse_yaml

PLACEHOLDER = "TODO:"
"""How a scaffolded body starts; a note that still starts so is unfinished."""

MAX_BODY = 5000
MAX_FILE = 10 * MAX_BODY
"""Longest note file parsed at all: beyond it the note is too long whatever its front matter,
and a Markdown parse of a huge file would only spend time to say so."""
_IGNORED = frozenset({".gitkeep"})

_PARSER = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin)


def notes_folder(policy_id: str) -> str:
    return f"changelog/{policy_id}/unreleased"


@dataclass(frozen=True)
class Note:
    """A change note that parsed: its front matter, body and where things stand in the file."""

    path: str
    meta: ChangeNote
    body: str
    doc: YamlDocument
    """The front matter's node tree; its lines are counted from the file's second line."""

    @property
    def impact(self) -> Impact | None:
        return Impact[self.meta.impact.upper()] if self.meta.impact else None

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) in the note file of the front-matter value at ``loc``."""
        line, column = self.doc.locate(loc, key=key)
        return line + 1, column


def parse_note(path: str, raw: bytes) -> tuple[Note | None, list[Diagnostic]]:
    """One note file: front matter validated against ``ChangeNote``, body checked."""
    text, problems = decode_text(path, raw)
    if text is None:
        return None, problems
    if len(text) > MAX_FILE:
        return None, [
            Diagnostic(
                path,
                1,
                1,
                "note-too-long",
                f"the note file is {len(text)} characters long; at most {MAX_FILE}",
                "say what changes for employees in a few sentences; the clause text is shown "
                "beside it",
            )
        ]
    tokens = _PARSER.parse(text)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        return None, [
            Diagnostic(
                path,
                1,
                1,
                "missing-front-matter",
                "a change note starts with a YAML front matter between two '---' lines",
                "run 'policy changelog new', or start the file with ---, clauses: [...], ---",
            )
        ]
    front, body_start = tokens[0], tokens[0].map[1]
    doc, problems = parse_yaml(path, front.content.encode("utf-8"))
    problems = [_shift(problem) for problem in problems]
    meta = None
    if doc is not None:
        meta, invalid = validate_document(doc, ChangeNote, front.content.encode("utf-8"))
        problems += [_shift(problem) for problem in invalid]
    body = "".join(text.splitlines(keepends=True)[body_start:]).strip("\n")
    problems += _check_body(path, body, body_start + 1 + _leading_blank_lines(text, body_start))
    problems += _check_markup(path, tokens[1:])
    if doc is None or meta is None or problems:
        return None, problems
    return Note(path, meta, body, doc), []


def _shift(problem: Diagnostic) -> Diagnostic:
    # The front matter's own line 1 is the file's line 2, after the opening '---'.
    if problem.line == 0:
        return problem
    return dataclasses.replace(problem, line=problem.line + 1)


def _leading_blank_lines(text: str, start: int) -> int:
    lines = text.splitlines()[start:]
    return next((i for i, line in enumerate(lines) if line.strip()), 0)


def _check_body(path: str, body: str, line: int) -> list[Diagnostic]:
    if not body.strip():
        return [
            Diagnostic(
                path,
                line,
                1,
                "empty-note",
                "the note has no text below its front matter",
                "write, in plain Dutch, what changes for employees (Wat verandert er voor jou?)",
            )
        ]
    problems = []
    if body.lstrip().startswith(PLACEHOLDER):
        problems.append(
            Diagnostic(
                path,
                line,
                1,
                "unfinished-note",
                f"the note still starts with the placeholder '{PLACEHOLDER}'",
                "replace it with what changes for employees, in plain Dutch",
            )
        )
    if len(body) > MAX_BODY:
        problems.append(
            Diagnostic(
                path,
                line,
                1,
                "note-too-long",
                f"the note is {len(body)} characters long; at most {MAX_BODY}",
                "say what changes for employees in a few sentences; the clause text is shown "
                "beside it",
            )
        )
    hidden = HIDDEN_CHARACTERS.search(body)
    if hidden:
        before = body[: hidden.start()]
        problems.append(
            Diagnostic(
                path,
                line + before.count("\n"),
                hidden.start() - (before.rfind("\n") + 1) + 1,
                "hidden-character",
                f"contains the invisible or control character U+{ord(hidden.group()):04X}",
                "delete the character; it makes the text read differently than it is",
            )
        )
    return problems


def _check_markup(path: str, tokens: Iterable[Token]) -> list[Diagnostic]:
    """Headings would break the release notes' outline; images would load external files."""
    problems = []
    for token in tokens:
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open":
            problems.append(
                Diagnostic(
                    path,
                    line,
                    1,
                    "note-heading",
                    "a change note may not contain headings",
                    "use a short paragraph, or **bold** text; the release notes give each "
                    "clause its heading",
                )
            )
        elif token.type == "inline" and any(c.type == "image" for c in token.children or ()):
            problems.append(
                Diagnostic(
                    path,
                    line,
                    1,
                    "note-image",
                    "a change note may not contain images",
                    "describe it in words, or link to it: [text](address)",
                )
            )
    return problems


def load_notes(snapshot: Snapshot, policy_id: str) -> tuple[list[Note], list[Diagnostic]]:
    """Every unreleased note of a policy in a snapshot, sorted by path."""
    notes: list[Note] = []
    problems: list[Diagnostic] = []
    for path in sorted(snapshot.files(notes_folder(policy_id))):
        name = path.rsplit("/", 1)[-1]
        if name in _IGNORED:
            continue
        if not name.endswith(".md") or path.count("/") != 3:
            problems.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "not-a-note",
                    "only change notes (*.md) belong in this folder",
                    "rename it to <name>.md, or move it out of the folder",
                )
            )
            continue
        try:
            note, found = parse_note(path, snapshot.read(path))
        except SnapshotError as error:
            note, found = (
                None,
                [
                    Diagnostic(
                        path, 0, 0, "unsafe-file", str(error), "replace it with a regular file"
                    )
                ],
            )
        problems += found
        if note is not None:
            notes.append(note)
    return notes, problems


def escape_body(body: str) -> str:
    """A note body made safe to embed in generated Markdown: raw HTML shows as text, and the
    redline markers of the release notes cannot be forged."""
    return body.replace("<", "&lt;").replace("{+", "{\\+").replace("[-", "[\\-")


def scaffold(entries: Sequence[tuple[str, str, Impact]]) -> str:
    """A new note for (clause id, title, computed impact) entries, ready for the author's text."""
    lines = ["---", "# De artikelen die deze notitie uitlegt.", "clauses:"]
    for clause_id, title, impact in entries:
        title_comment = " ".join(title.split())
        lines.append(f"  - {clause_id}  # {title_comment} (impact: {impact})")
    lines += [
        "# Alleen als de wijziging minder ingrijpend is dan berekend, met een reden:",
        "# impact: patch",
        "# justification: Waarom de wijziging minder ingrijpend is.",
        "---",
        f"{PLACEHOLDER} Wat verandert er voor jou? Schrijf in gewone taal, aan de medewerker "
        "gericht, wat er verandert en wat die vanaf de ingangsdatum anders moet doen.",
        "",
    ]
    return "\n".join(lines)
