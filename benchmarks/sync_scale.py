"""Benchmark: sync a programme of 200 releases x 25 lessons x 2 actions (15,200 issues)
into a sandbox Jira answering every request after 20 ms, then re-sync it as a daemon
would: right after, unchanged an hour on (state folder kept), with no state folder, and
after 1 % of the issues were edited in Jira and 1 % in the files.

    python benchmarks/sync_scale.py [--flavour cloud|datacenter|both] [--releases 200]
                                    [--lessons 25] [--actions 2] [--titles templated]
                                    [--profile FILE] [--trace] [--root DIR] [--quick]
                                    [--no-state-only]

Prints, per run, requests by kind, the floor (the fewest requests the run could make),
the ratio to it, wall time, the client's CPU seconds, its peak memory during the run
(Linux) and so far. ``--profile FILE`` keeps a cProfile of the no-change re-sync (read it
with ``python -m pstats FILE``); ``--trace`` prints each run's memory phase by phase
(tracemalloc: slower, so its times are not the run's; see phases); ``--root DIR`` writes the programme and the state folder
there and leaves them (else a temporary folder); ``--quick`` leaves out the runs that
read every issue again (the daemon's run meanwhile and the one with no state folder);
``--no-state-only`` makes the first sync and then only the re-sync with no state folder
(with ``--titles templated``: how look-alike lessons are told apart at scale). The
sandbox runs in a child process whose clock the benchmark moves on between runs. It
asserts nothing about time: it measures.
"""
from __future__ import annotations

import contextlib
import cProfile
import gc
import math
import re
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LATENCY_S,
    SandboxProcess,
    gateway,
    owners,
    peak_rss_mb,
    peak_since_mb,
    programme_arguments,
    request_log,
    reset_peak_rss,
    table,
    use_token,
    write_config,
)
from benchmarks.phases import Phases, traced_sync
from jirasync.config import load_config
from jirasync.lease import JiraLease
from jirasync.state import StateDir
from jirasync.sync.job import sync

OWNERS = 50
PHASES: Phases | None = None      # --trace
PAGES = {"cloud": 100, "datacenter": 1000}     # issues a search page holds, with fields
KEY_PAGES = {"cloud": 5000, "datacenter": 1000}  # ... with ids alone


# A template's lesson titles: every release has them, and a title recurs within one.
TEMPLATE_TITLES = 10


def write_programme(root: Path, releases: int, lessons: int, actions: int,
                    templated: bool = False) -> None:
    """Release files; ``templated``: lesson titles, kinds, themes and texts repeat across
    releases and within each (as a template's do), only the actions tell lessons apart."""
    for r in range(releases):
        lines = [f'id: "{r // 10}.{r % 10}"', f"name: Release {r // 10}.{r % 10}",
                 "live_date: 2026-06-01", "lessons:"]
        for n in range(lessons):
            title = f"Template lesson {n % TEMPLATE_TITLES}" if templated else \
                f"Lesson {n} of release {r}"
            theme = n % TEMPLATE_TITLES % 5 if templated else n % 5
            lines += [f"  - id: lesson-{n}", "    kind: improve", f"    theme: theme-{theme}",
                      f"    title: {title}",
                      "    description: What happened, and why it matters.", "    actions:"]
            lines += [f"      - {{id: a{a}, title: Action {a} of lesson {n}, "
                      f"owner: owner{(r * lessons + n + a) % OWNERS}@example.org, "
                      f"due: +{30 + a * 7}d}}" for a in range(actions)]
        (root / "releases" / f"r{r:03}.yaml").write_text("\n".join(lines) + "\n",
                                                        encoding="utf-8")


def edit_files(root: Path, count: int) -> int:
    """Reword ``count`` action titles across the release files; how many were."""
    done = 0
    for path in sorted((root / "releases").glob("*.yaml")):
        text, n = re.subn(r"title: Action 0 of lesson (\d+),", r"title: Action 0 of lesson \1 (reworded),",
                          path.read_text(encoding="utf-8"), count=count - done)
        path.write_text(text, encoding="utf-8")
        done += n
        if done >= count:
            return done
    return done


