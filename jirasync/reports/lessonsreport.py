"""The slides of a PRINCE2 Lessons Report the deck's figures alone do not give: its scope,
what went well, what went badly (what happened, cause, effect: from the release files),
the significant lessons ranked, the recommendations (with the lessons proposed for the
standard release template because they recurred) and the release's own measurements.
Pure: ``deck.py`` passes its context (``deckcontext.py``: figures, the items by key, the
release files)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from jirasync.model import Lesson, Release
from jirasync.reports.figures import ActionRow, Recurrence
from jirasync.reports.programme import ActionIssue, LessonIssue
from jirasync.reports.slides import Bullets, Slide, Stat, Stats, Table
from jirasync.reports.summary import n

if TYPE_CHECKING:       # the deck calls these sections with its context
    from jirasync.reports.deckcontext import Context

TITLE_CHARS = 80                   # a title longer than this is cut (Jira has it whole)
STORY_CHARS = 160                  # what happened, cause, effect: a line or two each
SIGNIFICANT = 10                   # lessons ranked
PROPOSALS = 5                      # recurring lessons proposed for the template, listed
MEASURE_COLUMNS = 5                # a programme deck's measures table: its first names
NOT_RECORDED = "not recorded"


def short(text: str, limit: int = TITLE_CHARS) -> str:
    """One line of at most ``limit`` characters, cut at a word, so a row fits its slide."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:.") + "…"


def day(value: date | None) -> str:
    return value.isoformat() if value else "no date"


def file_lesson(c: Context, key: str) -> Lesson | None:
    """The release file's lesson behind the Jira lesson ``key`` (None: made by hand, or
    its file is gone)."""
    item = c.items.get(key)
    release = c.files.get((item.release if item else None) or "")
    lesson_id = item.lesson if isinstance(item, (LessonIssue, ActionIssue)) else None
    if release is None or lesson_id is None:
        return None
    return next((lesson for lesson in release.lessons if lesson.id == lesson_id), None)


def scope(c: Context) -> list[Slide]:
    f, s = c.figures, c.scope
    owners = sorted({r.owner for r in f.actions.rows if r.owner}, key=str.casefold)
    raised = sorted({lesson.raised_by for key in f.lessons.total.keys
                     if (lesson := file_lesson(c, key)) and lesson.raised_by})
    created = sorted(i.created for key in f.lessons.total.keys
                     if (i := c.items.get(key)) and i.created)
    lines = []
    if s.whole:
        lines.append(f"{s.subtitle}, in Jira project {s.project}")
    else:
        issue = next((r.release for r in f.releases), None)
        lines.append(f"{s.title}: {s.subtitle.lower()}"
                     + (f" ({'from Jira' if issue.dated_by == 'jira' else 'from its file'})"
                        if issue is not None and issue.live_date else ""))
    lines.append(f"{n(f.lessons.total.value, 'lesson')} and {n(f.actions.agreed.value, 'action')}"
                 + (f", lessons raised {created[0]} to {created[-1]}" if created else ""))
    known = {o.casefold() for o in owners}
    people = owners + [p for p in raised if _as_name(p).casefold() not in known]
    listed = ", ".join(people[:8]) + (f" and {len(people) - 8} more" if len(people) > 8 else "")
    lines.append(f"Who took part: {listed}" if people else "Who took part: no owner named yet")
    files = [c.files[r] for r in s.releases if r in c.files]
    if not s.whole:
        lines.append(f"Release file: {_file_words(files[0])}" if files else
                     "No release file for it here: lessons as Jira holds them")
    return [Slide("scope", "Scope", (Bullets(tuple(lines)),),
                  lead="What this report covers, and who took part")]


def _as_name(who: str) -> str:
    """An address as the name Jira likely shows (jodie.crowfoot@... -> jodie crowfoot), so
    a raiser who also owns an action is listed once."""
    local = who.split("@")[0] if "@" in who else who
    return " ".join(local.replace(".", " ").replace("_", " ").replace("-", " ").split())


def _file_words(release: Release) -> str:
    where = release.where.file if release.where else release.id
    where = "/".join(where.replace("\\", "/").split("/")[-2:])   # releases/4.3.yaml
    return where + (f" (extends the {release.extends} template)" if release.extends else "")


def went_well(c: Context) -> list[Slide]:
    keys = c.figures.lessons.keep.keys
    rows = ((c.link(k), c.title(k), _story(c, k, "description")) for k in keys)
    listed, lead = c.cut(rows, "Practices to repeat: what happened, as the release file says",
                         len(keys))
    return [Slide("well", "What went well", (Table(("lesson", "title", "what happened"),
                                                   listed, empty="No lesson to keep."),),
                  lead=lead)]


def went_badly(c: Context) -> list[Slide]:
    keys = c.figures.lessons.improve.keys
    rows = ((c.link(k), c.title(k), _story(c, k, "description"), _story(c, k, "cause"),
             _story(c, k, "effect")) for k in keys)
    listed, lead = c.cut(rows, "Each improvement: what happened, its cause and its effect",
                         len(keys))
    return [Slide("badly", "What went badly",
                  (Table(("lesson", "title", "what happened", "cause", "effect"), listed,
                         empty="No lesson to improve."),), lead=lead)]


