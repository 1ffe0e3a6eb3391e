"""Change notes: one small Markdown file per change, written by its authors for employees.

A note lives in ``changelog/<policy-id>/unreleased/<name>.md``: a YAML front matter (the
``ChangeNote`` model: the clauses it explains, an optional requested impact and its
justification) and a Markdown body that says, in plain Dutch, what changes for the reader.
Parsing is pure and never raises on bad input: every problem is a located ``Diagnostic``.
A release (``policy release``) turns the unreleased notes into release notes and removes them.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schema.models import HIDDEN_CHARACTERS, ChangeNote, character_name
from tools.base.diagnostics import Diagnostic
from tools.base.errors import SnapshotError
from tools.base.loader import validate_document
from tools.base.snapshot import Snapshot
from tools.base.yamlfile import YamlDocument, decode_text, parse_yaml
from tools.compare.impact import Impact

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

    Rule = Callable[[StateInline, bool], bool]

PLACEHOLDER = "TODO:"
"""How a scaffolded body starts; a note that still starts so is unfinished."""

MAX_BODY = 5000
MAX_FILE = 10 * MAX_BODY
"""Longest note file parsed at all: beyond it the note is too long whatever its front matter,
and a Markdown parse of a huge file would only spend time to say so."""
_IGNORED = frozenset({".gitkeep"})

SAFE_SCHEMES = frozenset({"https", "http", "mailto"})
"""The link targets a note may have, besides relative ones: nothing a reader's click runs."""

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# What a browser drops from a URL before it reads the scheme (the URL standard): C0 controls
# and spaces around it, tabs and newlines anywhere.
_URL_STRIPPED = "".join(map(chr, range(0x21)))
_URL_REMOVED = dict.fromkeys(map(ord, "\t\n\r"))

# A link target as Markdown renderers other than CommonMark also read it: inline ``](target``
# and a reference definition ``[label]: target``, in whatever block (an indented code block in
# CommonMark can be a paragraph in Python-Markdown).
_RAW_TARGET = re.compile(
    r"\]\([ \t]*<?(?P<inline>[^\s)>]+)|^[ \t]*\[[^\]\n]+\]:[ \t]*<?(?P<ref>[^\s>]+)", re.MULTILINE
)


