"""Benchmark: read the 15,200-issue programme of sync_scale (200 releases x 25 lessons x
2 actions) back from a sandbox Jira answering every request after 20 ms, cold and warm,
and do after each read what ``status``, ``export`` and ``deck --programme`` do with it.

    python benchmarks/reports_scale.py [--releases 200] [--lessons 25] [--actions 2]
                                       [--flavour cloud|datacenter]

Releases go live a fortnight apart and their lessons reword ten recurring problems, so
carried-over and recurring lessons are computed at scale. The sandbox is seeded by a sync inside its own process, so the peak memory printed is
the reading client's alone. Prints requests (floor: search pages + 3, and the ratio to it), wall time and
peak memory (target: under 300 MB) of each read: cold on a state folder that does not exist
(a laptop that never synced), warm on what it kept, cold again once it is deleted. The
three commands call the same reader the same way (``read_programme`` with the config's
state folder; the deck reads the release files besides), so each read is made once and
each command's own work timed after it: a command's cold time is the cold read's plus its
work, printed against the warm one (target: within 2x). It asserts nothing: it measures.
"""
from __future__ import annotations

import math
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
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
from benchmarks.sync_scale import OWNERS, PAGES, write_programme
from jirasync.config import load_config
from jirasync.reports.answered import with_answers
from jirasync.reports.deckjob import deck_of, release_files, render_deck
from jirasync.reports.export import rows, to_csv
from jirasync.reports.figures import compute
from jirasync.reports.reader import read_programme
from jirasync.reports.status import (
    status_data,
    status_lines,
    unconfirmed_digests,
    unconfirmed_lines,
)
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
    """The reader every report uses (read_programme, as status, export and deck call it),
    then each command's own work on what it read; (stats, (wall, CPU seconds), peak MB,
    work). CPU is the client's alone (the sandbox serves from its own process): on a
    shared machine it is steadier than wall time, which is mostly the sandbox's."""
    jira = gateway(url, flavour, config.jira.max_requests_per_s)
    state = StateDir(config.state_dir)
    reset_peak_rss()
    start, cpu = time.perf_counter(), time.process_time()
    programme = read_programme(jira, config, state=state)
    read_s = (time.perf_counter() - start, time.process_time() - cpu)
    work = commands(programme, config, state)
    # What is printed of the programme; the programme itself is let go, so that the next
    # read's memory and garbage collection are its own.
    counts = (len(programme.releases), len(programme.lessons), len(programme.actions),
              sum(1 for a in programme.actions if not a.done and "ll-overdue" in a.labels))
    return counts, dict(jira.stats), read_s, peak_since_mb(), work


def commands(programme, config, state: StateDir) -> dict[str, tuple[tuple[float, float], str]]:
    """Each report command's work after the read, as its module does it (commands/status.py,
    export.py, deck.py with --programme and html): (wall, CPU seconds) and what it made."""
    work: dict[str, tuple[tuple[float, float], str]] = {}

    def took() -> tuple[float, float]:
        return time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    figures = compute(programme, today=TODAY)
    data = with_answers(status_data(figures, state.runs(last=None), project=programme.project),
                        programme.actions)
    data["unconfirmed_digests"] = unconfirmed_digests(programme.actions, state.sent_digests())
    lines = status_lines(data) + unconfirmed_lines(data["unconfirmed_digests"])
    # status shows no recurring lesson, so its figures never look for them (the deck's do)
    work["status"] = (took(), f"{len(lines):,} lines")
    del figures, data         # each command's memory its own: the deck computes its figures
    start, cpu = time.perf_counter(), time.process_time()
    csv = to_csv(rows(programme, today=TODAY))
    work["export"] = (took(), f"CSV of {len(csv):,} bytes")
    start, cpu = time.perf_counter(), time.process_time()
    review = config.review.calendar.upcoming(datetime.combine(TODAY, dtime(0), UTC)).meeting
    deck = deck_of(programme, release=None, today=TODAY, next_review=review,
                   files=release_files(config))        # deck.py reads the release files too
    html = render_deck(deck, "html", templates_dir=config.templates_dir)
    work["deck"] = (took(), f"{len(deck.slides)} slides, html of {len(html.text):,} characters")
    return work


# The reads, in order: cold, on a state folder that does not exist (a PM's laptop that
# never synced); warm, on what that read kept (as after a sync and a chase on the host
# that runs them); cold again, the state folder deleted (lost, or cleared by hand).
READS = ("cold: never synced, no state folder yet (a PM's laptop)", "warm: the state folder kept",
         "cold: the state folder deleted")


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
        for n, _name in enumerate(READS):
            if n == 2:
                shutil.rmtree(config.state_dir, ignore_errors=True)
            runs.append(timed_read(config, url, opts.flavour))
            logs.append(sandbox.act(request_log))
    pages = math.ceil(issues / PAGES[opts.flavour])
    total = [sum(v for k, v in r[1].items() if k != "retries") for r in runs]
    title = (f"{opts.flavour}, {issues:,} issues ({opts.releases} releases x {opts.lessons} "
             f"lessons x {opts.actions} actions), latency {LATENCY_S * 1000:.0f} ms")
    for name, (p, stats, read_s, peak, work), log, requests in zip(READS, runs, logs, total):
        table(f"{title}: read, {name}", [
            ("releases / lessons / actions",
             f"{p[0]} / {p[1]} / {p[2]}"),
            ("requests by kind", dict(sorted(stats.items()))),
            ("requests by path", log),
            ("requests in all", requests),
            ("floor", f"{pages} search pages + 3 = {pages + 3}"),
            ("ratio to floor", f"{requests / (pages + 3):.2f}x"),
            ("ratio to the warm read", f"{requests / total[1]:.2f}x"),
            ("overdue actions (labelled by chase)", p[3]),
            ("of which reads by key", stats.get("read", 0)),
            ("of which chase's index of records (project properties)",
             stats.get("project-property", 0)),
            ("read, wall time, client CPU", f"{read_s[0]:.1f} s, {read_s[1]:.1f} s"),
            ("client peak RSS in the read and the commands",
             "not measured" if peak is None else f"{peak:.0f} MB"),
            *((f"{command}'s own work after the read (wall, CPU)",
               f"{s[0]:.2f} s, {s[1]:.2f} s: {made}") for command, (s, made) in work.items())])
    warm = runs[1]
    rows_out: list[tuple[str, object]] = []
    for command in warm[4]:
        warm_s = [warm[2][i] + warm[4][command][0][i] for i in (0, 1)]
        for n in (0, 2):
            cold_s = [runs[n][2][i] + runs[n][4][command][0][i] for i in (0, 1)]
            said = (f"{total[n]} requests / {total[1]} warm ({total[n] / total[1]:.2f}x); "
                    f"wall {cold_s[0]:.1f} s / {warm_s[0]:.1f} s ({cold_s[0] / warm_s[0]:.2f}x); "
                    f"client CPU {cold_s[1]:.1f} s / {warm_s[1]:.1f} s "
                    f"({cold_s[1] / warm_s[1]:.2f}x)")
            rows_out.append((f"{command}, {READS[n].split(':')[1].strip()}", said))
    table(f"{title}: each command cold against warm (the read + the command's own work; "
          f"target 2x)", rows_out)
    table("client process", [("peak RSS", f"{peak_rss_mb():.0f} MB")])


if __name__ == "__main__":
    main()
