"""The one clock: every date and time the product uses comes from here.

``SOURCE_DATE_EPOCH`` (reproducible builds) pins it: a release cut, a site built or a review
counted with it set gives the same bytes, commit and tag ids on any day. Without it, the
system clock. Tests always set it, so no test depends on the day it runs.
"""

from __future__ import annotations

import datetime as dt
import os

from tools.base.errors import ClockError

ENVIRONMENT = "SOURCE_DATE_EPOCH"


def now() -> dt.datetime:
    """This instant in UTC, whole seconds: ``SOURCE_DATE_EPOCH`` when set, else the clock."""
    epoch = os.environ.get(ENVIRONMENT, "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ClockError(
            f"{ENVIRONMENT}={epoch!r} is not a Unix time (whole seconds since 1970); "
            f"unset it or give e.g. {ENVIRONMENT}=1767225600"
        ) from None


def today() -> dt.date:
    """Today's date in UTC, from ``now``."""
    return now().date()


def git_date(moment: dt.datetime) -> str:
    """The instant in git's internal date format (``@<seconds> +0000``)."""
    return f"@{int(moment.timestamp())} +0000"
