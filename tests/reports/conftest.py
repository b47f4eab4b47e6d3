"""A programme with history, set in a sandbox Jira of each flavour, for the report
scenarios. Release 4.1 went live on 2 June 2026, 4.2 on 14 October 2026; the reports run
as of 10 December 2026, after chase escalated what was overdue that morning.

    4.1  feeds-late (improve, comms): act-open (Sam, due 1 Sep, open: 100 days overdue)
                                      act-closed (Priya, due 1 Sep, Done on 1 Nov by Priya)
         rehearse (keep)
    4.2  again (improve, comms, title starts with '='):
                 act-ontime (Sam, due 30 Nov, Done on 30 Nov)
                 act-late (Priya, due 1 Dec, open: 9 days overdue)
                 act-script (Tom, due 20 Dec, title with <script>)
         script (keep, title with <script>)
         + a lesson made by hand in Jira under the release issue on 20 Nov
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jirasync.chase.job import chase
from jirasync.chase.messages import Texts
from jirasync.cli import main
from jirasync.config import load_config
from jirasync.gateway.connect import connect
from jirasync.jobs import run_job
from jirasync.state import StateDir
from jirasync.sync.job import sync
from tests.conftest import FLAVOURS, checked_sandbox
from tests.helpers import write_programme

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 10)
TOKEN_ENV = "JIRASYNC_REPORTS_TOKEN"
TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}
SAM, PRIYA, TOM = "sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org"
SCRIPT = "<script>alert('x')</script> Rehearsals caught the gaps"
SCRIPT_ACTION = "<script>alert(1)</script> Add a feed check"
FORMULA = "=Partners turned their feeds off late, again"

R41 = f"""\
id: "4.1"
name: DCR Release 4.1
live_date: 2026-06-02
lessons:
  - id: feeds-late
    kind: improve
    theme: comms
    title: Partners turned their feeds off late
    actions:
      - {{id: act-open, title: Agree a feed shutdown date, owner: {SAM}, due: 2026-09-01}}
      - {{id: act-closed, title: Name a feed contact, owner: {PRIYA}, due: 2026-09-01}}
  - id: rehearse
    kind: keep
    title: Two rehearsals before go-live
"""

R42 = f"""\
id: "4.2"
name: DCR Release 4.2
live_date: 2026-10-14
lessons:
  - id: again
    kind: improve
    theme: comms
    title: "{FORMULA}"
    actions:
      - {{id: act-ontime, title: Add feed shutdown to the checklist, owner: {SAM}, due: 2026-11-30}}
      - {{id: act-late, title: Keep an out-of-hours contact, owner: {PRIYA}, due: 2026-12-01}}
      - {{id: act-script, title: "{SCRIPT_ACTION}", owner: {TOM}, due: 2026-12-20}}
  - id: script
    kind: keep
    title: "{SCRIPT}"
"""


def at(day: str, hh: int = 9) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hh), tzinfo=LONDON)


class Clock:
    def __init__(self):
        self.now = at("2026-05-20")

    def __call__(self) -> datetime:
        return self.now


@dataclass
class History:
    """The programme folder, its sandbox, and the keys of its issues by id."""

    sb: object
    config_path: object
    keys: dict
    hand_made: str
    clock: object = None      # the sandbox's: what Jira stamps an edit with

    @property
    def config(self):
        return load_config(self.config_path)

    def gateway(self):
        auth = ({"email": "pmo-bot@example.org"} if self.sb.flavour == "cloud"
                else {"auth_type": "pat"})
        return connect(self.sb.url, token=TOKENS[self.sb.flavour], project="DCR",
                       max_requests_per_s=1000, sleep=lambda s: None, **auth)


def _config(sb) -> str:
    auth = "    email: pmo-bot@example.org\n" if sb.flavour == "cloud" else "    type: pat\n"
    return (f"jira:\n  url: {sb.url}\n  auth:\n{auth}    token_env: {TOKEN_ENV}\n"
            "  project: DCR\n  max_requests_per_s: 1000\n"
            "timezone: Europe/London\nstate_dir: state\n"
            "review:\n  rule: FREQ=MONTHLY;BYDAY=1TU\n  time: '10:00'\n  place: Room 4.12\n"
            # The history's one chase climbs straight to the rung each action has reached
            # (the owner-hears-first grace is chase's own story, in tests/chase).
            "  escalation_grace_days: 0\n"
            "people:\n  release_manager: jodie.crowfoot@example.org\n"
            "  pmo_lead: pmo@example.org\n")


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def history(request, contract, tmp_path, monkeypatch) -> History:
    monkeypatch.setenv(TOKEN_ENV, TOKENS[request.param])
    clock = Clock()
    with checked_sandbox(contract, request.param, clock=clock) as sb:
        path = write_programme(tmp_path, config=_config(sb), releases={"4.1.yaml": R41})
        made = History(sb, path, {}, "", clock)
        _sync(made, clock, "2026-05-20")
        (tmp_path / "releases" / "4.2.yaml").write_text(R42, encoding="utf-8")
        _sync(made, clock, "2026-10-15")
        clock.now = at("2026-11-01", 16)
        sb.transition(made.keys["act-closed"], "Done")       # Priya closes hers, by hand
        clock.now = at("2026-11-20", 11)
        made.hand_made = sb.create_issue("Task", "Nobody owned the cut-over comms",
                                         parent=made.keys["4.2"])
        clock.now = at("2026-11-30", 17)
        sb.transition(made.keys["act-ontime"], "Done")
        clock.now = at("2026-12-10")
        config = made.config
        state = StateDir(config.state_dir)
        run_job("chase", state, lambda: chase(
            config, made.gateway(), state=state, now=clock.now,
            texts=Texts(config.templates_dir, config.jira.url), progress=lambda t: None),
            clock=clock)
        sb.reset_log()
        yield made


def _sync(made: History, clock: Clock, day: str) -> None:
    clock.now = at(day)
    config = made.config
    state = StateDir(config.state_dir)
    result = run_job("sync", state, lambda: sync(config, made.gateway(), state=state,
                                                 now=clock.now, progress=lambda t: None),
                     clock=clock)
    assert not result.failed
    for o in result.outcomes:
        if o.verb == "created":
            made.keys[o.identity.action or o.identity.lesson or o.identity.release] = o.key


@pytest.fixture
def cli(history, capsysbinary):
    """Run jirasync on the history's config: (exit code, stdout, stderr) as text."""
    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--config", str(history.config_path)])
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8"), err.decode("utf-8")
    return run
