"""The texts owners receive, rendered from overridable templates in ``templates/chase``."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jirasync.chase.reminders import Escalation, OpenAction
from jirasync.escalation import Rung
from jirasync.render import RenderError, render_template, template_environment
from jirasync.review import ReviewCycle


def when(meeting: datetime) -> str:
    """'Tuesday 1 December 2026 at 10:00 (Europe/London)'"""
    return f"{meeting:%A} {meeting.day} {meeting:%B %Y at %H:%M} ({meeting.tzinfo})"


class Texts:
    """Renders what owners receive: the prompt and escalation comments (wiki markup) and
    the digest (subject, text and HTML)."""

    def __init__(self, templates_dir: Path | None, browse_url: str):
        self.jira_env = template_environment(templates_dir)
        self.html_env = template_environment(templates_dir, autoescape=True)
        self.browse = browse_url.rstrip("/") + "/browse/"

    def prompt(self, action: OpenAction, cycle: ReviewCycle, mention: str,
               on: date | None = None) -> str:
        """``on``: the day it is sent, for "overdue by N days"."""
        return render_template(self.jira_env, "chase/prompt.jira.j2", {
            "mention": mention, "action": action, "meeting": when(cycle.meeting),
            "cycle": cycle.name, **_where(action), "days_overdue": overdue(action, on)})

    def escalation(self, action: OpenAction, escalation: Escalation, mentions: Sequence[str],
                   upcoming: ReviewCycle, *, owner: str | None = None,
                   copied: Sequence[str] = (), left_out: Sequence[str] = (),
                   waiting: Sequence[str] = ()) -> str:
        """``mentions`` of everyone told now; ``owner`` the owner's (None: unowned);
        ``copied`` the mentions of the others told; ``left_out`` who the rung names but
        owns the action; ``waiting`` the roles an owner-first message says come next."""
        until = escalation.held_until
        return render_template(self.jira_env, "chase/escalation.jira.j2", {
            "mentions": " ".join(mentions), "action": action, "owner": owner or "nobody",
            "days_overdue": escalation.days_overdue, **_where(action),
            "escalated": bool(copied), "copied": ", ".join(copied),
            "escalated_to": ", ".join(copied), "left_out": " and ".join(left_out),
            "waiting": " and ".join(waiting), "until": f"{until:%A} {until.day} {until:%B %Y}"
            if until else "", "after_days": escalation.rung.after_days,
            "next_meeting": when(upcoming.meeting)})

    def digest(self, actions: Sequence[OpenAction], cycle: ReviewCycle,
               on: date | None = None) -> tuple[str, str, str]:
        rows = [{"key": a.key, "summary": a.summary, "due": a.due, "url": self.browse + a.key,
                 "overdue": overdue(a, on), **_where(a)} for a in actions]
        context = {"actions": rows, "meeting": when(cycle.meeting), "cycle": cycle.name}
        subject = render_template(self.jira_env, "chase/digest-subject.txt.j2", context)
        return (subject.strip(), render_template(self.jira_env, "chase/digest.txt.j2", context),
                render_template(self.html_env, "chase/digest.html.j2", context))


def overdue(action: OpenAction, on: date | None) -> int:
    """Days past the due date on ``on`` (0: not overdue, or no date)."""
    return max(0, (on - action.due).days) if on and action.due else 0


def role_name(role: str) -> str:
    """'release_manager' as a sentence says it: 'the release manager'."""
    words = ["PMO" if w.casefold() == "pmo" else w for w in role.replace("_", " ").split()]
    return "the " + " ".join(words)


def _where(action: OpenAction) -> dict[str, str]:
    return {"lesson": action.lesson or "(lesson not found)",
            "release": action.release or "(release not found)"}


def rehearse(templates_dir: Path | None) -> list[str]:
    """Render every chase text once with sample data: the problems a user's template
    would cause on the prompt day, found now (empty when all render)."""
    texts = Texts(templates_dir, "https://jira.example.org")
    zone = ZoneInfo("Europe/London")
    cycle = ReviewCycle(datetime(2026, 12, 1, 10, tzinfo=zone),
                        datetime(2026, 11, 24, tzinfo=zone))
    action = OpenAction("DCR-31", "Add feed shutdown to the drop checklist", "u1",
                        date(2026, 11, 20), "Sam Jones", lesson="Feeds were switched off late",
                        release="DCR Release 4.2")
    escalation = Escalation(action, Rung(14, ("owner", "release_manager")), 11)
    first = Escalation(action, Rung(14, ("owner", "release_manager")), 11,
                       date(2026, 12, 1), owner_first=True, grace=7)
    problems: list[str] = []
    renders: tuple[Callable[[], object], ...] = (
        lambda: texts.prompt(action, cycle, "[~sam]", date(2026, 11, 24)),
        lambda: texts.escalation(action, escalation, ["[~sam]", "[~jodie]"], cycle,
                                 owner="[~sam]", copied=["[~jodie]"]),
        lambda: texts.escalation(action, first, ["[~sam]"], cycle, owner="[~sam]",
                                 waiting=["the release manager"], left_out=["Jodie"]),
        lambda: texts.digest([action], cycle, date(2026, 11, 24)))
    for render in renders:
        try:
            render()
        except RenderError as e:
            problems.append(str(e))
    return problems
