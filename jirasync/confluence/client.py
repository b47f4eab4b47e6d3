"""The requests publish makes of Confluence, for Cloud and Data Center, sent through the
gateway's ``Transport`` (paced, retried under its rules, failures turned into errors).

Cloud: pages and content properties by REST v2 (``/wiki/api/v2``); labels, CQL search
and attachments by v1 (``/wiki/rest/api``), which Cloud still requires for them. Data
Center: ``/rest/api/content`` for all. ``url`` is Confluence's own address: Cloud's ends
in ``/wiki``; Data Center's is its base URL with any context path (``/confluence``).
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from jirasync.confluence.types import Bot, Found, Page, Property, Space
from jirasync.errors import JiraError
from jirasync.gateway.failures import CONFLUENCE, Call, public_url
from jirasync.gateway.sessions import session
from jirasync.gateway.transport import Transport, decode
from jirasync.gateway.types import Pacing
from jirasync.json_values import ToJSON
from jirasync.netloc import in_clear
from jirasync.secret import Secret

IDENTITY = "jirasync"           # the content property that says which page is whose
SEARCH_PAGE = 50
NO_CHECK = {"X-Atlassian-Token": "nocheck"}     # attachments: Confluence's XSRF guard
NEEDED = (("create", "page"), ("create", "attachment"))   # what publish does in a space


class ConfluenceError(JiraError):
    """Confluence refused or failed a request (the transport's words, about Confluence)."""


def connect_wiki(url: str, *, flavour: str, email: str | None = None,
                 token: Secret | str, pacing: Pacing | None = None,
                 sleep: Callable[[float], Any] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 allow_insecure_http: bool = False) -> Wiki:
    """A gateway to the Confluence at ``url``: Cloud with ``email`` and API token (basic),
    Data Center with a personal access token (bearer)."""
    if in_clear(url) and not allow_insecure_http:
        raise ValueError(f"{public_url(url)} would send the token in clear; use https://")
    http = session(user=email, token=token) if flavour == "cloud" else session(bearer=token)
    transport = Transport(url, pacing or Pacing(), sleep=sleep, clock=clock, rng=random.random,
                          service=CONFLUENCE)
    transport.session = http
    return Wiki(url.rstrip("/"), flavour, transport)


class Wiki:
    """Confluence, in the operations publish needs (``publish.port.Confluence``)."""

    def __init__(self, url: str, flavour: str, transport: Transport):
        self.url, self.flavour, self.transport = url, flavour, transport
        # Until Confluence has answered once, a refused connection is not retried: nothing
        # listening at confluence.url is said at once, as for Jira's first request.
        self._answered = False

    @property
    def cloud(self) -> bool:
        return self.flavour == "cloud"

    @property
    def stats(self) -> dict[str, int]:
        return self.transport.stats

    # -- sending -------------------------------------------------------------------

    def _send(self, kind: str, what: str, method: str, path: str, *, safe: bool,
              params: dict[str, Any] | None = None, body: Any = None,
              files: dict[str, Any] | None = None, allow: tuple[int, ...] = ()) -> Any:
        call = Call(kind, what, safe=safe, allow=allow,
                    connect_tries=None if self._answered else 1)
        url = self.url + path
        http = self.transport.session
        assert http is not None
        headers = NO_CHECK if files is not None else None
        try:
            response = self.transport.run(call, lambda: http.request(
                method, url, params=params, json=body, files=files, headers=headers))
        except JiraError as e:
            raise ConfluenceError(str(e), status=e.status,
                                  retryable=e.retryable, maybe_applied=e.maybe_applied) \
                from None
        self._answered = True
        if response.status_code in allow:
            return response.status_code
        return decode(call, response, self.url, CONFLUENCE)

    def _v2(self, path: str) -> str:
        return f"/api/v2{path}"

    def _v1(self, path: str) -> str:
        return f"/rest/api{path}"

    # -- reading -------------------------------------------------------------------

    def space(self, key: str) -> Space:
        """The space (404 as a ConfluenceError: no such space, or the bot cannot see it)."""
        if self.cloud:
            found = self._send("wiki-read", f"the look-up of space {key}", "GET",
                               self._v2("/spaces"), safe=True, params={"keys": key})
            results = found.get("results") or []
            if not results:
                raise ConfluenceError(f"Confluence has no space {key}, or the bot cannot "
                                      "see it: check confluence.space", status=404)
            return Space(str(results[0]["id"]), key)
        self._send("wiki-read", f"the look-up of space {key}", "GET",
                   self._v1(f"/space/{key}"), safe=True)
        return Space(key, key)

    def may_not(self, space: Space) -> list[str] | None:
        """What publish needs to do in the space that the bot may not ("create page",
        "create attachment"): a read of the bot's permitted operations on the space, never
        a write. None where Confluence offers no such read (Data Center)."""
        if not self.cloud:
            return None
        found = self._send("wiki-read", f"the bot's permissions in space {space.key}", "GET",
                           self._v2(f"/spaces/{space.id}/operations"), safe=True)
        allowed = {(str(o.get("operation")), str(o.get("targetType")))
                   for o in found.get("operations") or []}
        return [f"{verb} {what}" for verb, what in NEEDED if (verb, what) not in allowed]

    def me(self) -> Bot:
        """Who the bot is (``Bot``: its id as page authors are named, its display name)."""
        user = self._send("wiki-read", "the read of the bot's own user", "GET", self._v1("/user/current"),
                          safe=True)
        found = str(user.get("accountId") if self.cloud else user.get("username"))
        return Bot(found, str(user.get("displayName") or found))

    def titled(self, space: Space, title: str) -> Found | None:
        """The page of this title in the space (titles are unique in a space)."""
        if self.cloud:
            found = self._send("wiki-read", f"the look-up of page {title!r}", "GET",
                               self._v2("/pages"), safe=True,
                               params={"space-id": space.id, "title": title})
            for r in found.get("results") or []:
                return Found(str(r["id"]), r["title"], str(r.get("authorId") or ""),
                             r.get("parentId"))
            return None
        found = self._send("wiki-read", f"the look-up of page {title!r}", "GET",
                           self._v1("/content"), safe=True,
                           params={"spaceKey": space.key, "title": title, "type": "page",
                                   "expand": "history,ancestors"})
        for r in found.get("results") or []:
            ancestors = r.get("ancestors") or []
            return Found(str(r["id"]), r["title"],
                         str(((r.get("history") or {}).get("createdBy") or {})
                             .get("username") or ""),
                         str(ancestors[-1]["id"]) if ancestors else None)
        return None

    def labelled(self, space: Space, label: str) -> list[Found]:
        """Every page of the space with this label (CQL, all pages of the answer)."""
        cql = f'space = "{space.key}" and type = page and label = "{label}"'
        out: list[Found] = []
        path: str = self._v1("/content/search")
        params: dict[str, Any] | None = {"cql": cql, "limit": SEARCH_PAGE,
                                         "expand": "metadata.labels"}
        while True:
            # The next page is _links.next (Cloud pages by an opaque cursor, no `start`).
            found = self._send("wiki-search", f"the search for label {label}", "GET",
                               path, safe=True, params=params)
            results = found.get("results") or []
            out += [Found(str(r["id"]), r["title"], labels=tuple(
                str(label.get("name")) for label in
                (((r.get("metadata") or {}).get("labels") or {}).get("results") or [])))
                for r in results]
            following = (found.get("_links") or {}).get("next")
            if not results or not following:
                return out
            if not str(following).startswith("/rest/api/"):     # relative to the site
                raise ConfluenceError(f"Confluence's next page of the search for label "
                                      f"{label} is not on this site: {following}")
            path, params = str(following), None

    def page(self, page_id: str) -> Page:
        """The page's storage body and version, and jirasync's property on it."""
        what = f"the read of page {page_id}"
        if self.cloud:
            # One read: "include-properties: Includes content properties associated with
            # this page in the response. The number of results will be limited to 50";
            # past 50 (other apps' properties) jirasync's is asked for by its key.
            r = self._send("wiki-read", what, "GET", self._v2(f"/pages/{page_id}"), safe=True,
                           params={"body-format": "storage", "include-properties": "true"})
            included = r.get("properties") or {}
            found = next((p for p in included.get("results") or []
                          if p.get("key") == IDENTITY), None)
            if found is None and (included.get("meta") or {}).get("hasMore"):
                props = self._send("wiki-read", what, "GET",
                                   self._v2(f"/pages/{page_id}/properties"), safe=True,
                                   params={"key": IDENTITY})
                found = (props.get("results") or [None])[0]
            body = r["body"]["storage"]["value"]
            parent = r.get("parentId")
        else:
            r = self._send("wiki-read", what, "GET", self._v1(f"/content/{page_id}"),
                           safe=True, params={"expand": "body.storage,version,ancestors"})
            got = self._send("wiki-read", what, "GET",
                             self._v1(f"/content/{page_id}/property/{IDENTITY}"), safe=True,
                             allow=(404,))
            found = None if got == 404 else got
            body = r["body"]["storage"]["value"]
            ancestors = r.get("ancestors") or []
            parent = str(ancestors[-1]["id"]) if ancestors else None
        identity = Property(IDENTITY, found["value"], int(found["version"]["number"]),
                            str(found.get("id", ""))) if found else None
        return Page(str(r["id"]), r["title"], int(r["version"]["number"]), body, identity,
                    parent)

    # -- writing -------------------------------------------------------------------

    def create(self, space: Space, parent_id: str, title: str, body: str) -> str:
        """A new page; its id. Not resent: a lost answer may have made it."""
        what = f"the creation of page {title!r}"
        if self.cloud:
            r = self._send("wiki-write", what, "POST", self._v2("/pages"), safe=False,
                           body={"spaceId": space.id, "status": "current", "title": title,
                                 "parentId": parent_id,
                                 "body": {"representation": "storage", "value": body}})
        else:
            r = self._send("wiki-write", what, "POST", self._v1("/content"), safe=False,
                           body={"type": "page", "title": title, "space": {"key": space.key},
                                 "ancestors": [{"id": parent_id}],
                                 "body": {"storage": {"value": body,
                                                      "representation": "storage"}}})
        return str(r["id"])

    def update(self, page_id: str, title: str, body: str, version: int) -> int:
        """The page's next version (``version`` + 1); 409 if someone saved meanwhile.
        Safe to resend: a second PUT of the same version is refused, not applied twice."""
        what = f"the update of page {page_id}"
        number = version + 1
        if self.cloud:
            self._send("wiki-write", what, "PUT", self._v2(f"/pages/{page_id}"), safe=True,
                       body={"id": page_id, "status": "current", "title": title,
                             "body": {"representation": "storage", "value": body},
                             "version": {"number": number,
                                         "message": "Published by jirasync"}})
        else:
            self._send("wiki-write", what, "PUT", self._v1(f"/content/{page_id}"), safe=True,
                       body={"type": "page", "title": title, "version": {"number": number},
                             "body": {"storage": {"value": body,
                                                  "representation": "storage"}}})
        return number

    def set_identity(self, page_id: str, value: ToJSON, current: Property | None) -> None:
        """Write jirasync's property: made when ``current`` is None, else its next version."""
        what = f"jirasync's property on page {page_id}"
        if current is None:
            path = self._v2(f"/pages/{page_id}/properties") if self.cloud else \
                self._v1(f"/content/{page_id}/property")
            self._send("wiki-write", what, "POST", path, safe=False,
                       body={"key": IDENTITY, "value": value})
            return
        path = self._v2(f"/pages/{page_id}/properties/{current.id}") if self.cloud else \
            self._v1(f"/content/{page_id}/property/{IDENTITY}")
        body: dict[str, Any] = {"value": value, "version": {"number": current.version + 1}}
        if self.cloud:      # v2's update names the key; v1's takes it from the path
            body["key"] = IDENTITY
        self._send("wiki-write", what, "PUT", path, safe=True, body=body)

    def add_labels(self, page_id: str, labels: list[str]) -> None:
        self._send("wiki-write", f"the labels of page {page_id}", "POST",
                   self._v1(f"/content/{page_id}/label"), safe=True,
                   body=[{"prefix": "global", "name": label} for label in labels])

    def attach(self, page_id: str, name: str, data: bytes, media_type: str,
               attachment_id: str | None, *, new: bool = False) -> str:
        """Upload a file: a new version of the attachment ``attachment_id`` (or of the one
        of that name), never a second attachment; its id. ``new``: the page was just
        made, so it has none to look up."""
        base = self._v1(f"/content/{page_id}/child/attachment")
        files = {"file": (name, data, media_type), "minorEdit": (None, "true"),
                 "comment": (None, "Published by jirasync")}
        what = f"the upload of {name} to page {page_id}"
        if attachment_id is None and not new:
            listed = self._send("wiki-read", what, "GET", base, safe=True,
                                params={"filename": name})
            found = listed.get("results") or []
            attachment_id = str(found[0]["id"]) if found else None
        if attachment_id is None:
            r = self._send("wiki-write", what, "POST", base, safe=False, files=files)
            return str(r["results"][0]["id"])
        r = self._send("wiki-write", what, "POST", f"{base}/{attachment_id}/data",
                       safe=False, files=files)
        return str(r["id"])

    def address(self, space_key: str, page_id: str) -> str:
        """Where a person reads the page."""
        if self.cloud:
            return f"{self.url}/spaces/{space_key}/pages/{page_id}"
        return f"{self.url}/pages/viewpage.action?pageId={page_id}"
