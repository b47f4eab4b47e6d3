"""SPEC §3's three-way sync leaves an extension alone: the due date an owner moved in Jira
is not pushed back from the release file by the next sync, which reports it (kept)."""
from __future__ import annotations

from jirasync.state import StateDir
from jirasync.sync.job import sync
from tests.chase.conftest import SAM, Act, at, gateway

ACTIONS = (Act("charter", SAM, "2027-01-31"),)


def test_the_next_sync_keeps_the_extended_due_date_and_says_so(programme):
    p = programme(ACTIONS)
    p.clock.now = at("2026-11-20", 8)
    p.sb.add_comment(p.key("charter"), "extend to 2027-03-31: supplier late", author=SAM)
    p.chase(at("2026-11-20"))
    p.clock.now = at("2026-11-20", 10)
    result = sync(p.config, gateway(p.sb), state=StateDir(p.config.state_dir), now=p.clock.now,
                  progress=lambda text: None)
    assert p.sb.issue(p.key("charter")).fields["duedate"] == "2027-03-31"
    [kept] = [r for r in result.plan.steps if r.key == p.key("charter")]
    assert kept.kind == "kept"
    assert "2027-03-31" in kept.detail and "2027-01-31" in kept.detail

