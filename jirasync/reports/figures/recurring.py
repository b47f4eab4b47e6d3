"""Recurring lessons: an improvement raised again, matched to the closest improvement of a
release live earlier by the words of their titles (pure)."""
from __future__ import annotations

import bisect
import collections
import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import date

from jirasync.reports.figures.types import Recurrence, key_order
from jirasync.reports.programme import LessonIssue, Programme

# Recurring lessons: titles this alike (difflib's ratio, 0..1) are the same problem
# raised again; with the same theme a looser match is enough.
SAME_TITLE = 0.75
SAME_THEME_TITLE = 0.5


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1: difflib's ratio over their words, in order and
    sorted (so 'feeds turned off late' matches 'late turning off of feeds' too). Words,
    not characters: as good at telling a problem raised again, and ten times quicker on
    a programme of thousands of improvements."""
    return _similarity(collections.Counter(_words(a)), collections.Counter(_words(b)))


def _similarity(a: collections.Counter[str], b: collections.Counter[str]) -> float:
    """``similarity`` of two titles' word counts, without running difflib: on sorted
    sequences difflib's matching blocks are exactly the words the two share (counted
    with repeats), and no order of the words matches more, so the larger of the two
    ratios is always the sorted one, 2 * shared / (len a + len b), the same float
    difflib returns (tests/reports/test_figures.py checks it against difflib)."""
    length = a.total() + b.total()
    if not a or not b:
        return 0.0
    return 2.0 * (a & b).total() / length


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# Words that say nothing of the problem: two titles sharing only these are not compared.
_COMMON = frozenset(["the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "but", "with", "by", "at", "from", "was", "were", "is", "are", "be", "been", "not", "no", "too", "our", "their", "its", "it", "this", "that", "before", "after"])


def recurring(programme: Programme, scope: Iterable[str] = ()) -> tuple[Recurrence, ...]:
    """Improvements of ``scope``'s releases (all when empty) that match an improvement of
    a release live earlier: the closest earlier match for each (the earliest key on a
    tie). Titles are compared once per pair of distinct titles, and only when they share
    a third of their words of substance (titles sharing fewer are
    different problems, or have a typo in nearly every word)."""
    live = {r.release: r.live_date for r in programme.releases}
    improvements = [l for l in programme.lessons
                    if l.kind == "improve" and live.get(l.release) is not None]
    by_title: dict[str, list[LessonIssue]] = {}
    for lesson in improvements:
        by_title.setdefault(lesson.title, []).append(lesson)
    alike = _alike_titles(list(by_title))
    earliest = {title: _Earliest(lessons, live) for title, lessons in by_title.items()}
    chosen = set(scope)
    out = []
    for lesson in improvements:
        if chosen and lesson.release not in chosen:
            continue
        best = _best(lesson, alike.get(lesson.title, ()), earliest, live)
        if best is not None:
            out.append(best)
    return tuple(sorted(out, key=lambda r: key_order(r.key)))


def _alike_titles(titles: Sequence[str]) -> dict[str, list[tuple[float, str]]]:
    """For each title, the titles at least SAME_THEME_TITLE alike: (score, title), the
    most alike first. Counting and intersecting run in C (Counter over the index's lists,
    set intersection where no word repeats): a programme that words ten problems its own
    way in every release compares hundreds of thousands of pairs."""
    words = {t: _content(t) for t in titles}
    counts = {t: collections.Counter(_words(t)) for t in titles}
    sizes = {t: c.total() for t, c in counts.items()}
    plain = {t: len(c) == sizes[t] for t, c in counts.items()}    # no word repeats
    index: dict[str, list[str]] = {}     # word -> the titles met so far that hold it
    out: dict[str, list[tuple[float, str]]] = {}
    for title in titles:                 # each pair once: a title meets those before it
        mine, size = counts[title], len(words[title])
        shared = collections.Counter(itertools.chain.from_iterable(
            index.get(word, ()) for word in words[title]))
        for other, n in shared.items():
            if 3 * n >= min(size, len(words[other])):
                theirs = counts[other]
                common = len(mine.keys() & theirs.keys()) if plain[title] and plain[other] \
                    else (mine & theirs).total()
                # _similarity's own expression, so the float is the same to the last bit
                score = round(2.0 * common / (sizes[title] + sizes[other]), 3)
                if score >= SAME_THEME_TITLE:
                    out.setdefault(title, []).append((score, other))
                    out.setdefault(other, []).append((score, title))
        out.setdefault(title, []).append((1.0, title))
        for word in words[title]:
            index.setdefault(word, []).append(title)
    for pairs in out.values():
        pairs.sort(key=lambda p: -p[0])
    return out


class _Earliest:
    """The improvements of one title by live date, answering 'the lowest key among those
    live before a day' (of any theme, or of one) by bisection instead of a scan."""

    def __init__(self, lessons: Sequence[LessonIssue], live: dict[str | None, date | None]):
        self.live = live
        self.any = self._prefix(lessons)
        self.themes = {t: self._prefix([l for l in lessons if l.theme == t])
                       for t in {l.theme for l in lessons if l.theme}}

    def _prefix(self, lessons: Sequence[LessonIssue]) -> tuple[list[date], list[LessonIssue]]:
        ordered = sorted(lessons, key=lambda l: (self.live[l.release] or date.max,
                                                 key_order(l.key)))
        lowest: list[LessonIssue] = []
        for lesson in ordered:
            better = not lowest or key_order(lesson.key) < key_order(lowest[-1].key)
            lowest.append(lesson if better else lowest[-1])
        return [self.live[l.release] or date.max for l in ordered], lowest

    def before(self, when: date, theme: str | None = None) -> LessonIssue | None:
        days, lowest = self.any if theme is None else self.themes.get(theme, ([], []))
        n = bisect.bisect_left(days, when)
        return lowest[n - 1] if n else None


def _best(lesson: LessonIssue, alike: Sequence[tuple[float, str]],
          earliest: dict[str, _Earliest],
          live: dict[str | None, date | None]) -> Recurrence | None:
    """The most alike improvement of a release live before ``lesson``'s (the lowest key
    on a tie) that ``_accepts``; its Recurrence is made once, for the one chosen."""
    when = live[lesson.release] or date.min
    best: tuple[float, LessonIssue] | None = None
    for score, title in alike:
        if best is not None and score < best[0]:
            break
        loose = score < SAME_TITLE
        if loose and not lesson.theme:
            continue
        candidate = earliest[title].before(when, lesson.theme if loose else None)
        if candidate is not None and _accepts(lesson, candidate, score) and (
                best is None or score > best[0] or
                key_order(candidate.key) < key_order(best[1].key)):
            best = (score, candidate)
    return None if best is None else _recurrence(lesson, best[1], best[0])


def _content(title: str) -> set[str]:
    return {w for w in _words(title) if w not in _COMMON and not w.isdigit()}


def _accepts(lesson: LessonIssue, earlier: LessonIssue, score: float) -> bool:
    """Alike enough: SAME_TITLE, or SAME_THEME_TITLE within one theme."""
    return score >= SAME_TITLE or (score >= SAME_THEME_TITLE and bool(lesson.theme)
                                   and lesson.theme == earlier.theme)


def _recurrence(lesson: LessonIssue, earlier: LessonIssue, score: float) -> Recurrence:
    same_theme = bool(lesson.theme) and lesson.theme == earlier.theme
    return Recurrence(lesson.key, lesson.title, lesson.release, earlier.key, earlier.title,
                      earlier.release, score, same_theme)
