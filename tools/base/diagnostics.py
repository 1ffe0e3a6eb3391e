"""Diagnostics: the one error type every check returns, and the ways to print a list of them.

Checks never raise for bad input; they return ``Diagnostic`` values, so a user fixes every
problem in one round. Rendering is pure: it turns diagnostics into text, JSON-ready dicts,
GitHub Actions workflow commands or GitLab Code Quality entries; only the CLI writes them out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in a file, with a 1-based position (0 when the file as a whole is meant)."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    """``warning``: worth fixing, but it never fails a check (an import's review marker)."""

    @classmethod
    def at(
        cls,
        file: str,
        code: str,
        message: str,
        hint: str = "",
        *,
        line: int = 0,
        column: int = 0,
        severity: Severity = "error",
    ) -> Diagnostic:
        """The one way to make a diagnostic: which file ('' for the repository as a whole),
        what is wrong and what to do; ``line`` and ``column`` when a place in it is meant."""
        return cls(file, line, column, code, message, hint, severity)

    def to_json(self) -> dict[str, object]:
        """The fields, without the severity: a JSON report lists errors and warnings apart."""
        data = asdict(self)
        del data["severity"]
        return data


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Deterministic order: by file, position, code; duplicates dropped."""
    return sorted(set(diagnostics))


def render_text(diagnostic: Diagnostic) -> str:
    """``path:line:col: error[code]: message`` plus an indented hint, as compilers print them
    (no position for a problem of the whole repository)."""
    where = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: " if diagnostic.file else ""
    out = f"{where}{diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"
    if diagnostic.hint:
        out += f"\n  hint: {diagnostic.hint}"
    return out


def _escape_property(value: str) -> str:
    # GitHub workflow command escaping, as documented for ::error properties.
    return (
        value.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions ``::error`` (or ``::warning``) annotation, shown on the file's line in
    the pull request."""
    props = [f"file={_escape_property(diagnostic.file)}"]
    if diagnostic.line:
        props.append(f"line={diagnostic.line}")
    if diagnostic.column:
        props.append(f"col={diagnostic.column}")
    props.append(f"title={_escape_property(diagnostic.code)}")
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    return f"::{diagnostic.severity} {','.join(props)}::{_escape_data(message)}"


def to_code_quality(diagnostics: Iterable[Diagnostic]) -> list[dict[str, object]]:
    """GitLab Code Quality report entries (``artifacts:reports:codequality``): GitLab shows
    them in the merge request, at their file and line."""
    return [
        {
            "description": f"{d.code}: {d.message}" + (f" ({d.hint})" if d.hint else ""),
            "check_name": d.code,
            "fingerprint": hashlib.sha256(
                f"{d.file}:{d.line}:{d.column}:{d.code}:{d.message}".encode()
            ).hexdigest(),
            "severity": "major" if d.severity == "error" else "minor",
            "location": {"path": d.file, "lines": {"begin": max(d.line, 1)}},
        }
        for d in diagnostics
    ]
