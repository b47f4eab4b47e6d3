"""The executive summary: three to five sentences written from the figures, in the shape
of a PRINCE2 Lessons Report's summary. Pure. Each number is one the deck shows on its own
slide (lessons identified, actions' state, carried over, trend, key indicators)."""
from __future__ import annotations

from jirasync.reports.figures import Figures, TrendPoint


def n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def executive_summary(figures: Figures, *, trend: tuple[TrendPoint, ...], scope: str,
                      ) -> tuple[str, ...]:
    """``scope`` names what the deck covers ("release 4.2", "the programme")."""
    return tuple(s for s in (_lessons(figures, scope), _actions(figures),
                             _carried(figures, trend), _ask(figures)) if s)


def _lessons(f: Figures, scope: str) -> str:
    lessons = f.lessons
    text = (f"{n(lessons.total.value, 'lesson was', 'lessons were')} identified in {scope}: "
            f"{lessons.keep.value} to keep and {lessons.improve.value} to improve")
    notes = [f"{lessons.unclassified.value} not yet marked keep or improve"
             if lessons.unclassified.value else "",
             f"{lessons.hand_made.value} raised by hand in Jira"
             if lessons.hand_made.value else "",
             f"{lessons.not_reviewed.value} template "
             f"{'lesson' if lessons.not_reviewed.value == 1 else 'lessons'} not reviewed"
             if lessons.not_reviewed.value else ""]
    notes = [note for note in notes if note]
    return text + (f" ({'; '.join(notes)})." if notes else ".")


def _actions(f: Figures) -> str:
    a, i = f.actions, f.indicators
    if not a.agreed.value:
        return "No actions have been agreed yet."
    late = f"of which {a.overdue.value} overdue" if a.overdue.value else "none overdue"
    text = (f"{n(a.agreed.value, 'action was', 'actions were')} agreed: "
            f"{a.done.value} done ({i.closure_rate.percent}), {a.open.value} open, {late}")
    if i.on_time_rate.whole.value:
        text += f"; {i.on_time_rate.percent} of those done with a due date closed on time"
    return text + "."


def _carried(f: Figures, trend: tuple[TrendPoint, ...]) -> str:
    carried = f.carried_over
    if carried.release is None:
        return ""
    text = (f"{n(carried.count.actions, 'action')} and {n(carried.count.lessons, 'lesson')} "
            f"from earlier releases were still open when {carried.release} went live")
    before = [p for p in trend if p.live_date and carried.live_date
              and p.live_date < carried.live_date]
    if before:
        previous = before[-1]
        was, now = previous.carried_in, carried.count.actions
        text += (f", the same as the {was} carried into {previous.release}" if now == was
                 else f", {'fewer' if now < was else 'more'} than the {was} carried into "
                      f"{previous.release}")
    return text + "."


def _ask(f: Figures) -> str:
    """The one thing the board should act on: the most pressing, in this order."""
    overdue = f.actions.overdue_rows()
    if overdue:
        worst = overdue[0]
        late = (f"{worst.key} is {n(worst.days_overdue or 0, 'day')} late "
                f"(owner {worst.owner or 'unassigned'})")
        if len(overdue) == 1:
            return f"The board should act on the one overdue action: {late}."
        return (f"The board should act on the {len(overdue)} overdue actions, the oldest "
                f"first: {late}.")
    still = f.carried_over.still_open.value
    if still:
        what = n(still, "lesson or action", "lessons and actions")
        verb = "is" if still == 1 else "are"
        return (f"The board should act on the {what} carried from earlier releases that "
                f"{verb} still open today.")
    missing = f.lessons.improvements_without_action.value
    if missing:
        return (f"The board should ask for owners and actions for the "
                f"{n(missing, 'improvement that has', 'improvements that have')} none.")
    if f.recurring:
        return (f"The board should look at the {n(len(f.recurring), 'lesson')} raised again "
                "from earlier releases: the actions taken did not stop them.")
    return "Nothing needs the board's decision: every action is on track."
