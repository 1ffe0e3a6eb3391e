"""``ack status`` and ``ack overdue`` as text, JSON and CSV: pure, rows in, text out.

Coverage gives counts, never names. The overdue list names employee numbers and departments:
it is HR's own output, never a message or a log line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from tools.attest.obligations import Coverage, Overdue, PolicyFacts

STATUS_COLUMNS = ("policy", "round", "department", "confirmed", "pending", "overdue")
OVERDUE_COLUMNS = ("policy", "version", "department", "employee_number", "due")


def status_text(policies: Sequence[PolicyFacts], rows: Sequence[Coverage]) -> str:
    lines = []
    for policy in policies:
        mine = [r for r in rows if r.policy == policy.id]
        if not policy.rounds:
            lines.append(f"{policy.id}: no round (the policy asks no acknowledgement)")
            continue
        current = policy.rounds[-1]
        lines.append(
            f"{policy.id} {current.version} (effective {current.effective.isoformat()}): "
            f"{_counts(mine)}"
        )
        lines += [f"  {r.department}: {_counts([r])}" for r in mine]
    return "\n".join(lines) + "\n" if lines else "no released policy\n"


def _counts(rows: Sequence[Coverage]) -> str:
    confirmed = sum(r.confirmed for r in rows)
    pending = sum(r.pending for r in rows)
    overdue = sum(r.overdue for r in rows)
    return f"{confirmed} confirmed, {pending} pending, {overdue} overdue"


def status_json(policies: Sequence[PolicyFacts], rows: Sequence[Coverage], today: str) -> str:
    found = []
    for policy in policies:
        current = policy.rounds[-1] if policy.rounds else None
        departments = [
            {"department": r.department, "confirmed": r.confirmed, "pending": r.pending,
             "overdue": r.overdue}
            for r in rows if r.policy == policy.id
        ]  # fmt: skip
        found.append(
            {
                "policy": policy.id,
                "title": policy.title,
                "round": current.version if current else None,
                "effective": current.effective.isoformat() if current else None,
                "departments": departments,
            }
        )
    return json.dumps({"date": today, "policies": found}, indent=2, ensure_ascii=False) + "\n"


def status_csv(policies: Sequence[PolicyFacts], rows: Sequence[Coverage]) -> str:
    rounds = {p.id: p.rounds[-1].version for p in policies if p.rounds}
    return _csv(
        STATUS_COLUMNS,
        [(r.policy, rounds.get(r.policy, ""), r.department, r.confirmed, r.pending, r.overdue)
         for r in rows],
    )  # fmt: skip


def overdue_text(rows: Sequence[Overdue]) -> str:
    if not rows:
        return "nobody is overdue\n"
    return "".join(
        f"{r.policy} {r.version}  {r.department}  {r.employee}  due {r.due.isoformat()}\n"
        for r in rows
    )


def overdue_json(rows: Sequence[Overdue], today: str) -> str:
    found = [
        {"policy": r.policy, "version": r.version, "department": r.department,
         "employee_number": r.employee, "due": r.due.isoformat()}
        for r in rows
    ]  # fmt: skip
    return json.dumps({"date": today, "overdue": found}, indent=2, ensure_ascii=False) + "\n"


def overdue_csv(rows: Sequence[Overdue]) -> str:
    return _csv(
        OVERDUE_COLUMNS,
        [(r.policy, r.version, r.department, r.employee, r.due.isoformat()) for r in rows],
    )


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
