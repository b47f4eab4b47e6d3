"""Who a chase message goes to: the people a rung of the escalation ladder names, looked up
in Jira once a run from the config's ``people`` (a role Jira cannot find is said once, and
every escalation that needs it fails with that sentence)."""
from __future__ import annotations

from jirasync.chase.messages import role_name
from jirasync.chase.port import ChaseJira
from jirasync.chase.reminders import OpenAction
from jirasync.config import Config
from jirasync.errors import UserNotFound
from jirasync.escalation import Rung


class People:
    """The roles a rung names, found in Jira (each at most once a run)."""

    def __init__(self, jira: ChaseJira, config: Config):
        self.jira, self.config = jira, config
        self.found: dict[str, tuple[str, str] | str] = {}   # role -> (id, name) or why not

    def next_up(self, rung: Rung, action: OpenAction) -> list[str]:
        """Who ``rung`` names besides the owner, as the owner-first message says them:
        "Jodie Crowfoot (the release manager)", or the role alone when Jira cannot say
        (the rung itself then fails, and says why, when it is due)."""
        out = []
        for who in dict.fromkeys(rung.notify):
            if who == "owner":
                continue
            try:
                user, name = self.role(who)
            except UserNotFound:
                out.append(role_name(who))
                continue
            if user != action.owner:
                out.append(f"{name} ({role_name(who)})")
        return out

    def named(self, rung: Rung, action: OpenAction) -> tuple[dict[str, str], list[str]]:
        """User id -> name to show, of everyone ``rung`` names for ``action``, and the
        roles it names who own the action (left out: nobody is escalated to themselves);
        UserNotFound if a role in config ``people`` names nobody Jira knows."""
        out: dict[str, str] = {}
        left_out: list[str] = []
        for who in rung.notify:
            if who != "owner":
                user, name = self.role(who)
                if user == action.owner:
                    left_out.append(f"{name} ({role_name(who)})")
                else:
                    out.setdefault(user, name)
            elif action.owner:
                out.setdefault(action.owner, action.owner_name or action.owner)
        if action.owner in out:     # the owner first, as the message lists them
            out = {action.owner: out.pop(action.owner), **out}
        return out, left_out

    def role(self, who: str) -> tuple[str, str]:
        if who not in self.found:
            self.found[who] = self._find(who)
        found = self.found[who]
        if isinstance(found, str):
            raise UserNotFound(found)
        return found

    def _find(self, who: str) -> tuple[str, str] | str:
        email = self.config.people.get(who)
        if not email:
            return (f"escalation not sent: the ladder names {who}, who is not under people "
                    "in the config; add them")
        try:
            user = self.jira.find_user(email)
        except UserNotFound as e:
            return f"escalation not sent: people.{who}: {e}; correct it in the config"
        return (user.id, user.display_name or user.id)
