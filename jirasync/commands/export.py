"""jirasync export [--format csv|json] [-o FILE] [--release ID]..."""
from __future__ import annotations

import argparse
from datetime import UTC, datetime

from jirasync.commands.base import Command, load, open_jira, shown
from jirasync.commands.reporting import chosen, output_of, read, release_option, today_of
from jirasync.console import Console
from jirasync.reports.export import rows, to_csv, to_json
from jirasync.reports.output import format_of, to_stdout, write_atomically


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("csv", "json"),
                   help="csv (default; opens in a spreadsheet) or json (the default "
                        "with --json); default: what -o's extension says")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (atomically) instead of stdout")
    release_option(p)
    p.add_argument("--today", metavar="DATE",
                   help="days overdue as of this date (YYYY-MM-DD; default: today)")


def run(args: argparse.Namespace, console: Console) -> int:
    target = output_of(args)
    format_of(target, args.format, formats=("csv", "json"), default="csv")   # before Jira
    config = load(args)
    today = today_of(args, config)
    programme = read(open_jira(config), config)
    table = rows(programme, today=today, releases=chosen(programme, args.release))
    fmt = format_of(target, args.format, formats=("csv", "json"),
                    default="json" if args.json else "csv")
    data = to_csv(table) if fmt == "csv" else \
        to_json(table, project=programme.project, exported_at=datetime.now(UTC))
    if target is None:
        to_stdout(data)
        return 0
    write_atomically(target, data)
    console.progress(f"exported {len(table)} rows to {shown(target)}")
    return 0


COMMAND = Command("export", "lessons and actions with their Jira state, as CSV or JSON",
                  arguments, run)
