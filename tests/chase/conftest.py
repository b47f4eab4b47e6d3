"""Builders for the chase scenarios: a programme synced into a sandbox Jira whose clock
is the run's ``now``.

The review meets on the first Tuesday at 10:00 Europe/London: 1 December 2026, with the
prompt window open from Tuesday 24 November 00:00 until the meeting starts.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jirasync.chase.job import ChaseResult, chase
from jirasync.chase.messages import Texts
from jirasync.config import Config, load_config
from jirasync.gateway.connect import connect
from jirasync.model import CHASE_PROPERTY as PROPERTY
from jirasync.sandbox import Sandbox
from jirasync.state import StateDir
from jirasync.sync.job import sync
from tests.conftest import FLAVOURS, checked_sandbox
from tests.helpers import write_programme

LONDON = ZoneInfo("Europe/London")
MEETING = date(2026, 12, 1)
PROMPT_DAY = date(2026, 11, 24)
SAM, PRIYA, TOM = "sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org"
JODIE, PAT = "jodie.crowfoot@example.org", "pmo@example.org"   # release manager, PMO lead
PEOPLE = {"release_manager": JODIE, "pmo_lead": PAT}
TOKEN_ENV = "JIRASYNC_CHASE_TOKEN"
TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}


def at(day: date | str, hh: int = 9, mm: int = 0) -> datetime:
    """A moment in the config's timezone: the daemon's 09:00 run unless told otherwise."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime.combine(day, time(hh, mm), tzinfo=LONDON)


def midnight(day: date | str) -> datetime:
    """What ``--today DAY`` means: the start of that day in the config's timezone."""
    return at(day, 0, 0)


