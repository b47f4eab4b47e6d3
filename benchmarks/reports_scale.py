"""Benchmark: read the 15,200-issue programme of sync_scale (200 releases x 25 lessons x
2 actions) back from a sandbox Jira answering every request after 20 ms, compute every
figure of SPEC §6, and export it to CSV.

    python benchmarks/reports_scale.py [--releases 200] [--lessons 25] [--actions 2]
                                       [--flavour cloud|datacenter]

Releases go live a fortnight apart and their lessons reword ten recurring problems, so
carried-over and recurring lessons are computed at scale. The sandbox is seeded by a sync inside its own process, so the peak memory printed is
the reading client's alone. Prints requests (floor: search pages + 3, and the ratio to it), wall time and
peak memory (target: under 300 MB). It asserts nothing: it measures.
"""
from __future__ import annotations

import math
import re
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LATENCY_S,
    SandboxProcess,
    gateway,
    owners,
    peak_rss_mb,
    programme_arguments,
    request_log,
    table,
    use_token,
    write_config,
)
from benchmarks.sync_scale import OWNERS, PAGES, write_programme
from jirasync.config import load_config
from jirasync.reports.export import rows, to_csv
from jirasync.reports.figures import compute
from jirasync.reports.reader import read_programme
from jirasync.state import StateDir

TODAY = date(2026, 12, 10)
OPEN_EVERY = 10           # one action in ten still open,
OVERDUE_EVERY = 4         # and one of those in four overdue (and chased)
# Problems a programme meets again and again, so that recurring lessons are searched for
# (and found) at scale: each release words them its own way.
PROBLEMS = ("Partners turned their feeds off late", "Test environment arrived late",
            "Skeleton plan agreed after build started", "Weekend support rota had gaps",
            "Outage window announced late to local authorities",
            "Data migration rehearsal found mapping gaps", "Go-live checklist signed off late",
            "Supplier contacts missing out of hours", "Clinical safety review booked late",
            "Release notes reached the service desk late")


def vary(root: Path) -> None:
    """Give sync_scale's releases distinct live dates a fortnight apart and lesson titles
    drawn from PROBLEMS, worded per release."""
    for path in sorted((root / "releases").glob("r*.yaml")):
        r = int(path.stem[1:])
        live = date(2019, 1, 1) + timedelta(days=14 * r)
        text = path.read_text(encoding="utf-8").replace("live_date: 2026-06-01",
                                                        f"live_date: {live}")
        text = re.sub(r"title: Lesson (\d+) of release \d+",
                      lambda m: f"title: {PROBLEMS[int(m[1]) % len(PROBLEMS)]}, "
                                # B023: re.sub calls it within this iteration
                                f"{('again', 'once more', 'in drop ' + str(r))[r % 3]}", text)  # noqa: B023
        path.write_text(text, encoding="utf-8")


def seeder(root: Path, opts):
    """Fill the sandbox by syncing the programme into it, in the sandbox's process."""
    def seed(sb) -> None:
        from jirasync.sync.job import sync
        config = load_config(write_config(root, sb.url, flavour=opts.flavour))
        write_programme(root, opts.releases, opts.lessons, opts.actions)
        vary(root)
        jira = gateway(sb.url, opts.flavour, 100000)    # no pacing: the sandbox is local
        result = sync(config, jira, state=StateDir(root / "seed-state"),
                      now=datetime.now(UTC), progress=lambda text: None)
        assert not result.failed, "seeding failed"
        chase_overdue(sb, config, root, opts.flavour)
    return seed


