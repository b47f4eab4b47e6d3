"""Two hosts (two state folders, one Jira) chasing at once send no prompt twice (SPEC §5):
the lease in Jira lets one of them write; the other stops, or finds it all sent."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from jirasync.chase.job import chase
from jirasync.lease import JiraLease
from jirasync.lease_types import LeaseHeld
from jirasync.state import StateDir
from tests.chase.conftest import PRIYA, SAM, TOM, Act, at, gateway, midnight
from tests.processes import Child

# Forked children talk to the sandbox, so it listens on a real port.
pytestmark = pytest.mark.over_http

# Overdue as well as due a prompt: escalations must not repeat either.
ACTIONS = (Act("checklist", SAM, "2026-11-04"), Act("contacts", PRIYA, "2027-01-10"),
           Act("rota", TOM, "2026-12-14"), Act("charter", SAM, "2027-01-31"))


def second_host(p) -> str:
    text = p.config.path.read_text().replace("state_dir: state", "state_dir: state-b")
    other = p.config.path.with_name("host-b.yaml")
    other.write_text(text)
    return str(other)


def at_once(*configs: str) -> list[int]:
    runs = [Child(["chase", "--config", c, "--today", "2026-11-24"]) for c in configs]
    for run in runs:
        run.go()
    return [run.wait() for run in runs]


@pytest.mark.parametrize("reminder", ["comment", "digest"])
def test_two_hosts_chasing_at_once_send_each_prompt_once(programme, reminder):
    p = programme(ACTIONS, reminder=reminder)
    p.clock.now = midnight("2026-11-24")
    p.sb.latency_s = 0.002
    codes = at_once(str(p.config.path), second_host(p))
    assert 0 in codes and set(codes) <= {0, 1}
    codes += at_once(str(p.config.path), second_host(p))
    if reminder == "comment":
        assert {a: len(c) for a, c in p.all_comments().items()} == dict.fromkeys(
            ("checklist", "contacts", "rota", "charter"), 1)
    else:
        owners = [r for n in p.sb.notifications for r in n["recipients"]]
        assert sorted(owners) == sorted({p.user_id(o) for o in (SAM, PRIYA, TOM)})
        assert len(p.comments("checklist")) == 1            # the escalation, once


def test_records_read_before_the_lease_are_read_again_if_another_run_held_it_meanwhile(
        programme):
    """A run reads the actions and their records (on Data Center by key: its cache is
    cold), then another host chases, prompts and releases its lease before the first
    takes it: what the first read is stale, and must not make it prompt again."""
    p = programme(ACTIONS)
    shutil.rmtree(p.config.state_dir)
    now = midnight("2026-11-24")
    first = JiraLease(p.jira, "chase", host="host-a")
    take, seen = first.held, {}

    def other_host_chases_first():
        other = chase(p.config, gateway(p.sb), now=now, texts=p.texts,
                      state=StateDir(p.config.state_dir.with_name("state-b")),
                      lease=JiraLease(gateway(p.sb), "chase", host="host-b"))
        assert other.sent
        seen.update(p.all_comments())
        return take()
    first.held = other_host_chases_first
    chase(p.config, p.jira, state=StateDir(p.config.state_dir), now=now, texts=p.texts,
          lease=first)
    assert p.all_comments() == seen and len(seen) == len(ACTIONS)


def test_a_long_chase_renews_its_lease_so_another_host_cannot_take_it_over(programme):
    """Each send takes 11 minutes by the lease's clock: past the lease's 30 minutes,
    another host must still find it held."""
    p = programme(ACTIONS)
    minutes = iter(range(0, 10_000, 11))
    clock = lambda: midnight("2026-11-24") + timedelta(minutes=next(minutes))
    ours = JiraLease(p.jira, "chase", host="host-a", clock=clock)
    real_edit, refused = p.jira.edit_issue, []

    def edit_then_another_host_tries(key, **fields):
        real_edit(key, **fields)
        other = JiraLease(gateway(p.sb), "chase", host="host-b", clock=clock)
        try:
            with other.held():
                pass
        except LeaseHeld:
            refused.append(key)
    p.jira.edit_issue = edit_then_another_host_tries
    chase(p.config, p.jira, state=StateDir(p.config.state_dir),
          now=midnight("2026-11-24"), texts=p.texts, lease=ours)
    assert len(refused) >= len(ACTIONS)


def test_two_hosts_whose_clocks_straddle_midnight_escalate_once(programme):
    """Host A's clock says 00:01 on the day after the due date, host B's 23:59 the day
    before: B must not clear what A fired, and neither resends it; then they swap, and a
    rehearsal on A is followed by B's plain run."""
    p = programme(ACTIONS)                # checklist is due 2026-11-04
    p.sb.latency_s = 0.002

    def plain_runs(*clocks):
        runs = []
        for config, now in zip((str(p.config.path), second_host(p)), clocks, strict=True):
            p.clock.now = now             # each child keeps the clock it was forked with
            runs.append(Child(["chase", "--config", config]))
        for run in runs:
            run.go()
        return [run.wait() for run in runs]
    plain_runs(at("2026-11-05", 0, 1), at("2026-11-04", 23, 59))
    plain_runs(at("2026-11-04", 23, 58), at("2026-11-05", 0, 2))
    p.clock.now = at("2026-11-04", 12)
    assert Child(["chase", "--config", str(p.config.path), "--today", "2026-11-05",
                  "--yes"]).go().wait() == 0
    plain_runs(at("2026-11-04", 12), at("2026-11-04", 12, 1))
    assert len(p.comments("checklist")) == 1
    assert "ll-overdue" in p.labels("checklist")
