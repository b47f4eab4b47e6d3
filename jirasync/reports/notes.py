"""The presenter's notes of each slide: what its figures mean, where they come from in
Jira (a JQL query of the keys the page shows), and the points to make. Pure."""
from __future__ import annotations

from collections.abc import Iterable

from jirasync.reports.figures import Figures
from jirasync.reports.slides import Link, Slide, Table
from jirasync.reports.summary import n

JQL_KEYS = 60                     # a query longer than this many keys is cut (and says so)


def notes(section: str, f: Figures, *, project: str, words: str) -> tuple[str, ...]:
    """What to say over a slide of ``section``, before its page's own keys."""
    a, lessons, carried = f.actions, f.lessons, f.carried_over
    said = {
        "title": ((f"The Lessons Report of {words}, from Jira project {project} as of "
                  f"{f.today.isoformat()}."),
                  ("Every number can be opened in Jira: the data appendix lists the issue "
                  "keys behind each one, and the notes of each slide give its query.")),
        "summary": ("Read the sentences as they stand: each is a figure of a later slide.",
                    "End on the last sentence: it is the one decision asked of the board."),
        "scope": (("What this report covers: the release, its dates, and who took part "
                  "(the owners of its actions)."),),
        "lessons": ((f"{n(lessons.total.value, 'lesson')} identified: "
                    f"{lessons.keep.value} to keep (went well), {lessons.improve.value} to "
                    "improve (went badly)."),
                    f"{n(lessons.improvements_without_action.value, 'improvement')} without "
                    "an action: ask the board to name owners for them."
                    if lessons.improvements_without_action.value else
                    "Every improvement has an action agreed."),
        "well": ("What went well: practices to repeat in the next release.",),
        "badly": (("What went badly: for each, what happened, its cause and its effect, as "
                  "the release file records them."),
                  "Ask whether each action agreed removes the cause, not only the effect."),
        "significant": (("The lessons that matter most, ranked: raised again from an earlier "
                        "release, carried longest, with overdue actions, escalated."),),
        "recommendations": (("The improvements and the actions agreed for them; lessons that "
                            "recurred are proposed for the standard release template, so "
                            "every release answers them."),
                            "Ask the board to endorse the template proposals."),
        "measures": (("The release's own measurements as the PMO recorded them in the "
                     "release file, beside the lessons indicators from Jira."),),
        "actions": ((f"{n(a.agreed.value, 'action')} agreed, each with an owner and a target "
                    "date in Jira."),),
        "state": ((f"{a.open.value} open, {a.done.value} done, {a.overdue.value} overdue "
                  "(open past the target date). The rung is the escalation step reached, "
                  "in days after the due date."),
                  "Name the owners of overdue actions; ask for a date they will hold."
                  if a.overdue.value else "Nothing is overdue: say so."),
        "carried": ((f"Lessons and actions of earlier releases still open when "
                    f"{carried.release or 'the release'} went live: "
                    f"{carried.still_open.value} of them still open today."),
                    "Carried work is the clearest sign a lesson was not learnt."),
        "trend": (("Each release's lessons, actions, and actions carried into it from "
                  "earlier ones."), "A falling carried-in column means lessons are learnt."),
        "indicators": (("Closure rate: actions done of those agreed. On-time rate: done by "
                       "the due date, of those done with one. Median days to close: "
                       "created to resolved. Completeness: actions with owner and date."),),
        "recurring": (("Improvements whose title matches one of an earlier release: the "
                      "earlier actions did not stop it happening again."),
                      "Propose each for the standard release template."),
        "next": ("The next lessons-learnt review, and the open actions due by then.",
                 ("Owners update their actions in Jira before the review; chase reminds "
                 "them.")),
        "appendix": ("The issue keys behind every figure: open any of them in Jira.",
                     "The whole list of every lesson and action is `jirasync export`."),
    }
    return said.get(section, ())


def page_keys(slide: Slide, project: str) -> tuple[str, ...]:
    """The JQL of the issue keys a page shows, for the presenter to open in Jira."""
    keys = list(dict.fromkeys(_links(b for b in slide.blocks if isinstance(b, Table))))
    if not keys:
        return ()
    shown = ", ".join(keys[:JQL_KEYS])
    more = f" (the first {JQL_KEYS} of {len(keys)})" if len(keys) > JQL_KEYS else ""
    return (f"In Jira{more}: project = {project} AND key in ({shown})",)


def _links(tables: Iterable[Table]) -> Iterable[str]:
    for table in tables:
        for row in table.rows:
            for value in row:
                for part in value if isinstance(value, tuple) else (value,):
                    if isinstance(part, Link):
                        yield part.text