class Clock:
    """The sandbox's idea of now: each chase run moves it to the run's ``now``, so what
    Jira stamps (comments, resolution dates) agrees with the rehearsed date."""

    def __init__(self, now: datetime | None = None):
        self.now = now or at("2026-10-15")    # the day the programme is synced
        self.zone: ZoneInfo | None = None     # the bot's own timezone in Jira, if not UTC

    def __call__(self) -> datetime:
        return self.now.astimezone(self.zone or UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def sandbox(request, contract, clock) -> Iterator[Sandbox]:
    """The shared contract-checked sandbox of each flavour, on the scenario's clock."""
    with checked_sandbox(contract, request.param, clock=clock) as sb:
        yield sb


@dataclass(frozen=True)
class Act:
    """One action of the release file: ``id``, owner (email) and due date."""

    id: str
    owner: str | None = SAM
    due: str | None = "2027-01-15"


# Three owners, five actions, none overdue before the meeting.
TEAM = (Act("checklist", SAM, "2026-12-15"), Act("contacts", PRIYA, "2027-01-10"),
        Act("rota", TOM, "2026-12-14"), Act("charter", SAM, "2027-01-31"),
        Act("readiness", PRIYA, "2026-12-20"))


def release_yaml(actions: tuple[Act, ...]) -> str:
    lines = ['id: "4.2"', "name: DCR Release 4.2", "live_date: 2026-10-14", "lessons:",
             "  - id: feeds-off", "    kind: improve",
             "    title: Partners turned their feeds off late", "    actions:"]
    for a in actions:
        lines += [f"      - id: {a.id}", f"        title: Action {a.id}"]
        lines += [f"        owner: {a.owner}"] if a.owner else []
        lines += [f"        due: {a.due}"] if a.due else []
    return "\n".join(lines) + "\n"


def config_yaml(sb: Sandbox, *, reminder: str = "comment",
                people: dict[str, str] | None = None, escalation: str = "") -> str:
    auth = ("    email: pmo-bot@example.org\n" if sb.flavour == "cloud"
            else "    type: pat\n")
    people = PEOPLE if people is None else people
    return (f"jira:\n  url: {sb.url}\n  auth:\n{auth}    token_env: {TOKEN_ENV}\n"
            "  project: DCR\n  max_requests_per_s: 1000\n"
            "timezone: Europe/London\nstate_dir: state\n"
            "review:\n  rule: FREQ=MONTHLY;BYDAY=1TU\n  time: '10:00'\n"
            f"  prompt_days_before: 7\n  reminder: {reminder}\n{escalation}"
            "people:\n" + "".join(f"  {k}: {v}\n" for k, v in people.items()))


def gateway(sb: Sandbox):
    """A gateway to the sandbox, unpaced (pacing is the transport's own test)."""
    auth = ({"email": "pmo-bot@example.org"} if sb.flavour == "cloud"
            else {"auth_type": "pat"})
    return connect(sb.url, token=TOKENS[sb.flavour], project="DCR", max_requests_per_s=1000,
                   sleep=lambda s: None, **auth)


class Programme:
    """A release synced into the sandbox, and the ways a scenario looks at the result."""

    def __init__(self, sb: Sandbox, config: Config, clock: Clock, keys: dict[str, str]):
        self.sb, self.config, self.clock, self.keys = sb, config, clock, keys
        self.jira = gateway(sb)
        self.texts = Texts(config.templates_dir, config.jira.url)

    def chase(self, now: datetime, *, dry_run: bool = False, jira=None) -> ChaseResult:
        self.clock.now = now
        return chase(self.config, jira or self.jira, state=StateDir(self.config.state_dir),
                     now=now, texts=self.texts,
                     dry_run=dry_run, progress=lambda text: None)

    def key(self, action: str) -> str:
        return self.keys[action]

    def comments(self, action: str) -> list[str]:
        return [c["body"] for c in self.sb.issue(self.key(action)).comments]

    def all_comments(self) -> dict[str, list[str]]:
        """Action id -> comment bodies, for the actions that have any."""
        return {a: self.comments(a) for a in self.keys if self.comments(a)}

    def labels(self, action: str) -> set[str]:
        return set(self.sb.issue(self.key(action)).labels)

    def record(self, action: str):
        return self.sb.issue(self.key(action)).properties.get(PROPERTY)

    def mention(self, email: str) -> str:
        """How this flavour's wiki markup mentions a person."""
        user = self.sb.user(email)
        return (f"[~accountid:{user.account_id}]" if self.sb.flavour == "cloud"
                else f"[~{user.name}]")

    def user_id(self, email: str) -> str:
        return self.sb.user_id(email)

    def resolve(self, action: str, when: datetime) -> None:
        self.clock.now = when
        self.sb.transition(self.key(action), "Done")

    def move_due(self, action: str, due: str) -> None:
        self.sb.edit(self.key(action), duedate=due)


MakeProgramme = Callable[..., Programme]


@pytest.fixture
def programme(sandbox, tmp_path, clock, monkeypatch) -> MakeProgramme:
    """``programme(actions=TEAM, reminder="comment", people=PEOPLE, escalation="")``:
    write the programme, sync it into the sandbox, and start each scenario's log empty."""
    monkeypatch.setenv(TOKEN_ENV, TOKENS[sandbox.flavour])
    # The command line's "today" is the scenario's: --today may write only on that day.
    monkeypatch.setattr("jirasync.commands.chase.real_now", clock)

    def make(actions: tuple[Act, ...] = TEAM, **options) -> Programme:
        path = write_programme(tmp_path, config=config_yaml(sandbox, **options),
                               releases={"4.2.yaml": release_yaml(actions)})
        config = load_config(path)
        created = sync(config, gateway(sandbox), state=StateDir(config.state_dir),
                       now=clock.now, progress=lambda text: None)
        assert not created.failed, [o for o in created.outcomes if o.verb == "failed"]
        keys = {o.identity.action: o.key for o in created.outcomes
                if o.identity is not None and o.identity.level == "action"}
        assert set(keys) == {a.id for a in actions}
        made = Programme(sandbox, config, clock, keys)
        sandbox.reset_log()
        return made

    return make


def issue_writes(sb: Sandbox) -> int:
    """Writes to issues, apart from those to chase's index of records (project properties,
    written on Data Center by a run that writes any record: tests/chase/test_rung_index.py)."""
    return sb.count(write=True) - sb.count(kind="project-property", write=True)
