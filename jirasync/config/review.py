"""``review:`` and ``people:``: when the review meets, when owners are prompted, and who
hears at each rung of the escalation ladder."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from jirasync.escalation import Ladder, Rung, misplaced
from jirasync.review import ReviewCalendar, parse_time, parse_zone
from jirasync.schema import Section

LADDER = ((0, ("owner",)), (14, ("owner", "release_manager")),
          (30, ("owner", "release_manager", "pmo_lead")))


@dataclass(frozen=True)
class ReviewConfig:
    calendar: ReviewCalendar
    reminder: str                  # comment | digest
    ladder: Ladder
    prompt_days_before: int = 7
    place: str = ""                # where the review meets, for the agenda
    escalation_grace_days: int = 7     # the owner hears first (SPEC §5)
    rule_line: int | None = field(default=None, compare=False)      # for messages


def read_people(root: Section) -> Mapping[str, str]:
    s = root.section("people")
    if s is None:
        return MappingProxyType({})
    return MappingProxyType({name: s.text(name, required=True) or "" for name in s.doc})


def read_review(s: Section | None, timezone: str, people: Mapping[str, str],
                 root: Section) -> ReviewConfig | None:
    doc_section = s or Section(type(root.doc)(file=root.file, line=None), "review",
                               root.problems)
    doc_section.only(("rule", "time", "prompt_days_before", "reminder", "escalation",
                      "escalation_grace_days", "place"))
    days = doc_section.number("prompt_days_before", default=7, minimum=0, maximum=90,
                              integer=True)
    calendar = _calendar(doc_section, root, timezone, days)
    ladder = _read_ladder(doc_section, people)
    reminder = doc_section.choice("reminder", ("comment", "digest"), default="comment")
    grace = doc_section.number("escalation_grace_days", default=7, minimum=0, maximum=365,
                               integer=True)
    if calendar is None or ladder is None:
        return None
    return ReviewConfig(calendar=calendar, reminder=reminder, ladder=ladder,
                        prompt_days_before=days, escalation_grace_days=int(grace),
                        place=doc_section.text("place", default="") or "",
                        rule_line=doc_section.doc.line_of("rule"))


def _calendar(s: Section, root: Section, timezone: str, days: int) -> ReviewCalendar | None:
    """The review calendar; the timezone, the time and the rule each reported on its own."""
    rule = s.text("rule", default="FREQ=MONTHLY;BYDAY=1TU")
    time = s.text("time", default="10:00")
    ok = True
    for section, key, check in ((root, "timezone", lambda: parse_zone(timezone)),
                                (s, "time", lambda: parse_time(time)),
                                (s, "rule", lambda: ReviewCalendar(rule=rule, time="10:00",
                                                                   timezone="UTC"))):
        try:
            check()
        except ValueError as e:
            section.fail(key, str(e))
            ok = False
    if not ok:
        return None
    if days == 0 and parse_time(time).strftime("%H:%M") == "00:00":
        s.fail("prompt_days_before", "0 with a meeting at 00:00 leaves no time to prompt "
                                     "anyone; give 1 or more")
        return None
    return ReviewCalendar(rule=rule, time=time, timezone=timezone, prompt_days_before=days)


def _read_ladder(s: Section, people: Mapping[str, str]) -> Ladder | None:
    """Each rung's problems at the rung's own line; the default ladder needs its roles."""
    items = s.items("escalation")
    if not items:
        missing = sorted({w for _, n in LADDER for w in n} - {"owner"} - set(people))
        if missing:
            s.problems.add(s.file, s.doc.line or 1, s.key("escalation"),
                           f"the default ladder notifies {' and '.join(missing)}; add them "
                           "under people, or write your own review.escalation")
            return None
        return Ladder(tuple(Rung(d, n) for d, n in LADDER))
    rungs: list[Rung] = []
    lines: list[int | None] = []
    ok = True
    for item, _line in items:
        if item is None:
            ok = False
            continue
        item.only(("after_days", "notify"))
        days = item.number("after_days", default=None, minimum=0, maximum=3650, integer=True)
        notify = item.strings("notify")
        if not notify:
            item.fail("notify", "is required: 'owner' and/or role names from people")
        for who in notify:
            if who != "owner" and who not in people:
                item.fail("notify", f"'{who}' is neither 'owner' nor a role under people "
                                    f"({', '.join(people) or 'none defined'})")
        wrong = None if days is None else misplaced(days, [r.after_days for r in rungs])
        if days is None:
            if "after_days" not in item.doc:
                item.fail("after_days", "is required: days past the due date")
            ok = False
        elif wrong is not None and wrong[0] == "twice":
            item.fail("after_days", f"{days} is used twice (first on line {lines[wrong[1]]});"
                                    " give each rung its own number of days")
            ok = False
        elif wrong is not None:
            item.fail("after_days", f"{days} comes after {rungs[wrong[1]].after_days}; list "
                                    "the rungs in the order they fire")
            ok = False
        else:
            lines.append(item.doc.line_of("after_days"))
            rungs.append(Rung(days, notify))
        ok = ok and bool(notify)
    return Ladder(tuple(rungs)) if ok else None