def _story(c: Context, key: str, field: str) -> str:
    lesson = file_lesson(c, key)
    if lesson is None:
        return "raised by hand in Jira: see the issue" if field == "description" else \
            NOT_RECORDED
    return short(getattr(lesson, field) or "", STORY_CHARS) or NOT_RECORDED


def significant(c: Context) -> list[Slide]:
    """Lessons ranked by what makes them matter: raised again, carried longest, overdue
    actions, escalated. A lesson with none of these is not significant."""
    f = c.figures
    recurred = {r.key: r for r in f.recurring}
    carried: dict[str, int] = {}
    over = f.carried_over
    for rank, item in enumerate(over.carried):  # the items, not their rows: far cheaper
        lesson = item.key if isinstance(item, LessonIssue) else item.parent or item.key
        carried[lesson] = max(carried.get(lesson, 0), over.age(rank) or 0)
    late: dict[str, list[ActionRow]] = defaultdict(list)
    for row in f.actions.rows:
        if row.state == "overdue" and row.lesson_key:
            late[row.lesson_key].append(row)
    keys = set(recurred) | set(carried) | set(late)
    ranked = sorted(keys, key=lambda k: (-(k in recurred), -carried.get(k, 0),
                                         -len(late.get(k, ())),
                                         -max((r.rung or 0 for r in late.get(k, ())),
                                              default=0), k))[:SIGNIFICANT]
    rows = tuple((str(n_), c.link(k), c.title(k), _why(k, recurred, carried, late))
                 for n_, k in enumerate(ranked, start=1))
    lead = f"The {len(ranked)} that matter most of {len(keys)}" if len(keys) > len(ranked) \
        else "Raised again, carried longest, with overdue or escalated actions"
    return [Slide("significant", "Significant lessons",
                  (Table(("rank", "lesson", "title", "why it matters"), rows, numeric=(0,),
                         empty="No lesson recurred, was carried over or has an overdue "
                               "action."),), lead=lead)]


def _why(key: str, recurred: Mapping[str, Recurrence], carried: Mapping[str, int],
         late: Mapping[str, Sequence[ActionRow]]) -> str:
    why = []
    if key in recurred:
        r = recurred[key]
        why.append(f"raised again (as {r.earlier_key} in {r.earlier_release or '?'})")
    if carried.get(key):
        why.append(f"carried over, {carried[key]} days old at go-live")
    rows = late.get(key, ())
    if rows:
        why.append(f"{n(len(rows), 'action')} overdue, the worst by "
                   f"{n(max(r.days_overdue or 0 for r in rows), 'day')}")
        rung = max((r.rung for r in rows if r.rung is not None), default=None)
        if rung is not None:
            why.append(f"escalated ({rung} days after due)")
    return "; ".join(why)


def recommendations(c: Context) -> list[Slide]:
    f = c.figures
    actions: dict[str, list[ActionRow]] = defaultdict(list)
    for row in f.actions.rows:
        if row.lesson_key:
            actions[row.lesson_key].append(row)
    rows = ((c.link(key), c.title(key), (c.link(a.key),) if a else "no action agreed yet",
             short(a.title, 60) if a else "", (a.owner or "no owner") if a else "",
             day(a.due) if a else "")
            for key in f.lessons.improve.keys for a in actions.get(key, ()) or (None,))
    total = sum(max(1, len(actions.get(key, ()))) for key in f.lessons.improve.keys)
    listed, lead = c.cut(rows, "Each improvement and the action agreed for it", total)
    proposals = [f"Add \u201c{short(r.title, 70)}\u201d ({r.key}; raised before as "
                 f"{r.earlier_key} in {r.earlier_release or '?'}) to the standard release "
                 "template" for r in f.recurring[:PROPOSALS]]
    if len(f.recurring) > PROPOSALS:
        proposals.append(f"… and {len(f.recurring) - PROPOSALS} more (Recurring lessons)")
    proposals = proposals or [("No lesson recurred: nothing to add to the standard release "
                              "template")]
    table = Table(("improvement", "title", "action", "what", "owner", "due"), tuple(listed),
                  empty="No improvement to recommend on.")
    return [Slide("recommendations", "Recommendations", (Bullets(tuple(proposals)), table),
                  lead=lead)]


def measurements(c: Context) -> list[Slide]:
    f, i = c.figures, c.figures.indicators
    stats = Stats((Stat("closure rate", i.closure_rate.percent, "actions done"),
                   Stat("on-time rate", i.on_time_rate.percent, "done by the due date"),
                   Stat("overdue", str(i.overdue.value), "open past the date",
                        alert=bool(i.overdue.value)),
                   Stat("carried in", str(f.carried_over.total.value),
                        "from earlier releases")), caption="Lessons indicators (Jira)")
    files = [c.files[r] for r in c.scope.releases if r in c.files]
    hint = "No measurements in the release file: add `measures:` (planned and actual " \
        "live date, defects, incidents…)"
    if not c.scope.whole:
        measures = files[0].measures if files else ()
        table = Table(("measure (release file)", "value"), measures, empty=hint)
    else:
        names = list(dict.fromkeys(m for r in files for m, _ in r.measures))[:MEASURE_COLUMNS]
        rows = tuple((r.id, *(dict(r.measures).get(m, "") for m in names)) for r in files
                     if r.measures)
        table = Table(("release", *names), rows, empty=hint.replace("file:", "files:"),
                      dense=True)
    return [Slide("measures", "Measurements", (stats, table),
                  lead="The release as the PMO measured it, beside the lessons indicators")]
