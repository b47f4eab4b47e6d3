"""What a chase run costs in requests: one search for the actions changed since the last
run (owners' answers, docs/answers.md), one paged search of the open actions, one request
per reminder sent, and a small constant (serverInfo, a field lookup, one user search per
role named). On Jira Cloud, whose search index lags, the actions found due are read
again in one reconciled search per 50 before anything is sent. Data Center's search
cannot return issue properties: each action's record is read by key once, then again
only after the action changed (a cache in the state folder), and the actions found due
are read again by key before anything is sent; and a run that writes a record keeps an
index of them for the reports (one search for the versions its writes left, the project's
property names, the index's head marked, its part, its head cleared)."""
from __future__ import annotations

import math

import pytest

from tests.chase.conftest import PRIYA, SAM, Act, at, gateway, issue_writes, midnight

LATE = tuple(Act(f"late-{n}", SAM, "2026-11-04") for n in range(3))
LATER = tuple(Act(f"fine-{n}", PRIYA, "2027-03-31") for n in range(7))
MANY = tuple(Act(f"many-{n}", (SAM, PRIYA)[n % 2], "2027-03-31") for n in range(120))


@pytest.mark.parametrize("actions, now, sent, pages, roles", [
    pytest.param(LATE + LATER, at("2026-11-05"), 3, 1, 0, id="10-open-3-at-rung-0"),
    pytest.param(LATE + LATER, at("2026-11-19"), 3, 1, 1, id="10-open-3-at-rung-14"),
    pytest.param(LATE + LATER, at("2026-12-05"), 3, 1, 2, id="10-open-3-at-rung-30"),
    pytest.param(LATE + LATER, at("2026-11-04"), 0, 1, 0, id="10-open-none-due"),
    pytest.param(LATE + LATER, midnight("2026-11-24"), 10, 1, 1, id="10-open-prompt-day"),
    pytest.param(MANY, at("2026-11-20"), 0, 2, 0, id="120-open-two-pages-none-due"),
    pytest.param(MANY, midnight("2026-11-24"), 120, 2, 0, id="120-open-prompt-day"),
])
def test_requests_per_run(programme, actions, now, sent, pages, roles):
    p = programme(actions)
    if p.sb.flavour == "datacenter":    # its search cannot return the records: the first
        p.chase(at("2026-11-04"))       # run reads each by key; later runs use the cache
        p.sb.reset_log()
    result = p.chase(now, jira=gateway(p.sb))
    assert result.count("failed") == 0
    cloud = p.sb.flavour == "cloud"
    searches, reads = p.sb.count(kind="search"), p.sb.count(kind="get")
    assert issue_writes(p.sb) == p.sb.count(kind="edit") == sent
    pages = pages if cloud else 1      # Data Center pages hold 1,000, Cloud's 100
    index = 0 if cloud or not sent else 4
    assert p.sb.count(kind="project-property") == index
    # + 1: the search for owners' answers among the actions changed since the last run
    # (and on Data Center one for the versions the writes left, for the index)
    assert searches == 1 + pages + (math.ceil(sent / 50) if cloud else 1 if sent else 0)
    assert reads == (0 if cloud else sent)     # Data Center re-reads what it sends by key
    assert p.sb.count(kind="user-search") == roles
    constant = p.sb.count() - searches - reads - sent - roles - index
    assert constant <= 2, p.sb.requests            # serverInfo (+ /field on Data Center)


def test_a_run_with_nothing_to_send_only_searches(programme):
    p = programme(LATE + LATER)
    p.chase(at("2026-11-05"))
    p.sb.reset_log()
    assert p.chase(at("2026-11-06")).sent == ()
    # Data Center reads again by key the records of the actions the last run wrote to
    reads = ["get"] * len(LATE) if p.sb.flavour == "datacenter" else []
    # the first search looks for owners' answers among the actions changed since
    assert [r.kind for r in p.sb.requests] == ["search", "search", *reads]
    p.sb.reset_log()
    assert p.chase(at("2026-11-07")).sent == ()
    assert [r.kind for r in p.sb.requests] == ["search", "search"]


def test_digests_cost_two_requests_per_owner(programme):
    """The record, then the notification: one pair per owner, whatever their count."""
    p = programme(LATE + LATER, reminder="digest")
    p.chase(midnight("2026-11-24"))
    assert p.sb.count(kind="notify") == 2
    assert p.sb.count(kind="property") == 2
    assert p.sb.count(kind="edit") == 3                # Sam's three actions are overdue


def test_datacenter_reads_each_record_once_when_the_cache_is_cold(programme):
    """A run without a cache reads every record by key during the search; the actions it
    then sends to are not read by key a second time."""
    p = programme(LATE + LATER)
    if p.sb.flavour == "cloud":
        pytest.skip("Cloud's search returns the records")
    result = p.chase(midnight("2026-11-24"), jira=gateway(p.sb))
    assert result.count("prompt") == 10 and result.count("failed") == 0
    assert p.sb.count(kind="get") == 10
