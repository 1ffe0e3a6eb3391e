"""The one clock: SOURCE_DATE_EPOCH pins every date the tools use; a bad value is a one-line
error, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import pytest

from tests.conftest import ROOT, policy_command
from tools.base import clock
from tools.base.errors import ClockError


def test_source_date_epoch_pins_now_and_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1835481599")  # 2028-02-29 23:59:59 UTC
    assert clock.now() == dt.datetime(2028, 2, 29, 23, 59, 59, tzinfo=dt.UTC)
    assert clock.today() == dt.date(2028, 2, 29)
    assert clock.git_date(clock.now()) == "@1835481599 +0000"


def test_without_it_the_system_clock_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    moment = clock.now()
    assert moment.tzinfo == dt.UTC and moment.microsecond == 0
    assert before <= moment <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize("value", ["tomorrow", "1.5", "99999999999999999999"])
def test_a_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ClockError, match="is not a Unix time"):
        clock.now()


def test_the_cli_says_so_in_one_line_and_exits_2() -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "tomorrow"}
    done = subprocess.run(
        [*policy_command(), "due"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.startswith("policy: error: SOURCE_DATE_EPOCH='tomorrow' is not a Unix time")
    assert len(done.stderr.splitlines()) == 1
