"""Reading issue and project properties: an entity property's value by path, and on Data
Center (whose search cannot return properties) the properties of each search result,
read by key through the ``PropertyCache`` unless it holds that very version."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any

from jirasync.gateway.failures import Call, error_for
from jirasync.gateway.properties import Entry, PropertyCache
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport, decode
from jirasync.gateway.types import JiraIssue
from jirasync.json_values import JSON, ToJSON


def property_value(transport: Transport, call: Call, path: str) -> JSON:
    """An entity property's value; None when the entity has no such property."""
    response = transport.request(call, "GET", path)
    if response.status_code == 404:
        # Jira answers 404 both for a missing property and a missing issue or project.
        if "propert" in response.text.lower():
            return None
        raise error_for(call, response, transport.url)
    value: JSON = Answer.of(decode(call, response, transport.url), call).present("value")
    return value        # as the body's JSON decoded: the reader narrows it


def project_property_keys(transport: Transport, project: str | None) -> list[str]:
    call = Call("project-property", "listing project properties", safe=True)
    data = Answer.of(transport.json(call, "GET", f"project/{project}/properties"), call)
    return [k.text("key", required=True) for k in data.objects("keys", required=True)]


def get_project_property(transport: Transport, name: str, project: str | None) -> JSON:
    call = Call("project-property", f"reading project property {name}", safe=True,
                allow=(404,))
    return property_value(transport, call, f"project/{project}/properties/{name}")


def put_project_property(transport: Transport, name: str, value: ToJSON, project: str | None, *,
                         once: bool) -> bool:
    call = Call("project-property", f"writing project property {name}", safe=not once)
    response = transport.request(call, "PUT", f"project/{project}/properties/{name}",
                                 body=value)
    return response.status_code == 201


def delete_project_property(transport: Transport, name: str, project: str | None) -> None:
    call = Call("project-property", f"removing project property {name}", safe=True,
                allow=(404,))
    transport.request(call, "DELETE", f"project/{project}/properties/{name}")


class PropertyReads:
    """Data Center's issue properties, read by key and cached by issue version."""

    def __init__(self, transport: Transport):
        self._t = transport
        self.cache = PropertyCache()
        # Keys whose properties were read by key (not from the cache) since the cache was
        # lent, at the version the search showed: a caller about to re-read one for
        # consistency need not read it twice.
        self.read_by_key: set[str] = set()
        # Keys a search left without their properties (``read=False``).
        self.unread: set[str] = set()
        # The issue a search last returned for each key of ``read_by_key``.
        self.found: dict[str, JiraIssue] = {}
        # The version (``updated``, as the search gave it) of each key of ``unread``.
        self.versions: dict[str, str | None] = {}

    def of_result(self, raw: Answer, names: Sequence[str], *,
                  read: bool = True) -> dict[str, Any]:
        """The issue properties ``names`` of a search result, read by key unless the
        cache holds them for this very version (same ``updated``)."""
        key = raw.text("key", required=True)
        updated = raw.section("fields").text("updated")
        held = self.cache.lookup(key, updated, names)
        if held is not None:
            return held
        if not read:
            self.unread.add(key)
            self.versions[key] = updated
            return {}
        call = Call("read", f"the properties of {key}", safe=True, issue=key, allow=(404,))
        response = self._t.request(call, "GET", f"issue/{key}", params={
            "fields": "updated", "properties": ",".join(names)})
        if response.status_code == 404:
            return {}
        data = Answer.of(decode(call, response, self._t.url), call)
        properties = {n: v for n, v in data.mapping("properties").items() if n in names}
        now = data.section("fields").text("updated")
        if now == updated:      # else the search showed an older version than the read
            self.read_by_key.add(key)
        return self.cache.store(key, now, names, properties)

    def adopt(self, key: str, names: Sequence[str], properties: Mapping[str, Any]) -> None:
        """Properties of an issue a search left unread, found elsewhere for the version
        that search showed (chase's index of records), cached as if read by key."""
        if self.versions.get(key):
            self.cache.store(key, self.versions[key], names, properties)

    def keep(self, data: Answer, names: Sequence[str]) -> None:
        """Properties read by key with the issue are cached with the version read."""
        updated = data.section("fields").text("updated")
        if not names or not updated:
            return
        key = data.text("key", required=True)
        properties = {n: v for n, v in data.mapping("properties").items() if n in names}
        self.cache.store(key, updated, names, properties)
        self.unread.discard(key)

    @contextlib.contextmanager
    def lent(self, load: Callable[[], MutableMapping[str, Entry]],
             save: Callable[[MutableMapping[str, Entry]], None] | None) -> Iterator[None]:
        """Read through the cache ``load`` gives for the block, then hand ``save`` what
        it holds, whatever the block's end."""
        self.cache = PropertyCache(load())
        self.read_by_key, self.unread, self.found, self.versions = set(), set(), {}, {}
        try:
            yield
        finally:
            if save is not None:
                save(self.cache.entries)
