"""Benchmark: the deck of a 1,000-lesson release and of the whole 15,200-issue programme
(200 releases x 25 lessons x 2 actions), in each format, after the Jira read.

    python benchmarks/deck_scale.py [--releases 200] [--lessons 25] [--actions 2]
                                    [--big-release 1000]

The programme is built in memory as the reader returns it (reading it from Jira is
reports_scale.py's measure), so the times are the deck's own: figures, slides, render.
One lesson title in twenty repeats a known problem (recurring lessons to find); the others
share no word, as distinct problems rarely do: the recurring-lessons figure compares
titles that share a word, and its time grows with how alike a programme's titles are.
Prints wall time (target: under 2 s), file size, slides and the peak memory the step
allocated. It asserts nothing: it measures.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import peak_rss_mb, table
from jirasync.reports.deck import build_deck
from jirasync.reports.deckjob import FORMATS, deck_figures, render_deck
from jirasync.reports.programme import (
    ActionIssue,
    Chased,
    LessonIssue,
    Person,
    Programme,
    ReleaseIssue,
)

TODAY = date(2026, 12, 10)
REVIEW = datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Europe/London"))
URL = "https://dcr.atlassian.net"
THEMES = ("partner-comms", "environments", "cutover", "support", "governance", "testing")
PROBLEMS = ("Partners turned their feeds off late", "Test environments arrived late",
            "Cutover plan changed in the last week", "Weekend support rota had gaps",
            "Charter not followed from design to go-live", "Regression tests ran by hand")


class Keys:
    def __init__(self):
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"DCR-{self.n}"


def _word(n: int) -> str:
    """A made-up word per number ('bac', 'bad', ...): titles that share no word."""
    letters = ""
    while True:
        n, rest = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not n:
            return "b" + letters


def _title(release: int, lesson: int) -> str:
    """One lesson in twenty is a known problem raised again; the rest are their own."""
    if lesson % 20 == 0:
        return PROBLEMS[(release + lesson) % len(PROBLEMS)]
    seed = (release * 5000 + lesson) * 6
    return " ".join(_word(seed + k) for k in range(6)).capitalize()


def common(key: str, release: str, title: str, parent: str | None, created: date,
           resolved: date | None) -> dict:
    return {"key": key, "id": key[4:], "url": f"{URL}/browse/{key}", "title": title,
                "status": "Done" if resolved else "To Do",
                "status_category": "Done" if resolved else "To Do",
                "resolution": "Done" if resolved else None, "created": created, "resolved": resolved,
                "parent": parent, "labels": (), "release": release}


def programme(releases: int, lessons: int, actions: int, big: int) -> Programme:
    """``releases`` releases a fortnight apart, the last with ``big`` lessons, each lesson
    with ``actions`` actions (sync_scale's shape); half the actions done, some late."""
    key = Keys()
    out_r, out_l, out_a = [], [], []
    first = TODAY - timedelta(days=14 * releases)
    for r in range(releases):
        rid, live = f"{r // 10 + 1}.{r % 10}", first + timedelta(days=14 * r)
        count = big if r == releases - 1 and big else lessons
        rkey = key()
        out_r.append(ReleaseIssue(**common(rkey, rid, f"Lessons learnt: Release {rid}", None,
                                           live - timedelta(days=30), None),
                                  name=f"DCR Release {rid}", live_date=live, dated_by="jira"))
        for n in range(count):
            lkey, kind = key(), "improve" if n % 3 else "keep"
            title = _title(r, n)
            out_l.append(LessonIssue(**common(lkey, rid, title, rkey, live - timedelta(days=3),
                                              None), lesson=f"l{n}", kind=kind,
                                     theme=THEMES[n % len(THEMES)]))
            for a in range(actions):
                due = live + timedelta(days=30 + 7 * a)
                done = due - timedelta(days=2 - 4 * (n % 2)) if (n + a) % 2 else None
                out_a.append(ActionIssue(
                    **common(key(), rid, f"Action {a} for lesson {n} of {rid}", lkey,
                             live, done if done and done <= TODAY else None),
                    lesson=f"l{n}", action=f"a{a}",
                    owner=Person(account=f"owner{n % 500}", name=f"Owner {n % 500}"),
                    due=due, chase=Chased(due=due.isoformat(), rungs=(0,))))
    return Programme(project="DCR", url=URL, releases=tuple(out_r), lessons=tuple(out_l),
                     actions=tuple(out_a))


def timed(step):
    """(result, seconds, MB allocated at the peak): timed first, then traced (tracemalloc
    slows Python down, so it never runs under the clock)."""
    start = time.perf_counter()
    result = step()
    took = time.perf_counter() - start
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, took, peak


def measure(prog: Programme, release: str | None) -> list[tuple[str, object]]:
    f, figures_s, figures_mb = timed(lambda: deck_figures(
        prog, release=release, today=TODAY, next_review=REVIEW))
    deck, slides_s, slides_mb = timed(lambda: build_deck(
        prog, f.figures, scope=f.scope, trend=f.trend, to_date=f.to_date))
    rows = [("figures (the reports' part)", f"{figures_s:.2f} s, peak {figures_mb:.0f} MB"),
            ("slides", (f"{slides_s:.2f} s, {len(deck.slides):,} slides, "
                       f"peak {slides_mb:.0f} MB"))]
    for fmt in FORMATS:
        data, took, peak = timed(lambda fmt=fmt: render_deck(deck, fmt).bytes())
        rows.append((fmt, (f"{slides_s + took:.2f} s after the figures (render {took:.2f} s), "
                          f"{len(data) / 2**20:.1f} MB file, peak {peak:.0f} MB")))
    return rows


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--releases", type=int, default=200)
    args.add_argument("--lessons", type=int, default=25)
    args.add_argument("--actions", type=int, default=2)
    args.add_argument("--big-release", type=int, default=1000)
    opts = args.parse_args()
    whole = programme(opts.releases, opts.lessons, opts.actions, 0)
    big = programme(12, opts.lessons, opts.actions, opts.big_release)
    last = big.releases[-1].release
    issues = len(whole.releases) + len(whole.lessons) + len(whole.actions)
    mine = sum(1 for i in (*big.lessons, *big.actions) if i.release == last)
    table(f"release {last}: {opts.big_release:,} lessons ({mine:,} lessons and actions) "
          f"after 11 earlier releases", measure(big, last))
    table(f"--programme: {issues:,} issues ({opts.releases} releases x {opts.lessons} lessons"
          f" x {opts.actions} actions)", measure(whole, None))
    table("benchmark process", [("peak RSS", f"{peak_rss_mb():.0f} MB")])


if __name__ == "__main__":
    main()
