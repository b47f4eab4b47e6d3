"""The deck's slides of measures (``deck.py`` puts them in order): the trend across
releases, the key indicators, and the data appendix of the issue keys behind every figure.
Pure: each is made from the deck's ``Context``."""
from __future__ import annotations

from jirasync.reports.deckcontext import Context
from jirasync.reports.figures import Indicators
from jirasync.reports.programme import ActionIssue
from jirasync.reports.slides import Cell, Chart, Series, Slide, Stat, Stats, Table
from jirasync.reports.summary import n

KEYS_PER_ROW = 8                   # appendix: keys per table row, so a row fits its slide
PROGRAMME_KEY_ROWS = 6             # a programme deck's rows of each figure's keys
TREND_RELEASES = 12                # a chart of more columns is unreadable on a projector
TREND_SERIES = ("lessons identified", "actions agreed", "actions carried in")


def trend(c: Context) -> list[Slide]:
    points, lead = c.trend[-TREND_RELEASES:], \
        "Fewer actions carried into each release means lessons are learnt"
    if len(c.trend) > TREND_RELEASES:
        lead = f"The last {TREND_RELEASES} of {len(c.trend)} releases. {lead}"
    labels = tuple(p.release or p.key for p in points)
    series = (Series(TREND_SERIES[0], tuple(p.lessons.value for p in points)),
              Series(TREND_SERIES[1], tuple(p.actions.value for p in points)),
              Series(TREND_SERIES[2], tuple(p.carried_in for p in points)))
    table = Table(("release", "lessons", "actions", "carried in", "closure"),
                  tuple((label, str(p.lessons.value), str(p.actions.value),
                         str(p.carried_in), p.closure.percent)
                        for label, p in zip(labels, points, strict=True)), numeric=(1, 2, 3, 4))
    chart = Chart("Lessons, actions and carried actions per release", labels, series, table)
    return [Slide("trend", "Trend across releases", (chart,), lead=lead)]


def indicators(c: Context) -> list[Slide]:
    this = c.figures.indicators
    if c.to_date is None:
        blocks: tuple[Stats, ...] = (_indicator_stats(this, "", _answered(c, this)),)
    else:
        label, together = c.to_date
        blocks = (_indicator_stats(this, f"This release ({c.scope.words})", _answered(c, this)),
                  _indicator_stats(together, label, _answered(c, together)))
    return [Slide("indicators", "Key indicators", blocks,
                  lead="How well lessons turn into actions that get done")]


def _answered(c: Context, i: Indicators) -> str:
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


def appendix(c: Context) -> list[Slide]:
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
