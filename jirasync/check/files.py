"""``jirasync check``: config, release files and templates, offline."""
from __future__ import annotations

import itertools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jirasync.chase.messages import rehearse
from jirasync.check.lint import lint_release
from jirasync.config import Config, load_config
from jirasync.errors import ConfigError, Problem
from jirasync.releases import Programme, check_template, load_programme


@dataclass(frozen=True)
class CheckReport:
    """``warnings`` are lint findings (``--strict`` fails on them); ``notices`` are about
    this machine (an unset token variable), so files can be linted without credentials."""

    config: Config
    programme: Programme
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    notices: tuple[Problem, ...] = ()


def check(config_path: Path, environ: Mapping[str, str] = os.environ, *,
          now: datetime | None = None) -> CheckReport:
    """Validate everything a sync would read. Raises ConfigError if the config is broken;
    otherwise reports release-file errors and lint warnings. The review rule is tried on
    the two years after ``now`` (default: the clock)."""
    config = load_config(config_path)
    review = review_problems(config, now or datetime.now(UTC))
    if review:
        raise ConfigError(review)
    warnings: list[Problem] = []
    notices: list[Problem] = []
    try:
        config.jira.auth.token(environ)
    except ConfigError as e:
        notices.extend(e.problems)
    for hook in config.notify.webhooks:     # read, never posted to: check sends nothing
        try:
            hook.url(environ)
        except ConfigError as e:
            notices.extend(e.problems)
    if not config.releases_dir.is_dir():
        notices.append(Problem(str(config.releases_dir), None, "releases_dir",
                                "folder not found: no release files to check yet"))
        programme = Programme()
    else:
        programme = load_programme(config.releases_dir, config.templates_dir, config.people)
    for release in programme.releases:
        warnings.extend(lint_release(release))
    errors = list(programme.problems) + _check_user_templates(config) \
        + _exposed_token_file(config)
    notices = [n for n in notices if n not in errors]      # said once, as the error
    return CheckReport(config, programme, tuple(dict.fromkeys(errors)), tuple(warnings),
                       tuple(notices))


def review_problems(config: Config, now: datetime) -> list[Problem]:
    """A rule that passes the RFC but makes no sense for a review: no meeting in the
    next two years, or meetings a day apart (every day, every weekday)."""
    review = config.review
    rule = review.calendar.rule
    where = (str(config.path), review.rule_line, "review.rule")
    try:
        meetings = review.calendar.meetings(now, now + timedelta(days=731))
    except (ValueError, OverflowError):
        meetings = []
    if not meetings:
        return [Problem(*where, f"'{rule}' has no meeting in the next two years; a review "
                                "meets about monthly, e.g. FREQ=MONTHLY;BYDAY=1TU")]
    for first, second in itertools.pairwise(meetings):
        if second - first < timedelta(days=2):
            return [Problem(*where, f"'{rule}' meets every day ({first.date()}, "
                                    f"{second.date()}, ...); owners would be prompted "
                                    "without end: a review meets about monthly, e.g. "
                                    "FREQ=MONTHLY;BYDAY=1TU")]
    return []


def _exposed_token_file(config: Config) -> list[Problem]:
    """A token file others can read leaks the bot's access to everyone on the machine:
    every command that talks to Jira refuses it, so check fails on it too."""
    exposed = config.jira.auth.exposed()
    return [exposed] if exposed else []


def _check_user_templates(config: Config) -> list[Problem]:
    """Release templates in the user's folder are checked even if no release uses them."""
    if config.templates_dir is None:
        return []
    folder = config.templates_dir / "releases"
    problems = [p for path in sorted(folder.glob("*.yaml"))
                for p in check_template(path, config.people)] if folder.is_dir() else []
    if (config.templates_dir / "chase").is_dir():
        problems += [Problem(str(config.templates_dir / "chase"), None, "templates_dir", text)
                     for text in rehearse(config.templates_dir)]
    return problems