def chase_overdue(sb, config, root: Path, flavour: str) -> None:
    """The programme as years of it leave Jira: every action was due a month after its
    release went live (long past), all but one in ``OPEN_EVERY`` done, and of those
    still open all but one in ``OVERDUE_EVERY`` given a new date after TODAY; chase run
    on TODAY labels the overdue ones and records the rung each reached (what a report
    shows of them)."""
    from jirasync.chase.job import chase
    from jirasync.chase.messages import Texts
    actions = [i.key for i in sb.issues() if "ll-action" in i.fields["labels"]]
    for n, key in enumerate(actions):
        if n % OPEN_EVERY:
            sb.transition(key, "Done")
        elif n // OPEN_EVERY % OVERDUE_EVERY:
            sb.edit(key, duedate=(TODAY + timedelta(days=60)).isoformat())
    result = chase(config, gateway(sb.url, flavour, 100000), state=StateDir(root / "seed-state"),
                   now=datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC).replace(hour=9),
                   texts=Texts(config.templates_dir, config.jira.url))
    assert result.sent, "chase sent nothing"


def timed_read(config, url: str, flavour: str):
    jira = gateway(url, flavour, config.jira.max_requests_per_s)
    start = time.perf_counter()
    programme = read_programme(jira, config, state=StateDir(config.state_dir))
    read_s = time.perf_counter() - start
    figures = compute(programme, today=TODAY)
    figures_s = time.perf_counter() - start - read_s
    return programme, figures, dict(jira.stats), read_s, figures_s


def main() -> None:
    opts = programme_arguments().parse_args()
    use_token(opts.flavour)
    issues = opts.releases * (1 + opts.lessons * (1 + opts.actions))
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxProcess(flavour=opts.flavour, users=owners(OWNERS),
                           seed=seeder(Path(tmp), opts)) as sandbox:
        url = sandbox.url
        config = load_config(Path(tmp) / "jirasync.yaml")
        sandbox.act(request_log)           # the seeding's requests left out
        runs, logs = [], []
        for _ in range(2 if opts.flavour == "datacenter" else 1):
            runs.append(timed_read(config, url, opts.flavour))
            logs.append(sandbox.act(request_log))
        programme, _figures = runs[-1][0], runs[-1][1]
        start = time.perf_counter()
        data = to_csv(rows(programme, today=TODAY))
        export_s = time.perf_counter() - start
    pages = math.ceil(issues / PAGES[opts.flavour])
    warm = sum(v for k, v in runs[-1][2].items() if k != "retries")
    overdue = sum(1 for a in programme.actions if not a.done and "ll-overdue" in a.labels)
    names = ["read (property cache cold)", "read again (cache warm)"] \
        if opts.flavour == "datacenter" else ["read"]
    for name, (p, f, stats, read_s, figures_s), log in zip(names, runs, logs):
        total = sum(v for k, v in stats.items() if k != "retries")
        table(f"{opts.flavour}, {issues:,} issues ({opts.releases} releases x {opts.lessons} "
              f"lessons x {opts.actions} actions), latency {LATENCY_S * 1000:.0f} ms: {name}", [
                  ("releases / lessons / actions",
                   f"{len(p.releases)} / {len(p.lessons)} / {len(p.actions)}"),
                  ("requests by kind", dict(sorted(stats.items()))),
                  ("requests by path", log),
                  ("requests in all", total),
                  ("floor", f"{pages} search pages + 3 = {pages + 3}"),
                  ("ratio to floor", f"{total / (pages + 3):.2f}x"),
                  ("overdue actions (labelled by chase)", overdue),
                  ("ratio to the warm run", f"{total / warm:.2f}x"),
                  ("Data Center cold floor: the warm run + a read per overdue action",
                   warm + overdue),
                  ("of which reads by key", stats.get("read", 0)),
                  ("of which chase's index of records (project properties)",
                   stats.get("project-property", 0)),
                  ("read, wall time", f"{read_s:.1f} s"),
                  ("figures, wall time", f"{figures_s:.2f} s"),
                  ("recurring lessons found", len(f.recurring))])
    table("export to CSV", [("rows", len(programme.releases) + len(programme.lessons)
                             + len(programme.actions)),
                            ("bytes", f"{len(data):,}"), ("wall time", f"{export_s:.2f} s")])
    table("client process", [("peak RSS", f"{peak_rss_mb():.0f} MB")])


if __name__ == "__main__":
    main()
