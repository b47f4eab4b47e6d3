"""Finding the Jira user an owner names: email, Cloud accountId, DC username or display name."""
from __future__ import annotations

from collections.abc import Iterable

from jirasync.errors import UserNotFound
from jirasync.gateway.convert import user_from_json
from jirasync.gateway.failures import Call
from jirasync.gateway.limits import USER_PAGE, USER_SEARCH_MAX
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport, decode
from jirasync.gateway.types import User


def mention(user: User | str, flavour: str) -> str:
    """Wiki markup that mentions ``user`` (a User or a user id) in a comment."""
    uid = user if isinstance(user, str) else user.id
    return f"[~accountid:{uid}]" if flavour == "cloud" else f"[~{uid}]"


PRELOAD_FROM = 4     # below this many owners, searching for each is cheaper


class UserDirectory:
    """Resolves owners once per gateway; failures are remembered too."""

    def __init__(self, transport: Transport, flavour: str):
        self._t = transport
        self.flavour = flavour
        self._known: dict[str, User | str] = {}

    def find(self, query: str) -> User:
        """The one active Jira user ``query`` names, or UserNotFound saying why not."""
        query = query.strip()
        if query not in self._known:
            self._known[query] = self._resolve(query)
        found = self._known[query]
        if isinstance(found, str):
            raise UserNotFound(found)
        return found

    def preload(self, project: str, queries: Iterable[str], *, pages: int = 50) -> None:
        """Resolve many owners with a few requests: owners must be assignable in the
        project anyway, so list its assignable users and match each owner exactly. Owners
        that do not match one listed user exactly (Cloud hides most emails) are left to
        ``find``, which searches for them one by one."""
        wanted = {q.strip() for q in queries} - set(self._known)
        if len(wanted) < PRELOAD_FROM:
            return
        users: list[User] = []
        call = Call("user-search", "the list of assignable users", safe=True, allow=(400, 404))
        for page in range(pages):
            response = self._t.request(call, "GET", "user/assignable/search", params={
                "project": project, "startAt": page * USER_PAGE, "maxResults": USER_PAGE})
            found = Answer.items(decode(call, response, self._t.url), call) if response.ok \
                else []
            if not found:      # a short page is not the last: Cloud filters after paging,
                break          # Data Center 10 gives at most 100 whatever is asked
            users += [user_from_json(u, self.flavour) for u in found if _person(u)]
        for query in wanted:
            exact = [u for u in users if _exact(query, u)]
            if len(exact) == 1:
                self._known[query] = exact[0]

    def _resolve(self, query: str) -> User | str:
        if self.flavour == "cloud" and query and "@" not in query \
                and not any(c.isspace() for c in query):
            # An accountId names one user; Cloud answers 400/404 for one that is malformed.
            found = self._search("accountId", query, allow=(400, 404))
            by_id = [u for u in found if u.id == query]
            if by_id:
                return by_id[0]
        # Data Center's "username" parameter matches usernames, emails and display names.
        param = "query" if self.flavour == "cloud" else "username"
        return pick(query, self._search(param, query), self.flavour)

    def _search(self, param: str, query: str, allow: tuple[int, ...] = ()) -> list[User]:
        call = Call("user-search", f"the search for user '{query}'", safe=True, allow=allow)
        response = self._t.request(call, "GET", "user/search",
                                   params={param: query, "maxResults": USER_SEARCH_MAX})
        found = Answer.items(decode(call, response, self._t.url), call) if response.ok else []
        return [user_from_json(u, self.flavour) for u in found if _person(u)]


def _person(user: Answer) -> bool:
    """A person who can own an action: not deactivated (absent means active), not an app."""
    return (not user.has("active") or user.flag("active")) \
        and user.text("accountType") != "app"


def _exact(query: str, user: User) -> bool:
    q = query.casefold()
    return q in (user.id.casefold(), user.display_name.casefold(), (user.email or "").casefold())


def pick(query: str, people: list[User], flavour: str) -> User | str:
    """The match for ``query`` among search results, or the message saying why there is none."""
    hint = "use the email or account id" if flavour == "cloud" else "use the email or username"
    exact = [u for u in people if _exact(query, u)]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or people
    if not candidates:
        return f"no Jira user matches '{query}'" + (_hidden(flavour) if "@" in query else "")
    if len(candidates) == 1:
        if "@" in query and not candidates[0].email:
            # Cloud hides most email addresses, yet searching by one finds its user;
            # a shown address that differs is somebody else.
            return candidates[0]
        return (f"no Jira user matches '{query}' exactly (did you mean "
                f"{_describe(candidates[0])}?); {hint}")
    names = ", ".join(_describe(u) for u in candidates)
    return f"'{query}' matches {len(candidates)} Jira users: {names}; {hint}"


def _hidden(flavour: str) -> str:
    """Why Jira may not find someone by their email, and the name that always works."""
    if flavour == "cloud":
        return ("; check the address: if it is right, the person may keep it hidden (a "
                "Jira Cloud privacy setting, and Jira then does not find them by it): name "
                "them by their Jira account id (the last part of their Jira profile's "
                "address) instead")
    return "; check the address, or name them by their Jira username instead"


def _describe(user: User) -> str:
    return f"{user.display_name} ({user.email or user.id})"
