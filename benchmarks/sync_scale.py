"""Benchmark: sync a programme of 200 releases x 25 lessons x 2 actions (15,200 issues)
into a sandbox Jira answering every request after 20 ms, then re-sync it unchanged, then
time the naive approach (one search and one create per item) on a sample.

    python benchmarks/sync_scale.py [--releases 200] [--lessons 25] [--actions 2]

Prints requests by kind, the minimum possible, wall time and the client's peak memory.
It asserts nothing about time: it measures.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DC_TOKEN,
    EMAIL,
    LATENCY_S,
    TOKEN,
    SandboxProcess,
    owners,
    peak_rss_mb,
    table,
    write_config,
)
from jirasync.config import load_config
from jirasync.gateway import connect
from jirasync.sync.job import sync
from jirasync.state import StateDir

OWNERS = 50
PAGE = 100          # issues per search page the gateway asks for


def write_programme(root: Path, releases: int, lessons: int, actions: int) -> None:
    for r in range(releases):
        lines = [f'id: "{r // 10}.{r % 10}"', f"name: Release {r // 10}.{r % 10}",
                 "live_date: 2026-06-01", "lessons:"]
        for n in range(lessons):
            lines += [f"  - id: lesson-{n}", "    kind: improve", f"    theme: theme-{n % 5}",
                      f"    title: Lesson {n} of release {r}",
                      "    description: What happened, and why it matters.", "    actions:"]
            lines += [f"      - {{id: a{a}, title: Action {a} of lesson {n}, "
                      f"owner: owner{(r * lessons + n + a) % OWNERS}@example.org, "
                      f"due: +{30 + a * 7}d}}" for a in range(actions)]
        (root / "releases" / f"r{r:03}.yaml").write_text("\n".join(lines) + "\n",
                                                        encoding="utf-8")


def timed_sync(config, url, flavour="cloud"):
    auth = {"email": EMAIL, "token": TOKEN} if flavour == "cloud" else \
        {"auth_type": "pat", "token": DC_TOKEN}
    jira = connect(url, **auth, project="DCR", max_requests_per_s=config.jira.max_requests_per_s)
    start = time.perf_counter()
    result = sync(config, jira, state=StateDir(config.state_dir), now=datetime.now(UTC),
                  progress=lambda text: None)
    return result, jira.stats, time.perf_counter() - start


def naive_sample(url: str, items: int) -> float:
    """One search and one create per item, as a script using the jira library would."""
    from jira import JIRA
    jira = JIRA(server=url, basic_auth=(EMAIL, TOKEN))
    start = time.perf_counter()
    for n in range(items):
        summary = f"Naive lesson {n}"
        found = jira.search_issues(f'project = DCR AND summary ~ "{summary}"')
        if not found:
            fields = {"project": {"key": "DCR"}, "summary": summary, "issuetype": {"name": "Task"},
                      "labels": ["lessons-learnt"]}
            jira.create_issue(fields=fields)
    return time.perf_counter() - start


def data_center(opts) -> None:
    """Data Center's search cannot return issue properties: the first re-sync reads each
    issue's by key, later ones only those changed since (a cache in the state folder)."""
    os.environ["JIRASYNC_BENCH_TOKEN"] = DC_TOKEN
    issues = opts.releases * (1 + opts.lessons * (1 + opts.actions))
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxProcess(flavour="datacenter", users=owners(OWNERS)) as url:
        config = load_config(write_config(Path(tmp), url, flavour="datacenter"))
        write_programme(Path(tmp), opts.releases, opts.lessons, opts.actions)
        runs = [timed_sync(config, url, "datacenter") for _ in range(3)]
    names = ["first sync", "re-sync, cache cold (properties read by key)",
             "re-sync, cache warm"]
    for name, (result, stats, seconds) in zip(names, runs):
        table(f"Data Center, {issues:,} issues: {name}", [
            ("created", result.count("created")), ("unchanged", result.count("unchanged")),
            ("requests by kind", dict(sorted(stats.items()))),
            ("requests in all", sum(v for k, v in stats.items() if k != "retries")),
            ("wall time", f"{seconds:.1f} s")])
    table("client process", [("peak RSS", f"{peak_rss_mb():.0f} MB")])


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--releases", type=int, default=200)
    args.add_argument("--lessons", type=int, default=25)
    args.add_argument("--actions", type=int, default=2)
    args.add_argument("--naive-sample", type=int, default=200)
    args.add_argument("--flavour", choices=("cloud", "datacenter"), default="cloud")
    opts = args.parse_args()
    if opts.flavour == "datacenter":
        return data_center(opts)
    os.environ["JIRASYNC_BENCH_TOKEN"] = TOKEN
    issues = opts.releases * (1 + opts.lessons * (1 + opts.actions))
    levels = [opts.releases, opts.releases * opts.lessons,
              opts.releases * opts.lessons * opts.actions]
    minimum_creates = sum(math.ceil(n / 50) for n in levels)
    with tempfile.TemporaryDirectory() as tmp, SandboxProcess(users=owners(OWNERS)) as url:
        config_path = write_config(Path(tmp), url)
        write_programme(Path(tmp), opts.releases, opts.lessons, opts.actions)
        config = load_config(config_path)
        first, first_stats, first_s = timed_sync(config, url)
        again, again_stats, again_s = timed_sync(config, url)
        naive_s = naive_sample(url, opts.naive_sample)
    first_requests = sum(v for k, v in first_stats.items() if k != "retries")
    again_requests = sum(v for k, v in again_stats.items() if k != "retries")
    pages = math.ceil(issues / PAGE)
    naive_total = 2 * issues
    table(f"first sync of {issues:,} issues ({opts.releases} releases x {opts.lessons} lessons "
          f"x {opts.actions} actions), sandbox latency {LATENCY_S * 1000:.0f} ms, "
          f"max_requests_per_s {config.jira.max_requests_per_s:g}", [
              ("created", first.count("created")), ("failed", first.count("failed")),
              ("requests by kind", dict(sorted(first_stats.items()))),
              ("requests in all", first_requests),
              ("minimum possible",
               f"{minimum_creates} bulk creates + 1 search = {minimum_creates + 1}"),
              ("ratio to minimum", f"{first_requests / (minimum_creates + 1):.2f}x"),
              ("wall time", f"{first_s:.1f} s")])
    table("re-sync, nothing changed", [
        ("unchanged", again.count("unchanged")), ("writes", again.count("created") +
                                                  again.count("updated")),
        ("requests by kind", dict(sorted(again_stats.items()))),
        ("requests in all",
         f"{again_requests} (minimum: {pages} search pages + 1 = {pages + 1})"),
        ("wall time", f"{again_s:.1f} s")])
    per_item = naive_s / opts.naive_sample
    table(f"naive script (one search + one create per item), sample of {opts.naive_sample}", [
        ("requests, extrapolated", f"{naive_total:,}"),
        ("wall time, extrapolated", f"{per_item * issues:.0f} s"),
        ("jirasync makes fewer requests by", f"{naive_total / first_requests:.0f}x")])
    table("client process", [("peak RSS", f"{peak_rss_mb():.0f} MB")])


if __name__ == "__main__":
    main()
