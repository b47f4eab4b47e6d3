"""jirasync status [--release ID]... [--today DATE]"""
from __future__ import annotations

import argparse
import os
from typing import TextIO

from jirasync.commands.base import Command, load, open_jira
from jirasync.commands.reporting import (
    NOTHING_SYNCED,
    chosen,
    nothing_synced,
    read,
    release_option,
    today_of,
)
from jirasync.console import Console
from jirasync.errors import JiraError
from jirasync.reports.answered import with_answers
from jirasync.reports.figures import compute
from jirasync.reports.status import (
    last_runs,
    last_runs_lines,
    status_data,
    status_lines,
    unconfirmed_digests,
    unconfirmed_lines,
)
from jirasync.state import StateDir


def arguments(p: argparse.ArgumentParser) -> None:
    release_option(p)
    p.add_argument("--today", metavar="DATE",
                   help="report as of this date (YYYY-MM-DD; default: today)")


def run(args: argparse.Namespace, console: Console) -> int:
    config = load(args)
    today = today_of(args, config)
    state = StateDir(config.state_dir)
    try:
        programme = read(open_jira(config), config)
    except JiraError as e:
        # Jira down is when the last runs matter most: they are kept here, not in Jira.
        runs = last_runs(state.runs(last=None))
        if console.json:
            console.emit({"ok": False, "errors": [str(e)], "last_runs": runs})
        for line in last_runs_lines(runs):
            console.say(line)
        raise
    figures = compute(programme, today=today, releases=chosen(programme, args.release))
    data = with_answers(status_data(figures, state.runs(last=None), project=programme.project),
                        programme.actions)
    data["unconfirmed_digests"] = unconfirmed_digests(programme.actions, state.sent_digests())
    data["synced"] = not nothing_synced(programme)
    if not data["synced"]:
        console.say(NOTHING_SYNCED)
    for line in (status_lines(data, colour=use_colour(console.out))
                 + unconfirmed_lines(data["unconfirmed_digests"])):
        console.say(line)
    console.emit(data)
    return 0


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


COMMAND = Command("status", "summary of the programme in Jira: per release, per owner, "
                  "overdue, the last runs", arguments, run)
