"""Review due dates: which policies and clauses must be reviewed soon, or should have been.

Pure: loaded policies and a date in, a sorted list of ``Review`` values out. ``today`` is always
given by the caller (the CLI's ``--today``, else the clock), so the result never depends on
when it is computed. A policy's ``next_review`` is in ``policy.yaml``; a clause may carry its own
when it must be reviewed earlier than the policy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from tools.base.loader import Policy


@dataclass(frozen=True, order=True)
class Review:
    """A review that is due: of a whole policy (``clause`` None) or of one clause."""

    next_review: datetime.date
    policy: str
    clause: str
    """The clause id; empty for the policy itself (so reviews sort by date, policy, clause)."""
    title: str
    file: str
    line: int
    column: int
    days: int
    """Days from today to ``next_review``: negative when overdue, 0 when due today."""

    @property
    def overdue(self) -> bool:
        return self.days < 0

    def to_json(self) -> dict[str, object]:
        return {
            "policy": self.policy,
            "clause": self.clause or None,
            "title": self.title,
            "next_review": self.next_review.isoformat(),
            "days": self.days,
            "overdue": self.overdue,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


def find_due(policies: Iterable[Policy], today: datetime.date, within: int) -> list[Review]:
    """Every review date that has passed or falls within ``within`` days of ``today``."""
    horizon = today + datetime.timedelta(days=within)
    found: list[Review] = []
    for policy in policies:
        meta = policy.meta
        if meta.model.next_review <= horizon:
            line, column = meta.doc.locate(("next_review",))
            found.append(
                Review(
                    meta.model.next_review,
                    policy.id,
                    "",
                    meta.model.title,
                    meta.path,
                    line,
                    column,
                    (meta.model.next_review - today).days,
                )
            )
        for section, index, clause in policy.clauses():
            if clause.next_review is None or clause.next_review > horizon:
                continue
            line, column = section.doc.locate(("clauses", index, "next_review"))
            found.append(
                Review(
                    clause.next_review,
                    policy.id,
                    clause.id,
                    clause.title,
                    section.path,
                    line,
                    column,
                    (clause.next_review - today).days,
                )
            )
    return sorted(found)


def describe(review: Review) -> str:
    """``overdue since 2028-01-01 (12 days)``, ``due today``, ``due 2028-01-01 (in 5 days)``."""
    if review.days < 0:
        return f"overdue since {review.next_review} ({_days(-review.days)})"
    if review.days == 0:
        return f"due today ({review.next_review})"
    return f"due {review.next_review} (in {_days(review.days)})"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def render_text(reviews: list[Review], today: datetime.date, within: int) -> str:
    """One clickable line per review (``path:line:col: ...``), then a summary line."""
    lines = []
    for review in reviews:
        what = f"{review.policy} {review.clause}" if review.clause else review.policy
        lines.append(
            f"{review.file}:{review.line}:{review.column}: {what}: review {describe(review)}: "
            f"{review.title}"
        )
    overdue = sum(1 for review in reviews if review.overdue)
    if not reviews:
        lines.append(f"no reviews due within {_days(within)} of {today}")
    else:
        count = f"{len(reviews)} review{'' if len(reviews) == 1 else 's'}"
        lines.append(f"{count} due within {_days(within)} of {today}, {overdue} overdue")
    return "\n".join(lines) + "\n"


def to_json(reviews: list[Review], today: datetime.date, within: int) -> dict[str, object]:
    return {
        "today": today.isoformat(),
        "within": within,
        "overdue": sum(1 for review in reviews if review.overdue),
        "due": [review.to_json() for review in reviews],
    }
