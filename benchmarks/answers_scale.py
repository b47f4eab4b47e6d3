"""Benchmark: reading owners' answers among 5,000 open actions of 500 owners when 1 % of
them (50) were answered since the last run, on Jira Cloud and Data Center sandboxes
answering every request after 20 ms: 20 extend, 15 done, 10 blocked, 5 not needed (a
request passed on). Also a run when nobody answered.

    python benchmarks/answers_scale.py [--actions 5000] [--answered 50]

Prints the requests of the answers step (``jirasync/answers/job.py``) by kind, against
the floor: reading, one search of the actions changed since the last run (Cloud pages
hold 100 with fields) and the consistent re-read of those with an answer (Cloud: one
``reconcileIssues`` search per 50; Data Center: one read by key each, its search cannot
return the record); writing, one request per answer (apply and reply together) and one
transitions listing per done answer; and a constant (the bot's own id, the field list,
the release manager and PMO lead looked up once). It asserts nothing: it measures.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LATENCY_S,
    SandboxProcess,
    gateway,
    owners,
    seed_actions,
    table,
    use_token,
    write_config,
)
from jirasync.answers.job import read_answers
from jirasync.config import load_config
from jirasync.lease_types import NO_LEASE
from jirasync.state import StateDir

KINDS = (("extend to 2027-03-31: waiting for partner sign-off", 20), ("done", 15),
         ("blocked: test system down", 10), ("not needed: superseded", 5))


def seeder(actions: int, people: list):
    def seed(sb) -> None:
        seed_actions(sb, actions, people, due=lambda n: date(2027, 1, 15))
    return seed


def answer(sb, answers: list[tuple[str, str, str]]) -> None:
    for key, body, who in answers:
        sb.add_comment(key, body, author=who)


def keys(sb) -> list[str]:
    return [i.key for i in sb.issues() if "ll-action" in i.labels]


def spread(total: int, answered: int, people: list) -> list[tuple[int, str, str]]:
    """Which actions are answered (evenly spread), with what, by their owner."""
    bodies = [body for body, share in KINDS for _ in range(share * answered // 50)]
    step = total // max(len(bodies), 1)
    return [(n * step, body, people[(n * step) % len(people)].email)
            for n, body in enumerate(bodies)]


def run(flavour: str, actions: int, answered: int, people: list) -> list[tuple[str, object]]:
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxProcess(flavour=flavour, users=people, seed=seeder(actions, people)) as sb:
        config = load_config(write_config(Path(tmp), sb.url, flavour=flavour))

        def once() -> tuple[dict, float, int]:
            jira = gateway(sb.url, flavour, 100)
            start = time.perf_counter()
            with jira.keeping_properties(state.property_cache, state.save_property_cache):
                out = read_answers(config, jira, state, now=sb.now(), dry_run=False,
                                   take_lease=lambda: NO_LEASE)
            return dict(jira.stats), time.perf_counter() - start, len(out.applied)

        state = StateDir(config.state_dir)
        sb.later(timedelta(days=2))     # the programme was synced days ago
        first, _, _ = once()            # the first run: no state folder, looks back 7 days
        sb.later(timedelta(days=1))
        quiet, quiet_s, _ = once()      # a day when nobody answered
        sb.later(timedelta(days=1))
        all_keys = sb.act(keys)
        chosen = [(all_keys[n], body, who) for n, body, who in spread(len(all_keys),
                                                                        answered, people)]
        sb.act(answer, chosen)
        stats, wall, applied = once()
        again, _, _ = once()            # straight after: nothing new
    done = sum(1 for _, body, _ in chosen if body == "done")
    page = 100 if flavour == "cloud" else 1000
    reread = math.ceil(len(chosen) / 50) if flavour == "cloud" else len(chosen)
    floor = math.ceil(len(chosen) / page) + reread + len(chosen) + done

    def total(s: dict) -> int:
        return sum(v for k, v in s.items() if k != "retries")
    searched = math.ceil(len(chosen) / page)
    cost = (f"{total(stats)} ({floor}: {searched} search, {reread} re-read, "
            f"{len(chosen)} writes, {done} transition listings)")
    return [("answers given", f"{len(chosen)} ({done} done)"), ("applied", applied),
            ("requests by kind", dict(sorted(stats.items()))),
            ("requests in all (floor)", cost),
            ("wall time", f"{wall:.1f} s"),
            ("nobody answered: requests (floor 1)",
             f"{total(quiet)}: {dict(sorted(quiet.items()))}, {quiet_s:.1f} s"),
            ("straight after: requests", f"{total(again)}: {dict(sorted(again.items()))}"),
            ("first run, no state folder (7 days back)",
             f"{total(first)}: {dict(sorted(first.items()))}")]


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--actions", type=int, default=5000)
    args.add_argument("--answered", type=int, default=50)
    args.add_argument("--flavour", choices=("cloud", "datacenter", "both"), default="both")
    opts = args.parse_args()
    people = owners(500)
    for flavour in ("cloud", "datacenter") if opts.flavour == "both" else (opts.flavour,):
        use_token(flavour)
        table(f"answers, {flavour}: {opts.actions:,} open actions, {opts.answered} answered "
              f"since the last run, sandbox latency {LATENCY_S * 1000:.0f} ms",
              run(flavour, opts.actions, opts.answered, people))


if __name__ == "__main__":
    main()
