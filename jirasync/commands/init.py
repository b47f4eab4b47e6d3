"""jirasync init [DIR]: a starter project for a real Jira — a commented config, a
releases folder with one release file, and a .gitignore for the state folder."""
from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from jirasync.commands.base import Command, shown
from jirasync.console import Console
from jirasync.errors import UsageError
from jirasync.paths import example_config
from jirasync.release_lessons import PLACEHOLDER

RELEASE = """\
# One file per release (README "2. Write a release file"). `extends: standard` adds the
# lessons every release must answer (the packaged templates/releases/standard.yaml); add
# your own below.
id: "1.0"
name: Release 1.0
live_date: {live}
extends: standard
lessons:
  - id: example-keep
    kind: keep                  # keep | improve
    title: {placeholder} something that went well
  # - id: example-improve
  #   kind: improve
  #   title: Something to do better next time
  #   actions:
  #     - id: first-action
  #       title: What will be done
  #       owner: someone@example.org    # email, Cloud accountId or Data Center username
  #       due: +30d                     # a date, or relative to live_date: +30d, +6w, +2m
"""
GITIGNORE = """\
# jirasync's local state (run journal, caches, lock): rebuilt as needed, never shared.
.jirasync/
"""


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", default=".", metavar="DIR",
                   help="folder for the project (default: the current folder)")


def run(args: argparse.Namespace, console: Console) -> int:
    root = Path(args.dir)
    files = {root / "jirasync.yaml": example_config().read_text(encoding="utf-8"),
             root / "releases" / "1.0.yaml": RELEASE.format(live=date.today().isoformat(),
                                                            placeholder=PLACEHOLDER),
             root / ".gitignore": GITIGNORE}
    there = [path for path in files if path.exists()]
    if there:
        raise UsageError(f"{shown(there[0])} already exists; init never overwrites: give "
                         "another DIR, or move it away")
    blocked = [b for b in map(_not_a_folder, {p.parent for p in files}) if b]
    if blocked:           # found now, not after jirasync.yaml is written
        raise UsageError(f"{shown(min(blocked))} is a file, not a folder: give "
                         "another DIR, or move it away")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        console.say(f"wrote {shown(path)}")
    config = shown(root / "jirasync.yaml")
    release = shown(root / "releases" / "1.0.yaml")
    console.say(f"Next: set jira.url, jira.auth and jira.project in {config}, export the "
                f"token variable it names, replace the example lesson in {release}, then "
                "run:")
    flag = "" if config == "jirasync.yaml" else f" --config {config}"
    console.say(f"  jirasync check --online{flag}")
    console.say(f"  jirasync sync --dry-run{flag}")
    console.emit({"ok": True, "files": [str(p) for p in files]})
    return 0


def _not_a_folder(folder: Path) -> Path | None:
    """The nearest existing ancestor of ``folder`` (itself included) if it is no folder."""
    for path in (folder, *folder.parents):
        if os.path.lexists(path):
            return None if path.is_dir() else path
    return None


COMMAND = Command("init", "write a starter project: a commented jirasync.yaml, a release "
                  "file and a .gitignore", arguments, run, uses_config=False)
