"""jirasync demo [--out DIR]: the whole flow against the built-in sandbox Jira."""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from jirasync.chase.job import ChaseOptions
from jirasync.chase.messages import Texts
from jirasync.check.files import check
from jirasync.commands import chase as chase_command
from jirasync.commands import sync as sync_command
from jirasync.commands.base import Command, plural
from jirasync.commands.demo_answers import answer
from jirasync.commands.demo_deck import SandboxClock, history_start, play_history, write_decks
from jirasync.config import load_config
from jirasync.config.notify import NotifyConfig, Webhook
from jirasync.console import Console
from jirasync.errors import Problem, UsageError
from jirasync.gateway.connect import connect
from jirasync.jobs import Run, start
from jirasync.model import key_order
from jirasync.notify.job import chase_then_tell
from jirasync.paths import sample_programme
from jirasync.sandbox import Sandbox
from jirasync.state import StateDir
from jirasync.sync.job import JOB as SYNC

if TYPE_CHECKING:
    from jirasync.config import Config
    from jirasync.gateway.protocol import Jira
    from jirasync.reports.programme import Item

TOKEN = "sandbox-token"
# The demo's sandbox is in this process, not someone's Jira: its requests need no pacing
# to spare it (a Jira's own config keeps the default, 10 a second).
SANDBOX_REQUESTS_PER_S = 1000


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="jirasync-demo", metavar="DIR",
                   help="folder for the sample programme (default: ./jirasync-demo)")


def run(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.out).resolve()
    summary = console
    if console.json:        # one JSON document at the end, not one per step
        console = Console(quiet=True)
    config_path = write_sample(out)
    console.say(f"sample programme written to {out}")
    report = check(config_path, environ={"JIRA_API_TOKEN": TOKEN})
    console.say(f"check: config ok, {plural(len(report.programme.releases), 'release file')}"
                f" ok, {plural(len(report.warnings), 'lint warning')}")
    live_dates = [r.live_date for r in report.programme.releases]
    clock = SandboxClock(history_start(live_dates))
    with Sandbox(flavour="cloud", token=TOKEN, clock=clock) as sandbox:
        config = load_config(config_path)
        config = replace(config, jira=replace(config.jira, url=sandbox.url))
        jira = connect(sandbox.url, email=config.jira.auth.email, token=TOKEN,
                       project=config.jira.project,
                       max_requests_per_s=SANDBOX_REQUESTS_PER_S)
        _sync(config, jira, sandbox, console)
        newest = max(report.programme.releases, key=lambda r: r.live_date)
        closed = play_history(sandbox, jira, config, clock, newest.live_date)
        console.say(f"\n== the months pass: {plural(closed, 'action')} done in Jira "
                    f"before release {newest.id} went live")
        rehearsal, prompted = _chase(config, jira, sandbox, console, newest.live_date, clock)
        rehearsal = answer(config, jira, sandbox, console, prompted, rehearsal, clock)
        _reports(config, jira, sandbox, console, out, rehearsal)
        decks = write_decks(config, jira, out, release=newest.id, today=rehearsal)
        console.say(f"\n== the deck of release {newest.id} for the Programme Board, "
                    f"as of {rehearsal}:")
        for path in decks:     # named in full, as the agenda and the Next lines are
            console.say(f"  {Path(path).resolve()}")
        from jirasync.commands.demo_publish import publish_demo  # the publish step
        console.say("\n== the Lessons Report published to the sandbox's Confluence (the demo's "
                    "sandbox stops when it ends; `jirasync sandbox --data jirasync-play` "
                    "keeps one up to browse):")
        for page, address in publish_demo(config, jira, sandbox, TOKEN, today=rehearsal):
            console.say(f"  {page}: {address}")
    console.say("")
    console.say(f"Next: read {out}/releases/*.yaml, then point {out}/jirasync.yaml at your "
                "Jira (jira.url, jira.auth, jira.project) and run:")
    console.say(f"  jirasync check --config {out}/jirasync.yaml")
    console.say(f"  jirasync sync --dry-run --config {out}/jirasync.yaml")
    console.say("To keep playing against a sandbox Jira that stays up (and keeps its issues), "
                "run: jirasync sandbox --data jirasync-play")
    summary.emit({"ok": True, "programme": str(out), "config": str(config_path),
                  "releases": [r.id for r in report.programme.releases]})
    return 0


