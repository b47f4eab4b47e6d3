"""jirasync agenda [--review DATE] [--format md|html] [-o FILE] [--today DATE]"""
from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from jirasync.commands.base import Command, load, open_jira, parse_date, shown
from jirasync.commands.reporting import NOTHING_SYNCED, nothing_synced, output_of, read, today_of
from jirasync.console import Console
from jirasync.errors import UsageError
from jirasync.reports.agenda import (
    Agenda,
    agenda_data,
    meetings_near,
    named_people,
    plain,
    render_agenda,
)
from jirasync.reports.figures import compute
from jirasync.reports.output import format_of, to_stdout, write_atomically

if TYPE_CHECKING:
    from jirasync.config import Config
    from jirasync.reports.agenda import Person
    from jirasync.reports.programme import Programme


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--review", metavar="DATE",
                   help="the review meeting's date (YYYY-MM-DD; default: the next one)")
    p.add_argument("--format", choices=("md", "html"),
                   help="md (default; pastes into Confluence or an email) or html "
                        "(printable); default: what -o's extension says")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (atomically) instead of stdout")
    p.add_argument("--today", metavar="DATE",
                   help="overdue as of this date (YYYY-MM-DD; default: today)")


def meeting_of(args: argparse.Namespace, config: Config, today: date) -> datetime:
    """The review meeting: --review (which must be a meeting of the rule), else the next
    meeting after the start of ``today``."""
    calendar = config.review.calendar
    if not args.review:
        start = datetime.combine(today, time(0), tzinfo=calendar.timezone)
        return calendar.next_meeting(start - timedelta(microseconds=1))
    day = parse_date(args.review, "--review")
    start = datetime.combine(day, time(0), tzinfo=calendar.timezone)
    found = calendar.meetings(start, start + timedelta(days=1))
    if not found:
        near = meetings_near(calendar, day, calendar.timezone)
        listed = ", ".join(d.isoformat() for d in near) or "none within 45 days"
        raise UsageError(f"--review {day}: no review meets that day under review.rule "
                         f"({calendar.rule}); meetings near it: {listed}")
    return found[0]


def build_agenda(config: Config, programme: Programme, meeting: datetime, today: date, *,
                 fmt: str, people: Mapping[str, str | Person] | None = None) -> str:
    """The agenda of the review on ``meeting`` as Markdown or HTML."""
    return render_agenda(agenda_of(config, programme, meeting, today, people=people),
                         fmt=fmt, templates_dir=config.templates_dir)


def agenda_of(config: Config, programme: Programme, meeting: datetime, today: date, *,
              people: Mapping[str, str | Person] | None = None) -> Agenda:
    """What the agenda of the review on ``meeting`` holds (``people``: the config's,
    by name; as written when not given)."""
    calendar = config.review.calendar
    before = calendar.meetings(meeting - timedelta(days=400), meeting)
    figures = compute(programme, today=today, next_review=meeting)
    roles = [who for rung in config.review.ladder.rungs for who in rung.notify
             if who != "owner"]
    return agenda_data(programme, figures, meeting=meeting,
                       previous=before[-1] if before else None,
                       following=calendar.next_meeting(meeting), today=today,
                       people=config.people if people is None else people,
                       ladder_roles=roles,
                       place=config.review.place, timezone=config.timezone)


def run(args: argparse.Namespace, console: Console) -> int:
    target = output_of(args)
    fmt = format_of(target, args.format, formats=("md", "html"), default="md")
    config = load(args)
    today = today_of(args, config)
    meeting = meeting_of(args, config, today)
    jira = open_jira(config)
    programme = read(jira, config)
    if nothing_synced(programme):       # stderr: the agenda on stdout stays Markdown
        console.progress(NOTHING_SYNCED)
    people = named_people(jira, config.people)
    if target is None and console.json:     # the agenda itself, as data
        console.emit({"ok": True, "review": meeting.date().isoformat(),
                      "agenda": plain(agenda_of(config, programme, meeting, today,
                                                people=people))})
        return 0
    text = build_agenda(config, programme, meeting, today, fmt=fmt, people=people)
    if target is None:
        to_stdout(text)
        return 0
    write_atomically(target, text)
    console.progress(f"agenda of the review on {meeting.date()} written to {shown(target)}")
    console.emit({"ok": True, "file": str(target), "format": fmt,
                  "review": meeting.date().isoformat()})
    return 0


COMMAND = Command("agenda", "the monthly review meeting's agenda from Jira (Markdown or HTML)",
                  arguments, run)
