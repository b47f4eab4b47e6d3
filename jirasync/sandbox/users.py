"""The people of a sandbox Jira and how each flavour names them.

Cloud identifies a user by ``accountId`` and never shows a username (GDPR); Data Center
identifies them by ``name`` (the username) and a stable ``key``. On Cloud a user may hide
their email address (their profile's privacy setting): "Privacy controls are applied to the
response based on the users' preferences. This could mean, for example, that the user's
email address is hidden." Their user JSON then has no ``emailAddress``, and a search by
that address does not find them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from .catalog import CLOUD


@dataclass(frozen=True)
class SandboxUser:
    """A Jira user: Cloud sees ``account_id``, Data Center sees ``name`` (the username)."""

    account_id: str
    name: str
    email: str
    display_name: str
    active: bool = True
    email_hidden: bool = False      # Cloud only: Data Center shows every address


DEFAULT_USERS: tuple[SandboxUser, ...] = (
    SandboxUser("5b10ac8d82e05b22cc7d4ef5", "pmo-bot", "pmo-bot@example.org", "PMO Bot"),
    SandboxUser("5b10a2844c20165700ede21a", "jodie.crowfoot", "jodie.crowfoot@example.org",
                "Jodie Crowfoot"),
    SandboxUser("5b109f2e9729b51b54dc274d", "pmo", "pmo@example.org", "Pat Morgan"),
    SandboxUser("5b10a0effa615349cb016cd8", "sam.jones", "sam.jones@example.org", "Sam Jones"),
    SandboxUser("5b10ac8d82e05b22cc7d4e11", "priya.shah", "priya.shah@example.org",
                "Priya Shah"),
    SandboxUser("5b10ac8d82e05b22cc7d4e22", "tom.okafor", "tom.okafor@example.org",
                "Tom Okafor"),
    SandboxUser("5b10ac8d82e05b22cc7d4e33", "alex.green", "alex.green@example.org",
                "Alex Green"),
    SandboxUser("5b10ac8d82e05b22cc7d4e44", "alex.green2", "alex.green2@example.org",
                "Alex Green"),
)


class UnknownUser(LookupError):
    """A user reference in a request names nobody, or names them the wrong way."""


class Directory:
    """The users of one sandbox, looked up the way the flavour's REST API does."""

    def __init__(self, users: tuple[SandboxUser, ...] | list[SandboxUser], flavour: str):
        self.flavour = flavour
        self._users: list[SandboxUser] = []
        self._by_id: dict[str, SandboxUser] = {}
        self._keys: dict[str, str] = {}
        for user in users:
            self.add(user)

    @property
    def cloud(self) -> bool:
        return self.flavour == CLOUD

    def add(self, user: SandboxUser) -> None:
        if user.account_id in self._by_id or user.name in self._by_id:
            raise ValueError(f"a user with id {user.account_id} or name {user.name} exists")
        self._keys[user.name] = f"JIRAUSER{10000 + len(self._users)}"
        self._users.append(user)
        self._by_id[self.id_of(user)] = user

    def all(self) -> list[SandboxUser]:
        return list(self._users)

    def deactivate(self, user: SandboxUser) -> None:
        """The user leaves: kept (issues still name them) but inactive, as Jira does."""
        gone = replace(user, active=False)
        self._users[self._users.index(user)] = gone
        self._by_id[self.id_of(user)] = gone

    def id_of(self, user: SandboxUser) -> str:
        """What this flavour stores in assignee/reporter: accountId or username."""
        return user.account_id if self.cloud else user.name

    def get(self, user_id: str | None) -> SandboxUser | None:
        return self._by_id.get(user_id) if user_id else None

    def find(self, ref: str) -> SandboxUser | None:
        """Any identifier a test might hold: accountId, username, email or DC key."""
        for user in self._users:
            if ref in (user.account_id, user.name, user.email, self._keys[user.name]):
                return user
        return None

    def from_ref(self, ref: object) -> SandboxUser:
        """The user a request body names: ``{"accountId"}`` on Cloud, ``{"name"}`` on DC."""
        if not isinstance(ref, dict):
            raise UnknownUser("Specify the user as an object.")
        if self.cloud:
            if "accountId" not in ref:
                raise UnknownUser("Specify the user by accountId; names and keys are not "
                                  "accepted on Jira Cloud.")
            user = self.get(ref["accountId"])
        else:
            user = self.get(ref.get("name")) or self._by_key(ref.get("key"))
        if user is None:
            raise UnknownUser(f"User '{ref.get('accountId') or ref.get('name')}' does not exist.")
        return user

    def _by_key(self, key: object) -> SandboxUser | None:
        return next((u for u in self._users if self._keys[u.name] == key), None)

    def search(self, text: str) -> list[SandboxUser]:
        """Users whose email, display-name word or (DC) username starts with ``text``."""
        needle = text.strip().lower()
        return [u for u in self._users if u.active and self._matches(u, needle)]

    def _matches(self, user: SandboxUser, needle: str) -> bool:
        names = [user.display_name.lower(), *user.display_name.lower().split()]
        if self.shows_email(user):
            names.append(user.email.lower())
        if not self.cloud:
            names.append(user.name.lower())
        return bool(needle) and any(n.startswith(needle) for n in names)

    def details_json(self, user: SandboxUser, base_url: str) -> dict[str, Any]:
        """UserDetails: the user as issue fields, comments and notify show them."""
        if self.cloud:
            body: dict[str, Any] = {
                "self": f"{base_url}/rest/api/2/user?accountId={user.account_id}",
                "accountId": user.account_id, "accountType": "atlassian"}
        else:
            body = {"self": f"{base_url}/rest/api/2/user?username={quote(user.name)}",
                    "name": user.name, "key": self._keys[user.name]}
        if self.shows_email(user):
            body["emailAddress"] = user.email
        body.update(displayName=user.display_name, active=user.active,
                    timeZone="Europe/London")
        return body

    def shows_email(self, user: SandboxUser) -> bool:
        return not (self.cloud and user.email_hidden)

    def user_json(self, user: SandboxUser, base_url: str) -> dict[str, Any]:
        """User: the user as ``/myself`` and the user searches show them."""
        return {**self.details_json(user, base_url), "locale": "en_GB"}