def write_sample(out: Path) -> Path:
    """Copy the sample config and release files into ``out`` (fresh state folder).
    UsageError if ``out`` holds a programme someone changed: the demo never overwrites."""
    source = sample_programme()
    wanted = {Path("jirasync.yaml"): source / "jirasync.yaml"}
    wanted |= {Path("releases", p.name): p for p in (source / "releases").glob("*.yaml")}
    there = [p.relative_to(out) for p in (out / "releases").glob("*.y*ml")] + \
        [Path("jirasync.yaml")] if out.is_dir() else []
    changed = [str(p) for p in there if (out / p).exists() and (
        p not in wanted or (out / p).read_bytes() != wanted[p].read_bytes())]
    if changed:
        raise UsageError(f"{out} holds a programme that is not the demo's ({changed[0]} "
                         "differs); the demo will not overwrite it: give --out NEW_FOLDER")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "jirasync.yaml", out / "jirasync.yaml")
    (out / "releases").mkdir(exist_ok=True)
    for path in sorted((source / "releases").glob("*.yaml")):
        shutil.copy(path, out / "releases" / path.name)
    shutil.rmtree(out / ".jirasync", ignore_errors=True)  # the sandbox starts empty
    return out / "jirasync.yaml"


def _sync(config: Config, jira: Jira, sandbox: Sandbox, console: Console) -> None:
    now, state = datetime.now(UTC), StateDir(config.state_dir)
    console.say("\n== sync: release files -> sandbox Jira")
    result = start(SYNC, Run(config=config, state=state, now=now), connect=lambda run: jira)
    console.say(f"sync: {result.count('created')} created, {result.count('updated')} updated"
                + (f", {result.count('failed')} failed" if result.failed else ""))
    console.say("\n== the issue tree in Jira")
    for line in tree(jira, config):
        console.say(line)
    sandbox.reset_log()
    again = start(SYNC, Run(config=config, state=state, now=now), connect=lambda run: jira)
    console.say(f"\n== sync again: {again.count('created')} created, "
                f"{again.count('updated')} updated, {again.count('unchanged')} unchanged, "
                f"{sandbox.count(write=True)} write requests")
    (lesson_key,) = [o.key for o in result.outcomes
                     if str(o.identity) == "4.2/partner-comms" and o.key is not None]
    sandbox.edit(lesson_key, summary="Local authorities heard of the outage window late")
    console.say(f"\n== someone rewords {lesson_key}'s title in Jira; sync keeps their edit")
    sync_command.report(start(SYNC, Run(config=config, state=state, now=now),
                              connect=lambda run: jira), console)


def _chase(config: Config, jira: Jira, sandbox: Sandbox, console: Console, newest: date,
           clock: SandboxClock) -> tuple[date, list[str]]:
    """Rehearse the prompt day of the first review after the newest release went live, so
    the demo shows the same story whatever today's date is."""
    zone = config.review.calendar.timezone
    live = datetime.combine(newest, time(0), tzinfo=zone)
    cycle = config.review.calendar.cycle_at(live) or config.review.calendar.upcoming(live)
    day = max(cycle.prompt_from, live)
    rehearsal = datetime.combine(day.date(), time(0), tzinfo=zone)
    clock.now = rehearsal
    console.say(f"\n== chase, rehearsed on the prompt day {rehearsal.date()} "
                f"(what jirasync chase sends when run that day)")
    texts, state = Texts(config.templates_dir, config.jira.url), StateDir(config.state_dir)
    config = _with_channel(config, sandbox)
    heard: list[str] = []
    job = chase_then_tell(say=heard.append, warn=heard.append)
    run = Run(config=config, state=state, now=rehearsal, options=ChaseOptions(texts=texts))
    result = start(job, run, connect=lambda run: jira)
    chase_command.report(result, console)
    for line in heard:
        console.say(line)
    for kind in ("prompt", "escalation"):
        keys = [s.key for s in result.sent if s.kind == kind and "in the escalation" not in s.detail]
        if keys:
            comment = sandbox.issue(keys[0]).comments[-1]
            console.say(f"\n== the {kind} comment on {keys[0]} in the sandbox")
            console.say(comment["body"].rstrip())
    _show_channel(sandbox, console)
    heard.clear()
    again = start(job, run, connect=lambda run: jira, journal=False)
    sent = sum(1 for s in again.sent if s.kind in ("prompt", "digest", "escalation"))
    posts = len(sandbox.webhooks.received) // 2
    console.say(f"\n== chase again the same day: {sent} sent (each prompt and rung "
                f"goes once); each channel still has {posts} message{'' if posts == 1 else 's'}"
                " (one a day)")
    return rehearsal.date(), [s.key for s in result.sent if s.kind == "prompt"]