def edit_in_jira(sb, count: int, offset: int = 1) -> int:
    """A person moves the due date of ``count`` actions (sandbox side), every
    ``len / count``-th from ``offset``."""
    keys = [i.key for i in sb.issues() if "ll-action" in i.fields["labels"]]
    step = max(1, len(keys) // count)
    for key in keys[offset::step][:count]:
        sb.edit(key, duedate="2027-03-31")
    return min(count, len(keys[offset::step]))


def timed_sync(config, sandbox, flavour, lease: bool = False, profile: str | None = None,
               **kw):
    jira = gateway(sandbox.url, flavour, config.jira.max_requests_per_s)
    if lease:       # as the daemon and the command line run it: one host, its lease
        kw["lease"] = JiraLease(jira, "sync", host="bench-host", clock=sandbox.now)
    sandbox.act(request_log)           # what Jira was asked before this run left out
    reset_peak_rss()
    if PHASES:
        PHASES.rows = {}            # this run's alone
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    collecting = GcTime()
    if PHASES:
        tracemalloc.start()          # here: the sandbox, a child process, is not traced
    with profiler or contextlib.nullcontext(), \
            PHASES.phase("the whole run") if PHASES else contextlib.nullcontext():
        result = sync(config, jira, state=StateDir(config.state_dir), now=sandbox.now(),
                      progress=lambda text: None, **kw)
    tracemalloc.stop()
    collecting.stop()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler is not None and profile:
        profiler.dump_stats(profile)
    return result, dict(jira.stats), seconds, (cpu, collecting.seconds), peak_since_mb(), \
        sandbox.act(request_log)


class GcTime:
    """Time the garbage collector takes while it is kept (Python calls it at each
    collection's start and stop)."""

    def __init__(self) -> None:
        self.seconds, self._began = 0.0, 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._began = time.process_time()
        else:
            self.seconds += time.process_time() - self._began

    def stop(self) -> None:
        gc.callbacks.remove(self)


def runs(opts, flavour: str) -> None:
    use_token(flavour)
    issues = opts.releases * (1 + opts.lessons * (1 + opts.actions))
    one_percent = max(1, issues // 100)     # a small trial run still edits one
    levels = [opts.releases, opts.releases * opts.lessons,
              opts.releases * opts.lessons * opts.actions]
    creates = sum(math.ceil(n / 50) for n in levels)
    pages = math.ceil(issues / PAGES[flavour])
    # deletions: Cloud lists the labelled keys; Data Center counts them (one request)
    keys = math.ceil(issues / KEY_PAGES[flavour]) if flavour == "cloud" else 1
    listing = f"{keys} of keys" if flavour == "cloud" else "1 count"
    title = f"{flavour}, {issues:,} issues ({opts.releases} releases x {opts.lessons} " \
            f"lessons x {opts.actions} actions, {opts.titles} titles), latency " \
            f"{LATENCY_S * 1000:.0f} ms"
    with (contextlib.nullcontext(opts.root) if opts.root else tempfile.TemporaryDirectory()
          ) as tmp, SandboxProcess(flavour=flavour, users=owners(OWNERS)) as sandbox:
        root = Path(tmp) / flavour if opts.root else Path(tmp)
        shutil.rmtree(root, ignore_errors=True)
        config = load_config(write_config(root, sandbox.url, flavour=flavour))
        write_programme(root, opts.releases, opts.lessons, opts.actions,
                        templated=opts.titles == "templated")
        lease = opts.lease
        report(title, "first sync", timed_sync(config, sandbox, flavour, lease),
               creates + 1, f"{creates} bulk creates + 1 search")
        if opts.no_state_only:
            no_state(title, config, sandbox, flavour, lease, pages)
            return
        if opts.quick:        # no daemon run meanwhile: its window would hold every issue
            sandbox.later(timedelta(hours=1))
        report(title, "re-sync an hour after the first sync" if opts.quick else
               "re-sync right after the first sync", timed_sync(config, sandbox, flavour, lease),
               pages + keys, f"{pages} pages of what changed (all of it) + {listing}")
        if not opts.quick:
            sandbox.later(timedelta(hours=1))
            # The daemon's run meanwhile: every issue is in its window again, and the last
            # run's as many are read from the state folder beside them.
            report(title, "the daemon's run an hour later (every issue read again)",
                   timed_sync(config, sandbox, flavour, lease),
                   pages + keys, f"{pages} pages of what changed (all of it) + {listing}")
        sandbox.later(timedelta(minutes=15))
        report(title, "re-sync, nothing changed, state folder kept",
               timed_sync(config, sandbox, flavour, lease, profile=opts.profile and
                          f"{opts.profile}.{flavour}"),
               1 + keys, f"1 search of what changed + {listing}")
        if lease:
            # The daemon's host: its state folder kept since the first sync, each writing
            # run through the lease; on Data Center the memories its own runs read or
            # wrote are not read again by key (sync/trust.py).
            sandbox.later(timedelta(minutes=15))
            in_jira = sandbox.act(edit_in_jira, one_percent, 2)
            in_files = edit_files(root, one_percent)
            report(title, f"re-sync after {in_jira} issues edited in Jira and {in_files} in "
                   "the files, state folder kept (through the lease)",
                   timed_sync(config, sandbox, flavour, lease),
                   1 + keys + in_files, f"1 search + {listing} + {in_files} edits")
        if not opts.quick:
            no_state(title, config, sandbox, flavour, lease, pages)
            sandbox.later(timedelta(minutes=15))
            timed_sync(config, sandbox, flavour, lease)
        sandbox.later(timedelta(minutes=15))
        in_jira = sandbox.act(edit_in_jira, one_percent)
        in_files = edit_files(root, one_percent)
        # Data Center returns no property in a search: with no state folder the memories
        # are inferred, and each issue about to be written is read by key first (never a
        # write on an inference).
        reads = in_files if flavour == "datacenter" else 0
        report(title, f"re-sync after {in_jira} issues edited in Jira and {in_files} in the "
               "files", timed_sync(config, sandbox, flavour, lease),
               1 + keys + in_files + reads, f"1 search + {listing} + {in_files} edits"
               + (f" + {reads} property reads of the issues written" if reads else ""))


def no_state(title: str, config, sandbox, flavour: str, lease: bool, pages: int) -> None:
    """A re-sync after the state folder was lost (or on a host that never synced)."""
    shutil.rmtree(config.state_dir)
    sandbox.later(timedelta(minutes=15))
    report(title, "re-sync with no state folder", timed_sync(config, sandbox, flavour, lease),
           pages + 1, f"{pages} search pages + 1 of hand-made lessons")


def report(title: str, name: str, run, floor: int, how: str) -> None:
    result, stats, seconds, cpu, peak, log = run
    requests = sum(v for k, v in stats.items() if k != "retries")
    counts = {k: v for k, v in result.counts().items() if v}
    # What every run asks whatever its work, for exactly-once: Jira's clock (the window of
    # changes), sync's record of creates in Jira, Data Center's field list (Epic Link);
    # and, when owners are not remembered, their look-up (the run compares assignees).
    # With --lease, a writing run's lease too (its terms, claims and their listing).
    fixed = {"meta": stats.get("meta", 0), "record of creates": min(1, stats.get(
        "project-property", 0)), "owner look-ups": stats.get("user-search", 0),
        "lease": sum(n for path, n in log.items()
                     if ".lease." in path or path.endswith("/properties"))}
    table(f"{title}: {name}", [
        ("outcome", counts), ("requests by kind", dict(sorted(stats.items()))),
        ("requests by path", log),
        ("requests in all", requests), ("floor", f"{floor} ({how})"),
        ("ratio to floor", f"{requests / floor:.2f}x"),
        ("floor with what every run asks", f"{floor + sum(fixed.values())} ({fixed}): "
         + f"{requests / (floor + sum(fixed.values())):.2f}x"),
        ("wall time", f"{seconds:.1f} s"),
        ("client CPU", f"{cpu[0]:.1f} s ({cpu[1]:.1f} s of it collecting garbage)"),
        ("client peak RSS in the run", "not measured" if peak is None else f"{peak:.0f} MB"),
        ("client peak RSS so far", f"{peak_rss_mb():.0f} MB"),
        *(PHASES.report() if PHASES else [])])


def main() -> None:
    args = programme_arguments(flavours=("cloud", "datacenter", "both"), default="both")
    args.add_argument("--lease", action="store_true",
                      help="every run through the sync lease, as the daemon runs them; adds "
                           "a 1%% re-sync with the state folder kept")
    args.add_argument("--titles", choices=("unique", "templated"), default="unique",
                      help="templated: lesson titles repeat across releases and within each")
    args.add_argument("--profile", metavar="FILE",
                      help="keep a cProfile of the no-change re-sync in FILE.<flavour>")
    args.add_argument("--root", type=Path, metavar="DIR",
                      help="write the programme and state folder to DIR/<flavour>, kept")
    args.add_argument("--quick", action="store_true",
                      help="leave out the runs that read every issue again but the first")
    args.add_argument("--no-state-only", action="store_true",
                      help="the first sync, then only the re-sync with no state folder")
    args.add_argument("--trace", action="store_true",
                      help="print each run's memory phase by phase (tracemalloc; slower)")
    opts = args.parse_args()
    if opts.trace:
        global PHASES
        PHASES = Phases()
        traced_sync(PHASES)
    for flavour in ("cloud", "datacenter"):
        if opts.flavour in (flavour, "both"):
            runs(opts, flavour)


if __name__ == "__main__":
    main()
