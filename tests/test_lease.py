"""The lease in Jira that keeps hosts apart (SPEC §5): created only if absent, refused
while another holder's is live, taken over once expired or when its process is gone,
removed at the end; never given up by a lost state folder."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jirasync.gateway import connect
from jirasync.lease import JiraLease, LeaseHeld

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def jira(sandbox):
    auth = {"email": "pmo-bot@example.org", "token": "sandbox-token"} \
        if sandbox.flavour == "cloud" else {"auth_type": "pat", "token": "sandbox-pat"}
    return connect(sandbox.url, project="DCR", max_requests_per_s=1000, **auth)


def lease(jira, clock, host="host-a", pid=100, alive=lambda pid: True):
    return JiraLease(jira, "sync", clock=clock, host=host, pid=pid, alive=alive)


def test_a_live_lease_keeps_another_host_out_and_is_removed_at_the_end(jira, sandbox):
    clock = Clock()
    with lease(jira, clock).held():
        held = sandbox.project_properties()["jirasync.lease.sync"]
        assert held["holder"] == "host-a pid 100" and held["job"] == "sync"
        with pytest.raises(LeaseHeld) as refused:
            with lease(jira, clock, host="host-b").held():
                pytest.fail("two hosts held the lease")
        assert "host-a pid 100" in str(refused.value) and "wrote nothing" in str(refused.value)
    assert "jirasync.lease.sync" not in sandbox.project_properties()
    with lease(jira, clock, host="host-b").held():
        pass


def test_an_expired_lease_is_taken_over(jira, sandbox):
    clock = Clock()
    killed = lease(jira, clock)
    killed._take()                                   # then kill -9: never released
    clock.now += timedelta(minutes=29)
    with pytest.raises(LeaseHeld):
        with lease(jira, clock, host="host-b").held():
            pass
    clock.now += timedelta(minutes=2)
    with lease(jira, clock, host="host-b").held():
        assert sandbox.project_properties()["jirasync.lease.sync"]["host"] == "host-b"


def test_a_killed_process_of_this_host_is_taken_over_at_once(jira):
    clock = Clock()
    lease(jira, clock, pid=100)._take()
    with lease(jira, clock, pid=200, alive=lambda pid: pid != 100).held():
        pass
    lease(jira, clock, pid=300)._take()
    with pytest.raises(LeaseHeld):                   # process 300 still runs
        with lease(jira, clock, pid=400, alive=lambda pid: True).held():
            pass


def test_losing_the_race_to_create_it_steps_back(jira, sandbox):
    clock = Clock()
    racer = lease(jira, clock, host="host-b")
    real_put = jira.put_project_property

    def someone_first(name, value, **kwargs):
        sandbox.set_project_property(name, {"holder": "host-c pid 1", "expires": "later"})
        return real_put(name, value, **kwargs)
    jira.put_project_property = someone_first
    with pytest.raises(LeaseHeld):
        with racer.held():
            pytest.fail("ran without the lease")
    assert "jirasync.lease.sync" in sandbox.project_properties()   # not freed for others


def test_without_permission_it_warns_and_runs_on_the_local_lock(jira, sandbox):
    sandbox.bot_administers(False)
    said = []
    with JiraLease(jira, "chase", clock=Clock(), warn=said.append).held():
        pass
    assert "Administer Projects" in said[0]
