"""The deck's slides that list lessons and actions (``deck.py`` puts them in order): the
lessons identified, the actions agreed and their state, what was carried over, the
recurring lessons and the next steps. Pure: each is made from the deck's ``Context``."""
from __future__ import annotations

from jirasync.reports.deckcontext import Context, per_release
from jirasync.reports.figures import ActionRow
from jirasync.reports.lessonsreport import day as _day
from jirasync.reports.lessonsreport import short
from jirasync.reports.programme import LessonIssue
from jirasync.reports.slides import Bullets, Slide, Stat, Stats, Table
from jirasync.reports.summary import n


def lessons(c: Context) -> list[Slide]:
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
        return [first, Slide("lessons", "Lessons identified per release", (per_release(
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


def _lesson(c: Context, key: str) -> LessonIssue:
    item = c.items[key]
    assert isinstance(item, LessonIssue)        # the key of a lesson counted: a lesson
    return item


def _kind(lesson: LessonIssue) -> str:
    made = " (by hand)" if lesson.hand_made else ""
    return (lesson.kind or "unclassified") + made


def actions(c: Context) -> list[Slide]:
    if c.scope.whole:
        a = c.figures.actions
        return [Slide("actions", "Actions agreed per release", (per_release(
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


def state(c: Context) -> list[Slide]:
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


def carried(c: Context) -> list[Slide]:
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


def recurring(c: Context) -> list[Slide]:
    listed, lead = c.cut(c.figures.recurring,
                        "Improvements that match one of an earlier release")
    rows = tuple((c.link(r.key), short(r.title), r.release or "", c.link(r.earlier_key),
                  r.earlier_release or "") for r in listed)
    table = Table(("lesson", "title", "release", "raised before as", "in"), rows,
                  empty="No improvement was raised again.")
    return [Slide("recurring", "Recurring lessons", (table,), lead=lead)]


def next_steps(c: Context) -> list[Slide]:
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
