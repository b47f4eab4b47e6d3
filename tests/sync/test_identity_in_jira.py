"""Identity no crash, lag or lost folder can lose (issue findings 1 and 2): the issues a
crashed run, an earlier run whose state folder is gone, or another host made while
Cloud's search lags are found again, past keys people deleted."""
from __future__ import annotations

import pytest

from tests.sync.conftest import IDENTITIES, copies

FOURTEEN = 2 * len(IDENTITIES)


class Killed(BaseException):
    """The process dies (kill -9): nothing after this line runs, no finally that matters."""


class KillAfterCreates:
    """The real gateway, killed as the ``nth`` bulk create is answered."""

    def __init__(self, jira, nth: int):
        self._jira, self._left = jira, nth

    def __getattr__(self, name):
        real = getattr(self._jira, name)
        if name != "create_issues":
            return real

        def create(*args, **kwargs):
            made = real(*args, **kwargs)
            self._left -= 1
            if self._left == 0:
                raise Killed()
            return made
        return create


def second_release(p) -> None:
    p.write((p.releases / "4.2.yaml").read_text()
            .replace('"4.2"', '"4.3"').replace("Release 4.2", "Release 4.3"), "4.3.yaml")


def people_made_and_deleted(sb, count: int) -> None:
    for _ in range(count):
        sb.delete(sb.create_issue("Task", "made by mistake"))


@pytest.mark.parametrize("how", ["state-lost", "killed-at-last-create"])
def test_a_release_made_while_search_lags_is_found_after_a_crash_or_lost_folder(programme,
                                                                               how):
    sb = programme.sb
    sb.faults.search_lag(on=True)
    if how == "state-lost":
        programme.sync()
        programme.forget_state()
    else:
        with pytest.raises(Killed):
            programme.sync(jira=KillAfterCreates(programme.gateway(), 3))
    second_release(programme)
    programme.sync()
    programme.sync()                                     # the index has still seen nothing
    assert set(copies(sb).values()) == {1} and len(copies(sb)) == FOURTEEN


@pytest.mark.parametrize("killed_at", [1, 2, 3])
@pytest.mark.parametrize("forget", [False, True], ids=["state-kept", "state-lost"])
def test_keys_deleted_above_the_index_do_not_hide_what_a_crash_made(programme, killed_at,
                                                                    forget):
    programme.sb.faults.search_lag(on=True)
    people_made_and_deleted(programme.sb, 3)
    crash_then_sync_twice(programme, killed_at, forget)
    assert dict(copies(programme.sb)) == dict.fromkeys(IDENTITIES, 1)


def crash_then_sync_twice(programme, killed_at: int, forget: bool) -> None:
    """A sync killed after its ``killed_at``-th bulk create, the state folder kept or
    lost, then two more syncs while search still lags."""
    with pytest.raises(Killed):
        programme.sync(jira=KillAfterCreates(programme.gateway(), killed_at))
    if forget:
        programme.forget_state()
    programme.sync()
    programme.sync()


def test_keys_deleted_above_the_index_do_not_hide_a_finished_run(programme):
    sb = programme.sb
    sb.faults.search_lag(on=True)
    people_made_and_deleted(sb, 5)
    programme.sync()
    programme.forget_state()
    second_release(programme)
    programme.sync()
    programme.sync()
    assert set(copies(sb).values()) == {1} and len(copies(sb)) == FOURTEEN


@pytest.mark.parametrize("killed_at", [1, 2])
@pytest.mark.parametrize("forget", [False, True], ids=["state-kept", "state-lost"])
def test_what_a_crash_made_with_no_record_in_jira_is_found_before_creating(programme,
                                                                          killed_at, forget):
    """The bot may not write project properties: no record of creates, no in-flight mark.
    The next run has something to create, so it reads past the highest key first."""
    programme.sb.faults.search_lag(on=True)
    programme.sb.bot_administers(False)
    crash_then_sync_twice(programme, killed_at, forget)
    assert dict(copies(programme.sb)) == dict.fromkeys(IDENTITIES, 1)
