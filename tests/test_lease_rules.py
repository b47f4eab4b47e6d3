"""The lease's judgements, from the values of its terms alone (jirasync/lease_rules.py):
when a term may be taken over, and when a run may write under the term it claimed."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jirasync.lease_rules import Runner, clear, ended, free

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
LATER, EARLIER = "2026-11-29T09:30:00+00:00", "2026-11-29T08:30:00+00:00"
# This run: host-a, process 100, run "me"; this process also made run "before";
# process 200 of host-a is gone, 300 still runs.
ME = Runner("host-a", 100, "me", {"me", "before"}.__contains__, lambda pid: pid == 300)


def run(host="host-a", pid=300, name="other", expires=LATER, **marks):
    return {"host": host, "pid": pid, "run": name, "expires": expires, **marks}


CONTESTED = {"contested": True, "expires": LATER}


@pytest.mark.parametrize("value,gone", [
    (run(pid=200), True),                         # a killed process of this host
    (run(pid=300), False),                        # one that still runs
    (run(host="host-b", pid=200), False),         # another host: cannot be checked
    (run(pid=100, name="before"), True),          # an earlier run of this process
    (run(pid=100, name="me"), False),             # this run
    (run(pid=100, name="elsewhere"), False),      # same host name and pid, not ours
    ({"contested": True}, False),                 # names no run
    ("garbage", False),
    (None, False),
], ids=["killed", "running", "other-host", "earlier-run-here", "this-run",
        "other-container", "no-run", "unreadable", "none"])
def test_ended(value, gone):
    assert ended(value, ME) is gone


@pytest.mark.parametrize("value,claims,may_take", [
    (None, [], True),
    ("garbage", [], True),
    (run(released=EARLIER), [], True),
    (run(expires=EARLIER), [], True),
    (run(pid=200), [], True),
    (run(pid=300), [], False),
    (run(host="host-b"), [], False),
    (CONTESTED, [run(pid=200), run(pid=100, name="before")], True),   # every claimant gone
    (CONTESTED, [run(pid=200), run(pid=300)], False),                 # one may still write
    (CONTESTED, [run(host="host-b", pid=200)], False),                # cannot tell
    ({**CONTESTED, "expires": EARLIER}, [run(host="host-b")], True),  # expired
    (CONTESTED, [], True),                                            # every claim removed
], ids=["none", "unreadable", "released", "expired", "killed", "running", "other-host",
        "contested-all-gone", "contested-one-running", "contested-other-host",
        "contested-expired", "contested-no-claims"])
def test_free(value, claims, may_take):
    assert free(value, claims, ME, NOW) is may_take


@pytest.mark.parametrize("value,others,may_write", [
    (run(pid=100, name="me"), [], True),                 # our own claim
    (run(host="host-b", name="loser"), [], False),       # a loser's claim, not yet marked
    (CONTESTED, [], True),                               # the loser gave way
    (CONTESTED, [run(host="host-b", name="loser")], False),   # ... not yet removed its claim
    (CONTESTED, [run(pid=200, name="killed")], True),    # a claimant that was killed
    (None, [], False),
], ids=["ours", "foreign", "contested", "contested-claim-left", "contested-killed-claim",
        "none"])
def test_clear(value, others, may_write):
    assert clear(value, others, ME) is may_write
