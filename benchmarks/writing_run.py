"""Benchmark: what a writing run asks of Jira beyond its work. ``jirasync sync`` through
the command line (so with the lease that keeps hosts apart) on a programme of
``--releases`` x 25 lessons x 2 actions, first on an empty project, then after one
action was reworded in the files; each flavour.

    python benchmarks/writing_run.py [--releases 19] [--flavour cloud|datacenter|both]

Prints the requests by path, and those beyond the run's creates, edits, searches and
owner look-ups, with the lease's share. It measures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import owners, use_token, write_config
from benchmarks.sync_scale import OWNERS, edit_files, write_programme
from jirasync.cli import main as jirasync
from jirasync.sandbox import DEFAULT_USERS, Sandbox

WORK = {"issue/bulk": "creates", "search": "searches", "user/": "owner look-ups"}


def kind(method: str, path: str) -> str:
    path = re.sub(r"/rest/api/2/", "", path)
    if path.startswith("project/") and "/properties" in path:
        if ".lease." in path or path.endswith("/properties"):
            return "lease"
        return "record of creates"
    if method == "PUT" and re.fullmatch(r"issue/[A-Z]+-\d+", path):
        return "edits"
    for prefix, name in WORK.items():
        if path.startswith(prefix):
            return "work: " + name
    if method == "GET" and re.fullmatch(r"issue/[A-Z]+-\d+", path):
        return "reads by key"
    return "meta: " + re.sub(r"[A-Z]+-\d+", "KEY", path)


def measure(sb: Sandbox, config: Path, name: str) -> None:
    sb.reset_log()
    code = jirasync(["-q", "--config", str(config), "sync"])
    kinds = Counter(kind(r.method, r.path) for r in sb.requests)
    beyond = sum(n for k, n in kinds.items() if not k.startswith("work") and k != "edits")
    print(f"{sb.flavour}: {name} (exit {code})")
    for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {n:6}  {k}")
    print(f"  {sum(kinds.values()):6}  in all; beyond creates, edits, searches and owner "
          f"look-ups: {beyond} (the lease's {kinds['lease']})\n")


def run(flavour: str, releases: int) -> None:
    use_token(flavour)
    users = tuple(DEFAULT_USERS) + tuple(owners(OWNERS))
    with Sandbox(flavour, users=users) as sb, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_config(root, sb.url, flavour=flavour)
        write_programme(root, releases, 25, 2)
        issues = releases * (1 + 25 * 3)
        measure(sb, config, f"first sync of {issues:,} issues")
        edit_files(root, 1)
        measure(sb, config, "re-sync after one action was reworded in the files")


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--releases", type=int, default=19)
    args.add_argument("--flavour", choices=("cloud", "datacenter", "both"), default="both")
    opts = args.parse_args()
    for flavour in ("cloud", "datacenter"):
        if opts.flavour in (flavour, "both"):
            run(flavour, opts.releases)


if __name__ == "__main__":
    main()
