"""The demo's owners answering: the day after the prompts, two owners answer in a Jira
comment (``extend to …: reason`` and ``done``), and the next chase applies both, replies
once each, and the status that follows shows them (docs/answers.md)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from jirasync.chase.job import JOB as CHASE
from jirasync.chase.job import ChaseOptions
from jirasync.chase.messages import Texts
from jirasync.commands import chase as chase_command
from jirasync.jobs import Run, start
from jirasync.state import StateDir


def answer(config: Any, jira: Any, sandbox: Any, console: Any, prompted: list[str],
           rehearsal: date, clock: Any) -> date:
    """Two prompted actions answered by their owners; chase the next morning. The day
    the status that follows is taken on."""
    zone = config.review.calendar.timezone
    owners: dict[str, str] = {}
    for key in prompted:
        owner = jira.get_issue(key)
        if owner is not None and owner.assignee and owner.assignee not in owners.values():
            owners[key] = owner.assignee
        if len(owners) == 2:
            break
    if len(owners) < 2:
        return rehearsal
    (late, key_late), (done, key_done) = [(v, k) for k, v in owners.items()]
    day = rehearsal + timedelta(days=1)
    clock.now = datetime.combine(day, time(8, 30), tzinfo=zone)
    new_due = day + timedelta(days=45)
    said = {key_late: f"Extend to {new_due}: waiting for partner sign-off",
            key_done: "Done - published on the intranet"}
    console.say(f"\n== the owners answer in Jira on {day}")
    for key, text in said.items():
        sandbox.add_comment(key, text, author=late if key == key_late else done)
        console.say(f"  {key}: {text}")
    morning = datetime.combine(day, time(9), tzinfo=zone)
    clock.now = morning
    console.say(f"\n== chase the next morning ({day}): the answers are applied first")
    state = StateDir(config.state_dir)
    options = ChaseOptions(texts=Texts(config.templates_dir, config.jira.url))
    result = start(CHASE, Run(config=config, state=state, now=morning, options=options),
                   connect=lambda run: jira)
    chase_command.report(result, console)
    for key in said:
        console.say(f"\n== the reply on {key}")
        console.say(sandbox.issue(key).comments[-1]["body"].rstrip())
    return day
