"""run_job: every run leaves one journal entry, whether it finished, failed or was
interrupted, and holds its job's lock while it runs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from jirasync.errors import JiraError, LockedError
from jirasync.jobs import run_job
from jirasync.state import StateDir

STARTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Result:
    failed: bool = False
    numbers: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return dict(self.numbers)

    def failure(self) -> str:
        return f"{self.numbers.get('failed', 0)} item failed"


def run(state: StateDir, work, **kwargs):
    return run_job("chase", state, work, clock=lambda: STARTED, **kwargs)


def test_a_finished_run_is_journaled_with_its_counts_and_details(tmp_path):
    state = StateDir(tmp_path)
    result = run(state, lambda: Result(numbers={"prompt": 3, "failed": 0}),
                 details=lambda: {"requests": {"search": 2}})
    assert result.counts() == {"prompt": 3, "failed": 0}
    (entry,) = state.runs()
    assert entry["job"] == "chase" and entry["ok"] is True and entry["error"] is None
    assert entry["counts"] == {"prompt": 3, "failed": 0}
    assert entry["requests"] == {"search": 2}
    assert entry["started"] == STARTED.isoformat()
    assert datetime.fromisoformat(entry["finished"]) >= STARTED


def test_a_run_with_a_failed_item_is_journaled_not_ok(tmp_path):
    state = StateDir(tmp_path)
    run(state, lambda: Result(failed=True, numbers={"failed": 1}))
    (entry,) = state.runs()
    assert entry["ok"] is False and entry["counts"] == {"failed": 1}
    assert entry["error"] == "1 item failed"


def test_an_error_is_journaled_with_its_sentence_and_raised_again(tmp_path):
    state = StateDir(tmp_path)

    def work():
        raise JiraError("Jira answered 503 Service Unavailable to the search")

    with pytest.raises(JiraError):
        run(state, work, details=lambda: {"requests": {"search": 5}})
    (entry,) = state.runs()
    assert entry["ok"] is False and entry["counts"] == {}
    assert entry["error"] == "Jira answered 503 Service Unavailable to the search"
    assert entry["requests"] == {"search": 5}
    assert "finished" in entry


def test_an_interrupted_run_is_journaled_as_interrupted(tmp_path):
    state = StateDir(tmp_path)

    def work():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(state, work)
    (entry,) = state.runs()
    assert entry["ok"] is False and entry["error"] == "interrupted"


def test_the_lock_is_held_while_the_job_runs_and_freed_after(tmp_path):
    state = StateDir(tmp_path)

    def work():
        with pytest.raises(LockedError), state.lock("chase"):
            pass
        return Result()

    run(state, work)
    with state.lock("chase"):      # free again
        pass
    assert [e["ok"] for e in state.runs()] == [True]
