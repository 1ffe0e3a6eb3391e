"""The checks of option values: each turns the text given into a value or says what is wrong
(argparse prints it as a usage error)."""

from __future__ import annotations

import argparse
import datetime as dt
import re


def semver(text: str) -> str:
    parts = text.removeprefix("v").split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not a version (X.Y.Z, e.g. 1.2.0)")
    return ".".join(str(int(part)) for part in parts)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def day_count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}")
    return int(text)


def pull_number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a pull request number: {value!r}")
    return int(value)


POLICY_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
"""A policy id's form (2 to 60 characters): lower-case words joined by hyphens."""
CLAUSE_PREFIX = re.compile(r"[a-z][a-z0-9]{1,9}")
"""A clause prefix's form: 2 to 10 lower-case letters or digits, a letter first."""


def is_policy_id(text: str) -> bool:
    return bool(POLICY_ID.fullmatch(text)) and 2 <= len(text) <= 60


def policy_id(text: str) -> str:
    if not is_policy_id(text):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a policy id (lower-case words joined by hyphens, e.g. thuiswerken)"
        )
    return text


def clause_prefix(text: str) -> str:
    if not CLAUSE_PREFIX.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a clause prefix (2 to 10 lower-case letters or digits, e.g. tw)"
        )
    return text


def handle(text: str) -> str:
    if not re.fullmatch(r"@[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)?", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a handle (@user or @org/team)")
    return text


def one_line(text: str) -> str:
    """A name or title: one line of visible text, at most 200 characters."""
    from schema.models import HIDDEN_CHARACTERS

    if not text.strip() or "\n" in text or len(text) > 200 or HIDDEN_CHARACTERS.search(text):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give one line of visible text, at most 200 characters"
        )
    return " ".join(text.split())


def people_columns(text: str) -> dict[str, str]:
    from tools.attest.people_csv import parse_columns

    try:
        return parse_columns(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--columns: {error}") from None


def ack_columns(text: str) -> dict[str, str]:
    from tools.attest.acks_csv import parse_columns

    try:
        return parse_columns(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--columns: {error}") from None
