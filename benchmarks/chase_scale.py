"""Benchmark: chase 5,000 open actions of 500 owners on a prompt day, against a sandbox
Jira answering every request after 20 ms, in comment mode and in digest mode; then chase
again the same day (nothing is due twice).

    python benchmarks/chase_scale.py [--actions 5000] [--owners 500]

Prints requests by kind and wall time. It asserts nothing about time: it measures.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LATENCY_S,
    SandboxProcess,
    gateway,
    owners,
    peak_rss_mb,
    seed_actions,
    table,
    use_token,
    write_config,
)
from jirasync.chase.job import chase
from jirasync.chase.messages import Texts
from jirasync.config import load_config
from jirasync.state import StateDir

PROMPT_DAY = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def seeder(actions: int, people: list):
    def seed(sb) -> None:
        # One action in ten is past its due date, so the ladder has work too.
        seed_actions(sb, actions, people, due=lambda n: date(2026, 11, 10) if n % 10 == 0
                     else date(2026, 12, 15))
    return seed


def run(mode: str, actions: int, people: list) -> list[tuple[str, object]]:
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxProcess(users=people, seed=seeder(actions, people)) as sandbox:
        url = sandbox.url
        config = load_config(write_config(Path(tmp), url, reminder=mode))
        jira = gateway(url, "cloud", config.jira.max_requests_per_s)
        texts = Texts(config.templates_dir, url)
        start = time.perf_counter()
        state = StateDir(config.state_dir)
        first = chase(config, jira, state=state, now=PROMPT_DAY, texts=texts, dry_run=False,
                      progress=lambda text: None)
        first_s, first_stats = time.perf_counter() - start, dict(jira.stats)
        start = time.perf_counter()
        again = chase(config, jira, state=state, now=PROMPT_DAY + timedelta(hours=3), texts=texts,
                      progress=lambda text: None)
        again_s = time.perf_counter() - start
        again_stats = {k: v - first_stats.get(k, 0) for k, v in jira.stats.items()}
    sent = {k: first.count(k) for k in ("prompt", "digest", "escalation", "failed")}
    return [("sent", sent), ("requests by kind", dict(sorted(first_stats.items()))),
            ("requests in all", sum(v for k, v in first_stats.items() if k != "retries")),
            ("wall time", f"{first_s:.1f} s"),
            ("same day again: sent", len(again.sent)),
            ("same day again: requests", dict(sorted(again_stats.items()))),
            ("same day again: wall time", f"{again_s:.1f} s")]


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--actions", type=int, default=5000)
    args.add_argument("--owners", type=int, default=500)
    opts = args.parse_args()
    use_token("cloud")
    people = owners(opts.owners)
    for mode in ("comment", "digest"):
        table(f"chase, {mode} mode: {opts.actions:,} open actions, {opts.owners} owners, "
              f"sandbox latency {LATENCY_S * 1000:.0f} ms, max_requests_per_s 100",
              run(mode, opts.actions, people))
    table("client process", [("peak RSS", f"{peak_rss_mb():.0f} MB")])


if __name__ == "__main__":
    main()
