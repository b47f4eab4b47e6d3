"""What every command module provides."""
from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from jirasync.console import Console
from jirasync.errors import Problem, UsageError


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Console], int]


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; write YYYY-MM-DD") from None


def load(args):
    """The config named by --config / $JIRASYNC_CONFIG / ./jirasync.yaml."""
    from jirasync.config import find_config, load_config
    return load_config(find_config(args.config))


def open_jira(config):
    """The real Jira gateway for this config (the token is read now, never printed)."""
    from jirasync.gateway import connect
    j = config.jira
    token = j.auth.token()
    return connect(j.url, auth_type=j.auth.type, email=j.auth.email, token=token,
                   project=j.project,
                   flavour=j.flavour, timeout_s=j.timeout_s,
                   max_requests_per_s=j.max_requests_per_s, max_retry_s=j.max_retry_s,
                   allow_insecure_http=j.allow_insecure_http)


def item_line(verb: str, key: str | None, identity, detail: str = "") -> str:
    """One line of a report: verb, issue key, what it is, detail."""
    what = f"{identity.level} {identity}" if identity is not None else ""
    return "  ".join(part for part in (f"{verb:<9}", f"{key or '-':<9}", what, detail) if part)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def shown(path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    path = Path(os.path.abspath(path))    # not resolve(): a symlink is named as itself
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def said(problem: Problem) -> str:
    """A problem as printed: its file as the user would type it."""
    return str(replace(problem, file=shown(problem.file)))
