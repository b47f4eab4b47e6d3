"""What the report commands (status, export, agenda, deck, publish) share: the date they
report as of, the programme read once from Jira, and the releases chosen with
``--release`` or a RELEASE argument."""
from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jirasync.commands.base import parse_date
from jirasync.errors import UsageError
from jirasync.reports.output import check_writable
from jirasync.reports.reader import Programme, read_programme
from jirasync.state import StateDir

if TYPE_CHECKING:
    from jirasync.config import Config
    from jirasync.gateway.protocol import Jira


def release_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--release", action="append", default=[], metavar="ID",
                   help="only this release (repeatable; default: every release)")


def output_of(args: argparse.Namespace) -> Path | None:
    """The ``-o`` file, refused before Jira is read if it cannot be written; None: stdout."""
    if not args.output:
        return None
    target = Path(args.output)
    check_writable(target)
    return target


def today_of(args: argparse.Namespace, config: Config) -> date:
    """--today, else today in the config's timezone."""
    if args.today:                  # each command that asks has a --today
        return parse_date(args.today, "--today")
    return datetime.now(UTC).astimezone(ZoneInfo(config.timezone)).date()


def read(jira: Jira, config: Config) -> Programme:
    return read_programme(jira, config, state=StateDir(config.state_dir))


def one_release(args: argparse.Namespace) -> str | None:
    """The RELEASE argument, None for ``--programme``: exactly one of them is given."""
    if bool(args.release) == bool(args.programme):
        raise UsageError("give a RELEASE id or --programme (one of them)")
    return str(args.release) if args.release else None


NOTHING_SYNCED = "nothing synced yet: run `jirasync sync`"


def nothing_synced(programme: Programme) -> bool:
    """Jira holds no release, lesson or action of jirasync's: reports would be empty
    for want of a first sync, not because the programme is."""
    return not (programme.releases or programme.lessons or programme.actions)


def chosen(programme: Programme, wanted: list[str]) -> list[str]:
    """The --release ids, each checked against the releases Jira holds."""
    known = programme.release_ids()
    for release in wanted:
        if release not in known:
            listed = ", ".join(known) if known else "none yet (run jirasync sync)"
            raise UsageError(f"--release {release}: no such release in Jira; known: {listed}")
    return list(dict.fromkeys(wanted))
