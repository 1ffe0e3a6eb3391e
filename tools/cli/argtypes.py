"""The checks of option values: each turns the text given into a value or says what is wrong
(argparse prints it as a usage error)."""

from __future__ import annotations

import argparse
import datetime as dt


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
