"""The config file (README "1. Configure"): every key, its default and its validation.

Found by ``--config``, else ``$JIRASYNC_CONFIG``, else ``./jirasync.yaml``. Relative paths
resolve against the config file's folder. Every problem is reported at once. Each section
is read by a module of its own here; this one puts them together.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jirasync.config.answers import AnswersConfig, read_answers
from jirasync.config.auth import Auth
from jirasync.config.confluence import ConfluenceConfig, read_confluence
from jirasync.config.jira import ISSUE_TYPES, LABELS, JiraConfig, read_jira
from jirasync.config.notify import NotifyConfig, read_notify
from jirasync.config.review import LADDER, ReviewConfig, read_people, read_review
from jirasync.config.sections import SCHEDULE, DeckConfig, read_deck, read_schedule_section
from jirasync.errors import ConfigError, Problem
from jirasync.loading import load_file
from jirasync.schema import Problems, Section, top

__all__ = ["ISSUE_TYPES", "LABELS", "LADDER", "SCHEDULE", "AnswersConfig", "Auth", "Config", "DeckConfig",
           "JiraConfig", "NotifyConfig", "ReviewConfig", "existing_config", "find_config",
           "load_config"]


@dataclass(frozen=True)
class Config:
    path: Path
    jira: JiraConfig
    releases_dir: Path
    templates_dir: Path | None
    state_dir: Path
    timezone: str
    review: ReviewConfig
    people: Mapping[str, str]
    schedule: Mapping[str, str]
    deck: DeckConfig = field(default_factory=DeckConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    answers: AnswersConfig = field(default_factory=AnswersConfig)
    confluence: ConfluenceConfig | None = None


def find_config(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the config is: --config, else $JIRASYNC_CONFIG, else ./jirasync.yaml."""
    for candidate in (option, environ.get("JIRASYNC_CONFIG")):
        if candidate:
            return Path(candidate)
    return Path("jirasync.yaml")


def existing_config(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """``find_config``'s path, or ConfigError saying where it looked (the absolute path)
    and why there: a newcomer in the wrong folder sees which folder, and a stale
    $JIRASYNC_CONFIG is named rather than advised."""
    path = find_config(option, environ)
    if path.exists():
        return path
    if option:
        why = " (given by --config); check the path"
    elif environ.get("JIRASYNC_CONFIG"):
        why = (" (named by $JIRASYNC_CONFIG); correct JIRASYNC_CONFIG, or unset it to use "
               "./jirasync.yaml")
    else:
        why = _nearest(Path.cwd()) or NO_CONFIG
    raise ConfigError([Problem(str(path), None, "", f"no config file at {path.absolute()}"
                               f"{why}")])


def _nearest(folder: Path) -> str | None:
    """A hint naming the jirasync.yaml of a folder above ``folder``, if one has it: a PMO
    who ran a command from the programme's releases/ folder is told where the config is."""
    for parent in list(folder.parents)[:3]:
        found = parent / "jirasync.yaml"
        if found.is_file():
            return (f"; the programme's is {found}: run from {parent}, or give --config "
                    f"{os.path.relpath(found, folder)}")
    return None


NO_CONFIG = ("; write a starter project there with `jirasync init`, or give --config PATH "
             "(or set JIRASYNC_CONFIG)")


def load_config(path: Path) -> Config:
    """Read and validate the config; raise ConfigError listing every problem."""
    if not path.exists():
        raise ConfigError([Problem(str(path), None, "", f"no config file at "
                                   f"{path.absolute()}{NO_CONFIG}")])
    problems = Problems()
    root = top(load_file(path), str(path), problems)
    config = _read_config(root, path, problems) if root else None
    if problems or config is None:
        raise ConfigError(problems)
    return config


def _read_config(root: Section, path: Path, problems: Problems) -> Config | None:
    root.only(("jira", "releases_dir", "templates_dir", "state_dir", "timezone", "review",
               "people", "schedule", "deck", "notify", "answers", "confluence"))
    base = path.resolve().parent
    timezone = root.text("timezone", default="UTC")
    people = read_people(root)
    jira = read_jira(root.section("jira", required=True))
    review = read_review(root.section("review"), timezone, people, root)
    schedule = read_schedule_section(root.section("schedule"))
    releases = root.text("releases_dir", default="releases")
    templates = root.text("templates_dir")
    state = root.text("state_dir", default=".jirasync")
    if state and (base / state).exists() and not (base / state).is_dir():
        root.fail("state_dir", f"'{state}' is a file; give a folder (made if missing)")
    deck = read_deck(root.section("deck"), base)
    notify = read_notify(root.section("notify"), base)
    answers = read_answers(root.section("answers"))
    confluence = read_confluence(root.section("confluence"), jira)
    if "publish" in schedule and root.section("confluence") is None:
        root.fail("schedule", "schedules publish, which needs a confluence: section "
                              "(url, space, parent_page)")
    if problems or jira is None or review is None:
        return None
    return Config(path=path.resolve(), jira=jira, releases_dir=base / releases,
                  templates_dir=base / templates if templates else None,
                  state_dir=base / state, timezone=timezone, review=review, people=people,
                  schedule=schedule, deck=deck, notify=notify, answers=answers,
                  confluence=confluence)
