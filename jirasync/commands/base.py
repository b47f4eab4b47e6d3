"""What every command module provides."""
from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from jirasync.console import Console
from jirasync.errors import AuthError, ConfigError, Problem, UsageError

if TYPE_CHECKING:       # the config and the gateway are imported when a command needs them
    from jirasync.config import Config
    from jirasync.gateway.protocol import Jira
    from jirasync.model import Identity
    from jirasync.stopping import Stop


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Console], int]
    uses_config: bool = True       # False: --config is neither offered nor accepted


# The years a review calendar can be planned in (its rules count from 2000).
FIRST_YEAR, LAST_YEAR = 2000, 2999


def parse_date(text: str, option: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; write YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UsageError(f"{option} {text} is outside the years jirasync plans reviews in "
                         f"({FIRST_YEAR} to {LAST_YEAR}); give a date in them")
    return day


def load(args: argparse.Namespace) -> Config:
    """The config named by --config / $JIRASYNC_CONFIG / ./jirasync.yaml."""
    from jirasync.config import existing_config, load_config
    return load_config(existing_config(args.config))


class ConnectOptions(TypedDict, total=False):
    """What ``open_jira`` passes on to ``connect``: the waits a stop may cut short."""

    sleep: Callable[[float], object]
    clock: Callable[[], float]


def open_jira(config: Config, **options: Unpack[ConnectOptions]) -> Jira:
    """The real Jira gateway for this config (the token is read now, never printed),
    once Jira has shown that the project exists and the bot can browse it;
    ``options`` go to ``connect`` (say, the ``sleep`` and ``clock`` a stop may cut short)."""
    from jirasync.check.online import require_project
    from jirasync.gateway.connect import connect
    from jirasync.gateway.failures import public_url
    j = config.jira
    exposed = j.auth.exposed()
    if exposed:
        raise ConfigError([exposed])
    token = j.auth.token()
    try:
        jira = connect(j.url, auth_type=j.auth.type, email=j.auth.email, token=token,
                       project=j.project,
                       flavour=j.flavour, timeout_s=j.timeout_s,
                       max_requests_per_s=j.max_requests_per_s, max_retry_s=j.max_retry_s,
                       allow_insecure_http=j.allow_insecure_http, **options)
        require_project(config, jira)
    except AuthError as e:
        if e.status != 401:
            raise
        # Exit 2: only a person can mend credentials Jira refuses (a token revoked,
        # expired or mistyped), so a cron job or a retry loop must not count on the next
        # run; the message names the variable or file the token came from.
        raise ConfigError([j.auth.refused(public_url(j.url))]) from None
    return jira


def interrupted(stop: Stop, console: Console) -> int:
    """After a run a signal stopped: say so (its report is printed already); exit 130."""
    console.fail([(f"interrupted ({stop.reason}): what is listed above was done; "
                  "the rest is left for the next run")])
    return 130


def item_line(verb: str, key: str | None, identity: Identity | None, detail: str = "") -> str:
    """One line of a report: verb, issue key, what it is, detail."""
    what = f"{identity.level} {identity}" if identity is not None else ""
    return "  ".join(part for part in (f"{verb:<9}", f"{key or '-':<9}", what, detail) if part)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def shown(path: str | os.PathLike[str]) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    path = Path(os.path.abspath(path))    # not resolve(): a symlink is named as itself
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def said(problem: Problem) -> str:
    """A problem as printed: its file as the user would type it."""
    return str(replace(problem, file=shown(problem.file)))