def _located(rule: Rule) -> Rule:
    """An inline link rule that remembers where in the inline source its link starts."""

    def located(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:
            if token.type == "link_open":
                token.meta.update(start=start, end=state.pos)
                break
        return True

    return located


@functools.cache
def _checking_parser() -> MarkdownIt:
    """CommonMark as the release notes are written in, but keeping every link as written: the
    renderer drops ``javascript:`` links, so a parser that validates would hide them from the
    check, while any other renderer of the published Markdown would make them live. Made when
    a note is first parsed: a command that reads no note never imports markdown-it."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import autolink as autolink_rule
    from markdown_it.rules_inline import link as link_rule
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin)
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    parser.inline.ruler.at("link", _located(link_rule))
    parser.inline.ruler.at("autolink", _located(autolink_rule))
    return parser


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
            Diagnostic.at(
                path,
                "note-too-long",
                f"the note file is {len(text)} characters long; at most {MAX_FILE}",
                "say what changes for employees in a few sentences; the clause text is shown "
                "beside it",
                line=1,
                column=1,
            )
        ]
    env: dict[str, object] = {}
    tokens = _checking_parser().parse(text, env)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        return None, [
            Diagnostic.at(
                path,
                "missing-front-matter",
                "a change note starts with a YAML front matter between two '---' lines",
                "run 'policy changelog new', or start the file with ---, clauses: [...], ---",
                line=1,
                column=1,
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
    problems += _check_links(path, tokens[1:], text.splitlines())
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
            Diagnostic.at(
                path,
                "empty-note",
                "the note has no text below its front matter",
                "write, in plain Dutch, what changes for employees (Wat verandert er voor jou?)",
                line=line,
                column=1,
            )
        ]
    problems = []
    if body.lstrip().startswith(PLACEHOLDER):
        problems.append(
            Diagnostic.at(
                path,
                "unfinished-note",
                f"the note still starts with the placeholder '{PLACEHOLDER}'",
                "replace it with what changes for employees, in plain Dutch",
                line=line,
                column=1,
            )
        )
    if len(body) > MAX_BODY:
        problems.append(
            Diagnostic.at(
                path,
                "note-too-long",
                f"the note is {len(body)} characters long; at most {MAX_BODY}",
                "say what changes for employees in a few sentences; the clause text is shown "
                "beside it",
                line=line,
                column=1,
            )
        )
    for hidden in HIDDEN_CHARACTERS.finditer(body):  # all of them: fixed in one round
        before = body[: hidden.start()]
        problems.append(
            Diagnostic.at(
                path,
                "hidden-character",
                f"contains the invisible or control character {character_name(hidden.group())}",
                "delete the character; it makes the text read differently than it is",
                line=line + before.count("\n"),
                column=hidden.start() - (before.rfind("\n") + 1) + 1,
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
                Diagnostic.at(
                    path,
                    "note-heading",
                    "a change note may not contain headings",
                    "use a short paragraph, or **bold** text; the release notes give each "
                    "clause its heading",
                    line=line,
                    column=1,
                )
            )
        elif token.type == "inline" and any(c.type == "image" for c in token.children or ()):
            problems.append(
                Diagnostic.at(
                    path,
                    "note-image",
                    "a change note may not contain images",
                    "describe it in words, or link to it: [text](address)",
                    line=line,
                    column=1,
                )
            )
    return problems


def link_scheme(target: str) -> str | None:
    """The scheme of a link target as a browser reads it, lower case; None for a relative one."""
    found = _SCHEME.match(target.strip(_URL_STRIPPED).translate(_URL_REMOVED))
    return found.group(1).lower() if found else None


def _check_links(path: str, tokens: Iterable[Token], lines: Sequence[str]) -> list[Diagnostic]:
    """Only ``https:``, ``http:``, ``mailto:`` and relative targets: a ``javascript:`` or
    ``data:`` link would run or load something when clicked in the published Markdown."""
    found: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for token in tokens:
        if token.type != "inline" or token.map is None:
            continue
        for child in token.children or ():
            scheme = link_scheme(str(child.attrGet("href") or ""))
            if child.type == "link_open" and scheme not in SAFE_SCHEMES and scheme is not None:
                start, end = child.meta.get("start", 0), child.meta.get("end", 0)
                line, column = _link_position(token, start, lines)
                found.append((line, column, scheme))
                covered.update(range(line, line + token.content.count("\n", start, end) + 1))
    # What CommonMark reads as text or code but another renderer may read as a link.
    text = "\n".join(lines)
    for match in _RAW_TARGET.finditer(text):
        group = "inline" if match["inline"] else "ref"
        scheme, start = link_scheme(html.unescape(match[group])), match.start(group)
        line = text.count("\n", 0, start) + 1
        if scheme not in SAFE_SCHEMES and scheme is not None and line not in covered:
            found.append((line, start - text.rfind("\n", 0, start), scheme))
    return [
        Diagnostic.at(
            path,
            "unsafe-link",
            f"the link target has the scheme '{scheme}:'; a note may only link to https:, "
            "http: or mailto: addresses, or to a relative one",
            "link to the page on the intranet or the web (https://...), or remove the link",
            line=line,
            column=column,
        )
        for line, column, scheme in sorted(found)
    ]


def _link_position(token: Token, start: int, lines: Sequence[str]) -> tuple[int, int]:
    """1-based (line, column) in the file of offset ``start`` in an inline token's source."""
    assert token.map is not None
    before = token.content[:start]
    index = token.map[0] + before.count("\n")
    column = start - (before.rfind("\n") + 1)
    # The inline source is the file's line without its block prefix (indent, '> ', '- ').
    content_line = token.content.split("\n")[before.count("\n")].rstrip()
    file_line = lines[index].rstrip() if index < len(lines) else ""
    if content_line and file_line.endswith(content_line):
        column += len(file_line) - len(content_line)
    return index + 1, column + 1


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
                Diagnostic.at(
                    path,
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
                [Diagnostic.at(path, "unsafe-file", str(error), "replace it with a regular file")],
            )
        problems += found
        if note is not None:
            notes.append(note)
    return notes, problems


_UNFINISHED = frozenset({"unfinished-note", "empty-note"})


def unfinished_notes(
    snapshot: Snapshot, problems: Iterable[Diagnostic]
) -> dict[str, tuple[str, ...]]:
    """The notes that are only unfinished (body empty or still the template), by path, with
    the clauses they name: those clauses have a note, it is just not written yet."""
    found: dict[str, tuple[str, ...]] = {}
    by_file: dict[str, set[str]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, set()).add(problem.code)
    for path, codes in sorted(by_file.items()):
        if not codes or not codes <= _UNFINISHED:
            continue
        text, _ = decode_text(path, snapshot.read(path))
        tokens = _checking_parser().parse(text or "")
        if not tokens or tokens[0].type != "front_matter":
            continue
        doc, _ = parse_yaml(path, tokens[0].content.encode("utf-8"))
        meta = validate_document(doc, ChangeNote, b"")[0] if doc is not None else None
        if meta is not None:
            found[path] = tuple(meta.clauses)
    return found


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
