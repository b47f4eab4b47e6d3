"""Sync's record of its creates in Jira (ledger) costs a run two writes, not two a bulk
create, and still lets a run killed after its first chunk be finished by the next one
without a duplicate and without reading more than a chunk's worth of missing keys."""
from __future__ import annotations

import pytest

from jirasync.gateway.limits import BULK_LIMIT
from jirasync.sync.ledger import PROPERTY
from jirasync.sync.observe import PROBE_MISSES
from tests.sync.conftest import Les, copies
from tests.sync.test_identity_in_jira import KillAfterCreates, Killed

LESSONS = 2 * BULK_LIMIT + 20          # release: 1 chunk; lessons: 3 chunks
WANTED = {"4.2": 1, **{f"4.2/lesson-{n}": 1 for n in range(LESSONS)}}


def many_lessons(programme) -> None:
    programme.lessons(*(Les(f"lesson-{n}", f"Lesson number {n}") for n in range(LESSONS)))


def record_writes(sb) -> int:
    return sum(1 for r in sb.requests
               if r.kind == "project-property" and r.write and PROPERTY in r.path)


def test_a_first_sync_writes_the_record_twice_whatever_its_chunks(programme):
    sb = programme.sb
    many_lessons(programme)
    sb.reset_log()
    result = programme.sync()
    assert result.count("created") == 1 + LESSONS
    assert sb.count("bulk-create") == 4
    assert record_writes(sb) <= 2
    assert dict(copies(sb)) == WANTED


@pytest.mark.parametrize("forget", [False, True], ids=["state-kept", "state-lost"])
def test_a_run_killed_after_its_first_chunk_is_finished_by_the_next(programme, forget):
    sb = programme.sb
    sb.faults.search_lag(on=True)                  # the index shows none of what was made
    many_lessons(programme)
    with pytest.raises(Killed):                    # after the release and 50 lessons
        programme.sync(jira=KillAfterCreates(programme.gateway(), 2))
    assert sum(copies(sb).values()) == 1 + BULK_LIMIT
    if forget:
        programme.forget_state()
    sb.reset_log()
    programme.sync()
    missing = sum(1 for r in sb.requests if r.kind == "get" and r.status == 404)
    assert missing <= BULK_LIMIT + 2 * PROBE_MISSES
    programme.sync()
    assert dict(copies(sb)) == WANTED
