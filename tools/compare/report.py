"""Rendering a ``PolicyDiff`` for people and programs: terminal text, Markdown, JSON.

Pure functions from a diff to a string or a JSON-ready dict. Markdown output is meant for pull
request comments: redlines use ``<del>``/``<ins>``, which GitHub and GitLab render, and every
piece of policy text is HTML-escaped, so a clause can never inject markup into a comment.
"""

from __future__ import annotations

import html
from typing import Any

from tools.compare.diff import Change, PolicyDiff
from tools.compare.impact import Impact
from tools.compare.redline import Segment, render_segments

IMPACT_MEANING = {
    Impact.MAJOR: "material: employees' duties or rights change",
    Impact.MINOR: "new guidance or clarification",
    Impact.PATCH: "editorial only, no change in meaning",
    Impact.NONE: "no changes",
}

_ANSI = {"delete": "\x1b[31;9m", "insert": "\x1b[32;4m", "reset": "\x1b[0m", "bold": "\x1b[1m"}


def diff_to_json(diff: PolicyDiff) -> dict[str, Any]:
    """The documented JSON contract (docs/cli.md, "policy diff")."""
    return {
        "policy": diff.policy,
        "base": diff.base,
        "head": diff.head,
        "impact": str(diff.impact),
        "changes": [_change_to_json(change) for change in diff.changes],
    }


def _change_to_json(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {
        "clause": change.clause,
        "kind": change.kind,
        "section": change.section,
        "title": change.title,
        "impact": str(change.impact),
        "reason": change.reason,
        "fields": list(change.fields),
    }
    if change.redline is not None:
        data["redline"] = [segment.to_json() for segment in change.redline]
    if change.previous_id is not None:
        data["previous_id"] = change.previous_id
    if change.moved_from is not None and change.kind != "added":
        data["from"] = {
            "section": change.moved_from.section,
            "position": change.moved_from.position,
        }
    if change.moved_to is not None and change.kind != "removed":
        data["to"] = {"section": change.moved_to.section, "position": change.moved_to.position}
    if change.values is not None:
        data["values"] = [_plain(value) for value in change.values]
    if change.base is not None:
        data["level"] = {
            "base": change.base.level.value,
            "head": change.head.level.value if change.head else None,
        }
    elif change.head is not None:
        data["level"] = {"base": None, "head": change.head.level.value}
    return data


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _label(change: Change) -> str:
    if change.clause is None:
        where = f"section {change.section}" if change.section else "policy"
        return f"{where}: {change.fields[0] if change.fields else ''}".rstrip(": ")
    if change.previous_id:
        return f"{change.previous_id} -> {change.clause} {change.title}"
    return f"{change.clause} {change.title}"


# --- terminal text ----------------------------------------------------------------------------


def render_text(diff: PolicyDiff, *, color: bool = False) -> str:
    """A terminal report; with ``color``, deletions red and struck, insertions green."""
    lines = [
        f"policy {diff.policy}: {diff.base} -> {diff.head}",
        f"impact: {diff.impact} ({IMPACT_MEANING[diff.impact]})",
    ]
    if not diff.changes:
        lines.append("no changes")
    for change in diff.changes:
        lines.append("")
        lines.append(f"[{change.impact}] {change.kind} {_label(change)}")
        lines.append(f"    {change.reason}")
        if (
            change.moved_from
            and change.moved_to
            and change.kind in ("moved", "modified", "id-changed")
        ):
            lines.append(f"    moved: {change.moved_from} -> {change.moved_to}")
        if change.redline is not None and _has_edit(change.redline):
            lines.append("    " + _text_redline(change.redline, color))
        elif change.kind == "added" and change.head is not None:
            lines.append("    " + _text_redline((Segment("insert", change.head.text),), color))
        elif change.kind == "removed" and change.base is not None:
            lines.append("    " + _text_redline((Segment("delete", change.base.text),), color))
        elif change.values is not None:
            before, after = (_short(value) for value in change.values)
            lines.append(f"    {before} -> {after}")
    return "\n".join(lines) + "\n"


def _has_edit(segments: tuple[Segment, ...]) -> bool:
    return any(segment.op != "equal" for segment in segments)


def _short(value: Any) -> str:
    text = str(_plain(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _text_redline(segments: tuple[Segment, ...], color: bool) -> str:
    if color:
        delete = _ANSI["delete"] + "{}" + _ANSI["reset"]
        insert = _ANSI["insert"] + "{}" + _ANSI["reset"]
        return render_segments(segments, delete=delete, insert=insert)
    return render_segments(segments, delete="[-{}-]", insert="{{+{}+}}")


# --- Markdown ----------------------------------------------------------------------------------


def escape_markdown(text: str) -> str:
    """Text safe inside Markdown and HTML: no markup, no table breaks, no Markdown syntax."""
    escaped = html.escape(text, quote=False)
    for char in "\\`*_[]|#~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")


def _markdown_redline(segments: tuple[Segment, ...]) -> str:
    return render_segments(
        segments, delete="<del>{}</del>", insert="<ins>{}</ins>", escape=escape_markdown
    )


def render_markdown(diff: PolicyDiff) -> str:
    """A pull-request comment: summary table, then each change with its redline."""
    lines = [
        f"## Policy `{diff.policy}`: {escape_markdown(diff.base)} → {escape_markdown(diff.head)}",
        "",
        f"**Impact: {diff.impact}**: {IMPACT_MEANING[diff.impact]}.",
        "",
    ]
    if not diff.changes:
        return "\n".join([*lines, "No changes."]) + "\n"
    lines += ["| Change | Clause | Impact | Reason |", "|---|---|---|---|"]
    for change in diff.changes:
        lines.append(
            f"| {change.kind} | {escape_markdown(_label(change))} | {change.impact} | "
            f"{escape_markdown(change.reason)} |"
        )
    for change in diff.changes:
        lines += [
            "",
            f"### {escape_markdown(_label(change))}",
            "",
            f"*{change.kind}, {change.impact}*: {escape_markdown(change.reason)}",
        ]
        if change.moved_from and change.moved_to and change.kind != "added":
            lines += [
                "",
                f"Moved from {escape_markdown(str(change.moved_from))} "
                f"to {escape_markdown(str(change.moved_to))}.",
            ]
        if change.redline is not None and _has_edit(change.redline):
            lines += ["", "> " + _markdown_redline(change.redline)]
        elif change.kind == "added" and change.head is not None:
            lines += ["", "> " + f"<ins>{escape_markdown(change.head.text)}</ins>"]
        elif change.kind == "removed" and change.base is not None:
            lines += ["", "> " + f"<del>{escape_markdown(change.base.text)}</del>"]
        elif change.values is not None and change.redline is None:
            before, after = (escape_markdown(_short(value)) for value in change.values)
            lines += ["", f"{before} → {after}"]
    return "\n".join(lines) + "\n"
