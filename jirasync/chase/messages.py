"""The texts owners receive, rendered from overridable templates in ``templates/chase``."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jirasync.chase.escalation import Rung
from jirasync.chase.reminders import Escalation, OpenAction
from jirasync.render import RenderError, render_template, template_environment
from jirasync.chase.review import ReviewCycle


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

    def prompt(self, action: OpenAction, cycle: ReviewCycle, mention: str) -> str:
        return render_template(self.jira_env, "chase/prompt.jira.j2", {
            "mention": mention, "action": action, "meeting": when(cycle.meeting),
            "cycle": cycle.name})

    def escalation(self, action: OpenAction, escalation: Escalation, mentions: Sequence[str],
                   upcoming: ReviewCycle, *, owner: str | None = None) -> str:
        """``mentions`` of everyone the rung names; ``owner`` the owner's (None: unowned)."""
        others = [m for m in mentions if m != owner] if escalation.rung.escalates else []
        return render_template(self.jira_env, "chase/escalation.jira.j2", {
            "mentions": " ".join(mentions), "action": action, "owner": owner or "nobody",
            "days_overdue": escalation.days_overdue,
            "escalated": escalation.rung.escalates, "escalated_to": ", ".join(others),
            "after_days": escalation.rung.after_days, "next_meeting": when(upcoming.meeting)})

    def digest(self, actions: Sequence[OpenAction], cycle: ReviewCycle) -> tuple[str, str, str]:
        rows = [{"key": a.key, "summary": a.summary, "due": a.due, "url": self.browse + a.key}
                for a in actions]
        context = {"actions": rows, "meeting": when(cycle.meeting), "cycle": cycle.name}
        subject = render_template(self.jira_env, "chase/digest-subject.txt.j2", context)
        return (subject.strip(), render_template(self.jira_env, "chase/digest.txt.j2", context),
                render_template(self.html_env, "chase/digest.html.j2", context))


def rehearse(templates_dir: Path | None) -> list[str]:
    """Render every chase text once with sample data: the problems a user's template
    would cause on the prompt day, found now (empty when all render)."""
    texts = Texts(templates_dir, "https://jira.example.org")
    zone = ZoneInfo("Europe/London")
    cycle = ReviewCycle(datetime(2026, 12, 1, 10, tzinfo=zone),
                        datetime(2026, 11, 24, tzinfo=zone))
    action = OpenAction("DCR-31", "Add feed shutdown to the drop checklist", "u1",
                        date(2026, 11, 20), "Sam Jones")
    escalation = Escalation(action, Rung(14, ("owner", "release_manager")), 11)
    problems: list[str] = []
    renders: tuple[Callable[[], object], ...] = (
        lambda: texts.prompt(action, cycle, "[~sam]"),
        lambda: texts.escalation(action, escalation, ["[~sam]", "[~jodie]"], cycle,
                                 owner="[~sam]"),
        lambda: texts.digest([action], cycle))
    for render in renders:
        try:
            render()
        except RenderError as e:
            problems.append(str(e))
    return problems
