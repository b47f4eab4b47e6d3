"""The figures' quick paths (similarity without difflib, carried over in one walk, the
recurring lessons by index) against the plain definitions they replace, on random
programmes with ties, undated releases, reopened and undated items."""
from __future__ import annotations

import difflib
import random
from datetime import date, timedelta

import pytest

from jirasync.model import key_order
from jirasync.reports.figures import (
    SAME_THEME_TITLE,
    SAME_TITLE,
    carried_over,
    compute,
    recurring,
    similarity,
)
from jirasync.reports.figures.recurring import _content, _words
from tests.reports.build import action, lesson, programme, release

WORDS = ["partners", "feeds", "late", "late", "off", "the", "of", "test", "42", "rota", "gaps", "plan", "again", "cutover"]


def difflib_similarity(a: str, b: str) -> float:
    """The definition: difflib's ratio over the words, in order and sorted, the larger."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    def ratio(x, y):
        return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
    return max(ratio(wa, wb), ratio(sorted(wa), sorted(wb)))


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))


def test_similarity_is_difflibs_to_the_last_bit():
    rng = random.Random(7)
    pairs = [(title(rng), title(rng)) for _ in range(3000)]
    pairs += [("late late off", "off late"), ("a b a", "a a b b"), ("x", "x x x x")]
    for a, b in pairs:
        assert similarity(a, b) == difflib_similarity(a, b), (a, b)


def day(rng: random.Random, base: date, spread: int) -> str:
    return (base + timedelta(days=rng.randint(0, spread))).isoformat()


def random_programme(seed: int):
    rng = random.Random(seed)
    base, n = date(2026, 1, 1), iter(range(1, 10**6))
    releases, lessons, actions = [], [], []
    for r in range(12):
        live = None if r == 5 else day(rng, base, 200)       # ties likely, one undated
        rel = release(f"DCR-{next(n)}", f"4.{r}", live)
        releases.append(rel)
        for _ in range(rng.randint(0, 6)):
            done = rng.random() < 0.5
            resolved = day(rng, base, 250) if done and rng.random() < 0.8 else None
            created = None if rng.random() < 0.1 else day(rng, base, 200)
            les = lesson(f"DCR-{next(n)}", rel.release, rel.key, title(rng),
                         kind=rng.choice(("improve", "improve", "keep", None)),
                         theme=rng.choice((None, "comms", "test")), created=created,
                         resolved=resolved, done=done)
            lessons.append(les)
            if rng.random() < 0.6:
                actions.append(action(f"DCR-{next(n)}", rel.release, les.key,
                                      created=day(rng, base, 200), done=done,
                                      resolved=resolved))
    rng.shuffle(lessons)
    return programme(releases, lessons, actions)


@pytest.mark.parametrize("seed", range(25))
def test_carried_over_of_every_release_is_the_plain_definition(seed):
    p = random_programme(seed)
    figures = compute(p, today=date(2026, 12, 10))
    for one, got in zip(p.releases, figures.releases):
        want = carried_over(p, one, date(2026, 12, 10))
        assert (got.carried_over.items, got.carried_over.lessons, got.carried_over.actions,
                got.carried_over.still_open) == (want.items, want.lessons, want.actions,
                                                 want.still_open)


def tangled_programme(seed: int):
    """A programme as the walk's corners meet it: two release issues of one id (live on
    different days, or the same), several releases live on one day, items resolved on a
    live day, done without a resolution date, reopened, and a release issue without an
    id whose items belong to no release; releases by live date, then key, as read."""
    rng = random.Random(seed)
    base, n = date(2026, 1, 1), iter(range(1, 10**6))
    lives = [(base + timedelta(days=rng.randint(0, 60))).isoformat() for _ in range(4)]
    ids = ["4.0", "4.1", "4.1", "4.2", "4.3", "4.3", None, "4.4"]
    releases, lessons, actions = [], [], []
    for rid in ids:
        live = None if rng.random() < 0.1 else rng.choice(lives)
        rel = release(f"DCR-{next(n)}", rid, live)
        releases.append(rel)
        for _ in range(rng.randint(0, 5)):
            done = rng.random() < 0.6
            when = rng.random()
            resolved = (rng.choice(lives) if when < 0.5 else None if when < 0.7
                        else day(rng, base, 90))
            created = None if rng.random() < 0.2 else day(rng, base, 90)
            les = lesson(f"DCR-{next(n)}", rid, rel.key, title(rng), created=created,
                         resolved=resolved, done=done)
            lessons.append(les)
            if rng.random() < 0.6:
                later = done if rng.random() < 0.8 else not done      # reopened, or not
                actions.append(action(f"DCR-{next(n)}", rid, les.key,
                                      created=None if rng.random() < 0.2 else created,
                                      done=later, resolved=resolved))
    releases.sort(key=lambda r: (r.live_date or date.max, key_order(r.key)))
    return programme(releases, lessons, actions)


def carried_words(carried):
    """All a report can read of one release's carried over: the numbers the trend shows
    without finding the items, and the items with their ages."""
    return (carried.release, carried.live_date, carried.count, carried.items,
            carried.lessons, carried.actions, carried.still_open, carried.total)


@pytest.mark.parametrize("seed", range(60))
def test_carried_over_counted_in_the_walk_is_the_plain_definition_in_every_corner(seed):
    p = tangled_programme(seed)
    today = date(2026, 12, 10)
    figures = compute(p, today=today)
    for one, got, point in zip(p.releases, figures.releases, figures.trend, strict=True):
        want = carried_over(p, one, today)
        assert carried_words(got.carried_over) == carried_words(want), one.key
        assert got.carried_over.count == (want.lessons.value, want.actions.value,
                                          want.still_open.value)
        assert point.carried_in == want.actions.value


def plain_recurring(p):
    """Every earlier improvement compared with difflib: the best match, the lowest key on
    a tie, among titles sharing a third of their words of substance."""
    live = {r.release: r.live_date for r in p.releases}
    improvements = [l for l in p.lessons if l.kind == "improve" and live[l.release]]
    out = []
    for lesson_ in improvements:
        best = None
        for earlier in improvements:
            if not live[earlier.release] < live[lesson_.release]:
                continue
            a, b = _content(lesson_.title), _content(earlier.title)
            if lesson_.title != earlier.title and (not a & b or 3 * len(a & b) < min(len(a), len(b))):
                continue
            score = round(difflib_similarity(lesson_.title, earlier.title), 3)
            if lesson_.title == earlier.title:
                score = 1.0
            same = bool(lesson_.theme) and lesson_.theme == earlier.theme
            if score < SAME_TITLE and not (same and score >= SAME_THEME_TITLE):
                continue
            rank = (-score, key_order(earlier.key))
            if best is None or rank < best[0]:
                best = (rank, earlier.key, same)
        if best is not None:
            out.append((lesson_.key, best[1], -best[0][0], best[2]))
    return sorted(out, key=lambda r: key_order(r[0]))


@pytest.mark.parametrize("seed", range(25))
def test_recurring_lessons_are_the_plain_definition(seed):
    p = random_programme(seed)
    got = [(r.key, r.earlier_key, r.similarity, r.same_theme) for r in recurring(p)]
    assert got == plain_recurring(p)
