"""``jirasync check``: config, release files and templates, offline."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jirasync.config import Config, load_config
from jirasync.errors import ConfigError, Problem
from jirasync.check.lint import lint_release
from jirasync.chase.messages import rehearse
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


def check(config_path: Path, environ: Mapping[str, str] = os.environ) -> CheckReport:
    """Validate everything a sync would read. Raises ConfigError if the config is broken;
    otherwise reports release-file errors and lint warnings."""
    config = load_config(config_path)
    warnings: list[Problem] = []
    notices: list[Problem] = []
    try:
        config.jira.auth.token(environ)
    except ConfigError as e:
        notices.extend(e.problems)
    if not config.releases_dir.is_dir():
        notices.append(Problem(str(config.releases_dir), None, "releases_dir",
                                "folder not found: no release files to check yet"))
        programme = Programme()
    else:
        programme = load_programme(config.releases_dir, config.templates_dir, config.people)
    notices.extend(_token_file_warnings(config))
    for release in programme.releases:
        warnings.extend(lint_release(release))
    errors = list(programme.problems) + _check_user_templates(config)
    return CheckReport(config, programme, tuple(dict.fromkeys(errors)), tuple(warnings),
                       tuple(notices))


def _token_file_warnings(config: Config) -> list[Problem]:
    """A token file others can read leaks the bot's access to everyone on the machine."""
    auth = config.jira.auth
    if auth.token_file is None or os.name != "posix":
        return []
    try:
        mode = auth.token_file.stat().st_mode
    except OSError:
        return []
    if mode & 0o077 == 0:
        return []
    return [Problem(auth.where.file, auth.where.line, auth.where.key,
                    f"token file {auth.token_file} can be read by other users; "
                    f"run: chmod 600 {auth.token_file}")]


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
