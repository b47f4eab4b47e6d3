"""``publish`` as a job the service schedules: run by ``run --once`` when due, under its
lock and lease, journaled with its Confluence requests, a second run in the day nothing."""
from __future__ import annotations

from datetime import timedelta

from tests.service.conftest import PROMPT_DAY, TOKEN_ENV, once, site  # noqa: F401

SCHEDULE = ("  sync: every 15 minutes\n  chase: every day at 09:00\n"
            "  publish: every day at 07:00\n")


def with_confluence(s) -> None:
    auth = "" if s.sb.flavour == "cloud" else \
        f"  auth:\n    type: pat\n    token_env: {TOKEN_ENV}\n"
    s.config.write_text(s.config.read_text() + (
        f"confluence:\n  url: {s.sb.confluence.url}\n  space: PMO\n"
        f"  parent_page: Lessons learnt\n{auth}"))


def test_the_service_publishes_once_a_day(site, once):  # noqa: F811
    s = site(SCHEDULE)
    with_confluence(s)
    code, err = once(s, PROMPT_DAY)
    assert code == 0, err
    runs = {r["job"]: r for r in s.journal()}
    assert runs["publish"]["ok"] and runs["publish"]["counts"]["created"] == 2
    assert runs["publish"]["confluence_requests"]["wiki-write"] > 0
    assert "publish ok in" in err
    from jirasync.service.metrics import Metrics
    metrics = Metrics()
    for entry in s.journal():
        metrics.observe(entry)
    shown = metrics.render().decode()
    assert 'jirasync_job_runs_total{job="publish"} 1.0' in shown
    assert "jirasync_confluence_requests_total 0.0" not in shown
    titles = {p.title for p in s.sb.confluence.pages()}
    assert {"DCR release 4.2: Lessons Report", "DCR programme: Lessons Reports"} <= titles
    s.sb.reset_log()
    once(s, PROMPT_DAY + timedelta(hours=1))
    assert [r["job"] for r in s.journal()].count("publish") == 1     # not due again
    code, _ = once(s, PROMPT_DAY + timedelta(days=1))
    again = [r for r in s.journal() if r["job"] == "publish"][-1]
    assert code == 0 and again["counts"]["unchanged"] == 2 and again["counts"]["updated"] == 0
    assert "wiki-write" not in again["confluence_requests"]


def test_scheduling_publish_without_a_confluence_section_is_refused(site, once):  # noqa: F811
    s = site(SCHEDULE)
    code, err = once(s, PROMPT_DAY)
    assert code == 2 and "schedules publish, which needs a confluence: section" in err
