"""YAML syntax errors as diagnostics a person can act on: the parser's message, or the pasted
word-processor characters that caused it, named and located."""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from schema.models import character_name
from tools.base.diagnostics import Diagnostic
from tools.base.yamlloader import position

# What a word processor puts where YAML wants plain ASCII: Unicode spaces that look like
# indentation, and typographic quotes that look like YAML quotes. YAML takes both for text, so
# the parser's own message ("mapping values are not allowed here") names neither.
_PASTED_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_PASTED_INDENT = re.compile(f"^[ \t]*([{_PASTED_SPACES}])", re.MULTILINE)
_CURLY_QUOTE = re.compile(
    r"^[ \t]*(?:-[ \t]+)*(?:[A-Za-z_][\w-]*:[ \t]+)?([\u2018\u2019\u201a\u201c\u201d\u201e])",
    re.MULTILINE,
)


def syntax_problems(path: str, text: str, error: MarkedYAMLError) -> list[Diagnostic]:
    """The syntax error, or the pasted characters that caused it, each named and located."""
    syntax = _syntax_error(path, error)
    pasted = [
        _pasted(
            path,
            text,
            match.start(1),
            f"{character_name(match.group(1))} used as indentation",
            "replace it with ordinary spaces (text pasted from a word processor brings these)",
        )
        for match in _PASTED_INDENT.finditer(text)
    ]
    pasted += [
        _pasted(
            path,
            text,
            match.start(1),
            f"{character_name(match.group(1))} used as a YAML quote",
            "YAML only knows straight quotes: write \" or ' instead, or leave the quotes out",
        )
        for match in _CURLY_QUOTE.finditer(text)
        if position(text, match.start(1))[0] == syntax.line
    ]
    # A pasted character at or before the error is its likely cause: the parser's message
    # would only confuse (fixing them shows any error that remains).
    if any(problem.line <= syntax.line for problem in pasted):
        return pasted
    return [*pasted, syntax]


def _pasted(path: str, text: str, offset: int, message: str, hint: str) -> Diagnostic:
    line, column = position(text, offset)
    return Diagnostic.at(path, "pasted-character", message, hint, line=line, column=column)


def _syntax_error(path: str, error: MarkedYAMLError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = error.problem or error.context or "invalid YAML"
    if "expected a single document" in str(error):
        return multiple_documents(path, line, column)
    if "special characters are not allowed" in problem:
        return Diagnostic.at(
            path,
            "hidden-character",
            "the file contains a control character",
            "remove the character; it is invisible in most editors",
            line=line,
            column=column,
        )
    return Diagnostic.at(
        path,
        "yaml-syntax",
        f"invalid YAML: {problem}",
        "fix the YAML syntax at this position (indentation, quotes, colons)",
        line=line,
        column=column,
    )


def reader_error(path: str, text: str, error: ReaderError) -> Diagnostic:
    line, column = position(text, error.position)
    return Diagnostic.at(
        path,
        "hidden-character",
        f"the control character U+{error.character:04X} is not allowed",
        "remove the character; it is invisible in most editors",
        line=line,
        column=column,
    )


def multiple_documents(path: str, line: int, column: int) -> Diagnostic:
    """A second YAML document in a file, at its ``---``."""
    return Diagnostic.at(
        path,
        "multiple-documents",
        "the file holds more than one YAML document",
        "keep one document per file and remove the '---' separator",
        line=line,
        column=column,
    )


def unreadable(path: str, error: Exception) -> Diagnostic:
    """YAML the reader gave up on without a place to point at."""
    return Diagnostic.at(
        path,
        "yaml-syntax",
        f"cannot read YAML: {error}",
        "check the file with a YAML linter",
        line=1,
        column=1,
    )
