"""One module per command: its arguments, and a ``run`` that calls one use-case and
prints the result. The top layer: it may import everything below it, and it is where the
real gateway, the state folder and the clock are made.

A command's module (and the Jira client, reports, sandbox... below it) is imported only
when that command runs or its arguments are needed: ``jirasync --help`` and ``check``
start in a fraction of a second. ``COMMANDS`` holds each command's name, help and
whether it reads a config, as its module's ``COMMAND`` says (a test holds them equal).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class LazyCommand:
    """A command whose module is imported on first use."""

    name: str
    help: str
    uses_config: bool = True

    def load(self) -> Any:
        """The module's ``Command``."""
        return import_module(f"jirasync.commands.{self.name}").COMMAND

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.load().arguments(parser)

    def run(self, args: argparse.Namespace, console: Any) -> int:
        result: int = self.load().run(args, console)
        return result


COMMANDS = (
    LazyCommand("check", "validate config, release files and templates; lint the lessons"),
    LazyCommand("sync", "create, update and tag the lessons-learnt issues in Jira"),
    LazyCommand("chase", "send the prompts and escalations that are due"),
    LazyCommand("status", "summary of the programme in Jira: per release, per owner, "
                "overdue, the last runs"),
    LazyCommand("export", "lessons and actions with their Jira state, as CSV or JSON"),
    LazyCommand("agenda", "the monthly review meeting's agenda from Jira (Markdown or HTML)"),
    LazyCommand("deck", "the end-of-release deck for the Working Group and the Programme "
                "Board, from Jira (html, md or pptx)"),
    LazyCommand("publish", "the Lessons Report as Confluence pages: one per release and "
                "the programme's, updated in place"),
    LazyCommand("demo", "run the whole flow against the built-in sandbox Jira (no account "
                "needed)", uses_config=False),
    LazyCommand("sandbox", "serve the built-in sandbox Jira until Ctrl-C, to practise on",
                uses_config=False),
    LazyCommand("init", "write a starter project: a commented jirasync.yaml, a release "
                "file and a .gitignore", uses_config=False),
    LazyCommand("run", "the service: run the scheduled jobs (sync, chase, publish) as they "
                "fall due; --once runs what is due and exits"),
)


def chosen(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is one, not --config's value)."""
    names = {c.name for c in COMMANDS}
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif word in names:
            return word
    return None