def _with_channel(config: Config, sandbox: Sandbox) -> Config:
    """The config with the sandbox's Teams and Slack webhooks as its ``notify:`` channels,
    their addresses in files of the state folder (as a real one's would be: a secret)."""
    hooks = []
    for channel in ("teams", "slack"):
        path = config.state_dir / f"demo-{channel}-webhook"
        address = f"{sandbox.url}/webhooks/{channel}/{secrets.token_urlsafe(16)}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(address)
        hooks.append(Webhook(channel, None, path,
                             Problem(str(config.path), None, f"notify.{channel}_webhook_file",
                                     "")))
    return replace(config, notify=NotifyConfig(tuple(hooks)))


def _show_channel(sandbox: Sandbox, console: Console) -> None:
    """The day's message as the sandbox's Slack channel shows it, in plain text."""
    messages = sandbox.webhooks.messages("slack")
    if not messages:
        return
    console.say("\n== the PMO's channel: the day's message in the sandbox's Slack "
                "(Teams had the same as an Adaptive Card)")
    for block in messages[-1]["blocks"]:
        text = block.get("text", {}).get("text") if block["type"] != "context" else \
            " ".join(e["text"] for e in block["elements"])
        for line in (text or "").splitlines():
            console.say("  " + _plain(line))


def _plain(mrkdwn: str) -> str:
    """Slack's mrkdwn as a terminal shows it: links as their label, escapes undone."""
    text = re.sub(r"<[^|>]+\|([^>]+)>", r"\1", mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _reports(config: Config, jira: Jira, sandbox: Sandbox, console: Console, out: Path,
             today: date) -> None:
    """status after the rehearsal; the agenda of the next review and an export, written
    into the demo folder. Reports only read Jira."""
    from jirasync.commands.agenda import build_agenda
    from jirasync.reports.agenda import named_people
    from jirasync.reports.answered import with_answers
    from jirasync.reports.export import rows, to_csv
    from jirasync.reports.figures import compute
    from jirasync.reports.output import write_atomically
    from jirasync.reports.reader import read_programme
    from jirasync.reports.status import status_data, status_lines
    sandbox.reset_log()
    state = StateDir(config.state_dir)
    programme = read_programme(jira, config, state=state)
    console.say(f"\n== status, as of the rehearsal (jirasync status --today {today})")
    data = with_answers(status_data(compute(programme, today=today), state.runs(last=None),
                                    project=programme.project), programme.actions)
    for line in status_lines(data):
        console.say(line)
    meeting = config.review.calendar.next_meeting(
        datetime.combine(today, time(0), tzinfo=config.review.calendar.timezone))
    people = named_people(jira, config.people)
    for fmt in ("md", "html"):
        write_atomically(out / f"agenda.{fmt}", build_agenda(
            config, programme, meeting, today, fmt=fmt, people=people))
    write_atomically(out / "export.csv", to_csv(rows(programme, today=today)))
    console.say(f"\n== agenda of the review on {meeting.date()} written to {out}/agenda.md "
                f"and agenda.html; every issue exported to {out}/export.csv "
                f"({sandbox.count(write=True)} write requests)")


def tree(jira: Jira, config: Config) -> list[str]:
    """Releases, their lessons and the lessons' actions, as Jira holds them (the reader
    every report uses)."""
    from jirasync.reports.programme import ActionIssue
    from jirasync.reports.reader import read_programme
    programme = read_programme(jira, config)
    items: list[Item] = [*programme.releases, *programme.lessons, *programme.actions]
    children: dict[str | None, list[Item]] = {}
    for item in items:
        children.setdefault(item.parent, []).append(item)
    keys = {i.key for i in items}
    lines: list[str] = []

    def walk(item: Item, depth: int) -> None:
        extra = ""
        owner, due = (item.owner, item.due) if isinstance(item, ActionIssue) else (None, None)
        if owner or due:
            extra = f"  (owner {owner.name if owner else '-'}, due {due or '-'})"
        lines.append(f"{'   ' * depth}{item.key:<7} {item.issue_type:<8} {item.title}{extra}")
        for child in sorted(children.get(item.key, []), key=lambda i: key_order(i.key)):
            walk(child, depth + 1)

    for root in sorted((i for i in items if i.parent not in keys), key=lambda i: key_order(i.key)):
        walk(root, 0)
    return lines


COMMAND = Command("demo", "run the whole flow against the built-in sandbox Jira (no account "
                  "needed)", arguments, run, uses_config=False)
