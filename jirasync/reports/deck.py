"""The Programme Board deck as data (README "8. The Programme Board deck"): the slides in
order, each filled from the figures, long lists flowing onto continuation slides. Pure: the
programme as read, its figures and the dates come in, a ``Deck`` goes out; the renderers
only lay it out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jirasync.reports.figures import ActionRow, Figures, Indicators, TrendPoint
from jirasync.reports.programme import Item, Programme
from jirasync.reports.slides import (Bullets, Chart, Deck, Link, Series, Slide, Stat, Stats,
                                     Table, paginate)
from jirasync.reports.summary import executive_summary, n

SECTIONS = ("title", "summary", "lessons", "actions", "state", "carried", "trend",
            "indicators", "recurring", "next", "appendix")
KEYS_PER_ROW = 8                   # appendix: keys per table row, so a row fits its slide
TITLE_CHARS = 80                   # a title longer than this is cut (Jira has it whole)
TREND_SERIES = ("lessons identified", "actions agreed", "actions carried in")


@dataclass(frozen=True)
class Scope:
    """What the deck covers: one release or the whole programme."""

    title: str                     # "DCR Release 4.2 — social care feeds"
    subtitle: str                  # "Release 4.2, live 2026-10-14"
    words: str                     # "release 4.2" | "the programme", inside sentences
    project: str
    releases: tuple[str, ...]      # the release ids covered


def build_deck(programme: Programme, figures: Figures, *, scope: Scope,
               trend: tuple[TrendPoint, ...],
               to_date: tuple[str, Indicators] | None = None) -> Deck:
    """Every slide of README "8. The Programme Board deck" in order. ``trend``: the releases
    up to the last covered; ``to_date``: the key indicators of those releases together,
    beside a release's own."""
    items = {i.key: i for i in (*programme.releases, *programme.lessons, *programme.actions)}
    c = _Context(figures, scope, trend, items, programme.url.rstrip("/") + "/browse/",
                 to_date)
    makers = (_title, _summary, _lessons, _actions, _state, _carried, _trend, _indicators,
              _recurring, _next, _appendix)
    slides = tuple(page for make in makers for slide in make(c)
                   for page in paginate(slide))
    return Deck(scope.title, scope.subtitle, figures.today.isoformat(), slides)


@dataclass(frozen=True)
class _Context:
    figures: Figures
    scope: Scope
    trend: tuple[TrendPoint, ...]
    items: dict[str, Item]
    browse: str = ""               # Jira's browse address, for keys not in ``items``
    to_date: tuple[str, Indicators] | None = None

    def link(self, key: str) -> Link:
        item = self.items.get(key)
        return Link(key, item.url if item else self.browse + key)

    def title(self, key: str) -> str:
        item = self.items.get(key)
        return short(item.title) if item else ""


def _title(c: _Context) -> list[Slide]:
    return [Slide("title", c.scope.title, (Bullets((
        "For the Working Group and the Programme Board",
        f"Every figure comes from Jira project {c.scope.project}; the data appendix "
        "lists the issue keys behind each one")),))]


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
    flagged = set(missing.keys)
    rows = tuple((c.link(key), _kind(c.items[key]), c.items[key].theme or "",
                  c.title(key) + (" (no action yet)" if key in flagged else ""))
                 for key in f.total.keys)
    return [Slide("lessons", "Lessons identified", (stats, themes),
                  lead="What went well, what went badly, by theme"),
            Slide("lessons", "Lessons identified: the list",
                  (Table(("lesson", "kind", "theme", "title"), rows),),
                  lead="Improvements without an action are marked")]


def _kind(lesson) -> str:
    made = " (by hand)" if lesson.hand_made else ""
    return (lesson.kind or "unclassified") + made


def _actions(c: _Context) -> list[Slide]:
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
    table = Table(("action", "owner", "due", "state", "days overdue", "rung (days)"),
                  tuple((c.link(r.key), r.owner or "no owner", _day(r.due), r.state,
                         str(r.days_overdue or ""), _rung(r)) for r in rows if r.state != "done"),
                  numeric=(4, 5), empty="Every action is done.")
    return [Slide("state", "Actions' state", (stats, table),
                  lead="Open, done and overdue; the escalation rung reached")]


def _rung(row: ActionRow) -> str:
    return "" if row.rung is None else str(row.rung)


