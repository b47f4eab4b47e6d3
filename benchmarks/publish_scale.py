"""Benchmark: publish the 15,200-issue programme of reports_scale (200 releases x 25
lessons x 2 actions) to the Confluence the sandbox serves beside its Jira, then publish
it again with nothing changed, answering every request after 20 ms.

    python benchmarks/publish_scale.py [--releases 200] [--lessons 25] [--actions 2]
                                       [--flavour cloud|datacenter]

Prints, for each run, the Jira requests (the read every report makes) beside the
Confluence requests, by kind, with the floor of each: the read's is its search pages + 3
(reports_scale); a no-change publish's is one search page per 50 pages and one read of
each page (a person's edit can only be seen by reading the page), with no write. It
asserts nothing: it measures.
"""
from __future__ import annotations

import math
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LATENCY_S,
    SandboxProcess,
    gateway,
    owners,
    programme_arguments,
    table,
    use_token,
)
from benchmarks.reports_scale import seeder
from benchmarks.sync_scale import OWNERS, PAGES
from jirasync.config import load_config
from jirasync.confluence.client import SEARCH_PAGE
from jirasync.confluence.connect import open_wiki
from jirasync.publish.run import publish_programme
from jirasync.state import StateDir

TODAY = date(2026, 12, 10)


def confluence_section(url: str, flavour: str) -> str:
    auth = "" if flavour == "cloud" else \
        "  auth: {type: pat, token_env: JIRASYNC_BENCH_TOKEN}\n"
    suffix = "/wiki" if flavour == "cloud" else "/confluence"
    return (f"confluence:\n  url: {url}{suffix}\n  space: PMO\n"
            f"  parent_page: Lessons learnt\n{auth}")


def run(config, url: str, flavour: str):
    jira = gateway(url, flavour, config.jira.max_requests_per_s)
    wiki = open_wiki(config)
    start = time.perf_counter()
    result = publish_programme(config, jira, wiki, release=None, today=TODAY,
                               state=StateDir(config.state_dir))
    took = time.perf_counter() - start
    return result, dict(jira.stats), dict(wiki.stats), took


def total(stats: dict[str, int]) -> int:
    return sum(v for k, v in stats.items() if k not in ("retries", "rate-limited"))


def main() -> None:
    opts = programme_arguments().parse_args()
    use_token(opts.flavour)
    issues = opts.releases * (1 + opts.lessons * (1 + opts.actions))
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxProcess(flavour=opts.flavour, users=owners(OWNERS),
                           seed=seeder(Path(tmp), opts)) as sandbox:
        path = Path(tmp) / "jirasync.yaml"
        path.write_text(path.read_text() + confluence_section(sandbox.url, opts.flavour))
        config = load_config(path)
        runs = [run(config, sandbox.url, opts.flavour) for _ in range(2)]
    pages = opts.releases + 1
    read_floor = math.ceil(issues / PAGES[opts.flavour]) + 3
    floors = {"first publish": None,
              "publish again, nothing changed": math.ceil(pages / SEARCH_PAGE) + pages}
    for (name, floor), (result, jira, wiki, took) in zip(floors.items(), runs):
        rows = [("pages", result.counts()),
                ("Jira requests (the read)", (f"{total(jira)} (floor {read_floor}; "
                                              f"{total(jira) / read_floor:.2f}x)")),
                ("Confluence requests by kind", dict(sorted(wiki.items()))),
                ("Confluence requests", total(wiki)),
                ("Confluence writes", wiki.get("wiki-write", 0)),
                ("wall time", f"{took:.1f} s")]
        if floor is not None:
            rows.append(("Confluence floor", f"{floor} ({total(wiki) / floor:.2f}x)"))
        table(f"{opts.flavour}, {issues:,} issues, {pages} pages, latency "
              f"{LATENCY_S * 1000:.0f} ms: {name}", rows)


if __name__ == "__main__":
    main()
