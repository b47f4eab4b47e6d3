"""Benchmark: a naive script against jirasync on one programme, 13 releases x 25 lessons x
2 actions = 988 issues, in a sandbox Jira answering every request after 20 ms.

    python benchmarks/naive_scale.py [--releases 13] [--lessons 25] [--actions 2]
                                     [--flavour cloud|datacenter|both]

The naive script does what a first script against Jira's REST API does: for each release,
lesson and action in turn, one search for it (by a label naming it) and, when none is
found, one create; run again, it searches for every item and creates none. It asks for no
owner and no due date (what jirasync's runs do besides), so it is the cheaper of the two
in everything but the requests counted here. jirasync syncs the same release files into a
sandbox of its own: a first sync, then a re-sync with nothing changed. Each run is printed
against its floor, the fewest requests that run could make (sync_scale.py's: the bulk
creates and one search for a first run, one search of what changed and the key listing
for a re-run). It asserts nothing: it measures.
"""
from __future__ import annotations

import math
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LATENCY_S,
    SandboxProcess,
    gateway,
    owners,
    programme_arguments,
    request_log,
    table,
    use_token,
    write_config,
)
from benchmarks.sync_scale import KEY_PAGES, OWNERS, report, timed_sync, write_programme
from jirasync.config import load_config
from jirasync.gateway.types import NewIssue


def items(releases: int, lessons: int, actions: int):
    """(label naming it, issue type, summary, parent's label or None), parents first."""
    for r in range(releases):
        release = f"naive-r{r}"
        yield release, "Epic", f"Lessons learnt: Release {r // 10}.{r % 10}", None
        for n in range(lessons):
            lesson = f"{release}-l{n}"
            yield lesson, "Task", f"Lesson {n} of release {r}", release
            for a in range(actions):
                yield f"{lesson}-a{a}", "Sub-task", f"Action {a} of lesson {n}", lesson


def naive_run(url: str, flavour: str, opts) -> tuple[int, int, float, int]:
    """One run of the naive script: (items, created, seconds, requests)."""
    jira = gateway(url, flavour, 100)
    keys: dict[str, str] = {}
    created = count = 0
    start = time.perf_counter()
    for label, kind, summary, parent in items(opts.releases, opts.lessons, opts.actions):
        count += 1
        found = next(iter(jira.search(f'project = "DCR" AND labels = "{label}"',
                                       properties=(), limit=1)),
                     None)
        if found is None:
            new = NewIssue(kind, summary, labels=("lessons-learnt", label),
                           parent=keys[parent] if parent else None)
            result = jira.create_issues([new])[0]
            keys[label], created = str(result.key), created + 1
        else:
            keys[label] = found.key
    seconds = time.perf_counter() - start
    return count, created, seconds, sum(v for k, v in jira.stats.items() if k != "retries")


def runs(opts, flavour: str) -> None:
    use_token(flavour)
    issues = opts.releases * (1 + opts.lessons * (1 + opts.actions))
    levels = [opts.releases, opts.releases * opts.lessons,
              opts.releases * opts.lessons * opts.actions]
    first_floor = sum(math.ceil(n / 50) for n in levels) + 1
    keys = math.ceil(issues / KEY_PAGES[flavour]) if flavour == "cloud" else 1
    again_floor = 1 + keys
    title = f"{flavour}, {issues:,} issues, latency {LATENCY_S * 1000:.0f} ms"
    with SandboxProcess(flavour=flavour, users=owners(OWNERS)) as sandbox:
        sandbox.act(request_log)
        for name, floor in (("naive script, first run", first_floor),
                            ("naive script, run again", again_floor)):
            count, created, seconds, requests = naive_run(sandbox.url, flavour, opts)
            table(f"{title}: {name}", [
                ("items / created", f"{count:,} / {created:,}"),
                ("requests by path", sandbox.act(request_log)),
                ("requests in all", requests),
                ("floor (jirasync's for this run)", floor),
                ("ratio to floor", f"{requests / floor:.1f}x"),
                ("wall time", f"{seconds:.1f} s")])
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxProcess(flavour=flavour, users=owners(OWNERS)) as sandbox:
        config = load_config(write_config(Path(tmp), sandbox.url, flavour=flavour))
        write_programme(Path(tmp), opts.releases, opts.lessons, opts.actions)
        report(title, "jirasync, first sync", timed_sync(config, sandbox, flavour),
               first_floor, f"{first_floor - 1} bulk creates + 1 search")
        sandbox.later(timedelta(hours=1))
        timed_sync(config, sandbox, flavour)        # the run that reads what the first made
        sandbox.later(timedelta(minutes=15))
        report(title, "jirasync, re-sync, nothing changed",
               timed_sync(config, sandbox, flavour), again_floor,
               "1 search of what changed + the key listing")


def main() -> None:
    args = programme_arguments(flavours=("cloud", "datacenter", "both"), default="both")
    args.set_defaults(releases=13)
    opts = args.parse_args()
    for flavour in ("cloud", "datacenter"):
        if opts.flavour in (flavour, "both"):
            runs(opts, flavour)


if __name__ == "__main__":
    main()
