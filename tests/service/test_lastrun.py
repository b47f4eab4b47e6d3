"""Where Jira's record of a job's last run goes among the journal's runs (pure)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jirasync.service.lastrun import merged, record

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def run(minutes_ago: int, **more) -> dict:
    return {"job": "chase", "started": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
            **more}


@pytest.mark.parametrize("local,kept,expected", [
    pytest.param([], None, [], id="nothing anywhere"),
    pytest.param([run(30)], None, [run(30)], id="journal alone"),
    pytest.param([], run(10), [run(10)], id="state folder lost: Jira's run counts"),
    pytest.param([run(30)], run(10), [run(30), run(10)], id="Jira newer: last"),
    pytest.param([run(10, aborted=True)], run(30), [run(30), run(10, aborted=True)],
                 id="Jira older: before the journal's newer run"),
    pytest.param([run(10)], run(10), [run(10)], id="the same run: once"),
    pytest.param([run(30)], run(-60), [run(30)], id="started in the future: ignored"),
    pytest.param([run(30)], {"job": "chase", "started": "2026-11-24T09:00:00"}, [run(30)],
                 id="a time without offset: ignored"),
])
def test_merged(local, kept, expected):
    assert merged(local, kept, NOW) == expected


def test_a_record_says_when_the_run_started():
    value = record("chase", NOW, ok=True)
    assert value["job"] == "chase" and value["started"] == NOW.isoformat() and value["ok"]