def _carried(c: _Context) -> list[Slide]:
    carried = c.figures.carried_over
    into = f" into {carried.release}" if carried.release else ""
    stats = Stats((Stat("lessons carried", str(carried.lessons.value)),
                   Stat("actions carried", str(carried.actions.value)),
                   Stat("still open today", str(carried.still_open.value),
                        alert=bool(carried.still_open.value))))
    table = Table(("issue", "lesson or action", "title", "from", "age (days)", "open today"),
                  tuple((c.link(i.key), i.level, short(i.title), i.release or "",
                         "" if i.age_days is None else str(i.age_days),
                         "yes" if i.open_today else "no") for i in carried.items),
                  numeric=(4,), empty="Nothing was carried over.")
    live = f" (live {carried.live_date})" if carried.live_date else ""
    return [Slide("carried", f"Carried over{into}", (stats, table),
                  lead=f"Earlier releases' lessons and actions still open at go-live{live}")]


def _trend(c: _Context) -> list[Slide]:
    points = c.trend
    labels = tuple(p.release or p.key for p in points)
    series = (Series(TREND_SERIES[0], tuple(p.lessons.value for p in points)),
              Series(TREND_SERIES[1], tuple(p.actions.value for p in points)),
              Series(TREND_SERIES[2], tuple(p.carried_in.value for p in points)))
    table = Table(("release", "lessons", "actions", "carried in", "closure"),
                  tuple((label, str(p.lessons.value), str(p.actions.value),
                         str(p.carried_in.value), p.closure.percent)
                        for label, p in zip(labels, points, strict=True)), numeric=(1, 2, 3, 4))
    chart = Chart("Lessons, actions and carried actions per release", labels, series, table)
    return [Slide("trend", "Trend across releases", (chart,),
                  lead="Fewer actions carried into each release means lessons are learnt")]


def _indicators(c: _Context) -> list[Slide]:
    if c.to_date is None:
        blocks = (_indicator_stats(c.figures.indicators, ""),)
    else:
        label, together = c.to_date
        blocks = (_indicator_stats(c.figures.indicators, f"This release ({c.scope.words})"),
                  _indicator_stats(together, label))
    return [Slide("indicators", "Key indicators", blocks,
                  lead="How well lessons turn into actions that get done")]


def _indicator_stats(i: Indicators, caption: str) -> Stats:
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
        Stat("overdue", str(i.overdue.value), "open past the target date",
             alert=bool(i.overdue.value)),
        Stat("completeness", i.completeness.percent,
             f"{i.completeness.part.value} of {i.completeness.whole.value} with owner and date")),
        caption=caption)


def _recurring(c: _Context) -> list[Slide]:
    rows = tuple((c.link(r.key), short(r.title), r.release or "", c.link(r.earlier_key),
                  r.earlier_release or "") for r in c.figures.recurring)
    table = Table(("lesson", "title", "release", "raised before as", "in"), rows,
                  empty="No improvement was raised again.")
    return [Slide("recurring", "Recurring lessons", (table,),
                  lead="Improvements that match one of an earlier release")]


def _next(c: _Context) -> list[Slide]:
    steps = c.figures.next_steps
    review = steps.review
    when = f"{review:%A} {review.day} {review:%B %Y} at {review:%H:%M}" if review else \
        "not scheduled"
    table = Table(("action", "title", "owner", "due"),
                  tuple((c.link(r.key), short(r.title), r.owner or "no owner", _day(r.due))
                        for r in steps.due_before), empty="No action falls due before it.")
    return [Slide("next", "Next steps", (Bullets((
        f"Next lessons-learnt review: {when}",
        f"{n(steps.count.value, 'open action')} due by then, from this and earlier releases"
        if c.scope.releases and len(c.scope.releases) == 1 else
        f"{n(steps.count.value, 'open action')} due by then")), table),
        lead="Owners update their actions in Jira before the review")]


def _appendix(c: _Context) -> list[Slide]:
    rows = []
    for figure, keys in c.figures.appendix():
        chunks = [keys[i:i + KEYS_PER_ROW] for i in range(0, len(keys), KEYS_PER_ROW)] or [()]
        for at, chunk in enumerate(chunks):
            rows.append((figure if at == 0 else "", str(len(keys)) if at == 0 else "",
                         tuple(c.link(key) for key in chunk)))
    return [Slide("appendix", "Data appendix", (Table(("figure", "count", "Jira keys"),
                                                      tuple(rows), numeric=(1,)),),
                  lead=f"The issue keys behind every figure, in Jira project {c.scope.project}")]


def short(text: str, limit: int = TITLE_CHARS) -> str:
    """One line of at most ``limit`` characters, cut at a word, so a row fits its slide."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _day(day: date | None) -> str:
    return day.isoformat() if day else "no date"
