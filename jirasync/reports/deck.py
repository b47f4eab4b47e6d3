"""The Programme Board deck as data (README "8. The Programme Board deck"): the slides in
order, each filled from the figures, long lists flowing onto continuation slides. Pure: the
programme as read, its figures and the dates come in, a ``Deck`` goes out; the renderers
only lay it out."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TypeVar

import jirasync.reports.lessonsreport as report
from jirasync.model import Release
from jirasync.reports.figures import (
    ActionRow,
    Figures,
    Indicators,
    ReleaseFigures,
    TrendPoint,
)
from jirasync.reports.lessonsreport import day as _day
from jirasync.reports.lessonsreport import short
from jirasync.reports.notes import notes, page_keys
from jirasync.reports.pages import paginate
from jirasync.reports.programme import ActionIssue, Item, LessonIssue, Programme
from jirasync.reports.slides import (
    Bullets,
    Cell,
    Chart,
    Deck,
    Link,
    Series,
    Slide,
    Stat,
    Stats,
    Table,
)
from jirasync.reports.summary import executive_summary, n

SECTIONS = ("title", "summary", "scope", "lessons", "well", "badly", "significant",
            "recommendations", "actions", "state", "carried", "trend", "indicators",
            "measures", "recurring", "next", "appendix")
KEYS_PER_ROW = 8                   # appendix: keys per table row, so a row fits its slide
# A programme deck lists at most this many rows of a list (most pressing first), and says
# how many more the data appendix and the export hold: a Board reads the top of a list.
PROGRAMME_ROWS = 45
PROGRAMME_KEY_ROWS = 6             # and of each figure's keys in its data appendix
TREND_RELEASES = 12                # a chart of more columns is unreadable on a projector
TREND_SERIES = ("lessons identified", "actions agreed", "actions carried in")


@dataclass(frozen=True)
class Scope:
    """What the deck covers: one release or the whole programme."""

    title: str                     # "DCR Release 4.2 — social care feeds"
    subtitle: str                  # "Release 4.2, live 2026-10-14"
    words: str                     # "release 4.2" | "the programme", inside sentences
    project: str
    releases: tuple[str, ...]      # the release ids covered
    whole: bool = False            # the whole programme: per-release lists, long ones cut


def build_deck(programme: Programme, figures: Figures, *, scope: Scope,
               trend: tuple[TrendPoint, ...],
               to_date: tuple[str, Indicators] | None = None,
               files: Mapping[str, Release] | None = None) -> Deck:
    """Every slide of README "8. The Programme Board deck" in order. ``trend``: the releases
    up to the last covered; ``to_date``: the key indicators of those releases together,
    beside a release's own; ``files``: the release files read, by release id (what
    happened, cause, effect, measures)."""
    items = {i.key: i for i in (*programme.releases, *programme.lessons, *programme.actions)}
    c = _Context(figures, scope, trend, items, programme.url.rstrip("/") + "/browse/",
                 to_date, dict(files or {}))
    makers = (_title, _summary, report.scope, _lessons, report.went_well, report.went_badly,
              report.significant, report.recommendations, _actions, _state, _carried,
              _trend, _indicators, report.measurements, _recurring, _next, _appendix)
    slides = tuple(_noted(page, c) for make in makers for slide in make(c)
                   for page in paginate(slide))
    return Deck(scope.title, scope.subtitle, figures.today.isoformat(), slides)


def _noted(page: Slide, c: _Context) -> Slide:
    said = notes(page.section, c.figures, project=c.scope.project, words=c.scope.words)
    more = ("Continued from the previous slide.",) if page.part > 1 else ()
    return replace(page, notes=page.notes + said + more + page_keys(page, c.scope.project))


T = TypeVar("T")


@dataclass(frozen=True)
class _Context:
    figures: Figures
    scope: Scope
    trend: tuple[TrendPoint, ...]
    items: dict[str, Item]
    browse: str = ""               # Jira's browse address, for keys not in ``items``
    to_date: tuple[str, Indicators] | None = None
    files: dict[str, Release] = field(default_factory=dict)

    def cut(self, rows: Iterable[T], lead: str,
            total: int | None = None) -> tuple[tuple[T, ...], str]:
        """A programme deck's list: its first PROGRAMME_ROWS rows, the lead saying so.
        ``rows`` may be made lazily (``total`` of them): only those shown are made."""
        total = len(rows) if total is None else total          # type: ignore[arg-type]
        if not self.scope.whole or total <= PROGRAMME_ROWS:
            return tuple(rows), lead
        more = total - PROGRAMME_ROWS
        return tuple(islice(rows, PROGRAMME_ROWS)), (
            f"{lead}. The first {PROGRAMME_ROWS} … and {more:,} more in the data appendix "
            "/ export")

    def link(self, key: str) -> Link:
        item = self.items.get(key)
        return Link(key, item.url if item else self.browse + key)

    def title(self, key: str) -> str:
        item = self.items.get(key)
        return short(item.title) if item else ""


def _title(c: _Context) -> list[Slide]:
    return [Slide("title", c.scope.title, (Bullets((
        "For the Working Group and the Programme Board",
        (f"Every figure comes from Jira project {c.scope.project}; the data appendix "
        "lists the issue keys behind each one"))),))]


def _summary(c: _Context) -> list[Slide]:
    sentences = executive_summary(c.figures, trend=c.trend, scope=c.scope.words)
    return [Slide("summary", "Executive summary", (Bullets(sentences),))]


def _lessons(c: _Context) -> list[Slide]:
    f = c.figures.lessons
    missing = f.improvements_without_action
    stats = Stats((
        Stat("lessons identified", str(f.total.value),
             n(f.hand_made.value, "raised by hand", "raised by hand") + " in Jira"),
        Stat("to keep", str(f.keep.value), "went well: do it again"),
        Stat("to improve", str(f.improve.value), "went badly: change it"),
        Stat("improvements without an action", str(missing.value),
             "no owner or date agreed yet", alert=bool(missing.value))))
    themes = Table(("theme", "lessons", "keep", "improve"),
                   tuple((t.theme or "(no theme)", str(t.lessons.value), str(t.keep.value),
                          str(t.improve.value)) for t in f.by_theme), numeric=(1, 2, 3))
    first = Slide("lessons", "Lessons identified", (stats, themes),
                  lead="What went well, what went badly, by theme")
    if c.scope.whole:
        return [first, Slide("lessons", "Lessons identified per release", (_per_release(
            c, ("lessons", "keep", "improve", "without an action"),
            lambda r: (r.lessons.total.value, r.lessons.keep.value, r.lessons.improve.value,
                       r.lessons.improvements_without_action.value)),),
            lead="Every lesson is listed in the data appendix")]
    flagged = set(missing.keys)
    rows = tuple((c.link(key), _kind(lesson), lesson.theme or "",
                  c.title(key) + (" (no action yet)" if key in flagged else ""))
                 for key, lesson in ((k, _lesson(c, k)) for k in f.total.keys))
    return [first, Slide("lessons", "Lessons identified: the list",
                         (Table(("lesson", "kind", "theme", "title"), rows),),
                         lead="Improvements without an action are marked")]


def _per_release(c: _Context, columns: tuple[str, ...],
                 numbers: Callable[[ReleaseFigures], tuple[int | str, ...]]) -> Table:
    """One row a release (a programme deck's lists): its id, live date and ``numbers``."""
    return Table(("release", "live", *columns),
                 tuple((r.release.release or r.release.key, _day(r.release.live_date),
                        *(v if isinstance(v, str) else f"{v:,}" for v in numbers(r)))
                       for r in c.figures.releases),
                 numeric=tuple(range(2, 2 + len(columns))), dense=True)


def _lesson(c: _Context, key: str) -> LessonIssue:
    item = c.items[key]
    assert isinstance(item, LessonIssue)        # the key of a lesson counted: a lesson
    return item


def _kind(lesson: LessonIssue) -> str:
    made = " (by hand)" if lesson.hand_made else ""
    return (lesson.kind or "unclassified") + made


def _actions(c: _Context) -> list[Slide]:
    if c.scope.whole:
        a = c.figures.actions
        return [Slide("actions", "Actions agreed per release", (_per_release(
            c, ("agreed", "done", "open", "overdue", "closure"),
            lambda r: (r.actions.agreed.value, r.actions.done.value, r.actions.open.value,
                       r.actions.overdue.value, r.indicators.closure_rate.percent)),),
            lead=f"{a.agreed.value:,} actions, {a.done.value:,} done; every one is in "
                 "the data appendix, the open ones on the next slides")]
    rows = tuple((c.link(r.key), short(r.title), r.owner or "no owner", _day(r.due))
                 for r in c.figures.actions.rows)
    return [Slide("actions", "Actions agreed",
                  (Table(("action", "title", "owner", "target date"), rows,
                         empty="No actions agreed yet."),),
                  lead=f"{n(len(rows), 'action')}, each with an owner and a target date")]


def _state(c: _Context) -> list[Slide]:
    a = c.figures.actions
    stats = Stats((Stat("open", str(a.open.value), "not done yet"),
                   Stat("done", str(a.done.value), "status Done or resolved"),
                   Stat("overdue", str(a.overdue.value), "open and past the target date",
                        alert=bool(a.overdue.value))))
    order = {"overdue": 0, "open": 1, "done": 2}
    rows = sorted(a.rows, key=lambda r: (order[r.state], -(r.days_overdue or 0)))
    listed, lead = c.cut(tuple(r for r in rows if r.state != "done"),
                        "Open, done and overdue; the escalation rung reached")
    table = Table(("action", "owner", "due", "state", "days overdue", "rung (days)"),
                  tuple((c.link(r.key), r.owner or "no owner", _day(r.due), r.state,
                         str(r.days_overdue or ""), _rung(r)) for r in listed),
                  numeric=(4, 5), empty="Every action is done.")
    return [Slide("state", "Actions' state", (stats, table), lead=lead)]


def _rung(row: ActionRow) -> str:
    return "" if row.rung is None else str(row.rung)


def _carried(c: _Context) -> list[Slide]:
    carried = c.figures.carried_over
    into = f" into {carried.release}" if carried.release else ""
    stats = Stats((Stat("lessons carried", str(carried.lessons.value)),
                   Stat("actions carried", str(carried.actions.value)),
                   Stat("still open today", str(carried.still_open.value),
                        alert=bool(carried.still_open.value))))
    live = f" (live {carried.live_date})" if carried.live_date else ""
    listed, lead = c.cut(carried.items,
                        f"Earlier releases' lessons and actions still open at go-live{live}")
    table = Table(("issue", "lesson or action", "title", "from", "age (days)", "open today"),
                  tuple((c.link(i.key), i.level, short(i.title), i.release or "",
                         "" if i.age_days is None else str(i.age_days),
                         "yes" if i.open_today else "no") for i in listed),
                  numeric=(4,), empty="Nothing was carried over.")
    return [Slide("carried", f"Carried over{into}", (stats, table), lead=lead)]


def _trend(c: _Context) -> list[Slide]:
    points, lead = c.trend[-TREND_RELEASES:], \
        "Fewer actions carried into each release means lessons are learnt"
    if len(c.trend) > TREND_RELEASES:
        lead = f"The last {TREND_RELEASES} of {len(c.trend)} releases. {lead}"
    labels = tuple(p.release or p.key for p in points)
    series = (Series(TREND_SERIES[0], tuple(p.lessons.value for p in points)),
              Series(TREND_SERIES[1], tuple(p.actions.value for p in points)),
              Series(TREND_SERIES[2], tuple(p.carried_in.value for p in points)))
    table = Table(("release", "lessons", "actions", "carried in", "closure"),
                  tuple((label, str(p.lessons.value), str(p.actions.value),
                         str(p.carried_in.value), p.closure.percent)
                        for label, p in zip(labels, points, strict=True)), numeric=(1, 2, 3, 4))
    chart = Chart("Lessons, actions and carried actions per release", labels, series, table)
    return [Slide("trend", "Trend across releases", (chart,), lead=lead)]


def _indicators(c: _Context) -> list[Slide]:
    this = c.figures.indicators
    if c.to_date is None:
        blocks: tuple[Stats, ...] = (_indicator_stats(this, "", _answered(c, this)),)
    else:
        label, together = c.to_date
        blocks = (_indicator_stats(this, f"This release ({c.scope.words})", _answered(c, this)),
                  _indicator_stats(together, label, _answered(c, together)))
    return [Slide("indicators", "Key indicators", blocks,
                  lead="How well lessons turn into actions that get done")]


def _answered(c: _Context, i: Indicators) -> str:
    """Owners' answers among the actions ``i`` counts (docs/answers.md), for the overdue
    indicator: the open actions their owners say are blocked (not counted overdue in status
    and the agenda) and the due dates they extended; "" when there are none."""
    actions = [a for a in (c.items.get(k) for k in i.closure_rate.whole.keys)
               if isinstance(a, ActionIssue)]
    blocked = sum(1 for a in actions if a.answered.blocked and not a.done)
    times = sum(a.answered.extensions for a in actions)
    parts = [f"{blocked} blocked"] if blocked else []
    parts += [f"{times} due date{'' if times == 1 else 's'} extended"] if times else []
    return "; ".join(parts)


def _indicator_stats(i: Indicators, caption: str, answered: str = "") -> Stats:
    median = i.median_days_to_close.value
    return Stats((
        Stat("closure rate", i.closure_rate.percent,
             f"{i.closure_rate.part.value} of {n(i.closure_rate.whole.value, 'action')} done"),
        Stat("on-time rate", i.on_time_rate.percent,
             f"{i.on_time_rate.part.value} of {i.on_time_rate.whole.value} done by the due date"
             if i.on_time_rate.whole.value else "no action with a due date done yet"),
        Stat("median days to close", "–" if median is None else f"{median:g}",
             f"over {n(len(i.median_days_to_close.keys), 'closed action')}"
             if median is not None else "no action closed yet"),
        Stat("overdue", str(i.overdue.value), "open past the target date"
             + (f"; {answered}" if answered else ""), alert=bool(i.overdue.value)),
        Stat("completeness", i.completeness.percent,
             f"{i.completeness.part.value} of {i.completeness.whole.value} with owner and date")),
        caption=caption)


def _recurring(c: _Context) -> list[Slide]:
    listed, lead = c.cut(c.figures.recurring,
                        "Improvements that match one of an earlier release")
    rows = tuple((c.link(r.key), short(r.title), r.release or "", c.link(r.earlier_key),
                  r.earlier_release or "") for r in listed)
    table = Table(("lesson", "title", "release", "raised before as", "in"), rows,
                  empty="No improvement was raised again.")
    return [Slide("recurring", "Recurring lessons", (table,), lead=lead)]


def _next(c: _Context) -> list[Slide]:
    steps = c.figures.next_steps
    review = steps.review
    when = f"{review:%A} {review.day} {review:%B %Y} at {review:%H:%M}" if review else \
        "not scheduled"
    listed, lead = c.cut(steps.due_before,
                        "Owners update their actions in Jira before the review")
    table = Table(("action", "title", "owner", "due"),
                  tuple((c.link(r.key), short(r.title), r.owner or "no owner", _day(r.due))
                        for r in listed), empty="No action falls due before it.")
    return [Slide("next", "Next steps", (Bullets((
        f"Next lessons-learnt review: {when}",
        f"{n(steps.count.value, 'open action')} due by then, from this and earlier releases"
        if c.scope.releases and len(c.scope.releases) == 1 else
        f"{n(steps.count.value, 'open action')} due by then")), table), lead=lead)]


def _appendix(c: _Context) -> list[Slide]:
    rows: list[tuple[Cell, ...]] = []
    for figure, keys in c.figures.appendix():
        chunks = [keys[i:i + KEYS_PER_ROW] for i in range(0, len(keys), KEYS_PER_ROW)] or [()]
        cut = c.scope.whole and len(chunks) > PROGRAMME_KEY_ROWS
        for at, chunk in enumerate(chunks[:PROGRAMME_KEY_ROWS] if cut else chunks):
            rows.append((figure if at == 0 else "", f"{len(keys):,}" if at == 0 else "",
                         tuple(c.link(key) for key in chunk)))
        if cut:
            more = len(keys) - PROGRAMME_KEY_ROWS * KEYS_PER_ROW
            rows.append(("", "", f"… and {more:,} more in the export (jirasync export)"))
    lead = f"The issue keys behind every figure, in Jira project {c.scope.project}"
    if c.scope.whole:
        lead = f"The first issue keys behind each figure, in Jira project {c.scope.project}"
    return [Slide("appendix", "Data appendix", (Table(("figure", "count", "Jira keys"),
                                                      tuple(rows), numeric=(1,), dense=True,
                                                      carry=(0,)),),
                  lead=lead)]
